"""The offline explorer (#14 item 5): its grid, its page in headless Chromium, the CLI."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from oilshock.cli import main
from oilshock.report import explore

from .conftest import console_lines, dump_dom, needs_browser

AS_OF = dt.date(2026, 2, 27)


@pytest.fixture(scope="module")
def grid(params_2026):
    return explore.explorer_grid(as_of=AS_OF, chokepoints=["hormuz"], draws=300)


def test_grid_cells_are_the_sweep_and_cover_every_setting(grid):
    from oilshock.forecast.simulate import sweep

    assert len(grid["cells"]) == len(explore.SHARES) * len(explore.DURATIONS)
    cell = next(c for c in grid["cells"] if c["share"] == 0.7 and c["days"] == 60)
    template = __import__("oilshock.scenario.spec", fromlist=["build_scenario"]).build_scenario(
        "hormuz", 1.0, 30, recovery_days=explore.RECOVERY_DAYS
    )
    (row,) = sweep(template, [0.7], [60], as_of=AS_OF, chokepoint="hormuz", draws=300)
    assert cell["retail_peak_usd_per_gal"] == row["retail_peak_change_usd_per_gal"]["p50"]
    weeks = [
        r
        for r in grid["weekly"]
        if r["share"] == 0.7 and r["days"] == 60 and r["series"] == "gasoline"
    ]
    assert len(weeks) == 26 and all(r["p05"] <= r["p50"] <= r["p95"] for r in weeks)
    # More disruption never lowers the central peak (the grid is monotone in share).
    peaks = [
        c["retail_peak_usd_per_gal"]
        for c in sorted((c for c in grid["cells"] if c["days"] == 60), key=lambda c: c["share"])
    ]
    assert peaks == sorted(peaks)


class _Link:
    """A page with a '#...' setting, for dump_dom (which opens ``page.as_uri()``)."""

    def __init__(self, path, fragment):
        self.path, self.fragment = path, fragment

    def as_uri(self):
        return self.path.as_uri() + self.fragment


def _shown(res) -> str:
    (text,) = re.findall(r">(Central gasoline peak[^<]*)<", res.stdout)
    return text


@needs_browser
def test_page_works_offline_and_a_setting_moves_the_plotted_peak(grid, tmp_path):
    page = tmp_path / "explorer.html"
    page.write_text(explore.explorer_html(grid), encoding="utf-8")
    assert "<script src=" not in page.read_text()
    default = dump_dom(page, tmp_path / "p1")
    assert console_lines(default) == [] and _shown(default).startswith("Central gasoline peak")
    cell = next(c for c in grid["cells"] if c["share"] == 0.9 and c["days"] == 120)
    moved = dump_dom(_Link(page, "#chokepoint=hormuz&share=0.9&days=120"), tmp_path / "p2")
    text = _shown(moved)
    assert (
        f"+${cell['retail_peak_usd_per_gal']:.2f}/gal" in text
        and f"Brent +{cell['brent_peak_pct']:.1f}%" in text
    )
    assert text != _shown(default) and console_lines(moved) == []


def test_cli_refuses_a_non_html_file_and_an_unknown_chokepoint(tmp_path):
    res = CliRunner().invoke(main, ["explore", "-o", str(tmp_path / "x.png")])
    assert (
        res.exit_code == 2
        and "interactive page" in res.output
        and not (tmp_path / "x.png").exists()
    )
    res = CliRunner().invoke(
        main, ["explore", "-o", str(tmp_path / "x.html"), "-c", "atlantis", "--as-of", "2026-02-27"]
    )
    assert (
        res.exit_code == 2
        and "unknown chokepoint 'atlantis'" in res.output
        and not (tmp_path / "x.html").exists()
    )
