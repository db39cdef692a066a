"""build_snapshot: all-or-nothing, never takes over a foreign directory, reproduces the committed snapshot."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from oilshock.data.contracts import load_contracts
from oilshock.data.files import read_frame
from oilshock.data.location import packaged_data_dir
from oilshock.data.manifest import read_manifest
from oilshock.errors import DataContractError, SourceError
from oilshock.ingest import IngestError, build_snapshot


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_failed_build_leaves_target_byte_identical(tmp_path, fixtures_dir):
    out = tmp_path / "snap"
    build_snapshot(fixtures_dir / "raw_min", out, datasets=["brent_daily"])
    before = tree_digest(out)
    bad_raw = tmp_path / "raw"
    shutil.copytree(fixtures_dir / "raw_min", bad_raw)
    f = bad_raw / "eia_crude_spot_prices" / "brent-daily.csv"
    f.write_text(f.read_text().replace("71.66", "7166.0"))  # cents instead of dollars
    with pytest.raises(DataContractError, match="brent_usd_per_bbl"):
        build_snapshot(bad_raw, out, datasets=["brent_daily"])
    assert tree_digest(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".oilshock-build-")]


def test_missing_raw_file_is_named(tmp_path):
    (tmp_path / "raw").mkdir()
    with pytest.raises(SourceError, match="brent-daily.csv"):
        build_snapshot(tmp_path / "raw", tmp_path / "snap", datasets=["brent_daily"])
    assert not (tmp_path / "snap").exists()


def test_refuses_to_replace_a_foreign_directory(tmp_path, fixtures_dir):
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("precious")
    with pytest.raises(IngestError, match="refusing"):
        build_snapshot(fixtures_dir / "raw_min", home, datasets=["brent_daily"])
    assert (home / "thesis.tex").read_text() == "precious"


def test_committed_snapshot_covers_every_contract():
    manifest = read_manifest(packaged_data_dir())
    assert set(manifest.datasets) == set(load_contracts())


def test_rebuild_from_raw_equals_committed_snapshot(tmp_path, raw_dir):
    """The committed data/ is exactly what the ingest code makes from shared/data/raw."""
    out = tmp_path / "rebuilt"
    manifest = build_snapshot(raw_dir, out)
    committed = read_manifest(packaged_data_dir())
    assert set(manifest["datasets"]) == set(committed.datasets)
    for name, entry in committed.datasets.items():
        new = manifest["datasets"][name]
        for key in ("rows", "first", "last", "series_ids", "source_url", "file"):
            assert new[key] == entry[key], (name, key)
        assert [r["sha256"] for r in new["raw"]] == [r["sha256"] for r in entry["raw"]], name
        contract = load_contracts()[name]
        assert_frame_equal(
            read_frame(out / new["file"], contract),
            read_frame(committed.directory / entry["file"], contract),
        )
