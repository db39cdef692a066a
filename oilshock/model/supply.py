"""Net supply loss, week by week: chokepoint flow × share − bypass − stocks − spare.

The supply link in two modules, each with one job: :mod:`oilshock.model.supply_context`
builds, from data frames, the cached context of every chokepoint (flows, bypass, stocks,
spare, world supply, with their citations); :mod:`oilshock.model.supply_paths` draws the
scenario parameters and integrates the Monte Carlo net loss. A scenario is resolved against
the context by :mod:`oilshock.scenario.resolve` (every resolved parameter and where its
default came from). This module re-exports the two modules' names.
"""

from __future__ import annotations

from oilshock.errors import ScenarioDataError  # noqa: F401 (re-exported)
from oilshock.model.supply_context import (  # noqa: F401 (re-exported)
    COMBINED_SUFFIX,
    REROUTE_PREFIX,
    _chokepoint_context,
    _spare_info,
    _stock_defaults,
    _world_supply,
    supply_context,
)
from oilshock.model.supply_paths import (  # noqa: F401 (re-exported)
    WEEK_WINDOW_DAYS,
    draw_net_loss,
    draw_scenario_params,
    net_loss_paths,
)
