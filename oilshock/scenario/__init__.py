"""The scenario stage: what a disruption is, and how it meets the observed state.

- :mod:`oilshock.scenario.spec` — the scenario file (TOML), presets in ``presets/``, what-if
  options, every key's rule; :class:`Scenario` and :func:`load_scenario`.
- :mod:`oilshock.scenario.resolve` — a scenario resolved against the supply context at
  ``as_of``: every parameter and where its default came from.
"""

from oilshock.scenario.spec import Disruption, Scenario, list_presets, load_scenario

__all__ = ["Disruption", "Scenario", "list_presets", "load_scenario"]
