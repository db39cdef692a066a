"""Recipes: macro datasets — world oil supply, CPI, US gasoline demand, SPR stocks, oil supply shocks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from oilshock.errors import SnapshotError, SourceError
from oilshock.ingest import Built, LiveContext, live_recipe, raw_file, recipe
from oilshock.sources.bls import read_bls_series_csv
from oilshock.sources.eia.steo import read_steo_vintages_csv
from oilshock.sources.eia.supply import (
    read_eia_wide_csv,
    read_world_production_csv,
    steo_history_kbd,
)
from oilshock.sources.fred import read_fred_csv, read_fred_md_csv
from oilshock.sources.research import read_research_monthly_csv

WORLD_PRODUCTION = (
    "eia_world_production_and_refiner_cost_monthly/"
    "eia_world_crude_oil_production_monthly_1973_2023-10.csv"
)
KANZIG_RAW = "oil_market_svar_kanzig/kanzig2021_rawDataM_1973M12_2017M12.csv"
KANZIG_NEWS = "oil_market_svar_kanzig/oil_supply_news_shocks_monthly_1975M01_2024M12.csv"
LITERATURE_SHOCKS = "oil_market_svar_kanzig/literature_shock_series_monthly_1960M01_2017M12.csv"
STEO = "eia_steo_vintages/eia_steo_monthly_vintages_2025-11_to_2026-03_wide.csv"
FRED_MD = "fred_md/fred_md_monthly_1959_2025-08.csv"
FRED_CPIAUCSL = "us_cpi/fred_CPIAUCSL_1997_2026.csv"
BLS_CPI = "us_cpi/bls_cpi_u_selected_series_1997_2026.csv"
PRODUCT_SUPPLIED = (
    "eia_product_supplied_monthly/eia_us_product_supplied_monthly_1936_2022-04_kbd.csv"
)
WPSR = "eia_weekly_petroleum_supply/eia_wpsr_weekly_2014-12-26_2026-02-27_wide.csv"
WEEKLY_STOCKS = (
    "eia_weekly_petroleum_supply/eia_weekly_us_stocks_crude_products_1982-08-20_2022-03-04.csv"
)

# The 2024 API vintage of INTL.57-1-WORL-TBPD.M covers only part of the world
# before 1992 (≈8.6 mb/d in 1980–83), so those months are not world totals.
EIA_INTL_FIRST_MONTH = dt.date(1992, 1, 1)
# STEO history is used only after the EIA international series ends (2023-10).
STEO_FIRST_MONTH = dt.date(2023, 11, 1)
# FRED-MD fills CPIAUCSL only before the FRED/BLS files begin.
FRED_CPI_FIRST_MONTH = dt.date(1997, 1, 1)

# Känzig's appendix columns → dataset series names.
LITERATURE_SHOCK_SERIES = {
    "BHsupply": "bh2019_oil_supply",
    "KilianAERSupply": "kilian2009_oil_supply",
    "KilianAERdemand": "kilian2009_aggregate_demand",
    "KilianAERspecific": "kilian2009_oil_specific_demand",
    "Hamilton": "hamilton_net_oil_price_increase",
}
KANZIG_SHOCK_SERIES = {
    "Oil supply news shock": "kanzig2021_oil_supply_news_shock",
    "Oil supply surprise series": "kanzig2021_oil_supply_surprise",
}


def within_sample(frame, column: str, source: str):
    """Rows of ``column`` from its first to its last value, as ``date``, ``value``.

    Wide tables leave a series blank before it starts and after it ends;
    those cells are outside the series, not missing observations. A blank
    *inside* that span is a gap the publisher left and is refused here,
    because dropping it would hide it.

    Raises
    ------
    SourceError
        The column is empty or has a blank inside its span.
    """
    import polars as pl

    rows = frame.with_row_index("_row").filter(pl.col(column).is_not_null())["_row"]
    if rows.len() == 0:
        raise SourceError(f"{source}: column '{column}' has no values")
    span = frame.slice(rows.min(), rows.max() - rows.min() + 1)
    gaps = span.filter(pl.col(column).is_null())
    if gaps.height:
        raise SourceError(
            f"{source}: column '{column}' is blank inside its span at {[str(d) for d in gaps['date'].to_list()[:5]]}"
        )
    return span.select("date", pl.col(column).alias("value"))


@recipe("world_oil_supply_monthly")
def build_world_oil_supply_monthly(raw_dir: Path) -> Built:
    """World oil production [kb/d], three series side by side, never spliced."""
    import polars as pl

    intl_path = raw_file(raw_dir, WORLD_PRODUCTION)
    kanzig_path = raw_file(raw_dir, KANZIG_RAW)
    steo_path = raw_file(raw_dir, STEO)

    intl, meta = read_world_production_csv(intl_path)
    intl = intl.filter(pl.col("date") >= EIA_INTL_FIRST_MONTH).select(
        "date",
        pl.lit("eia_intl_crude_incl_condensate").alias("series"),
        "value_kbd",
        pl.lit(f"eia_api:{meta['series_id']}").alias("source_series"),
    )
    kanzig, _ = read_research_monthly_csv(kanzig_path, columns=["EIA1955"])
    kanzig = within_sample(kanzig, "EIA1955", str(kanzig_path)).select(
        "date",
        pl.lit("kanzig_eia1955").alias("series"),
        pl.col("value").alias("value_kbd"),
        pl.lit("kanzig2021_rawdatam:EIA1955").alias("source_series"),
    )
    steo, _ = read_steo_vintages_csv(steo_path)
    steo = steo.filter(pl.col("series_id") == "PAPR_WORLD")
    if steo.height == 0:
        raise SourceError(f"{steo_path}: STEO series PAPR_WORLD not in the file")
    # mb/d × 1000 = kb/d, applied in steo_history_kbd.
    steo = (
        steo_history_kbd(steo, str(steo_path))
        .filter(pl.col("date") >= STEO_FIRST_MONTH)
        .select(
            "date",
            pl.lit("steo_papr_world").alias("series"),
            "value_kbd",
            pl.format("steo_{}:PAPR_WORLD", pl.col("vintage").dt.strftime("%Y-%m")).alias(
                "source_series"
            ),
        )
    )
    frame = pl.concat([intl, kanzig, steo]).sort("series", "date")
    notes = [
        f"eia_intl_crude_incl_condensate: INTL.57-1-WORL-TBPD.M from {EIA_INTL_FIRST_MONTH:%Y-%m} only; "
        "earlier months of this API vintage cover part of the world and are excluded.",
        "kanzig_eia1955: Känzig (2021) rawDataM EIA1955, as published [kb/d].",
        "steo_papr_world: STEO PAPR_WORLD (total petroleum liquids, not crude only), converted mb/d × 1000; "
        f"from {STEO_FIRST_MONTH:%Y-%m}, months before each vintage's release month, latest vintage wins.",
    ]
    return Built(frame, [intl_path, kanzig_path, steo_path], notes)


@recipe("cpi_monthly")
def build_cpi_monthly(raw_dir: Path) -> Built:
    """CPI-U all items SA (FRED-MD before 1997, FRED after) and CPI-U gasoline SA (BLS)."""
    import polars as pl

    md_path = raw_file(raw_dir, FRED_MD)
    fred_path = raw_file(raw_dir, FRED_CPIAUCSL)
    bls_path = raw_file(raw_dir, BLS_CPI)

    md, _ = read_fred_md_csv(md_path, columns=["CPIAUCSL"])
    md = within_sample(md, "CPIAUCSL", str(md_path)).filter(pl.col("date") < FRED_CPI_FIRST_MONTH)
    md = md.with_columns(pl.lit("fred_md_2025-08:CPIAUCSL").alias("source_series"))
    fred, _ = read_fred_csv(fred_path, series_id="CPIAUCSL")
    fred = fred.with_columns(pl.lit("fred:CPIAUCSL").alias("source_series"))
    if fred["date"].min() != FRED_CPI_FIRST_MONTH:
        raise SourceError(
            f"{fred_path}: expected to start {FRED_CPI_FIRST_MONTH}, starts {fred['date'].min()}"
        )
    all_items = pl.concat([md, fred]).with_columns(pl.lit("CPIAUCSL").alias("series_id"))

    bls, _ = read_bls_series_csv(bls_path, series_ids=["CUSR0000SETB01"])
    gasoline = bls.select(
        "date",
        "value",
        pl.lit("bls:CUSR0000SETB01").alias("source_series"),
        pl.col("series_id"),
    )
    frame = (
        pl.concat([all_items, gasoline], how="diagonal")
        .select("date", "series_id", pl.col("value").alias("cpi_index_1982_84"), "source_series")
        .sort("series_id", "date")
    )
    missing = frame.filter(pl.col("cpi_index_1982_84").is_null())
    notes = [
        "CPIAUCSL: FRED-MD (vintage 2025-08) before 1997-01, the FRED CPIAUCSL file from 1997-01; "
        "FRED-MD's 'Transform:' row holds transformation codes and is skipped.",
        "CUSR0000SETB01: BLS CPI-U gasoline (all types), seasonally adjusted.",
        "Missing as published (FRED '.', BLS '-'), kept as null: "
        + (
            ", ".join(f"{r['series_id']} {r['date']}" for r in missing.iter_rows(named=True))
            or "none"
        ),
    ]
    return Built(frame, [md_path, fred_path, bls_path], notes)


@recipe("us_gasoline_demand")
def build_us_gasoline_demand(raw_dir: Path) -> Built:
    """US finished motor gasoline product supplied [kb/d]: monthly MGFUPUS2 and weekly WGFUPUS2."""
    import polars as pl

    monthly_path = raw_file(raw_dir, PRODUCT_SUPPLIED)
    weekly_path = raw_file(raw_dir, WPSR)
    monthly, _ = read_eia_wide_csv(monthly_path, series=["MGFUPUS2"], frequency="monthly")
    weekly, _ = read_eia_wide_csv(
        weekly_path, series=["WGFUPUS2"], frequency="weekly", date_column="period"
    )
    parts = []
    for frame, sid, freq, path in (
        (monthly, "MGFUPUS2", "monthly", monthly_path),
        (weekly, "WGFUPUS2", "weekly", weekly_path),
    ):
        parts.append(
            within_sample(frame, sid, str(path)).select(
                "date",
                pl.lit(freq).alias("frequency"),
                pl.lit(sid).alias("series_id"),
                pl.col("value").alias("gasoline_product_supplied_kbd"),
            )
        )
    frame = pl.concat(parts).sort("series_id", "date")
    notes = [
        "MGFUPUS2 from the EIA monthly product-supplied workbook (release 2022-07-05); months "
        "before 1945 are blank there.",
        "WGFUPUS2 from the WPSR weekly table (week ending Friday); weekly figures are EIA "
        "estimates, not the monthly survey.",
    ]
    return Built(frame, [monthly_path, weekly_path], notes)


@recipe("spr_stocks_weekly")
def build_spr_stocks_weekly(raw_dir: Path) -> Built:
    """SPR crude stocks [thousand bbl]: stocks workbook to 2014-12-19, WPSR table from 2014-12-26.

    The two files overlap 2014-12-26 – 2022-03-04. They must agree on every
    shared week; a disagreement stops the build (SourceError naming the
    weeks) rather than letting one file silently win.
    """
    import polars as pl

    stocks_path = raw_file(raw_dir, WEEKLY_STOCKS)
    wpsr_path = raw_file(raw_dir, WPSR)
    old, _ = read_eia_wide_csv(stocks_path, series=["WCSSTUS1"], frequency="weekly")
    new, _ = read_eia_wide_csv(
        wpsr_path, series=["WCSSTUS1"], frequency="weekly", date_column="period"
    )
    old = within_sample(old, "WCSSTUS1", str(stocks_path))
    new = within_sample(new, "WCSSTUS1", str(wpsr_path))
    shared = old.join(new, on="date", suffix="_wpsr")
    differ = shared.filter(pl.col("value") != pl.col("value_wpsr"))
    if differ.height:
        raise SourceError(
            f"{stocks_path} and {wpsr_path}: WCSSTUS1 differs on {differ.height} shared weeks, e.g. "
            f"{[(str(r['date']), r['value'], r['value_wpsr']) for r in differ.head(5).iter_rows(named=True)]}"
        )
    first_new = new["date"].min()
    frame = (
        pl.concat(
            [
                old.filter(pl.col("date") < first_new).with_columns(
                    pl.lit("eia_wstk:WCSSTUS1").alias("source_series")
                ),
                new.with_columns(pl.lit("eia_wpsr:WCSSTUS1").alias("source_series")),
            ]
        )
        .select("date", pl.col("value").alias("spr_crude_stocks_kb"), "source_series")
        .sort("date")
    )
    notes = [
        f"WCSSTUS1 from the weekly stocks workbook before {first_new}, from the WPSR table after; "
        f"the two agree exactly on all {shared.height} shared weeks (checked at build).",
        "Weeks absent from the 1980s workbook are absent here too (not filled).",
    ]
    return Built(frame, [stocks_path, wpsr_path], notes)


@recipe("oil_supply_shocks_monthly")
def build_oil_supply_shocks_monthly(raw_dir: Path) -> Built:
    """Research oil shock series (Känzig 2021; Baumeister–Hamilton 2019; Kilian 2009; Hamilton), long."""
    import polars as pl

    news_path = raw_file(raw_dir, KANZIG_NEWS)
    lit_path = raw_file(raw_dir, LITERATURE_SHOCKS)
    news, _ = read_research_monthly_csv(news_path, columns=list(KANZIG_SHOCK_SERIES))
    lit, _ = read_research_monthly_csv(lit_path, columns=list(LITERATURE_SHOCK_SERIES))
    parts = []
    for frame, names, path in (
        (news, KANZIG_SHOCK_SERIES, news_path),
        (lit, LITERATURE_SHOCK_SERIES, lit_path),
    ):
        for column, series in names.items():
            parts.append(
                within_sample(frame, column, str(path)).select(
                    "date", pl.lit(series).alias("series"), "value"
                )
            )
    frame = pl.concat(parts).sort("series", "date")
    notes = [
        "Values as published in the replication files (not re-standardised); each series covers only its own sample.",
        "Känzig series from oilSupplyNewsShocks_2024M12 (sheet Monthly); the others from Känzig's "
        "appendix shockseries (sheet M).",
    ]
    return Built(frame, [news_path, lit_path], notes)


# FRED's CPIAUCSL graph CSV replaces only the rows the contract takes from it (from
# FRED_CPI_FIRST_MONTH); FRED-MD before 1997 and BLS gasoline come from other files and are carried.
CPI_FRED_START = FRED_CPI_FIRST_MONTH


@live_recipe("cpi_monthly")
def live_cpi_monthly(ctx: LiveContext) -> Built:
    """CPIAUCSL from 1997-01 fetched from FRED; the FRED-MD and BLS rows carried from the current snapshot."""
    import polars as pl

    from oilshock.data.contracts import get_contract
    from oilshock.data.files import read_frame
    from oilshock.ingest.live import verified_base_file
    from oilshock.sources.fred import get_fred_csv

    if "cpi_monthly" not in ctx.base_manifest["datasets"]:
        raise SnapshotError(
            f"{ctx.base_dir}: has no cpi_monthly to carry the FRED-MD and BLS rows from"
        )
    # The carried rows are trusted only after the file's hash is checked, as every carried dataset.
    path = verified_base_file("cpi_monthly", ctx.base_dir, ctx.base_manifest)
    base = read_frame(path, get_contract("cpi_monthly"))
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
