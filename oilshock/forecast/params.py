"""Fitted parameters, cached per (snapshot hash, as_of).

:func:`get_params` returns everything an estimate needs that depends on the
data — the crude-response and pass-through fits with their uncertainty, the
baselines, and the supply context — as one plain-JSON dict. The first call
for a given snapshot and date fits the models (importing statsmodels); later
calls read a JSON file and import nothing heavy.

The cache lives in ``OILSHOCK_CACHE_DIR``, else ``$XDG_CACHE_HOME/oilshock``
(``~/.cache/oilshock``). A file is keyed by the snapshot's sha256, the
``as_of`` date and :func:`fit_code_version` — a digest of the source of every
module that fits or shapes the parameters (each link's own version, computed
from its code, not bumped by hand) — so neither a refresh nor a change of the
fitting code can serve stale parameters.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parents[1]
# What the fitted parameters depend on besides the data: these modules (and the files they read).
FIT_CODE = (
    "forecast/params.py",
    "forecast/inputs.py",
    "data/datasets.py",
    "data/files.py",
    "data/manifest.py",
    "data/location.py",
    "periods.py",
    "model/*.py",
    "model/*.toml",
)


@functools.cache
def fit_versions() -> dict[str, str]:
    """Each fit module's own version: the first 12 hex digits of the sha256 of its source."""
    files = sorted({p for pattern in FIT_CODE for p in _PACKAGE.glob(pattern)})
    return {
        str(p.relative_to(_PACKAGE)): hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in files
    }


def fit_code_version() -> str:
    """One digest of :func:`fit_versions`: part of every cache key."""
    text = json.dumps(fit_versions(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def __getattr__(name: str):
    # FIT_VERSION was a hand-bumped number; it is now derived from the code.
    if name == "FIT_VERSION":
        return fit_code_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclasses.dataclass(eq=False)
class FittedParams(Mapping):
    """Everything an estimate needs that depends on the data, fitted at ``as_of``.

    What :func:`fit_all` returns and the cache holds (as JSON, :meth:`to_dict`). Read by
    attribute or by key (``p["pump"]``, ``p.get("crude_model", ...)``, ``dict(p)``), which is
    how the links and older callers read it; an unknown key in a cache file fails when it is
    read back, and the optional keys are absent until they are set.
    """

    as_of: str  # the fits use data dated on or before this day [ISO date]
    crude: dict  # model.crude: multiplier M(h) and its bootstrap replicates, instrument, sample
    pump: dict | None  # model.pump: asymmetric ECM fit and covariance; None without the history
    baseline: dict  # Brent and retail today, Brent volatility, seasonal drift [USD/bbl, USD/gal]
    supply: dict  # model.supply_context: chokepoints, world supply [mb/d], stocks, spare capacity
    household: dict  # model.household: consumption [gal/day], households, regional pass-through
    approval: dict  # model.politics_fit, or {"unavailable": why}
    seats: dict  # model.politics_seats, or {"unavailable": why}
    published: list[dict]  # published estimates shown beside the model's
    fit_version: str  # fit_code_version() of the code that fitted these
    snapshot_sha256: str | None = None  # the snapshot fitted on (set by get_params)
    fit_versions: dict | None = None  # each fit module's own version (set by get_params)
    crude_model: str | None = None  # a crude-response variant; absent: crude_paths.DEFAULT_MODEL
    expectations: dict | None = (
        None  # model.expectations: news premium fit, or {"unavailable": why}
    )
    margin: dict | None = None  # model.margin: gasoline crack response, or {"unavailable": why}

    def __getitem__(self, key: str) -> Any:
        if key not in _PARAM_FIELDS or (key in _OPTIONAL and getattr(self, key) is None):
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return (k for k in _PARAM_FIELDS if not (k in _OPTIONAL and getattr(self, k) is None))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def to_dict(self) -> dict:
        """The plain-JSON form the cache stores."""
        return dict(self)

    @classmethod
    def from_dict(cls, d: dict) -> FittedParams:
        """From the cache's JSON; a key that is not a field raises ``TypeError``."""
        return cls(**d)


_PARAM_FIELDS = tuple(f.name for f in dataclasses.fields(FittedParams))
_OPTIONAL = ("snapshot_sha256", "fit_versions", "crude_model", "expectations", "margin")


def cache_dir() -> Path:
    env = os.environ.get("OILSHOCK_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "oilshock"


def cache_path(snapshot_sha256: str, as_of: dt.date) -> Path:
    name = f"{snapshot_sha256[:20]}-{as_of.isoformat()}-f{fit_code_version()}.json"
    return cache_dir() / "params" / name


def get_params(
    as_of: dt.date, directory: Path | None = None, *, use_cache: bool = True
) -> FittedParams:
    """Fitted parameters and data context for ``as_of``, from the cache or freshly fitted.

    Parameters
    ----------
    as_of : datetime.date
        Only data dated on or before this day are used, for every fit and baseline.
    directory : Path, optional
        Data directory (default: the active one).
    use_cache : bool
        Read and write the cache (default true).
    """
    from oilshock.data.manifest import read_manifest, verify_files

    manifest = read_manifest(directory)  # checks the manifest against its own hash
    path = cache_path(manifest.snapshot_sha256, as_of)
    if use_cache:
        # Before the fit, not after: an unusable cache folder fails at once, not after a minute.
        _make_cache_folder(path.parent)
    if use_cache and path.is_file():
        # Cached parameters read no data file: check here that the files are the ones they were fitted on.
        verify_files(manifest)
        try:
            return FittedParams.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, OSError, TypeError):
            pass  # a damaged cache file is refitted and overwritten below
    with quiet_fits():
        fitted = fit_all(as_of, manifest.directory)
    params = dataclasses.replace(
        fitted,
        snapshot_sha256=manifest.snapshot_sha256,
        fit_versions=fit_versions(),
    )
    if use_cache:
        # Write then rename so a concurrent reader never sees half a file.
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(params.to_dict(), fh)
            os.replace(tmp, path)
        except OSError as exc:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            raise _cache_error(path.parent, exc) from None
    return params


def _cache_error(folder: Path, exc: OSError):
    from oilshock.errors import StorageError

    where = "OILSHOCK_CACHE_DIR" if os.environ.get("OILSHOCK_CACHE_DIR") else "the cache folder"
    return StorageError(
        f"{folder}: cannot hold the parameter cache ({where}): {exc.strerror or exc}; "
        "point OILSHOCK_CACHE_DIR at a writable folder"
    )


def _make_cache_folder(folder: Path) -> None:
    """Create the cache folder, or raise a one-line :class:`~oilshock.errors.StorageError` (exit 1).

    ``OILSHOCK_CACHE_DIR`` naming a regular file, a place under ``/proc`` or a read-only
    folder used to end in a traceback from ``mkdir``.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cache_error(folder, exc) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _cache_error(folder, PermissionError(13, "Permission denied"))


@contextlib.contextmanager
def quiet_fits():
    """Keep the fitting libraries' warnings (statsmodels' rank-deficient designs, convergence
    notes) off the terminal: each fit reports what matters in its own fields (standard errors,
    ``unavailable``); the warnings go to the ``oilshock.fit`` logger at debug level, once each."""
    import logging
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    log = logging.getLogger("oilshock.fit")
    for text in dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught):
        log.debug(text)


def fit_all(as_of: dt.date, directory: Path | None = None) -> FittedParams:
    """Fit every model link on data known by ``as_of`` (no cache)."""
    import polars as pl

    from oilshock.forecast.inputs import load_fit_frames
    from oilshock.model import (
        chokepoint_state,
        crude_inputs,
        expectations,
        household,
        margin,
        politics_fit,
        politics_seats,
        pump,
        seasonal,
        supply_context,
    )

    frames = load_fit_frames(as_of, directory)
    brent = frames["brent_daily"]
    price = frames["crude_acquisition_cost_monthly"].select(
        "date", pl.col("rac_imported_usd_per_bbl").alias("price_usd_per_bbl")
    )
    # Point in time: a published shock series only once it was published, continued (or replaced,
    # before any) by the recursive supply shock re-estimated to as_of; production spliced past 2017.
    crude_fit = crude_inputs.fit_crude_at(
        price, frames["world_oil_supply_monthly"], frames["oil_supply_shocks_monthly"], as_of
    )

    retail = frames["retail_gasoline_weekly"].filter(
        (pl.col("area") == "us") & (pl.col("grade") == "regular")
    )
    weekly = pump.weekly_inputs(brent, retail)
    drift = None
    try:
        pump_fit = pump.fit_passthrough(weekly, as_of)
        drift = _seasonal_drift(seasonal, brent, retail, as_of, pump_fit["beta"])
        last = retail.drop_nulls("retail_usd_per_gal").tail(1).row(0, named=True)
        retail_baseline = {
            "usd_per_gal": last["retail_usd_per_gal"],
            "date": last["date"].isoformat(),
            # The lowest weekly price on record before as_of bounds what the approval model may read.
            "min_observed_usd_per_gal": float(retail["retail_usd_per_gal"].min()),
        }
    except ValueError as exc:
        # Before ~1996 there is too little weekly retail history: the estimate then covers crude only.
        pump_fit, retail_baseline = None, {"usd_per_gal": None, "date": None, "why": str(exc)}

    tail = brent.tail(5)
    vol = brent_weekly_volatility(brent)
    return FittedParams(
        **{
            "as_of": as_of.isoformat(),
            "crude": crude_fit,
            "pump": pump_fit,
            "baseline": {
                "brent_usd_per_bbl": float(tail["brent_usd_per_bbl"].mean()),
                "brent_basis": f"mean of the 5 trading days {tail['date'][0]} to {tail['date'][-1]}",
                "retail": retail_baseline,
                "retail_seasonal_drift": drift,
                "brent_weekly_log_sd": vol["sd"],
                "brent_volatility_basis": vol["basis"],
            },
            "supply": chokepoint_state.with_prices_before_onset(
                supply_context.supply_context(frames, as_of), brent
            ),
            "household": household.build_household_context(frames, as_of),
            "approval": _optional(politics_fit.fit_approval, frames, as_of),
            "seats": _optional(politics_seats.fit_seats, frames, as_of),
            "published": frames["published_estimates"].to_dicts(),
            "fit_version": fit_code_version(),
            "expectations": expectations.fit_news_premium_at(
                frames["oil_supply_shocks_monthly"], brent, as_of
            ),
            "margin": _optional(
                lambda f, d: margin.fit_margin_at(f["wholesale_gasoline_daily"], brent, d),
                frames,
                as_of,
            ),
        }
    )


def _seasonal_drift(seasonal, brent, retail, as_of: dt.date, beta: float) -> dict | None:
    """The pump price's no-disruption drift over every week an estimate may simulate (``model.seasonal``)."""
    from oilshock.periods import survey_mondays
    from oilshock.scenario.parse import HORIZON_RANGE

    return seasonal.seasonal_drift(
        seasonal.PriceHistory(brent, retail), as_of, survey_mondays(as_of, HORIZON_RANGE[1]), beta
    )


def _optional(fit, frames: dict, as_of) -> dict:
    """A fit that may lack data early in history: its result, or the reason it could not be made."""
    try:
        return fit(frames, as_of)
    except ValueError as exc:
        return {"unavailable": str(exc)}


def brent_weekly_volatility(brent, weeks: int = 260) -> dict:
    """SD of weekly log changes of Brent over the ``weeks`` before the last date [log points].

    Used only for the *predictive* bands: the ordinary week-to-week movement
    of the price that a disruption scenario does not explain.
    """
    import numpy as np
    import polars as pl

    w = (
        brent.with_columns(pl.col("date").dt.truncate("1w").alias("week"))
        .group_by("week")
        .agg(pl.col("brent_usd_per_bbl").last())
        .sort("week")
        .tail(weeks + 1)
    )
    d = np.diff(np.log(w["brent_usd_per_bbl"].to_numpy()))
    return {
        # Fewer than two weekly changes (the first weeks of the series): no spread to measure,
        # NaN without numpy's warning on stderr.
        "sd": float(d.std(ddof=1)) if d.size >= 2 else float("nan"),
        "basis": f"weekly log changes of Brent, {w['week'][0]} to {w['week'][-1]} ({d.size} weeks)",
    }
