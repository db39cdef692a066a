"""Recipes for chokepoint datasets: IMF PortWatch daily transits and EIA annual oil flows.

Source keys (PortWatch ``portid``, EIA row labels) are translated to oilshock
chokepoint ids only through the reference table ``chokepoints``
(``data/reference/chokepoints.csv``), so the mapping lives in one place.
"""

from __future__ import annotations

from pathlib import Path

from oilshock.errors import SourceError
from oilshock.ingest import Built, LiveContext, live_recipe, raw_file, recipe
from oilshock.sources.eia.chokepoints import TOTAL_ROWS, read_eia_chokepoint_table_csv
from oilshock.sources.portwatch import read_portwatch_long_csv, read_portwatch_wide_csv

LONG_FILE = "imf_portwatch_chokepoints/portwatch_daily_chokepoints_long_2019_2026.csv"
WIDE_FILE = "imf_portwatch_chokepoints/portwatch_daily_chokepoints_wide_with_tanker_capacity.csv"
EIA_FILE = "eia_world_oil_transit_chokepoints/eia_chokepoint_oil_volumes_2018_2023.csv"

# PortWatch revises its AIS counts, so each copy is a vintage. Labels are the
# layout plus the commit date of the copy in its source repository
# (PROVENANCE.md section 11); they go into the `vintage` columns.
LONG_VINTAGE = "long_2026-08-19"
WIDE_VINTAGE = "wide_2026-05-30"

TRANSITS_COLUMNS = [
    "date",
    "chokepoint",
    "vintage",
    "n_total",
    "n_tanker",
    "n_cargo",
    "capacity_dwt_t",
    "tanker_capacity_dwt_t",
    "tanker_capacity_vintage",
]


def read_chokepoint_table(reference_dir: Path | None = None):
    """The validated ``chokepoints`` reference table and its path.

    Parameters
    ----------
    reference_dir : Path, optional
        Folder holding ``chokepoints.csv``; default the packaged ``data/reference``.

    Returns
    -------
    table : polars.DataFrame
    path : Path

    Raises
    ------
    SourceError
        When a non-empty PortWatch portid or EIA name maps to two ids.
    """
    from oilshock.data.contracts import get_contract, validate
    from oilshock.data.files import read_csv_strict
    from oilshock.data.location import packaged_data_dir

    contract = get_contract("chokepoints")
    path = Path(reference_dir or packaged_data_dir() / "reference") / Path(contract.file).name
    if not path.is_file():
        raise SourceError(f"{path}: reference table 'chokepoints' not found")
    table = validate(read_csv_strict(path, contract), contract, str(path))
    for key in ("portwatch_portid", "eia_location_name"):
        keys = table[key].drop_nulls()
        if keys.is_duplicated().any():
            raise SourceError(
                f"{path}: {key} {sorted(set(keys.filter(keys.is_duplicated())))} maps to several chokepoints"
            )
    return table, path


def map_chokepoint_ids(table, key: str) -> dict[str, str]:
    """Source key → chokepoint id, for ``key`` in ``portwatch_portid`` or ``eia_location_name``."""
    rows = table.select(key, "chokepoint").drop_nulls(key)
    return dict(zip(rows[key].to_list(), rows["chokepoint"].to_list()))


def shape_transits(
    frame, vintage: str, *, tanker_vintage: str, tanker_vintage_always: bool = False
):
    """PortWatch fields in the contract's columns: one mapping for the file and live recipes.

    ``frame`` holds PortWatch's ``date``, ``chokepoint`` (mapped from its portid),
    ``n_total``, ``n_tanker``, ``n_cargo``, ``capacity`` and ``capacity_tanker``. The tanker
    deadweight's vintage is ``tanker_vintage`` where it has a value (on every row with
    ``tanker_vintage_always``: the wide file's own rows).
    """
    import polars as pl

    tanker = pl.lit(tanker_vintage)
    if not tanker_vintage_always:
        tanker = pl.when(pl.col("capacity_tanker").is_not_null()).then(tanker)
    return frame.select(
        "date",
        "chokepoint",
        pl.lit(vintage).alias("vintage"),
        "n_total",
        "n_tanker",
        "n_cargo",
        pl.col("capacity").alias("capacity_dwt_t"),
        pl.col("capacity_tanker").alias("tanker_capacity_dwt_t"),
        tanker.alias("tanker_capacity_vintage"),
    ).select(TRANSITS_COLUMNS)


@recipe("chokepoint_transits_daily")
def build_chokepoint_transits_daily(raw_dir: Path) -> Built:
    """PortWatch daily transits; counts from one vintage per chokepoint, tanker DWT from the wide file.

    Hormuz, Bab el-Mandeb, Suez and Malacca take counts and all-vessel DWT
    from the long file (the newer vintage) and tanker DWT, where the wide
    file has that day, from the wide file. The Cape of Good Hope, Bosporus and
    Taiwan Strait exist only in the wide file and take everything from it.
    """
    import polars as pl

    table, table_path = read_chokepoint_table()
    long_path = raw_file(raw_dir, LONG_FILE)
    wide_path = raw_file(raw_dir, WIDE_FILE)
    long, _ = read_portwatch_long_csv(long_path)
    wide, wide_meta = read_portwatch_wide_csv(wide_path)

    with_portwatch = set(table.filter(pl.col("portwatch_portid").is_not_null())["chokepoint"])
    unknown = sorted(set(long["chokepoint"]) - with_portwatch)
    if unknown:
        raise SourceError(
            f"{long_path}: chokepoint(s) {unknown} are not PortWatch chokepoints in {table_path}"
        )
    # Wide rows have no n_cargo; it is derived as n_total - n_tanker, which is
    # PortWatch's own definition and must hold wherever both are published.
    broken = long.filter(pl.col("n_total") != pl.col("n_tanker") + pl.col("n_cargo"))
    if broken.height:
        raise SourceError(
            f"{long_path}: n_total != n_tanker + n_cargo on {broken.height} rows "
            f"(first {broken.select('date', 'chokepoint').head(3).rows()}); cannot derive n_cargo for the wide vintage"
        )
    by_portid = map_chokepoint_ids(table, "portwatch_portid")
    unknown = sorted(set(wide["portid"]) - set(by_portid))
    if unknown:
        raise SourceError(f"{wide_path}: portid(s) {unknown} not in {table_path}")
    wide = wide.with_columns(pl.col("portid").replace_strict(by_portid).alias("chokepoint"))

    long_ids = set(long["chokepoint"])
    tanker_dwt = wide.filter(pl.col("chokepoint").is_in(long_ids)).select(
        "date", "chokepoint", "capacity_tanker"
    )
    from_long = shape_transits(
        long.join(tanker_dwt, on=["date", "chokepoint"], how="left"),
        LONG_VINTAGE,
        tanker_vintage=WIDE_VINTAGE,
    )
    from_wide = shape_transits(
        wide.filter(~pl.col("chokepoint").is_in(long_ids)).with_columns(
            (pl.col("n_total") - pl.col("n_tanker")).alias("n_cargo")
        ),
        WIDE_VINTAGE,
        tanker_vintage=WIDE_VINTAGE,
        tanker_vintage_always=True,
    )
    frame = pl.concat([from_long, from_wide]).sort("date", "chokepoint")

    wide_only = sorted(set(from_wide["chokepoint"]))
    joined = from_long["tanker_capacity_dwt_t"].is_not_null().sum()
    notes = [
        f"Counts and all-vessel DWT of {', '.join(sorted(long_ids))} come from {LONG_FILE} (vintage {LONG_VINTAGE}).",
        f"Counts and DWT of {', '.join(wide_only)} come only from {WIDE_FILE} (vintage {WIDE_VINTAGE}); "
        "n_cargo there is n_total - n_tanker (PortWatch's definition, checked on every long-file row).",
        f"tanker_capacity_dwt_t of the long-vintage chokepoints is joined from the wide vintage on {joined} of "
        f"{from_long.height} rows (missing where the wide file has no row, e.g. its 2021-09-27 - 2024-06-22 gap); "
        "it belongs to that vintage's tanker count, not to n_tanker on the same row.",
        f"Columns derived by the wide file's author were not imported: {', '.join(wide_meta['ignored_columns'])}.",
    ]
    return Built(frame, [long_path, wide_path, table_path], notes)


@recipe("chokepoint_flows_annual")
def build_chokepoint_flows_annual(raw_dir: Path) -> Built:
    """EIA Table 1 to long form, with world maritime trade and world supply as per-year columns [mb/d]."""
    import polars as pl

    table, table_path = read_chokepoint_table()
    path = raw_file(raw_dir, EIA_FILE)
    raw, _ = read_eia_chokepoint_table_csv(path)
    by_name = map_chokepoint_ids(table, "eia_location_name")
    unknown = sorted(set(raw["location"]) - set(by_name) - set(TOTAL_ROWS))
    if unknown:
        raise SourceError(
            f"{path}: location(s) {unknown} are neither in {table_path} nor world totals"
        )
    missing = sorted(set(TOTAL_ROWS) - set(raw["location"]))
    if missing:
        raise SourceError(f"{path}: world total row(s) {missing} missing")
    totals = (
        raw.filter(pl.col("location").is_in(list(TOTAL_ROWS)))
        .with_columns((pl.col("location").replace_strict(TOTAL_ROWS) + "_mbd").alias("total"))
        .pivot(on="total", index="year", values="flow_mbd")
    )
    places = raw.filter(pl.col("location").is_in(list(by_name))).with_columns(
        pl.col("location").replace_strict(by_name).alias("chokepoint")
    )
    frame = (
        places.join(totals, on="year", how="left")
        .sort("year", "chokepoint")
        .select(
            "year", "chokepoint", "flow_mbd", "world_maritime_trade_mbd", "world_supply_mbd", "note"
        )
    )
    notes = [
        "EIA row labels mapped to ids through data/reference/chokepoints.csv; 'suez' is EIA's "
        "'Suez Canal and SUMED Pipeline' and 'panama' is by fiscal year (Oct-Sep).",
        "World maritime oil trade and world total oil supply are carried as per-year columns, not rows.",
    ]
    return Built(frame, [path, table_path], notes)


@live_recipe("chokepoint_transits_daily")
def live_chokepoint_transits_daily(ctx: LiveContext) -> Built:
    """PortWatch Daily_Chokepoints_Data for the chokepoints of the reference table, one vintage ``live_<date>``."""
    import polars as pl

    from oilshock.sources.portwatch import get_portwatch_chokepoints

    table, table_path = read_chokepoint_table(ctx.base_dir / "reference")
    by_portid = map_chokepoint_ids(table, "portwatch_portid")
    frame, meta = get_portwatch_chokepoints(sorted(by_portid), config=ctx.config, client=ctx.client)
    unknown = sorted(set(frame["portid"].to_list()) - set(by_portid))
    if unknown:
        raise SourceError(
            f"PortWatch: portid(s) {unknown} returned but not asked for (not in {table_path})"
        )
    vintage = f"live_{ctx.retrieved.isoformat()}"
    out = shape_transits(
        frame.with_columns(
            pl.col("portid").replace_strict(by_portid, return_dtype=pl.String).alias("chokepoint")
        ),
        vintage,
        tanker_vintage=vintage,
    ).sort("date", "chokepoint")
    found = sorted(set(out["chokepoint"].to_list()))
    notes = [
        f"IMF PortWatch ArcGIS query, {out.height} rows in {meta['pages']} page(s), vintage {vintage}; "
        f"chokepoints {', '.join(found)} (those with a portwatch_portid in {table_path.name}).",
        "Counts, n_cargo, all-vessel and tanker deadweight all come from this one pull; "
        f"{out['tanker_capacity_dwt_t'].null_count()} row(s) have no tanker deadweight (null in the service).",
    ]
    return Built(out, [table_path], notes, raw_urls=meta["raw"])
