"""Hostile options and environment: one line and an exit code, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from oilshock.cli import main


def one_line(res, code: int) -> str:
    assert res.exit_code == code, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error"), res.output
    return lines[0]


@pytest.mark.parametrize("kind", ["file", "proc", "under-file"])
def test_unusable_cache_dir_is_one_line_exit_1(tmp_path, monkeypatch, kind):
    target = tmp_path / "a-file"
    target.write_text("not a folder")
    path = {
        "file": target,
        "proc": "/proc/oilshock-cache",
        "under-file": target / "sub",
    }[kind]
    monkeypatch.setenv("OILSHOCK_CACHE_DIR", str(path))
    res = CliRunner().invoke(main, ["estimate", "-s", "red-sea", "--draws", "100"])
    line = one_line(res, 1)
    assert "cannot hold the parameter cache (OILSHOCK_CACHE_DIR)" in line
    assert target.read_text() == "not a folder"


def test_tail_beyond_64_bits_shows_every_row():
    res = CliRunner().invoke(
        main, ["data", "show", "brent_daily", "--tail", str(10**20), "--format", "csv"]
    )
    assert res.exit_code == 0, res.output
    assert len(res.output.splitlines()) > 9000


def test_tail_not_an_integer_is_a_usage_error():
    res = CliRunner().invoke(main, ["data", "show", "brent_daily", "--tail", "1e20"])
    assert res.exit_code == 2 and "Traceback" not in res.output
