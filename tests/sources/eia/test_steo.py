"""Parser for STEO vintages (wide by month)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from oilshock.errors import SourceError
from oilshock.sources.eia.steo import (
    parse_steo_vintages_csv,
    read_steo_vintages_csv,
    select_steo_history,
)


def test_steo_long_layout(fixtures_dir):
    frame, meta = read_steo_vintages_csv(fixtures_dir / "eia" / "steo_vintages_wide.csv")
    assert frame.columns == ["series_id", "name", "vintage", "uom", "date", "value"]
    assert frame.height == 14 * 6
    assert meta["vintages"] == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    v = frame.filter(
        (pl.col("series_id") == "BREPUUS")
        & (pl.col("vintage") == dt.date(2026, 3, 1))
        & (pl.col("date") == dt.date(2026, 3, 1))
    )
    assert v["value"].item() == 99.0
    # Blank cells (months outside a vintage's window) are null, not dropped.
    assert frame.filter(pl.col("date") == dt.date(2021, 12, 1))["value"].null_count() == 14


def test_steo_bad_value(fixtures_dir):
    with pytest.raises(SourceError, match=r"'2026-02'.*'--'.*\[1\]"):
        read_steo_vintages_csv(fixtures_dir / "eia" / "steo_vintages_wide_bad.csv")


def test_steo_bad_month_header():
    with pytest.raises(SourceError, match="YYYY-MM"):
        parse_steo_vintages_csv(
            "id,name,release_date,uom,Jan 2026\nX,x,2026-03,usd/gal,1\n", "s.csv"
        )


def test_steo_duplicate_vintage():
    text = "id,name,release_date,uom,2026-01\nX,x,2026-03,usd/gal,1\nX,x,2026-03,usd/gal,2\n"
    with pytest.raises(SourceError, match="repeated"):
        parse_steo_vintages_csv(text, "s.csv")


def test_select_history_drops_forecasts_and_keeps_latest_vintage(fixtures_dir):
    frame, _ = read_steo_vintages_csv(fixtures_dir / "eia" / "steo_vintages_wide.csv")
    hist = select_steo_history(frame)
    assert hist.columns == frame.columns
    us = hist.filter(pl.col("series_id") == "MGRARUS_$")
    # 2026-03 is a forecast in both vintages; 2021-12 is blank; 2026-02 comes from the Mar vintage.
    assert us["date"].to_list() == [
        dt.date(2022, 1, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
    assert us["value"].to_list()[-1] == 2.9075
    assert us["vintage"].unique().to_list() == [dt.date(2026, 3, 1)]


def test_select_history_earlier_vintage_fills_when_later_lacks_month():
    text = (
        "id,name,release_date,uom,2026-01,2026-02\n"
        "X,x,2026-02,usd/gal,1.0,9.0\n"
        "X,x,2026-03,usd/gal,,2.0\n"
    )
    frame, _ = parse_steo_vintages_csv(text, "s.csv")
    hist = select_steo_history(frame)
    assert hist.select("date", "vintage", "value").rows() == [
        (dt.date(2026, 1, 1), dt.date(2026, 2, 1), 1.0),
        (dt.date(2026, 2, 1), dt.date(2026, 3, 1), 2.0),
    ]
