"""EIA wide series tables, world production CSV and STEO history in kb/d."""

from __future__ import annotations

import datetime as dt

import pytest

from oilshock.errors import SourceError
from oilshock.sources.eia.steo import read_steo_vintages_csv
from oilshock.sources.eia.supply import (
    parse_eia_wide_csv,
    read_eia_wide_csv,
    read_world_production_csv,
    steo_history_kbd,
)


def test_monthly_table(fixtures_dir):
    frame, meta = read_eia_wide_csv(
        fixtures_dir / "eia" / "product_supplied_monthly_wide.csv",
        series=["MGFUPUS2"],
        frequency="monthly",
    )
    assert frame.columns == ["date", "MGFUPUS2"]
    assert frame["date"].to_list()[1] == dt.date(1945, 1, 1)
    assert frame["MGFUPUS2"].to_list() == [None, 1300.0, 8856.0, 8754.0]
    assert meta["frequency"] == "monthly"


def test_monthly_bad_value_raises(fixtures_dir):
    with pytest.raises(SourceError, match=r"'MGFUPUS2'.*8,754.*\[1\]"):
        read_eia_wide_csv(
            fixtures_dir / "eia" / "product_supplied_monthly_wide_bad.csv",
            series=["MGFUPUS2"],
            frequency="monthly",
        )


def test_wpsr_weekly(fixtures_dir):
    frame, _ = read_eia_wide_csv(
        fixtures_dir / "eia" / "wpsr_weekly_wide.csv",
        series=["WCSSTUS1", "WGFUPUS2"],
        frequency="weekly",
        date_column="period",
    )
    assert frame.row(0) == (dt.date(2014, 12, 26), 690963.0, 9614.0)
    assert frame.row(-1) == (dt.date(2026, 2, 27), 415441.0, 8292.0)


def test_republisher_columns_are_not_read_as_eia_data(fixtures_dir):
    with pytest.raises(SourceError, match="gasolineYieldUS.*not EIA series ids"):
        read_eia_wide_csv(
            fixtures_dir / "eia" / "wpsr_weekly_wide.csv",
            series=["gasolineYieldUS"],
            frequency="weekly",
            date_column="period",
        )


def test_weekly_date_must_be_friday(fixtures_dir):
    with pytest.raises(SourceError, match=r"not Fridays.*2014-12-29.*\[1\]"):
        read_eia_wide_csv(
            fixtures_dir / "eia" / "wpsr_weekly_wide_not_friday.csv",
            series=["WCSSTUS1"],
            frequency="weekly",
            date_column="period",
        )


def test_missing_series_column_raises(fixtures_dir):
    with pytest.raises(SourceError, match="WCSSTUS1"):
        read_eia_wide_csv(
            fixtures_dir / "eia" / "product_supplied_monthly_wide.csv",
            series=["WCSSTUS1"],
            frequency="monthly",
        )


def test_weekly_stocks_workbook_layout(fixtures_dir):
    frame, _ = read_eia_wide_csv(
        fixtures_dir / "eia" / "weekly_stocks_wide.csv", series=["WCSSTUS1"], frequency="weekly"
    )
    assert frame["WCSSTUS1"].to_list() == [270455.0, 272603.0, 577496.0]


def test_unknown_frequency():
    with pytest.raises(ValueError):
        parse_eia_wide_csv("date,X\n", series=["X"], frequency="daily")


def test_world_production(fixtures_dir):
    frame, meta = read_world_production_csv(fixtures_dir / "eia" / "world_crude_production.csv")
    assert meta["series_id"] == "INTL.57-1-WORL-TBPD.M"
    assert frame.row(1) == (dt.date(1992, 1, 1), 60422.412)


def test_world_production_bad_month_raises(fixtures_dir):
    with pytest.raises(SourceError, match=r"'month'.*1992-13"):
        read_world_production_csv(fixtures_dir / "eia" / "world_crude_production_bad.csv")


def test_steo_history_is_before_release_latest_vintage_in_kbd(fixtures_dir):
    steo, _ = read_steo_vintages_csv(fixtures_dir / "eia" / "steo_papr_world.csv")
    hist = steo_history_kbd(steo.filter(steo["series_id"] == "PAPR_WORLD"))
    got = {(r["date"], r["vintage"]): r["value_kbd"] for r in hist.iter_rows(named=True)}
    # 2021-01 only in the Dec-2025 vintage; 2026-01 and 2026-02 from the Mar-2026 vintage;
    # 2026-03 is the Mar vintage's own release month (an estimate), so absent.
    assert got == {
        (dt.date(2021, 1, 1), dt.date(2025, 12, 1)): pytest.approx(93670.678882),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 1)): pytest.approx(105987.59205),
        (dt.date(2026, 2, 1), dt.date(2026, 3, 1)): pytest.approx(107879.49712),
    }


def test_steo_unit_without_conversion_raises(fixtures_dir):
    steo, _ = read_steo_vintages_csv(fixtures_dir / "eia" / "steo_papr_world.csv")
    with pytest.raises(SourceError, match="usd/bbl"):
        steo_history_kbd(steo)
