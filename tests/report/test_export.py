"""Files: PNG is a valid image of sensible size, SVG parses, HTML is self-contained, JSON is the spec."""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET

import pytest

from oilshock.report import charts, export
from oilshock.report.data import ReportError


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


def test_png_svg_json_html(results_2026, tmp_path):
    c = charts.compare([results_2026["hormuz-partial"], results_2026["red-sea"]])
    w, h = png_size(export.save(c, tmp_path / "c.png").read_bytes())
    assert 800 <= w <= 4000 and 200 <= h <= 3000, (w, h)
    root = ET.parse(export.save(c, tmp_path / "c.svg")).getroot()
    assert root.tag.endswith("svg")
    assert "hormuz-partial hits hardest" in (tmp_path / "c.svg").read_text()
    spec = json.loads(export.save(c, tmp_path / "c.json").read_text())
    assert (
        spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        and "hconcat" in spec["vconcat"][0]
    )
    page = export.save(c, tmp_path / "c.html").read_text()
    assert "vegaEmbed" in page and len(page) > 500_000  # the libraries are inlined
    assert not re.search(r"<script[^>]+src=", page), "a script is loaded from elsewhere"


def test_unknown_extension(results_2026, tmp_path):
    with pytest.raises(ReportError, match=r"\.pdf"):
        export.save(charts.compare([results_2026["red-sea"]]), tmp_path / "c.pdf")


def test_the_unvalidated_spec_is_the_validated_one(results_2026):
    # export.spec skips altair's schema validation for speed; the charts must still be valid
    # Vega-Lite, and the spec the same with or without the check.
    import altair as alt

    d = results_2026["hormuz-partial"]
    made = [
        charts.path(d, history_weeks=8),
        charts.compare([d, results_2026["red-sea"]]),
        charts.gallon(d),
        charts.regions(d),
    ]
    for c in made:
        assert export.spec(c) == c.to_dict(validate=True)
    broken = alt.Chart(alt.Data(values=[{"x": 1}])).mark_line().encode(x="x:Q")
    broken.mark = "not-a-mark"
    with pytest.raises(Exception, match="not-a-mark"):
        broken.to_dict(validate=True)
    assert export.spec(broken)["mark"] == {
        "type": "not-a-mark"
    }  # the check above is the tests' job


def test_the_javascript_bundle_is_kept_in_the_cache_and_a_damaged_copy_is_rebuilt(
    tmp_path, monkeypatch
):
    import vl_convert as vlc

    monkeypatch.setenv("OILSHOCK_CACHE_DIR", str(tmp_path))
    export.javascript_bundle.cache_clear()
    first = export.javascript_bundle()
    kept = sorted((tmp_path / "javascript").iterdir())
    assert [p.suffix for p in kept] == [".js", ".sha256"] and kept[0].read_text() == first
    # A copy edited in the cache (its hash no longer matches) is not served: rebuilt and rewritten.
    kept[0].write_text("alert(1)")
    export.javascript_bundle.cache_clear()
    assert export.javascript_bundle() == first == vlc.javascript_bundle()
    assert kept[0].read_text() == first
    export.javascript_bundle.cache_clear()
