"""The scenario stage: what a disruption is, and how it meets the observed state.

- :mod:`oilshock.scenario.spec` — the scenario file (TOML), presets in ``presets/``, what-if
  options; :func:`load_scenario`.
- :mod:`oilshock.scenario.parse` — :class:`Scenario` and :class:`Disruption`, every key's
  rule and range (:func:`~oilshock.scenario.parse.scenario_from_dict`).
- :mod:`oilshock.scenario.resolve` — a scenario resolved against the supply context at
  ``as_of``: every parameter and where its default came from.
"""

from oilshock.scenario.parse import Disruption, Scenario
from oilshock.scenario.spec import list_presets, load_scenario

__all__ = ["Disruption", "Scenario", "list_presets", "load_scenario"]
