"""Deeply nested JSON from a live source or a raw file is refused in one line before parsing."""

from __future__ import annotations

import pytest

from oilshock.errors import SourceError
from oilshock.sources import _parse
from oilshock.sources.eia.api import parse_eia_api_v2
from oilshock.sources.portwatch import parse_portwatch_arcgis_json

DEEP = b'{"response": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"


def test_depth_scan():
    assert _parse.json_too_deep(b"[" * 65 + b"]" * 65)
    assert not _parse.json_too_deep(b"[" * 64 + b"]" * 64)
    # Brackets inside strings, escaped quotes included, do not nest.
    assert not _parse.json_too_deep(b'["\\"' + b"[" * 100 + b'"]')


@pytest.mark.parametrize("parse", [parse_eia_api_v2, parse_portwatch_arcgis_json])
def test_deep_json_is_one_line(parse):
    with pytest.raises(SourceError) as info:
        parse(DEEP, "deep.json")
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith("deep.json: JSON nested more than 64 levels deep")
