"""The rolling nowcast: origins, point in time, scores against no change."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from oilshock import nowcast
from oilshock.cli import main


def test_origins_are_mondays_from_the_onset_with_an_outcome():
    o = nowcast.origins(dt.date(2026, 3, 1), dt.date(2026, 8, 17))
    assert o[0] == dt.date(2026, 3, 2) and all(d.weekday() == 0 for d in o)
    assert o[-1] + dt.timedelta(weeks=4) <= dt.date(2026, 8, 17) and len(o) == 21
    assert nowcast.episode_onset("2026-hormuz") == dt.date(2026, 3, 1)


def test_scores_against_no_change(isolated_cache):
    out = nowcast.run_nowcast(["2026-hormuz"], max_origins=2, draws=300)
    f = out["forecasts"]
    assert {r["origin"] for r in f} == {"2026-03-02", "2026-03-09"}
    # Point in time: the first origin is a day into the closure, before the 7-day detection rule can fire.
    assert all(r["under_way"] == [] for r in f if r["origin"] == "2026-03-02")
    assert all(r["under_way"] == ["hormuz"] for r in f if r["origin"] == "2026-03-09")
    for r in f:
        assert r["p05"] <= r["p50"] <= r["p95"]
        assert dt.date.fromisoformat(r["target_week"]) == dt.date.fromisoformat(r["origin"]) + dt.timedelta(weeks=r["horizon_weeks"])
    row = next(r for r in out["rows"] if r["episode"] == "2026-hormuz" and r["series"] == "brent" and r["horizon_weeks"] == 4)
    errs = [r for r in f if r["series"] == "brent" and r["horizon_weeks"] == 4]
    assert row["n"] == 2
    assert row["mae_no_change"] == pytest.approx(sum(abs(r["no_change"] - r["actual"]) for r in errs) / 2, abs=0.01)
    assert row["coverage_p05_p95"] == sum(r["p05"] <= r["actual"] <= r["p95"] for r in errs) / 2


def test_cli_reproduces_the_table(monkeypatch, isolated_cache):
    monkeypatch.setattr(nowcast, "ORIGIN_WEEKS", 1)
    res = CliRunner().invoke(main, ["backtest", "--nowcast", "--episode", "2026-hormuz", "--draws", "200", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0].startswith("episode,series,unit,horizon_weeks,n,mae,mae_no_change,mspe_ratio")
    res = CliRunner().invoke(main, ["backtest", "--nowcast", "--episode", "no-such-episode"])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
