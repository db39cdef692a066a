"""Recipes for price datasets: crude spot, retail and wholesale gasoline."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from oilshock.errors import SourceError
from oilshock.ingest import Built, LiveContext, live_recipe, raw_file, recipe
from oilshock.sources.eia.api import get_eia_series
from oilshock.sources.eia.prices import (
    read_datahub_price_csv,
    read_monthly_retail_long_csv,
    read_series_catalog_csv,
    read_weekly_retail_gasoline_csv,
    read_wide_daily_csv,
)
from oilshock.sources.eia.steo import read_steo_vintages_csv, select_steo_history

# EIA area codes in retail source keys (EMM_EPMR_PTE_<area>_DPG) → oilshock area ids.
EIA_RETAIL_AREAS = {
    "NUS": "us",
    "R1X": "padd_1a",
    "R1Y": "padd_1b",
    "R1Z": "padd_1c",
    "R20": "padd_2",
    "R30": "padd_3",
    "R40": "padd_4",
    "R5XCA": "padd_5_ex_ca",
    "SCA": "california",
    "SCO": "colorado",
    "SFL": "florida",
    "SMA": "massachusetts",
    "SMN": "minnesota",
    "SNY": "new_york",
    "SOH": "ohio",
    "STX": "texas",
    "SWA": "washington",
}
# EIA product codes: all formulations (conventional + reformulated) of one grade.
EIA_RETAIL_GRADES = {"EPMR": "regular", "EPM0": "all_grades"}
_RETAIL_KEY = re.compile(r"^EMM_(EPMR|EPM0)_PTE_([A-Z0-9]+)_DPG$")

# STEO regular retail gasoline mnemonics [usd/gal] → area ids.
STEO_RETAIL_AREAS = {
    "MGRARP1_$": "padd_1",
    "MGRARP2_$": "padd_2",
    "MGRARP3_$": "padd_3",
    "MGRARP4_$": "padd_4",
    "MGRARP5_$": "padd_5",
    "MGRARUS_$": "us",
}
# The regional EIA workbooks end 2022-10; STEO history takes over from the next month.
STEO_RETAIL_START = dt.date(2022, 11, 1)

WHOLESALE_SPOT = {
    "EER_EPMRU_PF4_Y35NY_DPG": "ny_harbor_conventional",
    "EER_EPMRU_PF4_RGC_DPG": "gulf_coast_conventional",
    "EER_EPMRR_PF4_Y05LA_DPG": "los_angeles_rbob",
}
WHOLESALE_FUTURES = {"EER_EPMRR_PE1_Y35NY_DPG": "nymex_rbob_front"}


def shape_spot(frame, value: str, column: str):
    """A daily spot series in its contract's shape: ``date`` and the price ``column``, by date."""
    import polars as pl

    return frame.select(pl.col("date"), pl.col(value).alias(column)).sort("date")


@recipe("brent_daily")
def build_brent_daily(raw_dir: Path) -> Built:
    """EIA RBRTE from the datahub daily CSV; the price is already in USD/bbl."""
    path = raw_file(raw_dir, "eia_crude_spot_prices/brent-daily.csv")
    frame, _ = read_datahub_price_csv(path)
    return Built(shape_spot(frame, "price", "brent_usd_per_bbl"), [path])


@recipe("wti_daily")
def build_wti_daily(raw_dir: Path) -> Built:
    """EIA RWTC from the datahub daily CSV; the price is already in USD/bbl (negative on 2020-04-20)."""
    path = raw_file(raw_dir, "eia_crude_spot_prices/wti-daily.csv")
    frame, _ = read_datahub_price_csv(path)
    return Built(shape_spot(frame, "price", "wti_usd_per_bbl"), [path])


def _crude(series: str, column: str, ctx: LiveContext) -> Built:
    import polars as pl

    frame, meta = get_eia_series(
        "petroleum/pri/spt/data/", "daily", [series], "$/BBL", config=ctx.config, client=ctx.client
    )
    blank = frame.filter(pl.col("value").is_null())
    out = shape_spot(frame.filter(pl.col("value").is_not_null()), "value", column)
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


def _retail_area_grade(series_ids: list[str], source: str) -> dict[str, tuple[str, str]]:
    """(area, grade) of each EIA retail source key; an unknown key is an error, never skipped."""
    out = {}
    for sid in series_ids:
        m = _RETAIL_KEY.match(sid)
        if not m or m.group(2) not in EIA_RETAIL_AREAS:
            raise SourceError(
                f"{source}: series '{sid}' is not a known EIA retail gasoline key (area or grade)"
            )
        out[sid] = (EIA_RETAIL_AREAS[m.group(2)], EIA_RETAIL_GRADES[m.group(1)])
    return out


def _with_area_grade(frame, mapping: dict[str, tuple[str, str]]):
    import polars as pl

    areas = {k: v[0] for k, v in mapping.items()}
    grades = {k: v[1] for k, v in mapping.items()}
    return frame.with_columns(
        pl.col("series_id").replace_strict(areas, return_dtype=pl.String).alias("area"),
        pl.col("series_id").replace_strict(grades, return_dtype=pl.String).alias("grade"),
    )


def shape_retail(frame, value: str, series_ids: list[str], source: str):
    """Weekly retail prices in their contract's shape: long by (area, grade), sorted."""
    import polars as pl

    frame = _with_area_grade(frame, _retail_area_grade(sorted(series_ids), source))
    return frame.select(
        "date", "area", "grade", "series_id", pl.col(value).alias("retail_usd_per_gal")
    ).sort("area", "grade", "date")


@recipe("retail_gasoline_weekly")
def build_retail_gasoline_weekly(raw_dir: Path) -> Built:
    """US weekly retail gasoline (regular, all grades), long by (area, grade); EIA-blank weeks stay null."""
    import polars as pl

    path = raw_file(raw_dir, "us_retail_gasoline_weekly/eia_weekly_retail_gasoline_us.csv")
    frame, meta = read_weekly_retail_gasoline_csv(path)
    frame = shape_retail(frame, "usd_per_gal", meta["series_ids"], str(path))
    blank = frame.filter(pl.col("retail_usd_per_gal").is_null())
    notes = [
        f"{blank.height} week(s) are blank in EIA's own data and kept as null: "
        + ", ".join(f"{r['series_id']} {r['date']}" for r in blank.iter_rows(named=True))
    ]
    return Built(frame, [path], notes)


@live_recipe("retail_gasoline_weekly")
def live_retail_gasoline_weekly(ctx: LiveContext) -> Built:
    """EIA US regular and all-grades retail gasoline (Monday survey) from API v2 [USD/gal]; blanks stay null."""
    import polars as pl

    series = ["EMM_EPMR_PTE_NUS_DPG", "EMM_EPM0_PTE_NUS_DPG"]
    frame, meta = get_eia_series(
        "petroleum/pri/gnd/data/", "weekly", series, "$/GAL", config=ctx.config, client=ctx.client
    )
    ids = list(set(frame["series_id"].to_list()))
    out = shape_retail(frame, "value", ids, "EIA API v2 (retail gasoline)")
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


def _steo_retail_history(path: Path):
    """STEO regular retail gasoline by PADD and US: history months only, latest vintage, from the splice month."""
    import polars as pl

    steo, _ = read_steo_vintages_csv(path)
    steo = steo.filter(pl.col("series_id").is_in(list(STEO_RETAIL_AREAS)))
    found = set(steo["series_id"].unique().to_list())
    if found != set(STEO_RETAIL_AREAS):
        raise SourceError(f"{path}: STEO series {sorted(set(STEO_RETAIL_AREAS) - found)} not found")
    units = steo["uom"].unique().to_list()
    if units != ["usd/gal"]:
        raise SourceError(
            f"{path}: expected uom 'usd/gal' for {sorted(STEO_RETAIL_AREAS)}, found {units}"
        )
    latest = select_steo_history(steo).filter(pl.col("date") >= STEO_RETAIL_START)
    return latest.select(
        "date",
        pl.col("series_id").replace_strict(STEO_RETAIL_AREAS, return_dtype=pl.String).alias("area"),
        pl.lit("regular").alias("grade"),
        pl.format("steo_{}:{}", pl.col("vintage").dt.strftime("%Y-%m"), pl.col("series_id")).alias(
            "source_series"
        ),
        pl.col("value").alias("retail_usd_per_gal"),
    )


@recipe("retail_gasoline_monthly")
def build_retail_gasoline_monthly(raw_dir: Path) -> Built:
    """Regional monthly retail gasoline: EIA workbooks to 2022-10, then STEO history by PADD and US."""
    import polars as pl

    folder = "eia_retail_gasoline_regional_monthly"
    long_path = raw_file(
        raw_dir, f"{folder}/eia_retail_gasoline_diesel_monthly_by_region_1992_2022-10_long.csv"
    )
    catalog_path = raw_file(raw_dir, f"{folder}/series_catalog.csv")
    steo_path = raw_file(
        raw_dir, "eia_steo_vintages/eia_steo_monthly_vintages_2025-11_to_2026-03_wide.csv"
    )

    frame, meta = read_monthly_retail_long_csv(long_path)
    # Only the all-formulation regular and all-grades keys are used; midgrade, premium,
    # conventional/reformulated splits and diesel are other series, not rows of these.
    keys = [s for s in meta["series_ids"] if _RETAIL_KEY.match(s)]
    mapping = _retail_area_grade(keys, str(long_path))
    catalog, _ = read_series_catalog_csv(catalog_path)
    names = dict(zip(catalog["series_id"].to_list(), catalog["series_name"].to_list()))
    for sid in keys:
        if not names.get(sid, "").endswith("(Dollars per Gallon)"):
            raise SourceError(
                f"{catalog_path}: series '{sid}' is missing or not in Dollars per Gallon"
            )
    eia = _with_area_grade(frame.filter(pl.col("series_id").is_in(keys)), mapping).select(
        "date",
        "area",
        "grade",
        pl.col("series_id").alias("source_series"),
        pl.col("usd_per_gal").alias("retail_usd_per_gal"),
    )
    late = eia.filter(pl.col("date") >= STEO_RETAIL_START)
    if late.height:
        raise SourceError(
            f"{long_path}: data from {STEO_RETAIL_START} on would overlap the STEO splice"
        )
    steo = _steo_retail_history(steo_path)
    out = pl.concat([eia, steo]).sort("area", "grade", "date")
    notes = [
        f"EIA regional workbooks (release {', '.join(str(d) for d in catalog['release_date'].unique().sort())}) "
        f"for {eia['area'].n_unique()} areas, "
        f"{eia['date'].min()} to {eia['date'].max()}; regular and all grades, all formulations.",
        f"STEO history (months before each vintage's release month, latest such vintage) for "
        f"padd_1..padd_5 and us, regular only, from {STEO_RETAIL_START}; vintages used: "
        + ", ".join(
            sorted(steo["source_series"].str.extract(r"^steo_(\d{4}-\d{2}):").unique().to_list())
        ),
        "Overlap: STEO history before the splice month (PADD 2-4 also in the workbooks) is not used.",
        "Months missing in the EIA workbooks (e.g. padd_5_ex_ca) are absent, not filled.",
    ]
    return Built(out, [long_path, catalog_path, steo_path], notes)


def _quotes(
    frame,
    markets: dict,
    source: str,
    value: str = "wholesale_usd_per_gal",
    key: str = "market",
    dtype=None,
):
    """Wide (date × series) → long rows, one per quote, with ``key`` mapped from the series id by
    ``markets``; a blank cell is 'no quote that day'."""
    import polars as pl

    missing = [s for s in markets if s not in frame.columns]
    if missing:
        raise SourceError(f"{source}: expected series column(s) {missing}")
    return (
        frame.unpivot(index="date", on=list(markets), variable_name="series_id", value_name=value)
        .filter(pl.col(value).is_not_null())
        .with_columns(
            pl.col("series_id").replace_strict(markets, return_dtype=dtype or pl.String).alias(key)
        )
    )


def _coverage(out, key: str, what: str, prefix: str = "") -> list[str]:
    """One manifest note per ``key`` value: how many rows (``what``) and from when to when."""
    import polars as pl

    counts = out.group_by(key).agg(
        pl.len(), pl.col("date").min().alias("a"), pl.col("date").max().alias("b")
    )
    return [
        f"{prefix}{r[key]}: {r['len']} {what}, {r['a']} to {r['b']}"
        for r in counts.sort(key).iter_rows(named=True)
    ]


# EIA futures series of the NYMEX WTI contracts, by contract number.
CRUDE_FUTURES = {"RCLC1": 1, "RCLC2": 2, "RCLC3": 3, "RCLC4": 4}


@recipe("crude_futures_daily")
def build_crude_futures_daily(raw_dir: Path) -> Built:
    """NYMEX WTI futures settlements, contracts 1 to 4 [USD/bbl], long: one row per quote."""
    import polars as pl

    path = raw_file(raw_dir, "eia_futures_prices_daily/eia_pet_pri_fut_s1_d_1980_2022-02-15.csv")
    wide, _ = read_wide_daily_csv(path)
    out = (
        _quotes(
            wide,
            CRUDE_FUTURES,
            str(path),
            value="wti_futures_usd_per_bbl",
            key="contract",
            dtype=pl.Int64,
        )
        .select("date", "contract", "series_id", "wti_futures_usd_per_bbl")
        .sort("contract", "date")
    )
    notes = [
        "Blank cells in EIA's wide daily sheet mean no settlement that day; those days have no row.",
        *_coverage(out, "contract", "settlements", prefix="contract "),
    ]
    return Built(out, [path], notes)


@recipe("wholesale_gasoline_daily")
def build_wholesale_gasoline_daily(raw_dir: Path) -> Built:
    """NY Harbor / Gulf Coast conventional and LA RBOB spot, and NYMEX RBOB front month [USD/gal]."""
    import polars as pl

    spot_path = raw_file(
        raw_dir, "eia_spot_prices_petroleum_daily/eia_pet_pri_spt_s1_d_1986_2025-06-16.csv"
    )
    fut_path = raw_file(
        raw_dir, "eia_futures_prices_daily/eia_pet_pri_fut_s1_d_1980_2022-02-15.csv"
    )
    spot, _ = read_wide_daily_csv(spot_path)
    fut, _ = read_wide_daily_csv(fut_path)
    out = (
        pl.concat(
            [
                _quotes(spot, WHOLESALE_SPOT, str(spot_path)),
                _quotes(fut, WHOLESALE_FUTURES, str(fut_path)),
            ]
        )
        .select("date", "market", "series_id", "wholesale_usd_per_gal")
        .sort("market", "date")
    )
    notes = [
        "Blank cells in EIA's wide daily sheets mean no quote that day; those days have no row.",
        *_coverage(out, "market", "quotes"),
    ]
    return Built(out, [spot_path, fut_path], notes)


@recipe("crude_acquisition_cost_monthly")
def build_crude_acquisition_cost_monthly(raw_dir: Path) -> Built:
    """EIA PET.R1300____3.M from its API v1 JSON, read with the live-format parser; USD/bbl as published."""
    import polars as pl

    from oilshock.sources.eia.api import parse_eia_api_v1_series

    path = raw_file(
        raw_dir, "eia_world_production_and_refiner_cost_monthly/eia_api_PET.R1300____3.M.json"
    )
    frame, meta = parse_eia_api_v1_series(path.read_bytes(), str(path))
    if meta.get("units") not in ("Dollars per Barrel", "$/bbl", "Dollars per barrel"):
        raise SourceError(f"{path}: expected units 'Dollars per Barrel', got {meta.get('units')!r}")
    out = frame.select("date", pl.col("value").alias("rac_imported_usd_per_bbl")).sort("date")
    return Built(
        out,
        [path],
        [f"EIA API v1 series {meta.get('series_id')}, last updated {meta.get('last_updated')}"],
    )


# STEO price mnemonics in the forecast benchmark → (STEO unit code, dataset unit).
STEO_PRICE_SERIES = {"BREPUUS": ("usd/bbl", "USD/bbl"), "MGRARUS_$": ("usd/gal", "USD/gal")}
# The raw file gives only the release month; the STEO appears by the 12th (the Tuesday
# after the first Thursday), so the 15th is the earliest defensible day it was known.
STEO_KNOWN_DAY = 15


@recipe("steo_price_forecasts_monthly")
def build_steo_price_forecasts_monthly(raw_dir: Path) -> Built:
    """Every month of every STEO vintage for Brent (BREPUUS) and US regular gasoline (MGRARUS_$)."""
    import polars as pl

    from oilshock.ingest.macro import within_sample

    path = raw_file(
        raw_dir, "eia_steo_vintages/eia_steo_monthly_vintages_2025-11_to_2026-03_wide.csv"
    )
    steo, meta = read_steo_vintages_csv(path)
    parts = []
    for sid, (uom, unit) in STEO_PRICE_SERIES.items():
        rows = steo.filter(pl.col("series_id") == sid)
        if rows.height == 0:
            raise SourceError(f"{path}: STEO series {sid} not in the file")
        odd = rows.filter(pl.col("uom") != uom)["uom"].unique().to_list()
        if odd:
            raise SourceError(f"{path}: STEO series {sid}: expected unit {uom!r}, found {odd}")
        for vintage in rows["vintage"].unique().sort().to_list():
            # Blank cells outside a vintage's window are not rows; a blank inside it stops the build.
            one = within_sample(
                rows.filter(pl.col("vintage") == vintage).sort("date"),
                "value",
                f"{path} ({sid}, vintage {vintage:%Y-%m})",
            )
            parts.append(
                one.with_columns(
                    pl.lit(sid).alias("series_id"),
                    pl.lit(vintage).alias("vintage"),
                    pl.lit(unit).alias("unit"),
                )
            )
    out = (
        pl.concat(parts)
        .select(
            "series_id",
            "vintage",
            pl.col("vintage").dt.offset_by(f"{STEO_KNOWN_DAY - 1}d").alias("known_from"),
            "date",
            (pl.col("date") < pl.col("vintage")).alias("before_release"),
            "value",
            "unit",
        )
        .sort("series_id", "vintage", "date")
    )
    notes = [
        (
            f"Vintages {', '.join(f'{v:%Y-%m}' for v in meta['vintages'])}; series {', '.join(STEO_PRICE_SERIES)}; "
            "every month each vintage fills (history/estimates and forecasts), blank cells outside "
            "a vintage's window are not rows."
        ),
        f"known_from = day {STEO_KNOWN_DAY} of the release month (the raw file gives no release day).",
    ]
    return Built(out, [path], notes)
