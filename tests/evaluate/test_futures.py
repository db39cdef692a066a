"""The futures curve as a status quo, scored against no change (oilshock.evaluate.futures)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import polars as pl
import pytest

from oilshock.data.datasets import load_dataset
from oilshock.evaluate import futures

ROOT = Path(__file__).resolve().parents[2]


def test_the_snapshot_holds_wti_contracts_one_to_four():
    f = load_dataset("crude_futures_daily")
    assert sorted(f["contract"].unique().to_list()) == [1, 2, 3, 4]
    assert str(f["date"].max()) == "2022-02-15"
    # The one negative settlement is real and kept.
    neg = f.filter(pl.col("wti_futures_usd_per_bbl") < 0)
    assert neg.height == 1 and str(neg["date"][0]) == "2020-04-20" and neg["contract"][0] == 1


def test_the_curve_forecast_is_spot_times_the_slope_to_the_horizon():
    curve = {1: 100.0, 2: 95.0, 3: 90.0, 4: 85.0}  # backwardated, as during the 1990 war
    # 4 weeks ahead is 0.923 months past the front: between contracts 1 and 2.
    m = 4 / futures.WEEKS_PER_MONTH
    assert futures.curve_forecast(curve, 80.0, 4) == pytest.approx(80 * (100 - 5 * m) / 100)
    assert futures.curve_forecast({1: 50.0, 2: 50.0, 3: 50.0, 4: 50.0}, 70.0, 12) == 70.0
    assert futures.curve_forecast({1: 100.0, 2: None, 3: 90.0, 4: 85.0}, 80.0, 4) is None


def test_origins_use_nothing_after_them_and_calm_origins_avoid_episodes():
    from oilshock.evaluate.catalog import list_events
    from oilshock.evaluate.nowcast import episode_onset

    o = futures.origins()
    assert set(futures.EPISODES) <= set(o) and all(d.weekday() == 0 for v in o.values() for d in v)
    onsets = [episode_onset(e) for e in list_events()]
    assert all(abs((d - x).days) > 7 * futures.ORIGIN_WEEKS for d in o["calm"] for x in onsets)
    # Every episode scored starts inside the futures data.
    assert all(o[e][0] < dt.date(2022, 2, 15) for e in futures.EPISODES)


def test_scores_pool_the_episodes_and_the_committed_table_is_current():
    rows = futures.score()
    pooled = [r for r in rows if r["sample"] == "all-episodes"]
    assert [r["horizon_weeks"] for r in pooled] == list(futures.HORIZONS)
    per = [r for r in rows if r["sample"] in futures.EPISODES and r["horizon_weeks"] == 4]
    assert pooled[0]["n"] == sum(r["n"] for r in per)
    spec = importlib.util.spec_from_file_location("make_nowcast", ROOT / "docs" / "make_nowcast.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    assert mk.futures_table(rows) in (ROOT / "docs" / "nowcast.md").read_text(encoding="utf-8")
