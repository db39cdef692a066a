"""Parsers of IMF PortWatch chokepoint data: long CSV, wide CSV, ArcGIS query JSON."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from oilshock.errors import SourceError
from oilshock.sources.portwatch import (
    WIDE_DERIVED_COLUMNS,
    parse_portwatch_arcgis_json,
    read_portwatch_arcgis_json,
    read_portwatch_long_csv,
    read_portwatch_wide_csv,
)


@pytest.fixture
def pw(fixtures_dir):
    return fixtures_dir / "portwatch"


def test_long_csv_types_and_values(pw):
    frame, meta = read_portwatch_long_csv(pw / "daily_chokepoints_long.csv")
    assert frame.schema == pl.Schema(
        {
            "date": pl.Date,
            "chokepoint": pl.String,
            "n_total": pl.Int64,
            "n_tanker": pl.Int64,
            "n_cargo": pl.Int64,
            "capacity": pl.Float64,
        }
    )
    assert frame.height == 4
    row = frame.row(2, named=True)
    assert row == {
        "date": dt.date(2026, 3, 2),
        "chokepoint": "hormuz",
        "n_total": 3,
        "n_tanker": 1,
        "n_cargo": 2,
        "capacity": 152300.0,
    }
    assert meta["chokepoints"] == ["bab_el_mandeb", "hormuz", "suez"]


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("daily_chokepoints_long_bad_value.csv", "n_total"),
        ("daily_chokepoints_long_fraction.csv", "n_total"),
    ],
)
def test_long_csv_bad_values_raise_naming_file_and_column(pw, name, column):
    with pytest.raises(SourceError, match=rf"{name}.*'{column}'"):
        read_portwatch_long_csv(pw / name)


def test_long_csv_missing_column_raises():
    with pytest.raises(SourceError, match="capacity"):
        from oilshock.sources.portwatch import parse_portwatch_long_csv

        parse_portwatch_long_csv(
            "date,chokepoint,n_total,n_tanker,n_cargo\n2026-01-01,hormuz,1,1,0\n", "x.csv"
        )


def test_wide_csv_reshapes_by_portid_and_skips_derived_columns(pw):
    frame, meta = read_portwatch_wide_csv(pw / "daily_chokepoints_wide.csv")
    assert meta["portids"] == ["chokepoint6", "chokepoint7"]
    assert meta["ignored_columns"] == list(WIDE_DERIVED_COLUMNS)
    assert frame.columns == ["date", "portid", "n_tanker", "n_total", "capacity_tanker", "capacity"]
    assert frame.height == 4
    cape = frame.filter(
        pl.col("portid") == "chokepoint7", pl.col("date") == dt.date(2026, 3, 2)
    ).row(0, named=True)
    assert (cape["n_tanker"], cape["n_total"], cape["capacity_tanker"], cape["capacity"]) == (
        22,
        75,
        1650000.0,
        4400000.0,
    )
    assert not any(c in frame.columns for c in WIDE_DERIVED_COLUMNS)


def test_wide_csv_blank_cell_raises_naming_column_and_row(pw):
    with pytest.raises(
        SourceError,
        match=r"daily_chokepoints_wide_bad_value.csv: column 'cp6_cap_tanker' is empty at data rows \[1\]",
    ):
        read_portwatch_wide_csv(pw / "daily_chokepoints_wide_bad_value.csv")


def test_wide_csv_unknown_column_raises(pw):
    with pytest.raises(SourceError, match="my_signal"):
        read_portwatch_wide_csv(pw / "daily_chokepoints_wide_unknown_column.csv")


def test_arcgis_epoch_ms_page(pw):
    frame, meta = read_portwatch_arcgis_json(pw / "arcgis_query_epoch_ms.json")
    assert meta["exceededTransferLimit"] is True
    assert meta["objectIdFieldName"] == "ObjectId"
    assert meta["date_encoding"] == "epoch_ms"
    assert "capacity_tanker" in meta["fields"]
    assert frame["date"].to_list() == [
        dt.date(2026, 2, 27),
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 2),
    ]
    assert frame["portid"].to_list() == ["chokepoint6", "chokepoint6", "chokepoint4"]
    assert frame.schema["n_total"] == pl.Int64 and frame.schema["capacity"] == pl.Float64
    assert frame["capacity"][0] == 4410218.5
    # JSON null is the service's missing marker: kept as null, not zero.
    assert frame["capacity_roro"][2] is None
    assert "ObjectId" not in frame.columns


def test_arcgis_date_string_page(pw):
    frame, meta = read_portwatch_arcgis_json(pw / "arcgis_query_date_string.json")
    assert meta["date_encoding"] == "string"
    assert meta["exceededTransferLimit"] is False
    assert frame.row(0, named=True)["date"] == dt.date(2026, 7, 19)
    assert frame["n_total"].to_list() == [15]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("arcgis_query_error.json", r"ArcGIS error 400: Cannot perform query"),
        ("arcgis_query_bad_count.json", r"field 'n_tanker' must hold whole numbers"),
        ("arcgis_query_off_midnight.json", r"not 00:00 UTC"),
    ],
)
def test_arcgis_bad_payloads_raise(pw, name, message):
    with pytest.raises(SourceError, match=message):
        read_portwatch_arcgis_json(pw / name)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "not JSON"),
        (
            '{"features": [{"attributes": {"date": "2026-07-19", "portid": "chokepoint6"}}]}',
            "missing",
        ),
        ('{"fields": []}', "no 'features'"),
        (
            '{"features": [{"attributes": {"date": "19/07/2026", "portid": "chokepoint6", '
            '"portname": "Strait of Hormuz",'
            ' "n_tanker": 1, "n_cargo": 1, "n_total": 2, "capacity_tanker": 1, "capacity": 2}}]}',
            "neither epoch ms",
        ),
        (
            '{"features": [{"attributes": {"date": "2026-07-19", "year": 2026, "month": 7, "day": '
            '18, "portid": "chokepoint6",'
            ' "portname": "Strait of Hormuz", "n_tanker": 1, "n_cargo": 1, "n_total": 2, '
            '"capacity_tanker": 1, "capacity": 2}}]}',
            "disagrees with year/month/day",
        ),
    ],
)
def test_arcgis_malformed_inline_payloads_raise(payload, message):
    with pytest.raises(SourceError, match=message):
        parse_portwatch_arcgis_json(payload, "https://example/query")


def test_arcgis_empty_page_is_empty_frame():
    frame, meta = parse_portwatch_arcgis_json('{"objectIdFieldName": "ObjectId", "features": []}')
    assert frame.height == 0
    assert meta["exceededTransferLimit"] is False


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_arcgis_non_finite_numbers_raise_a_source_error(value):
    """JSON's NaN and Infinity parse in Python; a count or capacity must still be a finite number."""
    payload = (
        '{"features": [{"attributes": {"date": "2026-07-19", "portid": "chokepoint6", '
        '"portname": "Strait of Hormuz", "n_tanker": ' + value + ', "n_cargo": 1, "n_total": 2, '
        '"capacity_tanker": 1, "capacity": 2}}]}'
    )
    with pytest.raises(SourceError, match="n_tanker"):
        parse_portwatch_arcgis_json(payload, "https://example/query")
