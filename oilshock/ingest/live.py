"""Live recipes: datasets fetched from the publishers' APIs, and the live refresh.

A live recipe is the twin of a file recipe (:func:`oilshock.ingest.recipe`):
``fn(ctx) -> Built`` registered with :func:`live_recipe`, returning the frame
in the contract's shape. It fetches with the ``get_*`` functions of
:mod:`oilshock.sources` (which parse with the same ``parse_*`` functions as
the raw files) and records every response's URL (never the API key) and
sha256 in ``Built.raw_urls``.

:func:`build_live_snapshot` fetches every dataset that has a live recipe and
carries every other dataset of the current snapshot over unchanged
(re-validated against its contract, file and hash kept); the manifest says
per dataset whether it is ``live`` or ``carried``. Any failure leaves the
data directory as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oilshock.errors import SnapshotError, SourceError
from oilshock.ingest import Built, Prepared, write_snapshot


@dataclass
class LiveContext:
    """What a live recipe may use.

    Attributes
    ----------
    retrieved : datetime.date
        Date of this pull (goes into vintage labels).
    base_dir : Path
        The current snapshot (reference tables are read from it, so the new
        snapshot uses the same chokepoint table it carries).
    base_manifest : dict
        Its manifest.
    client : httpx.Client
        Shared connection pool.
    config : oilshock.sources.http.HttpConfig
    """

    retrieved: dt.date
    base_dir: Path
    base_manifest: dict
    client: object
    config: object


LiveRecipe = Callable[[LiveContext], Built]
LIVE_RECIPES: dict[str, LiveRecipe] = {}


def live_recipe(name: str) -> Callable[[LiveRecipe], LiveRecipe]:
    """Register ``fn(ctx) -> Built`` as the live recipe of dataset ``name``."""

    def deco(fn: LiveRecipe) -> LiveRecipe:
        if name in LIVE_RECIPES:
            raise RuntimeError(f"two live recipes for dataset {name!r}")
        LIVE_RECIPES[name] = fn
        return fn

    return deco


def _eia(route: str, frequency: str, series: list[str], unit: str, ctx: LiveContext):
    """All rows of ``series``; every row must carry EIA's ``unit`` (a unit change is an error, not a conversion)."""
    from oilshock.sources.eia.api import get_eia_api_v2

    frame, meta = get_eia_api_v2(
        route, frequency=frequency, series=series, config=ctx.config, client=ctx.client
    )
    name = f"EIA API v2 ({', '.join(series)})"
    unknown = sorted(set(frame["series_id"].unique().to_list()) - set(series))
    if unknown:
        raise SourceError(f"{name}: response holds series {unknown} that were not asked for")
    units = sorted({u for u in frame["units"].to_list()}, key=str)
    if units != [unit]:
        raise SourceError(f"{name}: expected units {unit!r} on every row, found {units}")
    return frame, meta


def _crude(series: str, column: str, ctx: LiveContext) -> Built:
    import polars as pl

    frame, meta = _eia("petroleum/pri/spt/data/", "daily", [series], "$/BBL", ctx)
    blank = frame.filter(pl.col("value").is_null())
    out = (
        frame.filter(pl.col("value").is_not_null())
        .select("date", pl.col("value").alias(column))
        .sort("date")
    )
    notes = [
        f"EIA API v2 series {series}, {meta['total']} rows in {meta['pages']} page(s); units $/BBL as published."
    ]
    # The contract: "days without a quote are absent, never filled"; a null value is EIA saying "no quote".
    notes.append(
        f"{blank.height} day(s) EIA returns with a null value (no quote) have no row"
        + (": " + ", ".join(str(d) for d in blank["date"].to_list()[:20]) if blank.height else "")
    )
    return Built(out, [], notes, raw_urls=meta["raw"])


@live_recipe("brent_daily")
def live_brent_daily(ctx: LiveContext) -> Built:
    """EIA RBRTE (Europe Brent spot FOB) from API v2 [USD/bbl]."""
    return _crude("RBRTE", "brent_usd_per_bbl", ctx)


@live_recipe("wti_daily")
def live_wti_daily(ctx: LiveContext) -> Built:
    """EIA RWTC (Cushing WTI spot FOB) from API v2 [USD/bbl]."""
    return _crude("RWTC", "wti_usd_per_bbl", ctx)


@live_recipe("retail_gasoline_weekly")
def live_retail_gasoline_weekly(ctx: LiveContext) -> Built:
    """EIA US regular and all-grades retail gasoline (Monday survey) from API v2 [USD/gal]; blanks stay null."""
    import polars as pl

    from oilshock.ingest.prices import _retail_area_grade, _with_area_grade

    series = ["EMM_EPMR_PTE_NUS_DPG", "EMM_EPM0_PTE_NUS_DPG"]
    frame, meta = _eia("petroleum/pri/gnd/data/", "weekly", series, "$/GAL", ctx)
    mapping = _retail_area_grade(
        sorted(set(frame["series_id"].to_list())), "EIA API v2 (retail gasoline)"
    )
    out = (
        _with_area_grade(frame, mapping)
        .select("date", "area", "grade", "series_id", pl.col("value").alias("retail_usd_per_gal"))
        .sort("area", "grade", "date")
    )
    blank = out.filter(pl.col("retail_usd_per_gal").is_null())
    notes = [
        f"EIA API v2 series {', '.join(series)}, {meta['total']} rows in {meta['pages']} page(s); "
        "units $/GAL as published.",
        f"{blank.height} week(s) are null in EIA's data and kept as null"
        + (
            ": " + ", ".join(f"{r['series_id']} {r['date']}" for r in blank.iter_rows(named=True))
            if blank.height
            else ""
        ),
    ]
    return Built(out, [], notes, raw_urls=meta["raw"])


@live_recipe("chokepoint_transits_daily")
def live_chokepoint_transits_daily(ctx: LiveContext) -> Built:
    """PortWatch Daily_Chokepoints_Data for the chokepoints of the reference table, one vintage ``live_<date>``."""
    import polars as pl

    from oilshock.ingest.chokepoints import (
        TRANSITS_COLUMNS,
        map_chokepoint_ids,
        read_chokepoint_table,
    )
    from oilshock.sources.portwatch import get_portwatch_chokepoints

    table, table_path = read_chokepoint_table(ctx.base_dir / "reference")
    by_portid = map_chokepoint_ids(table, "portwatch_portid")
    frame, meta = get_portwatch_chokepoints(sorted(by_portid), config=ctx.config, client=ctx.client)
    unknown = sorted(set(frame["portid"].to_list()) - set(by_portid))
    if unknown:
        raise SourceError(
            f"PortWatch: portid(s) {unknown} returned but not asked for (not in {table_path})"
        )
    missing = [f for f in ("n_cargo", "capacity_tanker") if f not in frame.columns]
    if missing:
        raise SourceError(
            f"PortWatch: field(s) {missing} absent from every page; the service changed"
        )
    vintage = f"live_{ctx.retrieved.isoformat()}"
    out = (
        frame.with_columns(
            pl.col("portid").replace_strict(by_portid, return_dtype=pl.String).alias("chokepoint")
        )
        .select(
            "date",
            "chokepoint",
            pl.lit(vintage).alias("vintage"),
            "n_total",
            "n_tanker",
            "n_cargo",
            pl.col("capacity").alias("capacity_dwt_t"),
            pl.col("capacity_tanker").alias("tanker_capacity_dwt_t"),
            pl.when(pl.col("capacity_tanker").is_not_null())
            .then(pl.lit(vintage))
            .alias("tanker_capacity_vintage"),
        )
        .sort("date", "chokepoint")
        .select(TRANSITS_COLUMNS)
    )
    found = sorted(set(out["chokepoint"].to_list()))
    notes = [
        f"IMF PortWatch ArcGIS query, {out.height} rows in {meta['pages']} page(s), vintage {vintage}; "
        f"chokepoints {', '.join(found)} (those with a portwatch_portid in {table_path.name}).",
        "Counts, n_cargo, all-vessel and tanker deadweight all come from this one pull; "
        f"{out['tanker_capacity_dwt_t'].null_count()} row(s) have no tanker deadweight (null in the service).",
    ]
    return Built(out, [table_path], notes, raw_urls=meta["raw"])


# FRED's CPIAUCSL graph CSV replaces only the rows the contract takes from it;
# FRED-MD before 1997 and BLS gasoline come from other files and are carried.
CPI_FRED_START = dt.date(1997, 1, 1)


@live_recipe("cpi_monthly")
def live_cpi_monthly(ctx: LiveContext) -> Built:
    """CPIAUCSL from 1997-01 fetched from FRED; the FRED-MD and BLS rows carried from the current snapshot."""
    import polars as pl

    from oilshock.contracts import get_contract
    from oilshock.datasets import read_frame
    from oilshock.sources.fred import get_fred_csv

    entry = ctx.base_manifest["datasets"].get("cpi_monthly")
    if entry is None:
        raise SnapshotError(
            f"{ctx.base_dir}: has no cpi_monthly to carry the FRED-MD and BLS rows from"
        )
    base = read_frame(ctx.base_dir / entry["file"], get_contract("cpi_monthly"))
    fred, meta = get_fred_csv(
        "CPIAUCSL", start=CPI_FRED_START.isoformat(), config=ctx.config, client=ctx.client
    )
    if fred["date"].min() != CPI_FRED_START:
        raise SourceError(
            f"FRED (CPIAUCSL): expected the series from {CPI_FRED_START}, it starts {fred['date'].min()}"
        )
    live = fred.select(
        "date",
        pl.lit("CPIAUCSL").alias("series_id"),
        pl.col("value").alias("cpi_index_1982_84"),
        pl.lit("fred:CPIAUCSL").alias("source_series"),
    )
    kept = base.filter(pl.col("source_series") != "fred:CPIAUCSL")
    out = pl.concat([kept, live]).sort("series_id", "date")
    missing = live.filter(pl.col("cpi_index_1982_84").is_null())
    notes = [
        f"CPIAUCSL from {CPI_FRED_START:%Y-%m} fetched live from the FRED graph CSV ({live.height} months).",
        f"{kept.height} rows carried from snapshot {ctx.base_manifest['snapshot_sha256'][:12]}: "
        + ", ".join(sorted(set(kept["source_series"].to_list()))),
        "Missing as published by FRED ('.'), kept as null: "
        + (", ".join(str(d) for d in missing["date"].to_list()) or "none"),
    ]
    return Built(out, [], notes, raw_urls=meta["raw"])


def seed(out_dir: Path, keep: int | None = None) -> Path:
    """Install a copy of the packaged snapshot as the first snapshot of an empty data directory.

    The first live refresh carries the datasets without a live source from
    it, and ``oilshock data diff`` then has a previous snapshot to compare
    with. The copy is checked (hashes and contracts) before it is installed.
    """
    import shutil

    from oilshock import storage
    from oilshock.datasets import packaged_data_dir, validate_snapshot

    src = packaged_data_dir()
    validate_snapshot(src)
    tmp = storage.new_build_dir(out_dir)
    try:
        shutil.copytree(src, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        return storage.install(tmp, out_dir, keep=storage.DEFAULT_KEEP if keep is None else keep)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _carry(name: str, base_dir: Path, base_manifest: dict) -> Prepared:
    """A dataset of the current snapshot, re-validated and copied byte for byte (hash kept)."""
    from oilshock.contracts import get_contract, validate
    from oilshock.datasets import read_frame, sha256_file

    entry = base_manifest["datasets"][name]
    path = base_dir / entry["file"]
    if not path.is_file() or sha256_file(path) != entry["sha256"]:
        raise SnapshotError(
            f"{path}: missing or modified since the current snapshot was written; cannot carry '{name}'"
        )
    frame = validate(read_frame(path, get_contract(name)), name, f"{path} (carried)")
    note = f"Carried unchanged from snapshot {base_manifest['snapshot_sha256'][:12]} (no live source); re-validated."
    return Prepared(frame, entry.get("raw", []), [note], "carried", copy_from=path, entry=entry)


def _fetch(name: str, ctx: LiveContext) -> Prepared:
    from oilshock.contracts import validate

    built = LIVE_RECIPES[name](ctx)
    urls = ", ".join(r["url"] for r in built.raw_urls[:1]) or name
    frame = validate(built.frame, name, f"live {name} ({urls})")
    raw = list(built.raw_urls) + [{"path": f"reference/{Path(p).name}"} for p in built.raw_files]
    return Prepared(frame, raw, built.notes, "live")


def build_live_snapshot(
    out_dir: Path,
    *,
    base_dir: Path | None = None,
    datasets: list[str] | None = None,
    retrieved: dt.date | None = None,
    keep: int | None = None,
    wait: float = 0.0,
    progress: Callable[[str], None] | None = None,
    config=None,
    allow_shrink: bool = False,
) -> dict:
    """Fetch the live datasets, carry the rest from the current snapshot, and switch ``out_dir`` atomically.

    Parameters
    ----------
    out_dir : Path
        Data directory to replace.
    base_dir : Path, optional
        Snapshot to carry from; default the current snapshot of ``out_dir``,
        else the packaged one (the first refresh seeds from it).
    datasets : list of str, optional
        Fetch only these live datasets (default all of :data:`LIVE_RECIPES`);
        the others are carried.
    retrieved : datetime.date, optional
        Default today (UTC).
    keep, wait, progress
        As :func:`oilshock.ingest.build_snapshot`.
    config : oilshock.sources.http.HttpConfig, optional
        Default from the environment. Its ``refresh_deadline`` bounds the
        whole refresh (every request, retry and wait).
    allow_shrink : bool
        As :func:`oilshock.ingest.build_snapshot`.

    Returns
    -------
    dict
        The manifest written.

    Raises
    ------
    SourceError, DataContractError, SnapshotError
        The first failure; nothing is written.
    """
    from oilshock import storage
    from oilshock.errors import UnknownNameError
    from oilshock.sources.http import HttpConfig

    out_dir = Path(out_dir)
    fetch = list(datasets or LIVE_RECIPES)
    unknown = [n for n in fetch if n not in LIVE_RECIPES]
    if unknown:
        raise UnknownNameError("live dataset", unknown[0], list(LIVE_RECIPES))
    # Locked from before the current snapshot is read, so no other refresh switches it underneath.
    config = (
        config or HttpConfig.from_env()
    )  # a malformed OILSHOCK_HTTP_* or URL fails here, before anything else
    with storage.lock(out_dir, wait):
        return _build_live(
            out_dir,
            base_dir,
            fetch,
            retrieved,
            keep,
            progress,
            config.start_refresh(),
            allow_shrink,
        )


def _build_live(
    out_dir, base_dir, fetch, retrieved, keep, progress, config, allow_shrink=False
) -> dict:
    import httpx

    from oilshock.contracts import load_contracts
    from oilshock.datasets import read_manifest
    from oilshock.ingest import _reference_source_dir, build_dataset

    if base_dir is None:
        if not (out_dir / "manifest.json").is_file():
            seed(out_dir, keep)
        base_dir = out_dir
    base = read_manifest(base_dir, legacy_ok=True)  # resolved: carried files come from one snapshot
    ctx = LiveContext(
        retrieved=retrieved or dt.datetime.now(dt.UTC).date(),
        base_dir=base.directory,
        base_manifest=base.raw,
        client=None,
        config=config,
    )
    # A reference table added to oilshock since the current snapshot was made comes from the package.
    new_reference = sorted(
        n for n, c in load_contracts().items() if c.kind == "reference" and n not in base.datasets
    )

    def make(n: str) -> Prepared:
        if n in fetch:
            return _fetch(n, ctx)
        if n in new_reference:
            frame, files, _ = build_dataset(n, Path("."), _reference_source_dir())
            note = "Reference table not in the carried snapshot; taken from the packaged data/reference."
            return Prepared(
                frame,
                [{"path": f"oilshock:data/reference/{files[0].name}"}],
                [note],
                "files",
                copy_from=files[0],
            )
        return _carry(n, base.directory, base.raw)

    names = list(dict.fromkeys(fetch + sorted(base.datasets) + new_reference))
    makers = {n: (lambda n=n: make(n)) for n in names}
    # Redirects are followed by oilshock.sources.http.fetch itself, to the same host only.
    with httpx.Client(follow_redirects=False) as client:
        ctx.client = client
        return write_snapshot(
            out_dir,
            makers,
            retrieved=ctx.retrieved,
            origin="live",
            keep=keep,
            progress=progress,
            allow_shrink=allow_shrink,
            extra={
                "carried_from": {
                    "snapshot_sha256": base.snapshot_sha256,
                    "directory": str(base.directory),
                }
            },
        )
