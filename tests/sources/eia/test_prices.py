"""Parsers for EIA price tables (datahub CSV, weekly/monthly retail, wide daily sheets)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from oilshock.errors import SourceError
from oilshock.sources.eia.prices import (
    parse_datahub_price_csv,
    parse_series_catalog_csv,
    parse_weekly_retail_gasoline_csv,
    parse_wide_daily_csv,
    read_datahub_price_csv,
    read_monthly_retail_long_csv,
    read_series_catalog_csv,
    read_weekly_retail_gasoline_csv,
    read_wide_daily_csv,
)


@pytest.fixture
def eia(fixtures_dir):
    return fixtures_dir / "eia"


def test_datahub_keeps_negative_wti(eia):
    frame, meta = read_datahub_price_csv(eia / "datahub_wti_daily.csv")
    assert frame.schema == {"date": pl.Date, "price": pl.Float64}
    assert frame.height == 5
    row = frame.filter(pl.col("date") == dt.date(2020, 4, 20))
    assert row["price"].item() == -36.98
    assert meta["layout"] == "datahub oil-prices"


def test_datahub_bad_value_names_file_column_row(eia):
    path = eia / "datahub_wti_daily_bad.csv"
    with pytest.raises(
        SourceError, match=r"datahub_wti_daily_bad\.csv.*'Price'.*'8\.91 USD'.*\[2\]"
    ):
        read_datahub_price_csv(path)


def test_datahub_missing_column():
    with pytest.raises(SourceError, match="expected column"):
        parse_datahub_price_csv("Date,Value\n2020-01-02,1\n", source="x.csv")


def test_weekly_retail_blank_weeks_are_null(eia):
    frame, meta = read_weekly_retail_gasoline_csv(eia / "weekly_retail_gasoline.csv")
    assert frame.columns == ["date", "series_id", "usd_per_gal"]
    assert frame.height == 7
    assert frame["usd_per_gal"].null_count() == 2
    assert frame["date"][0] == dt.date(1990, 12, 3)
    assert frame.filter(pl.col("series_id") == "EMM_EPM0_PTE_NUS_DPG")["usd_per_gal"].to_list() == [
        4.141,
        4.182,
    ]
    assert meta["series_ids"] == ["EMM_EPMR_PTE_NUS_DPG", "EMM_EPM0_PTE_NUS_DPG"]


def test_weekly_retail_rejects_unpublished_marker(eia):
    # EIA's missing marker is a blank cell; "NA" is not one of EIA's markers here.
    with pytest.raises(SourceError, match=r"'dollars_per_gallon'.*'NA'.*\[1\]"):
        read_weekly_retail_gasoline_csv(eia / "weekly_retail_gasoline_bad.csv")


def test_weekly_retail_blank_series_id_is_error():
    with pytest.raises(SourceError, match="'series' is empty at data rows \\[0\\]"):
        parse_weekly_retail_gasoline_csv(
            "week_ending,series,dollars_per_gallon\n2026-08-17,,4.049\n", "w.csv"
        )


def test_monthly_long_dates_are_first_of_month(eia):
    frame, meta = read_monthly_retail_long_csv(eia / "monthly_retail_long.csv")
    assert frame.columns == ["date", "file_region", "series_id", "usd_per_gal"]
    assert frame["date"].to_list()[:2] == [dt.date(2022, 10, 1), dt.date(2022, 9, 1)]
    assert frame.filter(pl.col("series_id") == "EMM_EPMR_PTE_R20_DPG")["usd_per_gal"].to_list() == [
        3.59,
        3.744,
    ]
    assert "EMD_EPD2DXL0_PTE_SCA_DPG" in meta["series_ids"]


def test_monthly_long_bad_date(eia):
    with pytest.raises(SourceError, match=r"'date'.*%Y-%m.*'2022/10'.*\[1\]"):
        read_monthly_retail_long_csv(eia / "monthly_retail_long_bad.csv")


def test_series_catalog(eia):
    frame, _ = read_series_catalog_csv(eia / "series_catalog.csv")
    assert frame["release_date"].unique().to_list() == [dt.date(2022, 11, 21)]
    assert frame["series_name"][1].endswith("(Dollars per Gallon)")


def test_series_catalog_bad_release_date():
    text = "file_region,eia_file,release_date,sourcekey,series_name\nca,f.xls,2022-11-21,K,N\n"
    with pytest.raises(SourceError, match="'release_date'"):
        parse_series_catalog_csv(text, "cat.csv")


def test_wide_daily_blank_is_no_quote(eia):
    frame, meta = read_wide_daily_csv(eia / "spot_prices_daily_wide.csv")
    assert meta["series_ids"][:3] == ["RWTC", "RBRTE", "EER_EPMRU_PF4_Y35NY_DPG"]
    assert frame.height == 4
    la = frame["EER_EPMRR_PF4_Y05LA_DPG"]
    assert la[0] is None and la[1] == 1.51 and la[3] == 2.36
    assert frame["date"][-1] == dt.date(2025, 6, 16)


def test_wide_daily_futures(eia):
    frame, _ = read_wide_daily_csv(eia / "futures_prices_daily_wide.csv")
    assert frame["EER_EPMRR_PE1_Y35NY_DPG"].to_list() == [None, 1.889, 2.669]


def test_wide_daily_bad_value(eia):
    with pytest.raises(SourceError, match=r"'EER_EPMRU_PF4_RGC_DPG'.*'#N/A'.*\[1\]"):
        read_wide_daily_csv(eia / "spot_prices_daily_wide_bad.csv")


def test_wide_daily_needs_series():
    with pytest.raises(SourceError, match="no series columns"):
        parse_wide_daily_csv("date\n2025-06-16\n", "w.csv")


def test_unreadable_csv():
    with pytest.raises(SourceError, match="not a readable CSV"):
        parse_wide_daily_csv(b'date,A\n2025-06-16,"1\n', "broken.csv")
