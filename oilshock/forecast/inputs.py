"""The one place the fit reads data: every frame a model link needs, as known by a date.

:func:`load_fit_frames` reads, for an ``as_of`` date and a data directory, the frames
:func:`oilshock.forecast.params.fit_all` passes to the model links, each dated dataset filtered to the
rows whose period had ended by ``as_of`` (:func:`oilshock.data.datasets.load_dataset`); the
links themselves take frames and return dicts or arrays, and read no file.
"""

from __future__ import annotations

import datetime as dt

# Reference tables (undated, or dated by publication in their own columns) are read whole;
# series are read point in time.
SUPPLY_DATASETS = {
    "chokepoints": False,
    "chokepoint_flows_annual": True,
    "chokepoint_flows_supplement": False,
    "chokepoint_transits_daily": True,
    "bypass_routes": False,
    "oil_buffers": False,
    "world_oil_supply_monthly": True,
}

# The datasets of the crude and pump links and the baseline, by whether they are read point in time.
PRICE_DATASETS = {
    "brent_daily": True,
    "crude_acquisition_cost_monthly": True,
    "oil_supply_shocks_monthly": True,
    "retail_gasoline_weekly": True,
    "wholesale_gasoline_daily": True,
    "published_estimates": False,
}

# The household link's datasets; ``us_households_all`` is ``us_households`` read whole, because the
# household share applies the survey's own publication lag.
HOUSEHOLD_DATASETS = {
    "us_gasoline_demand": True,
    "us_households": True,
    "us_households_all": False,
    "retail_gasoline_monthly": True,
    "household_gasoline_spending": False,
}

# The politics links' datasets (approval, seats and the monthly real gasoline price).
POLITICS_DATASETS = {
    "approval_monthly": True,
    "cpi_monthly": True,
    "presidents": False,
    "rally_events": True,
    "midterms": True,
    "house_seats_before_midterm": False,
    "retail_gasoline_weekly": True,
}

# A frame's key when it differs from its dataset's name.
_DATASET_OF = {"us_households_all": "us_households"}


def _load(names: dict, as_of: dt.date, directory) -> dict:
    from oilshock.data.datasets import load_dataset

    return {
        key: load_dataset(
            _DATASET_OF.get(key, key), as_of=as_of if point_in_time else None, directory=directory
        )
        for key, point_in_time in names.items()
    }


def load_supply_frames(as_of: dt.date, directory=None) -> dict:
    """The frames of :data:`SUPPLY_DATASETS` as known by ``as_of``, by dataset name."""
    return _load(SUPPLY_DATASETS, as_of, directory)


def load_fit_frames(as_of: dt.date, directory=None) -> dict:
    """Every frame of :data:`PRICE_DATASETS`, :data:`SUPPLY_DATASETS`, :data:`HOUSEHOLD_DATASETS`
    and :data:`POLITICS_DATASETS`.

    Each dated one as known by ``as_of``; keyed by dataset name (or the key of ``_DATASET_OF``).

    Raises
    ------
    oilshock.errors.ScenarioDataError
        If ``as_of`` is before the first Brent price.
    """
    from oilshock.data.datasets import load_dataset
    from oilshock.errors import ScenarioDataError

    frames = _load(PRICE_DATASETS, as_of, directory)
    if frames["brent_daily"].height == 0:
        first = load_dataset("brent_daily", directory=directory)["date"].min()
        raise ScenarioDataError(f"as_of {as_of} is before the Brent data begin ({first})")
    frames.update(load_supply_frames(as_of, directory))
    frames.update(_load(HOUSEHOLD_DATASETS, as_of, directory))
    frames.update(
        _load({k: v for k, v in POLITICS_DATASETS.items() if k not in frames}, as_of, directory)
    )
    return frames


def load_politics_frames(as_of: dt.date, directory=None) -> dict:
    """The frames of :data:`POLITICS_DATASETS` as known by ``as_of``, by dataset name."""
    return _load(POLITICS_DATASETS, as_of, directory)


def build_supply_context(as_of: dt.date, directory=None) -> dict:
    """The supply context as of ``as_of``, read from the data directory.

    Reads :func:`load_supply_frames` and builds
    :func:`oilshock.model.supply_context.supply_context` from them.

    Parameters
    ----------
    as_of : datetime.date
    directory : Path, optional
        Data directory (default: the active one).
    """
    from oilshock.model.supply_context import supply_context

    return supply_context(load_supply_frames(as_of, directory), as_of)
