"""The scripts that write parts of docs/ and README.md still run and match what is committed."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load(name: str):
    """docs/<name>.py as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def row(**kw):
    base = {
        "episode": "2026-hormuz",
        "sample": "all",
        "forecaster": "model",
        "series": "brent",
        "horizon_weeks": 4,
        "n": 3,
        "mae": 19.18,
        "mae_no_change": 11.61,
        "mspe_ratio": 1.46,
        "coverage_p05_p95": 0.667,
    }
    return {**base, **kw}


def test_tables_and_markers(tmp_path):
    mk = load("make_nowcast")
    rows = [
        row(),
        row(sample="steo-after-onset"),
        row(
            sample="steo-after-onset",
            forecaster="steo",
            mae=9.24,
            mspe_ratio=0.22,
            coverage_p05_p95=None,
        ),
    ]
    assert (
        "| 2026-hormuz | Brent [USD/bbl] | 4 | 3 | 19.18 | 11.61 | 1.46 | 67% |"
        in mk.results_table(rows)
    )
    assert (
        "| Brent [USD/bbl] | 4 | 3 | 19.18 | 9.24 | 11.61 | 1.46 | 0.22 | 67% | – |"
        in mk.steo_table(rows, "steo-after-onset")
    )
    f = tmp_path / "x.md"
    f.write_text("a\n<!-- nowcast-results:begin -->\nold\n<!-- nowcast-results:end -->\nb\n")
    mk.fill(f, {"results": "new"})
    assert (
        f.read_text() == "a\n<!-- nowcast-results:begin -->\nnew\n<!-- nowcast-results:end -->\nb\n"
    )
    # The blocks the script fills exist in the committed files.
    for path, names in (
        (ROOT / "docs" / "nowcast.md", ("results", "steo-after", "steo-before", "futures")),
        (ROOT / "README.md", ("results", "steo-after")),
    ):
        text = path.read_text(encoding="utf-8")
        for name in names:
            assert re.search(
                rf"<!-- nowcast-{name}:begin -->\n\| .*?\n<!-- nowcast-{name}:end -->", text, re.S
            ), (path, name)


def test_every_kind_is_drawn_and_the_committed_page_is_current(tmp_path, params_2026):
    from oilshock.report.make import KINDS

    mk = load("make_gallery")
    files = mk.build(tmp_path, draws=200)
    assert [f.name for f in files] == [e[0] for e in mk.entries()] and {
        e[1] for e in mk.entries()
    } == set(KINDS)
    # Every kind is drawn at the newest data except the backtest, which needs a past as_of.
    assert {k for k, *_ in mk.CHARTS} == set(KINDS) - {"backtest"}
    assert all(f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for f in files)
    committed = (ROOT / "docs" / "gallery.md").read_text(encoding="utf-8")
    assert committed == mk.page("img")
    for name in re.findall(r"\]\((img/[^)]+)\)", committed):
        assert (ROOT / "docs" / name).is_file(), name
