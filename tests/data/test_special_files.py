"""Data files must be regular files inside the data directory: a FIFO or a link to /dev/zero is refused unread."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from click.testing import CliRunner

from oilshock.cli import main
from oilshock.data.location import packaged_data_dir
from oilshock.data.manifest import read_manifest

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def invoke_bounded(args, env=None, seconds=60):
    """Run the command in a thread: a hang fails the test instead of blocking the suite."""
    box = {}

    def run():
        box["res"] = CliRunner().invoke(main, args, env=env)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{args} hung"
    return box["res"]


@pytest.fixture
def snapshot(tmp_path):
    d = tmp_path / "data"
    shutil.copytree(packaged_data_dir(), d)
    return d


def damage(d, how):
    f = d / read_manifest(d).entry("brent_daily")["file"]
    f.unlink()
    if how == "fifo":
        os.mkfifo(f)
    elif how == "dev-zero":
        f.symlink_to("/dev/zero")
    else:  # a regular file outside the directory
        outside = d.parent / "elsewhere.parquet"
        shutil.copy(packaged_data_dir() / f.relative_to(d), outside)
        f.symlink_to(outside)
    return f


@pytest.mark.parametrize("how", ["fifo", "dev-zero", "outside"])
@pytest.mark.parametrize(
    "args", [["data", "validate"], ["estimate", "-s", "red-sea", "--draws", "100"]]
)
def test_special_data_file_is_refused_in_one_line(snapshot, how, args):
    f = damage(snapshot, how)
    res = invoke_bounded(args, env={"OILSHOCK_DATA_DIR": str(snapshot)})
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"Error: {f}"), res.output
    assert "refused unread" in lines[0]


def test_validate_dataset_refuses_a_fifo(tmp_path):
    p = tmp_path / "brent.csv"
    os.mkfifo(p)
    res = invoke_bounded(["data", "validate", "--dataset", "brent_daily", str(p)])
    assert res.exit_code == 1 and "is a FIFO" in res.output, res.output


MIDTERMS = "us_midterms/midterms_1946_2018_approval_seatchange_rdi_govt6139.csv"


@pytest.fixture
def raw_copy(raw_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    for f in raw.rglob("*"):
        f.chmod(0o755 if f.is_dir() else 0o644)
    raw.chmod(0o755)
    return raw


@pytest.mark.parametrize("how", ["fifo", "dev-zero", "outside", "folder outside"])
def test_special_raw_file_is_refused_in_one_line(raw_copy, tmp_path, how):
    # refresh --from DIR: the raw files meet the data files' rule (issue #25).
    f = raw_copy / MIDTERMS
    if how == "folder outside":  # a linked folder on the way leads out as well
        outside = tmp_path / "elsewhere"
        shutil.move(raw_copy / "us_midterms", outside)
        (raw_copy / "us_midterms").symlink_to(outside, target_is_directory=True)
    else:
        text = f.read_bytes()
        f.unlink()
        if how == "fifo":
            os.mkfifo(f)
        elif how == "dev-zero":
            f.symlink_to("/dev/zero")
        else:
            (tmp_path / "elsewhere.csv").write_bytes(text)
            f.symlink_to(tmp_path / "elsewhere.csv")
    d = tmp_path / "d"
    res = invoke_bounded(["refresh", "--from", str(raw_copy), "--data-dir", str(d)])
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    first = raw_copy / "us_midterms" if how == "folder outside" else f
    assert len(lines) == 1 and lines[0].startswith(f"Error: {first}"), res.output
    assert "refused unread" in lines[0]
    assert not d.exists() or not any(d.iterdir())
