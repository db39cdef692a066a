"""A manifest figure of thousands of digits is refused in one line naming the manifest and the key."""

from __future__ import annotations

import json
import shutil

import pytest

from oilshock.data.location import packaged_data_dir
from oilshock.data.manifest import manifest_sha256, read_manifest
from oilshock.errors import SnapshotError


@pytest.mark.parametrize("rehash", [False, True])
def test_rows_of_5000_digits(tmp_path, rehash):
    d = tmp_path / "data"
    shutil.copytree(packaged_data_dir(), d)
    path = d / "manifest.json"
    raw = json.loads(path.read_text())
    raw["datasets"]["brent_daily"]["rows"] = 0
    if rehash:
        raw["manifest_sha256"] = manifest_sha256(raw)
    text = json.dumps(raw).replace('"rows": 0', '"rows": ' + "7" * 5000, 1)
    path.write_text(text)
    with pytest.raises(SnapshotError) as info:
        read_manifest(d)
    msg = str(info.value)
    assert "\n" not in msg and len(msg) < 400
    assert str(path) in msg and "'datasets.brent_daily.rows'" in msg and "5000 digits" in msg
