"""Parsers for EIA API responses (v2 /data JSON, v1 series JSON)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from oilshock.errors import SourceError
from oilshock.sources.eia.api import (
    parse_eia_api_v1_series,
    parse_eia_api_v2,
    read_eia_api_v1_series,
    read_eia_api_v2,
)


@pytest.fixture
def api(fixtures_dir):
    return fixtures_dir / "eia_api"


def _v2(frequency: str, rows: list[dict], total=None) -> dict:
    return {
        "response": {
            "total": len(rows) if total is None else total,
            "frequency": frequency,
            "data": rows,
        },
        "request": {"command": "/v2/x/data/", "params": {"frequency": frequency}},
        "apiVersion": "2.1.12",
    }


def test_v2_daily_rbrte(api):
    frame, meta = read_eia_api_v2(api / "rbrte_daily_v2.json")
    assert frame.columns == ["period", "date", "series_id", "value", "units"]
    assert frame.schema["date"] == pl.Date and frame.schema["value"] == pl.Float64
    # String and number values both parse; null stays null.
    assert frame["value"].to_list() == [95.29, 92.43, 92.02, None]
    assert frame["date"][0] == dt.date(2026, 8, 18)
    assert meta["units"] == {"RBRTE": "$/BBL"}
    assert meta["descriptions"]["RBRTE"] == "Europe Brent Spot Price FOB (Dollars per Barrel)"
    assert (meta["total"], meta["rows"], meta["offset"], meta["complete"]) == (9958, 4, 0, False)
    assert meta["frequency"] == "daily" and meta["api_version"] == "2.1.12"


def test_v2_weekly_gasoline(api):
    frame, meta = read_eia_api_v2(api / "emm_epmr_pte_nus_dpg_weekly_v2.json")
    assert frame["series_id"].unique().to_list() == ["EMM_EPMR_PTE_NUS_DPG"]
    assert frame["value"].to_list() == [4.079, 4.006, 4.049]
    assert all(d.weekday() == 0 for d in frame["date"])  # EIA survey Mondays
    assert meta["complete"] is True and meta["units"]["EMM_EPMR_PTE_NUS_DPG"] == "$/GAL"


def test_v2_page_reports_offset_for_pagination(api):
    frame, meta = read_eia_api_v2(api / "rwtc_daily_v2_page.json")
    assert frame["value"].to_list() == [-36.98, 8.91]
    assert (meta["total"], meta["offset"], meta["rows"], meta["complete"]) == (
        10226,
        8643,
        2,
        False,
    )


@pytest.mark.parametrize(
    "name, message",
    [
        ("error_invalid_frequency_v2.json", "400 Invalid frequency"),
        ("error_api_key_missing_v2.json", "API_KEY_MISSING"),
    ],
)
def test_v2_error_payload(api, name, message):
    with pytest.raises(SourceError, match=f"{name}: EIA API error: {message}"):
        read_eia_api_v2(api / name)


def test_fixtures_hold_no_api_key(api):
    for p in api.glob("*.json"):
        text = json.loads(p.read_text())
        assert "api_key" not in json.dumps(text.get("request", {})), p


def test_v2_redacts_echoed_api_key(api):
    payload = json.loads((api / "rbrte_daily_v2.json").read_text())
    payload["request"]["params"]["api_key"] = "SECRET-KEY-VALUE"
    _, meta = parse_eia_api_v2(payload, "live")
    assert "SECRET-KEY-VALUE" not in repr(meta)
    assert meta["request"]["params"]["facets"] == {"series": ["RBRTE"]}


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"response": {"total": 0, "frequency": "daily"}}, "no 'response.data'"),
        ({"request": {}}, "no 'response.data'"),
        ([1, 2], "expected a JSON object"),
        (
            _v2("daily", [{"period": "2026-08-18", "series": "RBRTE", "value": "n/a"}]),
            r"data\[0\]\.value is not numeric: 'n/a'",
        ),
        (_v2("daily", [{"period": "2026-08-18", "series": "RBRTE", "value": True}]), "boolean"),
        (
            _v2("daily", [{"period": "2026-08-18", "series": "RBRTE", "value": "NaN"}]),
            "not numeric",
        ),
        (
            _v2("daily", [{"period": "2026-08", "series": "RBRTE", "value": 1}]),
            r"do not match %Y-%m-%d: \['2026-08'\]",
        ),
        (_v2("daily", [{"period": "2026-02-30", "series": "RBRTE", "value": 1}]), "do not match"),
        (
            _v2("hourly", [{"period": "2026-08-18T01", "series": "RBRTE", "value": 1}]),
            "frequency 'hourly'",
        ),
        (_v2("daily", [{"period": "2026-08-18", "value": 1}]), "no 'series' or 'seriesId'"),
        (_v2("daily", [{"period": "2026-08-18", "series": "RBRTE"}]), "lacks 'period' or 'value'"),
        (_v2("daily", [], total="many"), "response.total 'many'"),
    ],
)
def test_v2_strict(payload, message):
    with pytest.raises(SourceError, match=message):
        parse_eia_api_v2(payload, "resp")


@pytest.mark.parametrize(
    "frequency, period, expected",
    [
        ("monthly", "2026-07", dt.date(2026, 7, 1)),
        ("annual", "2025", dt.date(2025, 1, 1)),
        ("weekly", "2026-08-17", dt.date(2026, 8, 17)),
    ],
)
def test_v2_period_formats(frequency, period, expected):
    frame, _ = parse_eia_api_v2(
        _v2(frequency, [{"period": period, "seriesId": "MGRARUS", "value": 1.5}]), "r"
    )
    assert frame["date"].item() == expected and frame["series_id"].item() == "MGRARUS"


def test_v2_accepts_bytes(api):
    frame, _ = parse_eia_api_v2((api / "rbrte_daily_v2.json").read_bytes(), "b")
    assert frame.height == 4


def test_v2_not_json():
    with pytest.raises(SourceError, match="not valid JSON"):
        parse_eia_api_v2(b"<html>502 Bad Gateway</html>", "resp")


def test_v1_series(api):
    frame, meta = read_eia_api_v1_series(api / "r1300_monthly_v1.json")
    assert frame["date"].to_list() == [
        dt.date(2023, 12, 1),
        dt.date(2023, 11, 1),
        dt.date(1974, 2, 1),
        dt.date(1974, 1, 1),
    ]
    assert frame["value"].to_list() == [70.57, 76.05, 12.45, 9.59]
    assert meta["series_id"] == "PET.R1300____3.M" and meta["units"] == "Dollars per Barrel"
    assert meta["units_short"] == "$/bbl" and meta["rows"] == 4


def test_v1_wrapped_response(api):
    inner = json.loads((api / "r1300_monthly_v1.json").read_text())
    frame, meta = parse_eia_api_v1_series(
        {"request": {"command": "series"}, "series": [inner]}, "v1"
    )
    assert frame.height == 4 and meta["frequency"] == "M"


def test_v1_error(api):
    with pytest.raises(SourceError, match="invalid series_id"):
        read_eia_api_v1_series(api / "error_v1.json")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"data": [["202312", "70,57"]]}, r"data\[0\] value is not numeric"),
        ({"data": [["2023-12", 70.57]]}, "do not match %Y%m"),
        ({"data": [["202312"]]}, "not a \\[period, value\\] pair"),
        ({"f": "H"}, "frequency f='H'"),
        ({"units": None, "data": None}, "'data' is not a list"),
    ],
)
def test_v1_strict(api, change, message):
    payload = json.loads((api / "r1300_monthly_v1.json").read_text())
    payload.update(change)
    with pytest.raises(SourceError, match=message):
        parse_eia_api_v1_series(payload, "v1")


def test_v1_missing_field(api):
    payload = json.loads((api / "r1300_monthly_v1.json").read_text())
    del payload["units"]
    with pytest.raises(SourceError, match="lacks 'units'"):
        parse_eia_api_v1_series(payload, "v1")


def test_v1_raw_files_parse(raw_dir):
    d = raw_dir / "eia_world_production_and_refiner_cost_monthly"
    frame, meta = read_eia_api_v1_series(d / "eia_api_PET.R1300____3.M.json")
    assert frame.height == 600 and frame["value"][-1] == 9.59 and frame["value"][0] == 70.57
    frame, meta = read_eia_api_v1_series(d / "eia_api_INTL.57-1-WORL-TBPD.M.json")
    assert frame.height == 610 and meta["units"] == "thousand barrels per day"
    assert frame["date"][0] == dt.date(2023, 10, 1)
