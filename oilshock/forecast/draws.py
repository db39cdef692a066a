"""The draws of one Monte Carlo, as the simulation hands them to the reduction.

:class:`Simulation` is made by :func:`oilshock.forecast.simulate.run_draws` and read by
:mod:`oilshock.forecast.reduce` and :mod:`oilshock.forecast.result`; it lives here so that
neither has to import the orchestrator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np


@dataclass(eq=False)
class Simulation(Mapping):
    """What :func:`run_draws` hands to the reduction: the draws of one Monte Carlo.

    Arrays are (n, n_weeks) unless noted; ``n_weeks`` may run past ``horizon`` to reach
    election day. Read by attribute, or by key as a read-only mapping (``sim["weeks"]``,
    ``dict(sim)``), which is how :mod:`oilshock.forecast.reduce` and older callers read it.
    """

    horizon: int  # the scenario's horizon [weeks]; the report keeps these weeks
    election: dt.date | None
    election_week: int | None  # index of the survey Monday before election day
    weeks_all: list[dt.date]  # every simulated survey Monday
    household_costs: dict | None  # household costs per draw over the horizon [USD]
    region_thetas: dict[str, np.ndarray] | None  # regional pass-through draws, per region
    politics: dict | None  # per-draw approval and seat changes on election day
    weeks: list[dt.date]
    brent: np.ndarray  # Brent level [USD/bbl]
    brent_change_pct: np.ndarray  # vs the as-of price [%]
    retail_change: np.ndarray | None  # pump price vs the as-of price [USD/gal]
    brent_change_pct_predictive: np.ndarray  # with market noise [%]
    retail_change_predictive: np.ndarray | None  # with market noise [USD/gal]
    retail_flat: np.ndarray | None  # pump path with crude held flat [USD/gal]
    retail_seasonal: np.ndarray | None  # seasonal drift by week [USD/gal]
    loss: dict  # net supply loss pieces, each (n, n_weeks) [mb/d]
    multiplier_by_week: np.ndarray  # (n_weeks, n_boot)
    multiplier_pick: np.ndarray  # (n,): the bootstrap replicate of each draw
    multiplier_factor: np.ndarray | None  # (n,): each draw's +regimes factor on it, or None
    provenance: dict  # how each scenario input was resolved
    status_quo: dict | None
    anchor: dict | None

    def __getitem__(self, key: str) -> Any:
        if key not in _SIMULATION_FIELDS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(_SIMULATION_FIELDS)

    def __len__(self) -> int:
        return len(_SIMULATION_FIELDS)


_SIMULATION_FIELDS = tuple(f.name for f in fields(Simulation))
