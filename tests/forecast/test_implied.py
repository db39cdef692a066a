"""The net loss today's Brent implies, beside the tanker counts' (status, the estimate's JSON)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from oilshock.forecast.implied import implied_line, market_implied_loss

NOW = dt.date(2026, 8, 18)


def test_the_closure_under_way_implies_less_than_the_counts(params_now):
    m = market_implied_loss(params_now, NOW)
    assert m["onset"] == "2026-03-01"
    im, co = m["implied_mbd"], m["counted_mbd"]
    assert im["p05"] < im["p50"] < im["p95"] and co["p05"] <= co["p50"] <= co["p95"]
    # Brent about 30% above its pre-war level prices less than the ~2%-of-normal tanker counts stop.
    assert 0 < im["p50"] < co["p50"] and m["gap_mbd_p50"] == pytest.approx(co["p50"] - im["p50"])
    assert "dark" in m["note"] and "less" in implied_line(m)


def test_the_inversion_reproduces_the_price(params_now):
    m = market_implied_loss(params_now, NOW)
    impact = np.asarray(params_now["crude"]["draws"], dtype=float)[:, 0]
    x = m["implied_share"]["p50"]
    # the median replicate's multiplier on the implied shortfall gives back today's price change
    back = np.exp(-np.log1p(-x) * np.median(impact[impact > 0])) - 1
    assert 100 * back == pytest.approx(m["brent_change_since_onset_pct"], rel=0.02)


def test_nothing_under_way_nothing_implied(params_calm):
    assert market_implied_loss(params_calm, dt.date(2025, 6, 2)) is None


def test_a_price_above_what_the_counts_explain_says_so(params_now):
    p = dict(params_now, baseline=dict(params_now["baseline"], brent_usd_per_bbl=400.0))
    m = market_implied_loss(p, NOW)
    assert m["gap_mbd_p50"] < 0 and "precautionary" in m["note"] and "more" in implied_line(m)


def test_status_and_estimate_carry_it(params_now):
    from oilshock.forecast.simulate import estimate
    from oilshock.forecast.status import format_status, get_status

    s = get_status(as_of=NOW, today=dt.date(2026, 12, 6))
    assert s["market_implied"]["implied_mbd"]["p50"] > 0
    assert "Market-implied net loss" in format_status(s)
    d = estimate("now", as_of=NOW, params=params_now, draws=200).to_dict()
    assert d["market_implied"] == s["market_implied"]
    calm = get_status(as_of=dt.date(2025, 6, 2), today=dt.date(2026, 12, 6))
    assert calm["market_implied"] is None and "Market-implied" not in format_status(calm)
