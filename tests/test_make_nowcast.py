"""docs/make_nowcast.py: the tables it writes, and that every marker it fills exists."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load():
    spec = importlib.util.spec_from_file_location("make_nowcast", ROOT / "docs" / "make_nowcast.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def row(**kw):
    base = {"episode": "2026-hormuz", "sample": "all", "forecaster": "model", "series": "brent", "horizon_weeks": 4, "n": 3,
            "mae": 19.18, "mae_no_change": 11.61, "mspe_ratio": 1.46, "coverage_p05_p95": 0.667}
    return {**base, **kw}


def test_tables_and_markers(tmp_path):
    mk = load()
    rows = [row(), row(sample="steo-after-onset"), row(sample="steo-after-onset", forecaster="steo", mae=9.24, mspe_ratio=0.22, coverage_p05_p95=None)]
    assert "| 2026-hormuz | Brent [USD/bbl] | 4 | 3 | 19.18 | 11.61 | 1.46 | 67% |" in mk.results_table(rows)
    assert "| Brent [USD/bbl] | 4 | 3 | 19.18 | 9.24 | 11.61 | 1.46 | 0.22 | 67% | – |" in mk.steo_table(rows, "steo-after-onset")
    f = tmp_path / "x.md"
    f.write_text("a\n<!-- nowcast-results:begin -->\nold\n<!-- nowcast-results:end -->\nb\n")
    mk.fill(f, {"results": "new"})
    assert f.read_text() == "a\n<!-- nowcast-results:begin -->\nnew\n<!-- nowcast-results:end -->\nb\n"
    # The blocks the script fills exist in the committed files.
    for path, names in ((ROOT / "docs" / "nowcast.md", ("results", "steo-after", "steo-before")), (ROOT / "README.md", ("results", "steo-after"))):
        text = path.read_text(encoding="utf-8")
        for name in names:
            assert re.search(rf"<!-- nowcast-{name}:begin -->\n\| .*?\n<!-- nowcast-{name}:end -->", text, re.S), (path, name)
