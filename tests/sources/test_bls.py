"""BLS series table (flattened API v2 layout)."""

from __future__ import annotations

import datetime as dt

import pytest

from oilshock.errors import SourceError
from oilshock.sources.bls import read_bls_series_csv


def test_parses_months_and_dash_is_missing(fixtures_dir):
    frame, meta = read_bls_series_csv(fixtures_dir / "bls" / "cpi_series.csv")
    assert frame.columns == ["series_id", "date", "value", "footnotes"]
    sa0 = frame.filter(frame["series_id"] == "CUSR0000SA0")
    assert sa0["date"].to_list() == [
        dt.date(2025, 9, 1),
        dt.date(2025, 10, 1),
        dt.date(2025, 11, 1),
    ]
    assert sa0["value"].to_list() == [324.245, None, 325.063]
    assert "lapse in appropriations" in sa0["footnotes"][1]
    assert sa0["footnotes"][0] is None
    assert meta["missing"] == 1


def test_series_filter(fixtures_dir):
    frame, meta = read_bls_series_csv(
        fixtures_dir / "bls" / "cpi_series.csv", series_ids=["CUSR0000SETB01"]
    )
    assert meta["series_ids"] == ["CUSR0000SETB01"]
    assert frame["value"].to_list() == [276.0, 276.991]


def test_absent_series_is_refused(fixtures_dir):
    with pytest.raises(SourceError, match="CUUR0000SA0"):
        read_bls_series_csv(fixtures_dir / "bls" / "cpi_series.csv", series_ids=["CUUR0000SA0"])


def test_bad_value_raises(fixtures_dir):
    with pytest.raises(SourceError, match=r"cpi_series_bad\.csv.*'value'.*'NA'.*\[1\]"):
        read_bls_series_csv(fixtures_dir / "bls" / "cpi_series_bad.csv")


def test_annual_average_period_is_refused_not_dropped(fixtures_dir):
    with pytest.raises(SourceError, match=r"'period'.*M13"):
        read_bls_series_csv(fixtures_dir / "bls" / "cpi_series_annual.csv")
