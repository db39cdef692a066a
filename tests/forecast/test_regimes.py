"""The multiplier's spread between periods (+regimes) in the simulation: wiring and invariants."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from oilshock.forecast.simulate import estimate, run_draws
from oilshock.scenario.spec import load_scenario, parse_scenario

AS_OF = dt.date(2026, 2, 27)


def case(share=0.5, duration=60):
    return parse_scenario(
        f'horizon_weeks = 20\n[[disruptions]]\nchokepoint = "hormuz"\nshare = {share}\n'
        f"duration_days = {duration}\n"
    )


@pytest.mark.parametrize("base", ["forward-1m", "mixture"])
def test_regimes_widen_the_band_and_leave_the_other_streams_alone(params_2026, base):
    plain = run_draws(case(), dict(params_2026, crude_model=base), AS_OF, 2000, 5)
    wide = run_draws(case(), dict(params_2026, crude_model=base + "+regimes"), AS_OF, 2000, 5)
    pa = np.percentile(plain.brent_change_pct.max(axis=1), [5, 50, 95])
    pb = np.percentile(wide.brent_change_pct.max(axis=1), [5, 50, 95])
    assert pb[2] - pb[0] > 1.5 * (pa[2] - pa[0]), (pa, pb)
    assert plain.multiplier_factor is None and wide.multiplier_factor.min() >= 0
    # Each draw's effect is its plain effect times its factor: nothing else moved.
    np.testing.assert_allclose(
        np.log1p(wide.brent_change_pct / 100),
        np.log1p(plain.brent_change_pct / 100) * wide.multiplier_factor[:, None],
        rtol=1e-4,
        atol=1e-6,
    )


def test_regimes_keep_zero_disruption_at_zero_and_more_never_lower(params_2026):
    p = dict(params_2026, crude_model="forward-1m+regimes+margin+seasonal")
    none = run_draws(case(share=0.0), p, AS_OF, 500, 5)
    assert np.all(none.brent_change_pct == 0) and np.all(none.retail_change == 0)
    lo = run_draws(case(share=0.3), p, AS_OF, 500, 5)
    hi = run_draws(case(share=0.6), p, AS_OF, 500, 5)
    assert np.all(hi.brent >= lo.brent * (1 - 1e-5))


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2026, 8, 18)])
def test_sweep_cell_equals_the_estimate_with_regimes(params_2026, params_now, as_of):
    from oilshock.forecast.sweep import sweep

    base = params_2026 if as_of == AS_OF else params_now
    p = dict(base, crude_model="forward-1m+regimes+margin+seasonal")
    rows = sweep("hormuz-partial", [0.25, 0.5], [60.0], as_of=as_of, params=p, draws=300, seed=5)
    est = estimate("hormuz-partial", as_of=as_of, params=p, draws=300, seed=5).to_dict()
    assert rows[1]["brent_peak_change_pct"] == est["brent"]["peak_change_pct"]
    assert (
        rows[1]["retail_peak_change_usd_per_gal"]
        == est["retail_gasoline"]["peak_change_usd_per_gal"]
    )


def test_under_way_the_observed_rise_conditions_the_factor(params_now):
    """A reopening during the 2026 closure eases Brent in every draw, the period spread included: a
    draw whose factor is near zero must not read the whole observed rise as something other than the
    loss (it did before the factor entered through the anchor)."""
    p = dict(params_now, crude_model="forward-1m+regimes+margin+seasonal")
    sim = run_draws(load_scenario("hormuz-reopens"), p, dt.date(2026, 8, 18), 2000, 5)
    assert (sim.multiplier_factor < 0.2).mean() > 0.1  # the spread is there ...
    low = sim.brent_change_pct.min(axis=1)
    assert np.percentile(low, 95) < -20  # ... and every draw eases by about the observed premium


def test_realised_share_with_a_factor():
    from types import SimpleNamespace

    from oilshock.forecast.paths import realised_share

    piece = SimpleNamespace(start_day=-100, chokepoint="hormuz")
    p = {
        "supply": {"chokepoints": {"hormuz": {"state": {"brent_before_onset_usd_per_bbl": 50.0}}}},
        "baseline": {"brent_usd_per_bbl": 50.0 * np.exp(0.3)},
    }
    effect = np.array([0.6, 0.6, 0.15, 0.15, 0.15, 0.0])
    f = np.array([0.0, 3.0, 0.0, 1.5, 3.0, 0.7])
    np.testing.assert_allclose(realised_share(p, [piece], effect), [0.5, 0.5, 1, 1, 1, 1])
    # r <= 1: pinned at r whatever f; r = 2 > 1: min(max(f, 1), r); no effect: f.
    np.testing.assert_allclose(realised_share(p, [piece], effect, f), [0.5, 0.5, 1, 1.5, 2, 0.7])
