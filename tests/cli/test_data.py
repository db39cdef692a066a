"""``oilshock data`` and ``oilshock refresh`` through click's CliRunner."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from oilshock.cli import main
from oilshock.ingest import build_snapshot


@pytest.fixture
def snap(tmp_path, fixtures_dir, monkeypatch):
    out = tmp_path / "snap"
    build_snapshot(
        fixtures_dir / "raw_min", out, datasets=["brent_daily"], retrieved=dt.date(2026, 11, 26)
    )
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(out))
    return out


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_lists_commands():
    res = run("--help")
    assert res.exit_code == 0
    assert "data" in res.output and "refresh" in res.output


def test_list_json(snap):
    res = run("data", "list", "--format", "json")
    assert res.exit_code == 0
    rows = json.loads(res.output)
    assert rows == [
        {
            "name": "brent_daily",
            "rows": 5,
            "first": "2026-02-25",
            "last": "2026-03-03",
            "source": "U.S. Energy Information Administration",
        }
    ]


def test_list_table(snap):
    res = run("data", "list")
    assert res.exit_code == 0
    assert res.output.splitlines()[0].split() == ["name", "rows", "first", "last", "source"]


def test_show_tail_csv(snap):
    res = run("data", "show", "brent_daily", "--tail", "2", "--format", "csv")
    assert res.exit_code == 0
    assert res.output == "date,brent_usd_per_bbl\n2026-03-02,77.74\n2026-03-03,81.4\n"


def test_show_json(snap):
    res = run("data", "show", "brent_daily", "--tail", "1", "--format", "json")
    assert json.loads(res.output) == [{"date": "2026-03-03", "brent_usd_per_bbl": 81.4}]


def test_unknown_dataset_suggests_and_exits_2(snap):
    res = CliRunner().invoke(main, ["data", "show", "brent_dialy"])
    assert res.exit_code == 2
    assert "Did you mean 'brent_daily'" in res.output
    assert "Traceback" not in res.output


def test_validate_snapshot(snap):
    res = run("data", "validate")
    assert res.exit_code == 1  # the test snapshot lacks most datasets: say so, do not pass
    assert "manifest lacks dataset" in res.output


def test_validate_files_good_and_bad(tmp_path, snap):
    good = tmp_path / "good.csv"
    good.write_text("date,brent_usd_per_bbl\n2026-01-02,60.5\n")
    res = run("data", "validate", "--dataset", "brent_daily", str(good))
    assert res.exit_code == 0 and "all valid" in res.output
    bad = tmp_path / "bad.csv"
    bad.write_text("date,brent_usd_per_bbl\n2026-01-02,60.5\n2026-01-01,-3\n")
    res = CliRunner().invoke(main, ["data", "validate", "--dataset", "brent_daily", str(bad)])
    assert res.exit_code == 1
    assert (
        "bad.csv" in res.output
        and "brent_usd_per_bbl" in res.output
        and "greater_than(0)" in res.output
    )
    assert "Traceback" not in res.output


def test_validate_files_needs_dataset(tmp_path, snap):
    res = CliRunner().invoke(main, ["data", "validate", str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and "--dataset" in res.output


def test_refresh_from_files_into_empty_dir(tmp_path, fixtures_dir, monkeypatch):
    target = tmp_path / "fresh"
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(target))
    # The minimal raw folder lacks most sources: refresh must fail cleanly and write nothing.
    res = CliRunner().invoke(main, ["refresh", "--from", str(fixtures_dir / "raw_min")])
    assert res.exit_code == 1
    assert "raw file not found" in res.output
    assert not target.exists()


def test_dictionary_matches_contracts(tmp_path):
    from oilshock.data.dictionary import render_data_dictionary

    out = tmp_path / "dd.md"
    assert run("data", "dictionary", "-o", str(out)).exit_code == 0
    assert out.read_text() == render_data_dictionary()


def test_python_dash_m_from_another_directory(tmp_path):
    """The installed package finds its shipped snapshot wherever it is run from."""
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in ("OILSHOCK_DATA_DIR", "PYTHONPATH")
    }
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")  # no user snapshot: the packaged one is used
    res = subprocess.run(
        [sys.executable, "-m", "oilshock", "data", "list", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    names = {r["name"] for r in json.loads(res.stdout)}
    assert "brent_daily" in names


def test_data_list_fits_100_columns_and_csv_keeps_every_character():
    table = CliRunner().invoke(main, ["data", "list"]).output
    assert all(len(x) <= 100 for x in table.splitlines())
    rows = list(
        csv.DictReader(
            io.StringIO(CliRunner().invoke(main, ["data", "list", "--format", "csv"]).output)
        )
    )
    gallup = next(r for r in rows if r["name"] == "approval_monthly")
    assert (
        gallup["source"]
        == "Gallup and other pollsters, as compiled by L. Ruffino and by ElectIndex"
    )
    assert "…" in table  # cut in the table only


def test_status_csv_is_the_json_as_key_value_rows():
    js = json.loads(CliRunner().invoke(main, ["status", "--format", "json"]).output)
    rows = {
        r["key"]: r["value"]
        for r in csv.DictReader(
            io.StringIO(CliRunner().invoke(main, ["status", "--format", "csv"]).output)
        )
    }
    assert (
        rows["as_of"] == js["as_of"]
        and rows["chokepoints.hormuz.onset"] == js["chokepoints"]["hormuz"]["onset"]
    )
