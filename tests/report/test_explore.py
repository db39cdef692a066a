"""The offline explorer (#14 item 5): its grid, its page in headless Chromium, the CLI."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from oilshock.cli import main
from oilshock.report import explore
from oilshock.report.export import spec

from .conftest import console_lines, dump_dom, needs_browser

AS_OF = dt.date(2026, 2, 27)
NOW = dt.date(2026, 8, 18)  # the snapshot's newest date: Hormuz shut since 1 March 2026
CALM = dt.date(2025, 6, 2)  # nothing under way


@pytest.fixture(scope="module")
def grid(params_2026):
    return explore.explorer_grid(as_of=AS_OF, chokepoints=["hormuz"], draws=300)


@pytest.fixture(scope="module")
def grid_now(params_now):
    from oilshock import periods

    # Module-scoped, so built before the tests' pinned clock applies: pin it here too (2026-10-01,
    # after the newest data and before the 2026 midterm).
    with pytest.MonkeyPatch.context() as m:
        m.setattr(periods, "today", lambda: dt.date(2026, 10, 1))
        return explore.explorer_grid(as_of=NOW, chokepoints=["hormuz"], draws=300, seed=11)


def _cell(grid, share, days):
    return next(c for c in grid["cells"] if c["share"] == share and c["days"] == days)


def _path(grid, share, days, series):
    return [
        r
        for r in grid["weekly"]
        if r["share"] == share and r["days"] == days and r["series"] == series
    ]


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


def test_share_runs_from_open_to_closed_and_a_reopening_is_an_easing(grid_now):
    # Hormuz is shut at the shipped as_of: the share still starts at 0 (fully open) ...
    now = grid_now["share_now"]["hormuz"]
    assert now > 0.9 and {c["share"] for c in grid_now["cells"]} == set(explore.SHARES)
    assert explore.SHARES[0] == 0.0 and explore.SHARES[-1] == 1.0
    # ... and every cell says which state it is measured from.
    assert all(c["share_now"] == now for c in grid_now["cells"])
    for share in (0.0, 0.5):  # below the share stopped now: prices ease, a household saves
        c = _cell(grid_now, share, 60)
        assert c["retail_low_usd_per_gal"] < -0.005 and c["brent_low_pct"] < -0.05
        assert c["household_usd_p50"] < -0.5 and c["household_usd_p95"] < 0
    # A full reopening saves more than a half one.
    assert (
        _cell(grid_now, 0.0, 60)["household_usd_p50"]
        < _cell(grid_now, 0.5, 60)["household_usd_p50"]
    )
    d = spec(explore.explorer_chart(grid_now))
    share = next(p for p in d["params"] if p["name"] == "share")
    assert share["bind"]["min"] == 0 and share["bind"]["max"] == 1
    assert f"now: Strait of Hormuz {now:.2f}" in share["bind"]["name"]


def test_calm_date_has_no_easing_and_says_so(params_calm):
    grid = explore.explorer_grid(as_of=CALM, chokepoints=["hormuz"], draws=200, seed=3)
    assert grid["share_now"] == {"hormuz": 0.0}
    # At share 0 nothing is stopped, as now: nothing eases.
    c = _cell(grid, 0.0, 60)
    assert c["retail_low_usd_per_gal"] > -0.005 and c["household_usd_p50"] > -0.5
    assert "now: Strait of Hormuz 0.00" in explore._share_label(grid)


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_a_cell_is_the_estimate_of_its_scenario(grid_now, share):
    """The explorer's changes and levels are the estimate's: same baseline, same draws."""
    import oilshock
    from oilshock.scenario.spec import build_scenario

    sc = build_scenario("hormuz", share, 60, recovery_days=explore.RECOVERY_DAYS)
    d = oilshock.estimate(sc, as_of=NOW, draws=300, seed=11).to_dict()
    c = _cell(grid_now, share, 60)
    assert c["retail_peak_usd_per_gal"] == pytest.approx(
        d["retail_gasoline"]["peak_change_usd_per_gal"]["p50"], abs=1e-4
    )
    assert c["brent_peak_pct"] == pytest.approx(d["brent"]["peak_change_pct"]["p50"], abs=0.01)
    assert c["household_usd_p50"] == pytest.approx(
        d["household"]["usd_total_per_household"]["p50"], abs=0.01
    )
    # Levels on the estimate's no-disruption path (its newest price plus the seasonal drift).
    gas, brent = _path(grid_now, share, 60, "gasoline"), _path(grid_now, share, 60, "brent")
    for g, b, w in zip(gas, brent, d["weekly"], strict=False):
        assert g["week"] == w["week_ending"] and b["week"] == w["week_ending"]
        for q in ("p05", "p50", "p95"):
            assert g[q] == pytest.approx(w["retail_gasoline_usd_per_gal"][q], abs=0.001)
            assert b[q] == pytest.approx(w["brent_usd_per_bbl"][q], abs=0.01)
    # The estimate's headline for an easing is the low of its central path: the explorer's words.
    if share < grid_now["share_now"]["hormuz"] - 0.1:
        low = min(
            w["retail_gasoline_usd_per_gal"]["p50"] - w["retail_gasoline_no_disruption_usd_per_gal"]
            for w in d["weekly"]
        )
        assert c["retail_low_usd_per_gal"] == pytest.approx(low, abs=0.001) and low < 0


def test_history_runs_up_to_as_of_with_the_march_shock_in_view(grid_now):
    for series in ("gasoline", "brent"):
        weeks = sorted(h["week"] for h in grid_now["history"] if h["series"] == series)
        assert weeks and weeks[0] < "2026-03-01"
        last = dt.date.fromisoformat(weeks[-1])
        assert NOW - dt.timedelta(days=7) < last <= NOW
        # The scenario's weeks start after it.
        assert min(r["week"] for r in _path(grid_now, 0.5, 60, series)) > NOW.isoformat()


def _panels(d: dict) -> dict:
    """y title -> the panel's layers (flattened), from the finished spec."""
    out = {}

    def flat(layer):
        for x in layer:
            yield from flat(x["layer"]) if "layer" in x else [x]

    for view in d["vconcat"][0]["vconcat"]:
        if "layer" in view:
            layers = list(flat(view["layer"]))
            title = next(
                x["encoding"]["y"]["title"] for x in layers if "title" in x["encoding"].get("y", {})
            )
            out[title] = layers
    return out


def test_y_axis_is_fixed_per_chokepoint_and_covers_the_whole_grid(params_now):
    grid = explore.explorer_grid(
        as_of=NOW, chokepoints=["hormuz", "bab_el_mandeb"], draws=100, seed=2
    )
    chart = explore.explorer_chart(grid)
    chart.to_dict(validate=True)  # the whole spec against the Vega-Lite schema
    d = spec(chart)
    panels = _panels(d)
    for title, series in (
        ("US regular gasoline [$/gal]", "gasoline"),
        ("Brent crude [$/bbl]", "brent"),
    ):
        scale = next(
            x["encoding"]["y"]["scale"] for x in panels[title] if "scale" in x["encoding"]["y"]
        )
        assert scale["nice"] is False and "expr" in scale["domain"]
        seen = [h["value"] for h in grid["history"] if h["series"] == series]
        for cid in grid["chokepoints"]:
            lo, hi = grid["y_domain"][series][cid]
            # The expression picks this chokepoint's domain.
            expr = scale["domain"]["expr"]
            last = cid == grid["chokepoints"][-1]
            assert (f"[{lo}, {hi}]" if last else f'chokepoint == "{cid}" ? [{lo}, {hi}]') in expr
            rows = [r for r in grid["weekly"] if r["series"] == series and r["chokepoint"] == cid]
            assert lo <= min([r["p05"] for r in rows] + seen)
            assert hi >= max([r["p95"] for r in rows] + seen)


def test_today_and_election_day_are_marked(grid_now):
    # The tests' today (2026-10-01) puts the estimate's election, 3 Nov 2026, inside the horizon.
    assert grid_now["rules"] == {"today": "2026-08-18", "election": "2026-11-03"}
    d = spec(explore.explorer_chart(grid_now))
    for layers in _panels(d).values():
        rules = [x for x in layers if (x.get("mark") or {}).get("type") == "rule"]
        assert len(rules) == 1
        labels = {r["week"]: r["label"] for r in rules[0]["data"]["values"]}
        assert labels == {
            "2026-08-18": "today (newest data: 2026-08-18)",
            "2026-11-03": "election day 2026-11-03",
        }


@needs_browser
def test_page_says_a_reopening_in_the_words_of_its_sign(grid_now, tmp_path):
    page = tmp_path / "explorer.html"
    page.write_text(explore.explorer_html(grid_now), encoding="utf-8")
    res = dump_dom(_Link(page, "#chokepoint=hormuz&share=0&days=60"), tmp_path / "p")
    assert console_lines(res) == []
    c = _cell(grid_now, 0.0, 60)
    (facts,) = re.findall(r">(Central gasoline[^<]*)<", res.stdout)
    (household,) = re.findall(r">(A household[^<]*)<", res.stdout)
    (setting,) = re.findall(r">(Setting:[^<]*)<", res.stdout)
    assert f"Central gasoline falls ${-c['retail_low_usd_per_gal']:.2f}/gal at its lowest" in facts
    assert f"Brent falls {-c['brent_low_pct']:.1f}% at its lowest" in facts
    assert f"saves ${-c['household_usd_p50']:,.0f}" in household and "more" not in household
    assert "a reopening" in setting


def test_writing_the_page_reports_each_step(tmp_path):
    steps = []
    out = tmp_path / "explorer.html"
    explore.write_explorer(
        out, as_of=AS_OF, chokepoints=["hormuz"], draws=100, seed=2, progress=steps.append
    )
    assert steps == ["hormuz", "page"] and len(steps) == explore.explorer_steps(["hormuz"])
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
