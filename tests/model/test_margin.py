"""Refinery-margin link (oilshock.model.margin): fit on synthetic weeks, invariants of the simulated margin."""

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from oilshock.model import margin


def _weeks(n=520, slope=0.5, seed=0):
    rng = np.random.default_rng(seed)
    d0 = dt.date(2000, 1, 3)
    dates = [d0 + dt.timedelta(weeks=i) for i in range(n)]
    logb = np.cumsum(rng.normal(0, 0.04, n)) + np.log(60)
    crack = 0.3 + slope * np.maximum(logb - np.log(60), 0) + rng.normal(0, 0.01, n)
    return pl.DataFrame(
        {"survey_date": dates, "crack_usd_per_gal": crack, "brent_usd_per_bbl": np.exp(logb)}
    )


def _fit():
    return {
        "coef_usd_per_gal_per_dlog": np.array([0.1, 0.2, 0.3]),
        "se": np.array([0.05, 0.05, 0.05]),
    }


def test_fit_uses_only_weeks_on_or_before_as_of_and_finds_a_positive_response():
    f = _weeks()
    as_of = dt.date(2008, 1, 1)
    fit = margin.fit_margin_response(f, None, as_of, horizons=4)
    assert fit["sample"][1] <= "2008-01-01"
    later = f.with_columns(
        pl.when(pl.col("survey_date") > as_of)
        .then(99.0)
        .otherwise(pl.col("crack_usd_per_gal"))
        .alias("crack_usd_per_gal")
    )
    again = margin.fit_margin_response(later, None, as_of, horizons=4)
    np.testing.assert_array_equal(
        fit["coef_usd_per_gal_per_dlog"], again["coef_usd_per_gal_per_dlog"]
    )
    assert np.all(np.isfinite(fit["se"])) and fit["cov"].shape == (4, 4)


def test_weekly_crack_pairs_days_d7_to_d3_with_monday_d():
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(14)]
    days = [d for d in days if d.weekday() < 5]
    w = pl.DataFrame(
        {"date": days, "market": "ny_harbor_conventional", "wholesale_usd_per_gal": 2.0}
    )
    b = pl.DataFrame({"date": days, "brent_usd_per_bbl": [42.0 * (1 + (d.day % 3)) for d in days]})
    out = margin.weekly_crack(w, b)
    first = out.row(0, named=True)
    assert first["survey_date"] == dt.date(2024, 1, 8)  # Mon 1..Fri 5 January
    assert (
        abs(first["brent_usd_per_bbl"] - np.mean([42.0 * (1 + d % 3) for d in range(1, 6)])) < 1e-12
    )


def test_zero_brent_change_gives_zero_margin():
    out = margin.simulate_margin_paths(_fit(), np.zeros((50, 6)), np.random.default_rng(1))
    assert np.all(out == 0)


@settings(max_examples=50, deadline=None)
@given(
    base=st.lists(st.floats(-1, 1), min_size=5, max_size=5),
    extra=st.lists(st.floats(0, 1), min_size=5, max_size=5),
    seed=st.integers(0, 2**16),
)
def test_more_crude_rise_never_lowers_the_margin(base, extra, seed):
    x = np.array(base)[None, :].repeat(20, 0)
    lo = margin.simulate_margin_paths(_fit(), x, np.random.default_rng(seed))
    hi = margin.simulate_margin_paths(
        _fit(), x + np.array(extra)[None, :], np.random.default_rng(seed)
    )
    assert np.all(hi >= lo) and np.all(lo >= 0)
