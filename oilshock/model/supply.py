"""Net supply loss, week by week: chokepoint flow × share − bypass − stocks − spare.

The supply link in three modules, each with one job: :mod:`oilshock.model.supply_context`
builds, from data frames, the cached context of every chokepoint (flows, bypass, stocks,
spare, world supply, with their citations); :mod:`oilshock.model.resolve` resolves one
scenario against it (:func:`resolve_scenario` shows every resolved parameter and where its
default came from); :mod:`oilshock.model.supply_paths` draws the scenario parameters and
integrates the Monte Carlo net loss. This module re-exports their names, and
:func:`build_supply_context` reads the frames for callers outside the fit.
"""

from __future__ import annotations

import datetime as dt

from oilshock.errors import ScenarioDataError  # noqa: F401 (re-exported)
from oilshock.model.resolve import ResolvedDisruption, resolve_scenario  # noqa: F401
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


def build_supply_context(as_of: dt.date, directory=None) -> dict:
    """The supply context as of ``as_of``, read from the data directory.

    Reads :func:`oilshock.model.inputs.load_supply_frames` and builds
    :func:`oilshock.model.supply_context.supply_context` from them.

    Parameters
    ----------
    as_of : datetime.date
    directory : Path, optional
        Data directory (default: the active one).
    """
    from oilshock.model.inputs import load_supply_frames

    return supply_context(load_supply_frames(as_of, directory), as_of)
