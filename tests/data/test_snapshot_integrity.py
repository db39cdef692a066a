"""A damaged snapshot is refused with one line by every command that reads it, even with a warm parameter cache.

The damage cases are those of ``tools/fuzz_snapshot.py`` (which also runs
hundreds of random ones; see docs/reliability.md); here every named case and
a small random sample run against ``data validate``, ``estimate``,
``election`` and ``scenarios show``.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import fuzz_snapshot as fz

from oilshock.data.datasets import validate_snapshot
from oilshock.data.location import packaged_data_dir
from oilshock.data.manifest import manifest_sha256, read_manifest
from oilshock.errors import SnapshotError


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """An intact copy of the packaged snapshot and a parameter cache already fitted on it."""
    work = tmp_path_factory.mktemp("integrity")
    src = work / "pristine"
    shutil.copytree(packaged_data_dir(), src, ignore=shutil.ignore_patterns("__pycache__"))
    fz.warm_cache(src, work)  # uses the session's isolated OILSHOCK_CACHE_DIR
    return src, work, fz._state(src)


def check(outcome: dict) -> None:
    for c in outcome["commands"]:
        assert not c["traceback"], (outcome["case"], c["command"], c["exception"])
        assert not c["wrong_success"], (outcome["case"], c["command"], c["output"])
        assert not c["wrong_failure"], (outcome["case"], c["command"], c["output"])
        assert not c["not_one_line"], (outcome["case"], c["command"], c["exit"], c["output"])


@pytest.mark.parametrize("name", list(fz.NAMED))
def test_named_damage_is_refused_by_every_command(pristine, name):
    src, work, original = pristine
    outcome = fz.run_case(name, fz.NAMED[name], src, work, random.Random(0), original)
    assert outcome["damaged"]
    check(outcome)


@pytest.mark.parametrize("name", list(fz.BENIGN))
def test_changes_that_are_not_damage_are_accepted(pristine, name):
    src, work, original = pristine
    outcome = fz.run_case(name, fz.BENIGN[name], src, work, random.Random(0), original)
    assert not outcome["damaged"]
    check(outcome)


@pytest.mark.parametrize("seed", range(12))
def test_random_damage(pristine, seed):
    src, work, original = pristine
    rng = random.Random(seed)
    name, damage = fz.random_damage(rng, sorted(original))
    check(fz.run_case(name, damage, src, work, rng, original))


def test_validate_recomputes_what_the_manifest_claims(tmp_path):
    """An edit re-hashed into manifest_sha256 passes the manifest's own check; data validate still finds it."""
    d = tmp_path / "data"
    shutil.copytree(packaged_data_dir(), d)
    m = json.loads((d / "manifest.json").read_text())
    m["datasets"]["cpi_monthly"]["first"] = "1960-01-01"
    m["manifest_sha256"] = manifest_sha256(m)
    (d / "manifest.json").write_text(json.dumps(m))
    read_manifest(d)  # consistent with itself
    with pytest.raises(
        SnapshotError,
        match=r"cpi_monthly.parquet: the manifest says first = '1960-01-01', the file holds '1959-01-01'",
    ):
        validate_snapshot(d)
