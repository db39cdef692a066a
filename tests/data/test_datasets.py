"""The data directory: manifest, hashes, point-in-time loading, checking user files."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from oilshock.data.datasets import list_datasets, load_dataset, validate_files
from oilshock.data.location import data_dir
from oilshock.data.manifest import read_manifest
from oilshock.errors import DataContractError, SnapshotError, UnknownNameError
from oilshock.ingest import build_snapshot


@pytest.fixture
def snap(tmp_path, fixtures_dir):
    out = tmp_path / "snap"
    build_snapshot(
        fixtures_dir / "raw_min", out, datasets=["brent_daily"], retrieved=dt.date(2026, 11, 26)
    )
    return out


def test_manifest_records_provenance(snap):
    m = read_manifest(snap)
    e = m.entry("brent_daily")
    assert e["rows"] == 5
    assert (e["first"], e["last"]) == ("2026-02-25", "2026-03-03")
    assert e["series_ids"] == ["RBRTE"]
    assert e["source_url"].startswith("https://www.eia.gov/")
    assert e["retrieved"] == "2026-11-26"
    assert e["raw"][0]["path"] == "eia_crude_spot_prices/brent-daily.csv"
    assert len(e["raw"][0]["sha256"]) == 64
    assert len(m.snapshot_sha256) == 64


def test_load_as_of_uses_only_rows_on_or_before(snap):
    full = load_dataset("brent_daily", directory=snap)
    assert full.height == 5
    pit = load_dataset("brent_daily", as_of=dt.date(2026, 2, 27), directory=snap)
    assert pit["date"].max() == dt.date(2026, 2, 27)
    assert pit.height == 3


def test_modified_file_is_refused(snap):
    path = snap / "brent_daily.parquet"
    frame = pl.read_parquet(path).with_columns(pl.col("brent_usd_per_bbl") * 100)
    frame.write_parquet(path)
    with pytest.raises(SnapshotError, match="sha256 differs"):
        load_dataset("brent_daily", directory=snap)


def test_missing_manifest_is_a_clear_error(tmp_path):
    with pytest.raises(SnapshotError, match="no manifest.json"):
        read_manifest(tmp_path)


def test_dataset_not_in_snapshot(snap):
    with pytest.raises(UnknownNameError):
        read_manifest(snap).entry("wti_daily_x")


def test_env_var_points_every_reader(snap, monkeypatch):
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(snap))
    assert data_dir() == snap
    assert [r["name"] for r in list_datasets()] == ["brent_daily"]


def test_validate_user_csv(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("date,brent_usd_per_bbl\n2026-01-02,60.5\n2026-01-05,61.0\n")
    assert validate_files("brent_daily", [good])[0]["rows"] == 2


def test_user_csv_with_text_in_number_column_names_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,brent_usd_per_bbl\n2026-01-02,60.5\n2026-01-05,n/a\n")
    with pytest.raises(DataContractError) as err:
        validate_files("brent_daily", [bad])
    msg = str(err.value)
    assert (
        "bad.csv" in msg
        and "brent_usd_per_bbl" in msg
        and "parses as float64" in msg
        and "[1]" in msg
    )


def test_user_csv_breaking_a_range(tmp_path):
    bad = tmp_path / "cents.csv"
    bad.write_text("date,brent_usd_per_bbl\n2026-01-02,6050.0\n")
    with pytest.raises(DataContractError, match="less_than_or_equal_to"):
        validate_files("brent_daily", [bad])


def test_user_parquet(tmp_path):
    p = tmp_path / "x.parquet"
    pl.DataFrame({"date": [dt.date(2026, 1, 2)], "brent_usd_per_bbl": [-1.0]}).write_parquet(p)
    with pytest.raises(DataContractError, match="greater_than"):
        validate_files("brent_daily", [p])


def test_unsupported_extension(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"")
    with pytest.raises(SnapshotError, match="csv or .parquet"):
        validate_files("brent_daily", [p])


def test_manifest_is_sorted_json(snap):
    text = (snap / "manifest.json").read_text()
    assert json.loads(text)["datasets"]["brent_daily"]["kind"] == "series"
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"
