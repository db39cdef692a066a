"""Recipes chokepoint_transits_daily and chokepoint_flows_annual."""

from __future__ import annotations

import datetime as dt
import shutil

import polars as pl
import pytest

from oilshock.errors import SourceError
from oilshock.ingest import build_dataset
from oilshock.ingest.chokepoints import (
    EIA_FILE,
    LONG_FILE,
    LONG_VINTAGE,
    WIDE_FILE,
    WIDE_VINTAGE,
    build_chokepoint_transits_daily,
)


@pytest.fixture(scope="module")
def transits(raw_dir):
    frame, files, notes = build_dataset("chokepoint_transits_daily", raw_dir)
    return frame


@pytest.fixture(scope="module")
def flows(raw_dir):
    frame, files, notes = build_dataset("chokepoint_flows_annual", raw_dir)
    return frame


def _monthly_mean(frame, chokepoint, column="n_total"):
    return (
        frame.filter(pl.col("chokepoint") == chokepoint)
        .group_by(pl.col("date").dt.truncate("1mo").alias("month"))
        .agg(pl.col(column).mean())
        .sort("month")
    )


def test_hormuz_2026_monthly_means_match_provenance(transits):
    # PROVENANCE.md section 11: Jan 71.7, Feb 89.4, Mar 4.8, Apr 8.5, May 6.5, Jun 15.1, Jul 10.8, Aug (to 16th) 3.8.
    m = _monthly_mean(transits, "hormuz").filter(pl.col("month") >= dt.date(2026, 1, 1))
    assert [round(v, 1) for v in m["n_total"]] == [71.7, 89.4, 4.8, 8.5, 6.5, 15.1, 10.8, 3.8]


def test_bab_el_mandeb_red_sea_collapse(transits):
    # PROVENANCE.md section 11: 73.7 a day in 2023, 32.3 a day in 2024.
    bab = (
        transits.filter(pl.col("chokepoint") == "bab_el_mandeb")
        .group_by(pl.col("date").dt.year().alias("y"))
        .agg(pl.col("n_total").mean())
    )
    means = dict(zip(bab["y"], bab["n_total"]))
    assert round(means[2023], 1) == 73.7
    assert round(means[2024], 1) == 32.3


def test_one_vintage_per_chokepoint(transits):
    v = transits.group_by("chokepoint").agg(pl.col("vintage").unique()).sort("chokepoint")
    assert dict(zip(v["chokepoint"], v["vintage"].to_list())) == {
        "bab_el_mandeb": [LONG_VINTAGE],
        "bosporus": [WIDE_VINTAGE],
        "cape_of_good_hope": [WIDE_VINTAGE],
        "hormuz": [LONG_VINTAGE],
        "malacca": [LONG_VINTAGE],
        "suez": [LONG_VINTAGE],
        "taiwan_strait": [WIDE_VINTAGE],
    }


def test_counts_from_long_tanker_dwt_from_wide(transits):
    # 2019-01-01 Hormuz: long file 66 total / 42 tankers; the wide file (55 / 35) supplies only tanker DWT.
    row = transits.filter(
        pl.col("chokepoint") == "hormuz", pl.col("date") == dt.date(2019, 1, 1)
    ).row(0, named=True)
    assert (row["n_total"], row["n_tanker"], row["n_cargo"]) == (66, 42, 24)
    assert row["capacity_dwt_t"] == 3026901.0
    assert row["tanker_capacity_dwt_t"] == 2919371.0
    assert row["tanker_capacity_vintage"] == WIDE_VINTAGE


def test_wide_only_chokepoints_keep_the_gap(transits):
    cape = transits.filter(pl.col("chokepoint") == "cape_of_good_hope")
    assert cape.height == 1701
    row = cape.row(0, named=True)
    assert (row["date"], row["n_total"], row["n_tanker"], row["n_cargo"]) == (
        dt.date(2019, 1, 1),
        48,
        11,
        37,
    )
    in_gap = cape.filter(pl.col("date").is_between(dt.date(2021, 9, 27), dt.date(2024, 6, 22)))
    assert in_gap.height == 0
    # Long-vintage rows in the wide file's gap have counts but no tanker DWT.
    hz_gap = transits.filter(
        pl.col("chokepoint") == "hormuz", pl.col("date") == dt.date(2023, 1, 1)
    ).row(0, named=True)
    assert hz_gap["tanker_capacity_dwt_t"] is None and hz_gap["tanker_capacity_vintage"] is None


def test_no_derived_columns(transits):
    assert not [
        c for c in transits.columns if any(k in c for k in ("ma7", "zscore", "blocked", "signal"))
    ]


def test_flows_match_eia_table(flows):
    hz = flows.filter(pl.col("chokepoint") == "hormuz").sort("year")
    assert hz["year"].to_list() == [2018, 2019, 2020, 2021, 2022, 2023]
    assert hz["flow_mbd"].to_list() == [21.4, 20.0, 18.4, 19.0, 21.1, 20.9]
    bab = flows.filter(pl.col("chokepoint") == "bab_el_mandeb").sort("year")
    assert bab["flow_mbd"].to_list() == [6.4, 6.0, 5.2, 5.4, 7.5, 8.6]
    y23 = flows.filter(pl.col("year") == 2023, pl.col("chokepoint") == "hormuz").row(0, named=True)
    assert (y23["world_maritime_trade_mbd"], y23["world_supply_mbd"]) == (77.5, 101.9)
    # literature.md section 1a own calc: Hormuz 20.5% of world supply in 2023.
    assert round(100 * y23["flow_mbd"] / y23["world_supply_mbd"], 1) == 20.5
    assert flows.height == 8 * 6
    panama = flows.filter(pl.col("chokepoint") == "panama")["note"].unique().to_list()
    assert panama == ["Fiscal year (October 1 to September 30)"]


def _fixture_raw(
    tmp_path,
    fixtures_dir,
    long_name="daily_chokepoints_long.csv",
    wide_name="daily_chokepoints_wide.csv",
):
    d = tmp_path / "imf_portwatch_chokepoints"
    d.mkdir()
    shutil.copyfile(fixtures_dir / "portwatch" / long_name, tmp_path / LONG_FILE)
    shutil.copyfile(fixtures_dir / "portwatch" / wide_name, tmp_path / WIDE_FILE)
    return tmp_path


def test_recipe_on_fixtures_joins_tanker_dwt_only(tmp_path, fixtures_dir):
    built = build_chokepoint_transits_daily(_fixture_raw(tmp_path, fixtures_dir))
    f = built.frame
    hz = f.filter(pl.col("chokepoint") == "hormuz").sort("date")
    assert hz["n_total"].to_list() == [88, 3]  # long vintage, not the wide file's 80 and 3
    assert hz["tanker_capacity_dwt_t"].to_list() == [2100000.0, 95000.0]
    assert f.filter(pl.col("chokepoint") == "suez")["tanker_capacity_dwt_t"].to_list() == [None]
    cape = f.filter(pl.col("chokepoint") == "cape_of_good_hope").sort("date")
    assert cape["n_cargo"].to_list() == [50, 53]
    assert set(cape["vintage"]) == {WIDE_VINTAGE}


def test_recipe_refuses_long_rows_that_break_the_cargo_identity(tmp_path, fixtures_dir):
    raw = _fixture_raw(tmp_path, fixtures_dir)
    (raw / LONG_FILE).write_text(
        "date,chokepoint,n_total,n_tanker,n_cargo,capacity\n2026-02-27,hormuz,90,47,41,4410218\n"
    )
    with pytest.raises(SourceError, match="n_total != n_tanker \\+ n_cargo"):
        build_chokepoint_transits_daily(raw)


def test_recipe_refuses_unknown_portid(tmp_path, fixtures_dir):
    raw = _fixture_raw(tmp_path, fixtures_dir)
    (raw / WIDE_FILE).write_text(
        "date,cp99_tanker,cp99_total,cp99_cap_tanker,cp99_cap_total\n2026-02-27,1,2,3,4\n"
    )
    with pytest.raises(SourceError, match="chokepoint99"):
        build_chokepoint_transits_daily(raw)


def test_flows_recipe_refuses_unknown_location(tmp_path):
    (tmp_path / EIA_FILE).parent.mkdir(parents=True)
    (tmp_path / EIA_FILE).write_text(
        "location,2023,note\nStrait of Gibraltar,1.0,\nWorld maritime oil trade,77.5,\nWorld total oil supply,101.9,\n"
    )
    from oilshock.ingest.chokepoints import build_chokepoint_flows_annual

    with pytest.raises(SourceError, match="Strait of Gibraltar"):
        build_chokepoint_flows_annual(tmp_path)
