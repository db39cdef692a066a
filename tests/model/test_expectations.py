"""Expectations / risk-premium term (oilshock.model.expectations): fit on synthetic months, invariants."""

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from oilshock.model import expectations as ex


def _months(n=240, beta=0.1, seed=0):
    rng = np.random.default_rng(seed)
    months = [dt.date(1990 + i // 12, i % 12 + 1, 1) for i in range(n)]
    shock = rng.normal(0, 0.6, n)
    logp = np.log(20) + np.cumsum(beta * shock + rng.normal(0, 0.02, n))
    shocks = pl.DataFrame({"date": months, "series": ex.NEWS_SERIES, "value": shock})
    return shocks, pl.DataFrame({"month": months, "brent_usd_per_bbl": np.exp(logp)})


def test_fit_recovers_the_impact_and_ignores_months_after_as_of():
    shocks, brent = _months()
    as_of = dt.date(2005, 6, 15)
    fit = ex.fit_news_premium(shocks, brent, as_of, horizons=3)
    assert abs(fit["coef_dlog_per_shock"][0] - 0.1) < 0.01
    assert fit["sample"][1] < "2005-06-01"
    late = brent.with_columns(
        pl.when(pl.col("month") >= dt.date(2005, 6, 1))
        .then(1e4)
        .otherwise(pl.col("brent_usd_per_bbl"))
        .alias("brent_usd_per_bbl")
    )
    again = ex.fit_news_premium(shocks, late, as_of, horizons=3)
    np.testing.assert_array_equal(fit["coef_dlog_per_shock"], again["coef_dlog_per_shock"])


def test_too_short_a_history_gives_no_fit_and_a_zero_term():
    shocks, brent = _months(n=40)
    fit = ex.fit_news_premium(shocks, brent, dt.date(2000, 1, 1))
    assert fit["coef_dlog_per_shock"] is None
    assert np.all(ex.premium_path(fit, np.arange(1, 6), 2.0) == 0)


def _fit():
    return {
        "coef_dlog_per_shock": np.array([0.1, 0.15, 0.12, 0.08]),
        "se": np.full(4, 0.02),
        "shock_sd": 0.6,
    }


@settings(max_examples=40, deadline=None)
@given(weeks=st.integers(1, 30), share=st.floats(0, 0.1))
def test_no_threat_gives_zero(weeks, share):
    out = ex.premium_path(_fit(), np.arange(1, weeks + 1), 0.0, np.full(weeks, share), 0.05)
    assert np.all(out == 0)


def test_premium_converts_as_the_expected_loss_arrives():
    w = np.arange(1, 11)
    share = np.linspace(0, 0.05, 10)
    full = ex.premium_path(_fit(), w, 1.0)
    conv = ex.premium_path(_fit(), w, 1.0, share, 0.05)
    assert conv[-1] == 0 and conv[0] == full[0]
    assert np.all(np.abs(conv) <= np.abs(full) + 1e-15)
    # a loss smaller than feared leaves part of the premium
    assert np.all(ex.premium_path(_fit(), w, 1.0, share / 2, 0.05)[1:] > 0)


@settings(max_examples=40, deadline=None)
@given(k=st.floats(0, 3), extra=st.floats(0, 3))
def test_a_larger_threat_gives_a_larger_premium_when_the_response_is_positive(k, extra):
    w = np.arange(1, 30)
    assert np.all(ex.premium_path(_fit(), w, k + extra) >= ex.premium_path(_fit(), w, k) - 1e-15)


def test_drawn_coefficients_have_one_row_per_draw():
    c = ex.draw_coefficients(_fit(), 7, np.random.default_rng(0))
    out = ex.premium_path(_fit(), np.arange(1, 5), 1.0, coef=c)
    assert out.shape == (7, 4)
