"""Macro recipes on the real raw files: known values from PROVENANCE.md, overlaps, splice rules."""

from __future__ import annotations

import datetime as dt
import shutil

import polars as pl
import pytest

from oilshock.data.contracts import validate
from oilshock.errors import SourceError
from oilshock.ingest import build_dataset
from oilshock.ingest.macro import WEEKLY_STOCKS, WPSR, build_spr_stocks_weekly
from oilshock.sources.bls import read_bls_series_csv
from oilshock.sources.eia.supply import read_eia_wide_csv
from oilshock.sources.fred import read_fred_csv, read_fred_md_csv

D = dt.date


def value(frame, column, **where):
    rows = frame
    for k, v in where.items():
        rows = rows.filter(pl.col(k) == v)
    assert rows.height == 1, where
    return rows[column][0]


@pytest.fixture(scope="module")
def built(raw_dir):
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = build_dataset(name, raw_dir)
        return cache[name]

    return get


def test_spr_known_values(built):
    frame, raw_files, notes = built("spr_stocks_weekly")
    assert value(frame, "spr_crude_stocks_kb", date=D(1982, 8, 20)) == 270455
    assert value(frame, "spr_crude_stocks_kb", date=D(2014, 12, 26)) == 690963
    assert value(frame, "spr_crude_stocks_kb", date=D(2022, 3, 4)) == 577496
    assert value(frame, "spr_crude_stocks_kb", date=D(2026, 2, 27)) == 415441
    assert value(frame, "source_series", date=D(2014, 12, 19)) == "eia_wstk:WCSSTUS1"
    assert value(frame, "source_series", date=D(2014, 12, 26)) == "eia_wpsr:WCSSTUS1"
    assert frame["date"].max() == D(2026, 2, 27)
    assert len(raw_files) == 2


def test_spr_files_agree_on_overlap(raw_dir):
    old, _ = read_eia_wide_csv(raw_dir / WEEKLY_STOCKS, series=["WCSSTUS1"], frequency="weekly")
    new, _ = read_eia_wide_csv(
        raw_dir / WPSR, series=["WCSSTUS1"], frequency="weekly", date_column="period"
    )
    shared = old.join(new, on="date", suffix="_wpsr")
    assert shared["date"].min() == D(2014, 12, 26)
    assert shared["date"].max() == D(2022, 3, 4)
    assert shared.height == 376
    assert (shared["WCSSTUS1"] == shared["WCSSTUS1_wpsr"]).all()


def test_spr_disagreement_stops_the_build(tmp_path):
    stocks = tmp_path / WEEKLY_STOCKS
    stocks.parent.mkdir(parents=True)
    stocks.write_text("date,WCSSTUS1\n2014-12-19,691000\n2014-12-26,690963\n2015-01-02,690961\n")
    (tmp_path / WPSR).write_text("period,WCSSTUS1\n2014-12-26,690963.0\n2015-01-02,690000.0\n")
    with pytest.raises(SourceError, match=r"differs on 1 shared weeks.*2015-01-02"):
        build_spr_stocks_weekly(tmp_path)
    (tmp_path / WPSR).write_text("period,WCSSTUS1\n2014-12-26,690963.0\n2015-01-02,690961.0\n")
    frame = build_spr_stocks_weekly(tmp_path).frame
    validate(frame, "spr_stocks_weekly")
    assert frame["source_series"].to_list() == [
        "eia_wstk:WCSSTUS1",
        "eia_wpsr:WCSSTUS1",
        "eia_wpsr:WCSSTUS1",
    ]


def test_gasoline_demand_known_values(built):
    frame, _, _ = built("us_gasoline_demand")
    assert (
        value(frame, "gasoline_product_supplied_kbd", series_id="WGFUPUS2", date=D(2014, 12, 26))
        == 9614
    )
    assert (
        value(frame, "gasoline_product_supplied_kbd", series_id="WGFUPUS2", date=D(2026, 2, 27))
        == 8292
    )
    assert (
        value(frame, "gasoline_product_supplied_kbd", series_id="MGFUPUS2", date=D(2022, 4, 1))
        == 8754
    )
    monthly = frame.filter(pl.col("series_id") == "MGFUPUS2")
    assert monthly["date"].min() == D(1945, 1, 1)
    assert monthly.height == (2022 - 1945) * 12 + 4  # every month present, none dropped
    assert (
        frame["frequency"]
        == frame["series_id"].replace_strict({"MGFUPUS2": "monthly", "WGFUPUS2": "weekly"})
    ).all()


def test_cpi_known_values_and_source_switch(built):
    frame, _, notes = built("cpi_monthly")
    cpi = frame.filter(pl.col("series_id") == "CPIAUCSL")
    assert value(cpi, "cpi_index_1982_84", date=D(1959, 1, 1)) == 29.01
    assert value(cpi, "source_series", date=D(1996, 12, 1)) == "fred_md_2025-08:CPIAUCSL"
    assert value(cpi, "source_series", date=D(1997, 1, 1)) == "fred:CPIAUCSL"
    assert value(cpi, "cpi_index_1982_84", date=D(1997, 1, 1)) == 159.4
    # October 2025 is "." in FRED: the row is kept, with a null index.
    assert value(cpi, "cpi_index_1982_84", date=D(2025, 10, 1)) is None
    assert cpi["cpi_index_1982_84"].null_count() == 1
    assert cpi.height == (2026 - 1959) * 12 + 7
    assert any("2025-10-01" in n for n in notes)
    gas = frame.filter(pl.col("series_id") == "CUSR0000SETB01")
    assert gas["date"].min() == D(1997, 1, 1) and gas["date"].max() == D(2026, 7, 1)
    assert value(gas, "cpi_index_1982_84", date=D(1997, 1, 1)) == 110.6


def test_fred_md_and_fred_cpi_agree_within_tolerance(raw_dir):
    """Different vintages (seasonal factors are re-estimated yearly): within 0.1% on every shared month."""
    md, _ = read_fred_md_csv(
        raw_dir / "fred_md/fred_md_monthly_1959_2025-08.csv", columns=["CPIAUCSL"]
    )
    fred, _ = read_fred_csv(raw_dir / "us_cpi/fred_CPIAUCSL_1997_2026.csv", series_id="CPIAUCSL")
    shared = md.join(fred, on="date").drop_nulls()
    assert (
        shared.height == 344
    )  # 1997-01 .. 2025-08 less the unpublished 2025-10 (after 2025-08 anyway)
    rel = (shared["CPIAUCSL"] / shared["value"] - 1).abs()
    assert rel.max() < 0.001
    assert value(md, "CPIAUCSL", date=D(2025, 8, 1)) == 323.364


def test_fred_cpi_equals_bls_all_items(raw_dir):
    fred, _ = read_fred_csv(raw_dir / "us_cpi/fred_CPIAUCSL_1997_2026.csv")
    bls, _ = read_bls_series_csv(
        raw_dir / "us_cpi/bls_cpi_u_selected_series_1997_2026.csv", series_ids=["CUSR0000SA0"]
    )
    shared = fred.join(bls, on="date", suffix="_bls")
    assert shared.height == 355
    assert shared.filter(pl.col("value").is_null())["date"].to_list() == [D(2025, 10, 1)]
    assert shared["value_bls"].null_count() == 1
    assert (shared.drop_nulls()["value"] == shared.drop_nulls()["value_bls"]).all()


def test_world_supply_series_and_exclusions(built):
    frame, _, notes = built("world_oil_supply_monthly")
    intl = frame.filter(pl.col("series") == "eia_intl_crude_incl_condensate")
    assert intl["date"].min() == D(1992, 1, 1)  # broken pre-1992 totals excluded
    assert intl["date"].max() == D(2023, 10, 1)
    assert intl["value_kbd"].min() > 55000
    kanzig = frame.filter(pl.col("series") == "kanzig_eia1955")
    assert kanzig["date"].min() == D(1973, 12, 1) and kanzig["date"].max() == D(2017, 12, 1)
    assert value(kanzig, "value_kbd", date=D(1973, 12, 1)) == 54277.0
    steo = frame.filter(pl.col("series") == "steo_papr_world")
    assert steo["date"].min() == D(2023, 11, 1)
    # PROVENANCE: Mar-2026 vintage, world production 107.9 mb/d in Feb 2026, 101.8 in Mar 2026
    # (the latter is the release month itself, so not history).
    assert value(steo, "value_kbd", date=D(2026, 2, 1)) == pytest.approx(107879.49712)
    assert value(steo, "source_series", date=D(2026, 2, 1)) == "steo_2026-03:PAPR_WORLD"
    assert steo["date"].max() == D(2026, 2, 1)


def test_world_supply_series_overlap_within_documented_band(built):
    """PROVENANCE: for 1992–2017 EIA INTL and Känzig EIA1955 differ by −2.4% to +2.4%."""
    frame, _, _ = built("world_oil_supply_monthly")
    wide = frame.pivot(on="series", index="date", values="value_kbd").drop_nulls(
        ["eia_intl_crude_incl_condensate", "kanzig_eia1955"]
    )
    assert wide.height == (2017 - 1992 + 1) * 12
    rel = wide["eia_intl_crude_incl_condensate"] / wide["kanzig_eia1955"] - 1
    assert -0.025 < rel.min() < -0.02 and 0.02 < rel.max() < 0.025


def test_shock_series_samples(built):
    frame, _, _ = built("oil_supply_shocks_monthly")
    spans = {
        r["series"]: (r["first"], r["last"], r["n"])
        for r in frame.group_by("series")
        .agg(first=pl.col("date").min(), last=pl.col("date").max(), n=pl.len())
        .iter_rows(named=True)
    }
    assert spans == {
        "kanzig2021_oil_supply_news_shock": (D(1975, 1, 1), D(2024, 12, 1), 600),
        "kanzig2021_oil_supply_surprise": (D(1975, 1, 1), D(2024, 12, 1), 600),
        "bh2019_oil_supply": (D(1975, 2, 1), D(2017, 12, 1), 515),
        "kilian2009_oil_supply": (D(1975, 2, 1), D(2007, 12, 1), 395),
        "kilian2009_aggregate_demand": (D(1975, 2, 1), D(2007, 12, 1), 395),
        "kilian2009_oil_specific_demand": (D(1975, 2, 1), D(2007, 12, 1), 395),
        "hamilton_net_oil_price_increase": (D(1977, 1, 1), D(2017, 12, 1), 492),
    }
    news = frame.filter(pl.col("series") == "kanzig2021_oil_supply_news_shock")
    assert value(news, "value", date=D(1975, 1, 1)) == pytest.approx(-0.2841880184791891)
    assert value(
        frame.filter(pl.col("series") == "bh2019_oil_supply"), "value", date=D(1975, 2, 1)
    ) == pytest.approx(-2.71724733258664)
    assert frame.filter(pl.col("series") == "hamilton_net_oil_price_increase")["value"].min() >= 0


def test_gap_inside_a_shock_sample_stops_the_build(tmp_path, fixtures_dir):
    from oilshock.ingest.macro import (
        KANZIG_NEWS,
        LITERATURE_SHOCKS,
        build_oil_supply_shocks_monthly,
    )

    (tmp_path / KANZIG_NEWS).parent.mkdir(parents=True)
    shutil.copyfile(
        fixtures_dir / "research" / "oil_supply_news_shocks_monthly.csv", tmp_path / KANZIG_NEWS
    )
    shutil.copyfile(
        fixtures_dir / "research" / "literature_shock_series_monthly_gap.csv",
        tmp_path / LITERATURE_SHOCKS,
    )
    with pytest.raises(
        SourceError, match=r"'BHsupply' is blank inside its span at \['1975-03-01'\]"
    ):
        build_oil_supply_shocks_monthly(tmp_path)


@pytest.mark.parametrize(
    ("name", "rows"),
    [("us_households", 2), ("household_gasoline_spending", 6), ("gasoline_taxes", 13)],
)
def test_reference_tables_meet_their_contracts(name, rows):
    frame, files, _ = build_dataset(name, raw_dir=None)
    assert frame.height == rows
    assert files[0].name == f"{name}.csv"


def test_reference_values_as_in_literature():
    taxes, _, _ = build_dataset("gasoline_taxes", raw_dir=None)
    assert (
        value(taxes, "tax_cents_per_gal", year=2024, jurisdiction="federal", fuel="gasoline")
        == 18.40
    )
    assert (
        value(taxes, "tax_cents_per_gal", year=2024, jurisdiction="state_average", fuel="gasoline")
        == 32.61
    )
    assert (
        value(taxes, "tax_cents_per_gal", year=2024, jurisdiction="state_ca", fuel="gasoline")
        == 69.82
    )
    hh, _, _ = build_dataset("us_households", raw_dir=None)
    assert value(hh, "households", year=2024, survey="acs_1year") == 132737146
    spend, _, _ = build_dataset("household_gasoline_spending", raw_dir=None)
    assert value(spend, "usd_per_year", year=2024) == 2645
