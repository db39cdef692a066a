"""The rolling nowcast: origins, point in time, scores against no change."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from oilshock.cli import main
from oilshock.evaluate import nowcast


def test_origins_are_mondays_from_the_onset_with_an_outcome():
    o = nowcast.origins(dt.date(2026, 3, 1), dt.date(2026, 8, 17))
    assert o[0] == dt.date(2026, 3, 2) and all(d.weekday() == 0 for d in o)
    assert o[-1] + dt.timedelta(weeks=4) <= dt.date(2026, 8, 17) and len(o) == 21
    assert nowcast.episode_onset("2026-hormuz") == dt.date(2026, 3, 1)


def test_scores_against_no_change(isolated_cache):
    steps = []
    out = nowcast.run_nowcast(["2026-hormuz"], max_origins=2, draws=300, progress=steps.append)
    # One progress step per origin, announced before its forecast, and the count known up front.
    assert len(steps) == 2 == nowcast.nowcast_steps(["2026-hormuz"], max_origins=2)
    assert steps[0].startswith("2026-hormuz 2026-03")
    f = out["forecasts"]
    assert {r["origin"] for r in f} == {"2026-03-02", "2026-03-09"}
    # Point in time: the first origin is a day into the closure, before the 7-day detection rule can fire.
    assert all(r["under_way"] == [] for r in f if r["origin"] == "2026-03-02")
    assert all(r["under_way"] == ["hormuz"] for r in f if r["origin"] == "2026-03-09")
    for r in f:
        assert r["p05"] <= r["p50"] <= r["p95"]
        assert dt.date.fromisoformat(r["target_week"]) == dt.date.fromisoformat(
            r["origin"]
        ) + dt.timedelta(weeks=r["horizon_weeks"])
    row = next(
        r
        for r in out["rows"]
        if r["episode"] == "2026-hormuz" and r["series"] == "brent" and r["horizon_weeks"] == 4
    )
    errs = [r for r in f if r["series"] == "brent" and r["horizon_weeks"] == 4]
    assert row["n"] == 2
    assert row["mae_no_change"] == pytest.approx(
        sum(abs(r["no_change"] - r["actual"]) for r in errs) / 2, abs=0.01
    )
    assert row["coverage_p05_p95"] == sum(r["p05"] <= r["actual"] <= r["p95"] for r in errs) / 2


def test_cli_reproduces_the_table(monkeypatch, isolated_cache):
    monkeypatch.setattr(nowcast, "ORIGIN_WEEKS", 3)
    res = CliRunner().invoke(
        main,
        ["backtest", "--nowcast", "--episode", "2026-hormuz", "--draws", "200", "--format", "csv"],
    )
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith(
        "episode,sample,forecaster,series,unit,horizon_weeks,n,mae,mae_no_change,mspe_ratio"
    )
    # The STEO rows beside the model's on the same origins: 03-02 and 03-09 (Feb vintage), 03-16 (Mar vintage).
    steo = [line.split(",") for line in lines if ",steo," in line]
    assert {(r[1], r[3], r[5], r[6]) for r in steo} >= {
        ("steo-before-onset", "brent", "4", "2"),
        ("steo-after-onset", "brent", "4", "1"),
    }
    assert all(r[-1] == "" for r in steo)
    res = CliRunner().invoke(
        main, ["backtest", "--nowcast", "--episode", "2026-hormuz", "--draws", "200"]
    )
    assert res.exit_code == 0, res.output
    row = next(
        line for line in res.output.splitlines() if "steo-after-onset" in line and " steo " in line
    )
    assert row.split()[-1] == "–"
    assert max(len(line) for line in res.output.splitlines()) <= 100  # short headings + legend
    assert "mspe: MSPE ratio to no change" in res.output
    res = CliRunner().invoke(main, ["backtest", "--nowcast", "--episode", "no-such-episode"])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1


def test_steo_vintage_is_point_in_time(isolated_cache):
    paths = nowcast.read_steo_paths()
    assert sorted(paths) == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    ]
    # Known from the 15th of the release month: the March STEO is not used the day before.
    assert nowcast.steo_vintage(paths, dt.date(2026, 3, 14)) == dt.date(2026, 2, 1)
    assert nowcast.steo_vintage(paths, dt.date(2026, 3, 15)) == dt.date(2026, 3, 1)
    assert nowcast.steo_vintage(paths, dt.date(2026, 3, 31)) == dt.date(2026, 3, 1)
    # From April the current STEO is one the data do not hold; before November 2025 none is known.
    assert nowcast.steo_vintage(paths, dt.date(2026, 4, 1)) is None
    assert nowcast.steo_vintage(paths, dt.date(2025, 11, 14)) is None
    assert nowcast.steo_vintage(paths, dt.date(2011, 3, 7)) is None


@given(st.dates(dt.date(2025, 10, 1), dt.date(2026, 5, 1)))
def test_an_origin_never_uses_a_vintage_released_after_it(origin):
    paths = {
        dt.date(2025 + (m < 11), m, 1): {"known_from": dt.date(2025 + (m < 11), m, 15)}
        for m in (11, 12, 1, 2, 3)
    }
    v = nowcast.steo_vintage(paths, origin)
    if v is not None:
        assert paths[v]["known_from"] <= origin
        assert not any(w > v and p["known_from"] <= origin for w, p in paths.items())
        assert origin < dt.date(2026, 4, 1)
    else:
        assert origin < dt.date(2025, 11, 15) or origin >= dt.date(2026, 4, 1)


def test_steo_scored_like_the_model_on_the_same_origins(isolated_cache):
    out = nowcast.run_nowcast(["2026-hormuz"], max_origins=5, draws=300)
    f = [r for r in out["forecasts"] if r["series"] == "brent" and r["horizon_weeks"] == 4]
    by_origin = {r["origin"]: r for r in f}
    # 03-02 and 03-09: the February STEO (known from 15 Feb, released before the 1 March onset).
    assert [
        by_origin[o]["steo_vintage"]
        for o in ("2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30")
    ] == ["2026-02", "2026-02", "2026-03", "2026-03", "2026-03"]
    assert by_origin["2026-03-09"]["steo_sample"] == "steo-before-onset"
    # Target week 13 Apr (origin 16 Mar + 4 weeks): the March vintage's April Brent.
    assert by_origin["2026-03-16"]["steo"] == 97.0 and by_origin["2026-03-02"]["steo"] == 62.0
    rows = {(r["sample"], r["forecaster"], r["series"], r["horizon_weeks"]): r for r in out["rows"]}
    steo, model = (
        rows[("steo-after-onset", "steo", "brent", 4)],
        rows[("steo-after-onset", "model", "brent", 4)],
    )
    after = [r for r in f if r["steo_sample"] == "steo-after-onset"]
    assert steo["n"] == model["n"] == 3 and steo["steo_vintages"] == ["2026-03"]
    assert steo["mae"] == pytest.approx(
        sum(abs(r["steo"] - r["actual"]) for r in after) / 3, abs=0.01
    )
    assert model["mae"] == pytest.approx(
        sum(abs(r["p50"] - r["actual"]) for r in after) / 3, abs=0.01
    )
    assert steo["mae_no_change"] == model["mae_no_change"]
    mspe = sum((r["steo"] - r["actual"]) ** 2 for r in after) / sum(
        (r["no_change"] - r["actual"]) ** 2 for r in after
    )
    assert steo["mspe_ratio"] == pytest.approx(mspe, abs=1e-3)
    assert steo["coverage_p05_p95"] is None and model["coverage_p05_p95"] is not None
    # The full-sample rows are unchanged in meaning: every origin, the model only.
    assert rows[("all", "model", "brent", 4)]["n"] == 5 and ("all", "steo", "brent", 4) not in rows
