"""The harness: targets measured like the forecast, baselines from the past only, calm origins away from events."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from oilshock.data.datasets import load_dataset
from oilshock.evaluate import catalog, run


@pytest.fixture(scope="module")
def actuals():
    return run._Actuals(load_dataset("brent_daily"), load_dataset("retail_gasoline_weekly"))


def test_weekly_brent_is_the_mean_of_days_d_minus_7_to_d_minus_3(actuals):
    import polars as pl

    d = dt.date(2026, 4, 13)
    b = load_dataset("brent_daily").filter(
        (pl.col("date") >= d - dt.timedelta(days=7)) & (pl.col("date") <= d - dt.timedelta(days=3))
    )
    assert actuals.brent_week(d) == pytest.approx(float(b["brent_usd_per_bbl"].mean()))
    assert actuals.retail_on(dt.date(2026, 5, 11)) == pytest.approx(4.5)


def test_analogs_use_only_earlier_years_and_carry_the_season(actuals):
    as_of = dt.date(2019, 2, 15)
    weeks = [as_of + dt.timedelta(days=3 + 7 * k) for k in range(20)]
    brent, retail = run.analog_changes(actuals, as_of, weeks)
    assert brent.shape == (run.ANALOG_YEARS, 20) and retail.shape == (run.ANALOG_YEARS, 20)
    assert max(weeks) - dt.timedelta(weeks=52) < as_of  # the latest member ends before as_of
    np.testing.assert_allclose(brent.mean(axis=0), 0.0, atol=1e-12)  # Brent: no drift
    assert (
        np.median(retail[:, -1]) > 0.1
    )  # gasoline rises from February into summer in a normal year


def test_calm_origins_avoid_every_event(actuals):
    events = catalog.load_catalog()
    origins = run.calm_origins(events, actuals.last_date)
    assert len(origins) >= 20 and all(d.weekday() == 4 for d in origins)
    for d in origins:
        assert all(not (-20 * 7 <= (e.as_of - d).days <= 26 * 7) for e in events)


def test_score_target_counts_and_skill():
    rng = np.random.default_rng(1)
    model = rng.normal(0.0, 1.0, size=(4000, 20))
    actual = np.zeros(20)
    actual[3] = np.nan
    out = run.score_target(model, actual, {"no_change": rng.normal(0.0, 3.0, size=(15, 20))}, 0.0)
    assert out["weeks_observed"] == 19 and out["inside_90"] == 19 and out["inside_50"] == 19
    assert out["skill_no_change"] > 0  # sharper and centred on the outcome
    assert (
        out["peak_actual_change"] == 0.0 and out["peak_change_p50"] > 0
    )  # the max of 19 noisy weeks


def test_seasonal_profile_is_the_normal_rise_not_explained_by_crude(actuals):
    as_of = dt.date(2019, 2, 15)
    weeks = [as_of + dt.timedelta(days=3 + 7 * k) for k in range(20)]
    with_crude = run.seasonal_profile(
        actuals, as_of, weeks, beta=0.0
    )  # nothing removed: the raw median change
    _, retail = run.analog_changes(actuals, as_of, weeks)
    np.testing.assert_allclose(with_crude, np.median(retail, axis=0))
    net = run.seasonal_profile(actuals, as_of, weeks, beta=1.0)
    assert net.shape == (20,) and net[-1] > 0  # spring: gasoline rises beyond what crude explains
