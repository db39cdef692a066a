"""FRED single-series CSV (current and legacy download headers, saved copies) and FRED-MD."""

from __future__ import annotations

import datetime as dt

import pytest

from oilshock.errors import SourceError
from oilshock.sources.fred import parse_fred_csv, parse_fred_md_csv, read_fred_csv, read_fred_md_csv


@pytest.mark.parametrize(
    ("name", "header"),
    [("GASREGW_current.csv", "observation_date"), ("GASREGW_legacy.csv", "DATE")],
)
def test_both_download_headers_parse_and_dot_is_missing(fixtures_dir, name, header):
    frame, meta = read_fred_csv(fixtures_dir / "fred" / name, series_id="GASREGW")
    assert meta["series_id"] == "GASREGW"
    assert meta["date_header"] == header
    assert frame.columns == ["date", "value"]
    assert frame["date"][0] == dt.date(1990, 12, 3)
    assert frame["value"][0] == pytest.approx(1.325)
    assert frame["value"][1] is None  # "." kept as a null row, not dropped
    assert frame["date"][-1] == dt.date(2026, 3, 2)
    assert frame["value"][-1] == pytest.approx(3.02)


def test_empty_cell_in_current_download_is_missing(fixtures_dir):
    frame, _ = read_fred_csv(fixtures_dir / "fred" / "GASREGW_current.csv")
    assert frame.height == 4
    assert frame["value"].null_count() == 2


def test_saved_copy_takes_the_series_id_from_the_caller(fixtures_dir):
    frame, meta = read_fred_csv(fixtures_dir / "fred" / "CPIAUCSL_copy.csv", series_id="CPIAUCSL")
    assert meta["series_id"] == "CPIAUCSL"
    assert frame["value"].to_list() == [324.245, None, 325.063]


def test_bad_value_names_file_column_and_row(fixtures_dir):
    path = fixtures_dir / "fred" / "GASREGW_bad.csv"
    with pytest.raises(SourceError, match=r"GASREGW_bad\.csv.*'GASREGW'.*n/a.*\[1\]"):
        read_fred_csv(path)


def test_other_series_than_expected_is_refused(fixtures_dir):
    with pytest.raises(SourceError, match="holds series 'GASREGW', expected 'DCOILWTICO'"):
        read_fred_csv(fixtures_dir / "fred" / "GASREGW_current.csv", series_id="DCOILWTICO")


@pytest.mark.parametrize(
    "text",
    ["when,GASREGW\n2020-01-06,2.5\n", "observation_date,A,B\n2020-01-06,1,2\n"],
)
def test_unknown_layouts_are_refused(text):
    with pytest.raises(SourceError, match="expected a FRED CSV"):
        parse_fred_csv(text, "x.csv")


def test_bad_date_is_refused():
    with pytest.raises(SourceError, match="not dates"):
        parse_fred_csv("observation_date,GASREGW\n2020-13-06,2.5\n", "x.csv")


def test_fred_md_skips_transform_row_and_keeps_codes(fixtures_dir):
    frame, meta = read_fred_md_csv(
        fixtures_dir / "fred" / "fred_md_small.csv", columns=["CPIAUCSL", "OILPRICEx"]
    )
    assert frame.columns == ["date", "CPIAUCSL", "OILPRICEx"]
    assert frame["date"].to_list() == [
        dt.date(1959, 1, 1),
        dt.date(1959, 2, 1),
        dt.date(1959, 3, 1),
    ]
    assert frame["CPIAUCSL"].to_list() == [29.01, 29.0, 28.97]
    assert frame["OILPRICEx"][2] is None
    assert meta["transform"] == {"CPIAUCSL": "6", "OILPRICEx": "6"}


def test_fred_md_bad_value_raises(fixtures_dir):
    with pytest.raises(SourceError, match=r"'CPIAUCSL'.*29\.\.0"):
        read_fred_md_csv(fixtures_dir / "fred" / "fred_md_small_bad.csv")


def test_fred_md_without_transform_row_is_refused():
    with pytest.raises(SourceError, match="Transform:"):
        parse_fred_md_csv("sasdate,CPIAUCSL\n1/1/1959,29.01\n", "md.csv")


def test_fred_md_unknown_column_is_refused(fixtures_dir):
    with pytest.raises(SourceError, match="NOPE"):
        read_fred_md_csv(fixtures_dir / "fred" / "fred_md_small.csv", columns=["NOPE"])
