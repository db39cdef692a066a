"""Malformed files for ``data validate --dataset``, huge files, unwritable and full disks:
one line, the documented exit code.

Permissions cannot be tested by chmod when the suite runs as root, so a
read-only file system and a full disk are injected where the OS would
report them (``os.open`` of the lock, the Parquet writer).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest.test_refresh_faults import tree_digest

from oilshock.cli import main
from oilshock.data.location import packaged_data_dir

GOOD = "date,brent_usd_per_bbl\n2026-01-02,60.5\n2026-01-05,61.0\n"


def run(*args, **kw):
    return CliRunner().invoke(main, list(args), **kw)


def one_line(res) -> str:
    lines = [
        ln
        for ln in res.output.splitlines()
        if ln.strip() and not ln.startswith(("refresh ", "recompute"))
    ]
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    return lines[0]


def variants() -> dict[str, bytes]:
    parquet = (packaged_data_dir() / "brent_daily.parquet").read_bytes()
    return {
        "no header.csv": b"2026-01-02,60.5\n2026-01-05,61.0\n",
        "tab separated.csv": GOOD.replace(",", "\t").encode(),
        "semicolons.csv": b"date;brent_usd_per_bbl\n2026-01-02;60,5\n",
        "utf-16 with BOM.csv": GOOD.encode("utf-16"),
        "utf-16 without BOM.csv": GOOD.encode("utf-16-le"),
        "latin-1 header.csv": "dat\u00e9,brent_usd_per_bbl\n2026-01-02,60.5\n".encode("latin-1"),
        "renamed date column.csv": GOOD.replace("date", "day").encode(),
        "empty.csv": b"",
        "header only.csv": b"date,brent_usd_per_bbl\n",
        "binary.csv": bytes(range(256)),
        "unclosed quote.csv": b'date,brent_usd_per_bbl\n"2026-01-02,60.5\n',
        "text in a number.csv": b"date,brent_usd_per_bbl\n2026-01-02,sixty\n",
        "truncated.parquet": parquet[: len(parquet) // 2],
        "not parquet.parquet": b"PAR1 this is not parquet",
        "empty.parquet": b"",
        "bytes flipped.parquet": parquet[:100]
        + bytes(b ^ 0xFF for b in parquet[100:400])
        + parquet[400:],
        "other dataset.parquet": (packaged_data_dir() / "wti_daily.parquet").read_bytes(),
    }


@pytest.mark.parametrize("name", list(variants()))
def test_malformed_file_is_one_line_exit_1(tmp_path, name):
    p = tmp_path / name.replace(" ", "_")
    p.write_bytes(variants()[name])
    res = run("data", "validate", "--dataset", "brent_daily", str(p))
    assert res.exit_code == 1, res.output
    assert str(p) in one_line(res)
    if name == "header only.csv":
        # Changed by issue #25: user files meet the whole contract, [shape] included (this
        # file exited 0 when the shape rules were for snapshots only).
        assert "min_rows" in one_line(res)


@pytest.mark.parametrize("how", ["directory", "missing", "unreadable", "wrong suffix"])
def test_unusable_path_is_one_line(tmp_path, monkeypatch, how):
    p = tmp_path / "x.csv"
    if how == "directory":
        p.mkdir()
    elif how == "unreadable":
        p.write_text(GOOD)
        real_open = open

        def deny(path, *a, **kw):
            if str(path) == str(p):
                raise PermissionError(errno.EACCES, "Permission denied", str(p))
            return real_open(path, *a, **kw)

        monkeypatch.setattr("builtins.open", deny)
    elif how == "wrong suffix":
        p = tmp_path / "x.xlsx"
        p.write_text(GOOD)
    res = run("data", "validate", "--dataset", "brent_daily", str(p))
    assert res.exit_code == 1, res.output
    line = one_line(res)
    assert str(p) in line
    if how == "unreadable":
        assert "Permission denied" in line


def test_huge_csv_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """A generated 4.8 MB CSV against a limit lowered to 1 MiB: refused from its size, without reading it."""
    p = tmp_path / "big.csv"
    day = dt.date(1900, 1, 1)
    with p.open("w") as fh:
        fh.write("date,brent_usd_per_bbl\n")
        for i in range(300_000):
            fh.write(f"{day + dt.timedelta(days=i)},60.5\n")
    assert p.stat().st_size > 4 * 2**20
    monkeypatch.setenv("OILSHOCK_VALIDATE_MAX_BYTES", str(2**20))
    import polars as pl

    def no_read(*a, **kw):
        raise AssertionError("the file was read")

    monkeypatch.setattr(pl, "read_csv", no_read)
    res = run("data", "validate", "--dataset", "brent_daily", str(p))
    assert res.exit_code == 1
    assert (
        "larger than the 1.0 MiB that data validate reads (OILSHOCK_VALIDATE_MAX_BYTES)"
        in one_line(res)
    )


def test_file_under_the_limit_is_validated(tmp_path, monkeypatch):
    p = tmp_path / "ok.csv"
    p.write_text(GOOD)
    monkeypatch.setenv("OILSHOCK_VALIDATE_MAX_BYTES", str(2**20))
    assert run("data", "validate", "--dataset", "brent_daily", str(p)).exit_code == 0


def test_malformed_size_limit_is_a_usage_error(tmp_path, monkeypatch):
    p = tmp_path / "ok.csv"
    p.write_text(GOOD)
    monkeypatch.setenv("OILSHOCK_VALIDATE_MAX_BYTES", "nan")
    res = run("data", "validate", "--dataset", "brent_daily", str(p))
    assert res.exit_code == 2 and "OILSHOCK_VALIDATE_MAX_BYTES" in one_line(res)


# ---------------------------------------------------------------- full disk, read-only


@pytest.fixture
def snap(tmp_path, fixtures_dir, monkeypatch):
    from oilshock.ingest import build_snapshot

    d = tmp_path / "data"
    build_snapshot(
        fixtures_dir / "raw_min", d, datasets=["brent_daily"], retrieved=dt.date(2026, 3, 4)
    )
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(d))
    return d


@pytest.mark.parametrize("where", ["parquet", "copy", "manifest"])
def test_disk_full_while_writing_leaves_the_snapshot(snap, fixtures_dir, monkeypatch, where):
    import shutil

    import polars as pl

    from oilshock.data.storage import StorageError
    from oilshock.ingest import build_snapshot

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "parquet":
        monkeypatch.setattr(pl.DataFrame, "write_parquet", full)
    elif where == "copy":
        monkeypatch.setattr(shutil, "copyfile", full)
    else:
        monkeypatch.setattr(Path, "write_text", full)
    before = tree_digest(snap)
    datasets = ["brent_daily", "chokepoints"]  # a built dataset and a copied reference table
    with pytest.raises(
        StorageError, match="No space left on device; free some space; nothing was changed"
    ):
        build_snapshot(
            fixtures_dir / "raw_min", snap, datasets=datasets, retrieved=dt.date(2026, 3, 5)
        )
    assert tree_digest(snap) == before
    assert not [p for p in snap.parent.iterdir() if p.name.startswith(".oilshock-build-")]


def _read_only_lock(monkeypatch, code=errno.EROFS):
    real = os.open

    def fake(path, flags, *a, **kw):
        if str(path).endswith(".lock"):
            raise OSError(code, os.strerror(code), str(path))
        return real(path, flags, *a, **kw)

    monkeypatch.setattr(os, "open", fake)


def test_refresh_on_a_read_only_data_directory_is_one_line(snap, fixtures_dir, monkeypatch):
    _read_only_lock(monkeypatch)
    before = tree_digest(snap)
    res = run("refresh", "--from", str(fixtures_dir / "raw_min"))
    assert res.exit_code == 1
    assert (
        "Read-only file system" in one_line(res) and "needs a writable data directory" in res.output
    )
    assert tree_digest(snap) == before


def test_recompute_reads_a_read_only_data_directory_without_a_lock(monkeypatch, tmp_path):
    """The packaged snapshot on a read-only mount: recompute needs no lock there, it only reads it."""
    from oilshock.data import storage

    _read_only_lock(monkeypatch)
    seen = []
    with storage.lock(packaged_data_dir(), 0, what="recompute", read_only=True) as p:
        seen.append(p)
    assert seen
    with (
        pytest.raises(storage.StorageError, match="Read-only file system"),
        storage.lock(tmp_path / "d", 0),
    ):
        pass


def test_recompute_on_an_unwritable_results_directory_is_one_line(monkeypatch, tmp_path):
    import shutil
    import tempfile

    shutil.copytree(packaged_data_dir(), tmp_path / "data")
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(tmp_path / "data"))

    def denied(*a, **kw):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "out"))

    monkeypatch.setattr(tempfile, "mkdtemp", denied)
    res = run("recompute", "--out", str(tmp_path / "out"))
    assert res.exit_code == 1, res.output
    assert "nothing was published" in one_line(res)


def test_max_age_on_a_damaged_snapshot_is_stale_not_a_crash(snap):
    (snap / "manifest.json").write_text("[]")
    res = run(
        "refresh",
        "--dataset",
        "brent_daily",
        "--max-age",
        "10",
        env={"OILSHOCK_EIA_API_URL": "http://127.0.0.1:9/"},
    )
    assert res.exit_code == 3, res.output
    assert "Stale: the age of the data" in res.output and "left unchanged" in res.output
    assert isinstance(res.exception, SystemExit)


def _brent_csv(path, dates):
    path.write_text("date,brent_usd_per_bbl\n" + "".join(f"{d},60.5\n" for d in dates))
    return path


def test_validate_dataset_applies_min_rows_as_declared(tmp_path, monkeypatch):
    # OILSHOCK_MIN_ROWS lowers min_rows for user files as it does for snapshots.
    monkeypatch.setenv("OILSHOCK_MIN_ROWS", "3")
    p = _brent_csv(tmp_path / "b.csv", ["2026-01-05", "2026-01-06"])
    res = run("data", "validate", "--dataset", "brent_daily", str(p))
    assert res.exit_code == 1, res.output
    assert "min_rows = 3: 2 row(s)" in one_line(res)
    monkeypatch.setenv("OILSHOCK_MIN_ROWS", "2")
    assert run("data", "validate", "--dataset", "brent_daily", str(p)).exit_code == 0


@pytest.mark.parametrize(
    ("dataset", "dates", "bad"),
    [
        ("brent_daily", ["2026-01-09", "2026-01-10"], "2026-01-10"),
        ("cpi_monthly", ["2026-01-01", "2026-02-15"], "2026-02-15"),
        ("retail_gasoline_weekly", ["2026-01-05", "2026-01-06"], "2026-01-06"),
    ],
)
def test_validate_dataset_refuses_dates_off_the_grid(tmp_path, dataset, dates, bad):
    import polars as pl

    from oilshock.data.datasets import load_dataset

    # A real slice of the dataset, its dates moved: the grid is the only rule broken.
    frame = load_dataset(dataset).tail(len(dates))
    frame = frame.with_columns(pl.Series("date", [dt.date.fromisoformat(d) for d in dates]))
    p = tmp_path / f"{dataset}.parquet"
    frame.write_parquet(p)
    res = run("data", "validate", "--dataset", dataset, str(p))
    assert res.exit_code == 1, res.output
    line = one_line(res)
    assert "date_grid" in line and bad in line, line
    on_grid = load_dataset(dataset).tail(len(dates))
    on_grid.write_parquet(p)
    assert run("data", "validate", "--dataset", dataset, str(p)).exit_code == 0
