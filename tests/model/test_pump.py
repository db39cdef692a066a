"""Pass-through from crude to the pump: the fitted ECM and its simulation."""

from __future__ import annotations

import numpy as np
import pytest

from oilshock.model import pump


def test_fit_in_literature_range(params_2026):
    p = params_2026["pump"]
    # literature.md §3a: 2.20-2.59 ¢/gal per $/bbl from weekly levels regressions; 2.38 is the barrel identity.
    assert 1.9 < p["passthrough_cents_per_gal_per_usd_per_bbl"] < 2.9
    assert p["sample_last"] <= "2026-02-27"
    assert p["passthrough_cents_per_gal_per_usd_per_bbl"] == pytest.approx(2.219, abs=0.005)


def test_rockets_and_feathers(params_2026):
    """Increases pass through faster than decreases in the first weeks (BCG 1997)."""
    up = np.array(params_2026["pump"]["profile_up"])
    down = np.array(params_2026["pump"]["profile_down"])
    assert up[0] > down[0] and up[1] > down[1]
    assert 0.7 < up[7] < 1.4 and 0.7 < down[7] < 1.4  # most of a step has passed within two months


def test_flat_crude_gives_identical_paths(params_2026):
    fit = params_2026["pump"]
    coefs = pump.draw_params(fit, 50, np.random.default_rng(1))
    flat = np.full((50, 10), fit["history_crude"][-1])
    a = pump.simulate_retail_change(fit, coefs, flat)
    b = pump.simulate_retail_change(fit, coefs, flat.copy())
    np.testing.assert_array_equal(a, b)


def test_higher_crude_raises_retail(params_2026):
    fit = params_2026["pump"]
    coefs = np.asarray(fit["params"])[None, :]
    base = np.full((1, 20), fit["history_crude"][-1])
    up = base + 0.5
    d = pump.simulate_retail_change(fit, coefs, up) - pump.simulate_retail_change(fit, coefs, base)
    assert (d > 0).all()
    # After 20 weeks the retail rise approaches beta × the crude rise.
    assert d[0, -1] == pytest.approx(fit["beta"] * 0.5, rel=0.25)


def test_stability_test_matches_eigenvalues():
    """The closed-form Jury conditions agree with the companion matrix's eigenvalues."""
    rng = np.random.default_rng(1)
    n = 5000
    p = np.zeros((n, 1 + 2 * (pump.K + 1) + pump.J + 2))
    base = 3 + 2 * pump.K
    p[:, base], p[:, base + 1] = rng.normal(0.3, 0.5, n), rng.normal(0.1, 0.5, n)
    p[:, base + pump.J], p[:, base + pump.J + 1] = rng.normal(-0.05, 0.5, n), rng.normal(-0.05, 0.5, n)
    ok = np.ones(n, dtype=bool)
    for lam in (p[:, base + pump.J], p[:, base + pump.J + 1]):
        comp = np.zeros((n, 3, 3))
        comp[:, 0, 0] = 1 + p[:, base] + lam
        comp[:, 0, 1] = p[:, base + 1] - p[:, base]
        comp[:, 0, 2] = -p[:, base + 1]
        comp[:, 1, 0] = comp[:, 2, 1] = 1.0
        ok &= np.abs(np.linalg.eigvals(comp)).max(axis=1) < 1
    assert 0.05 < ok.mean() < 0.95  # both outcomes are exercised
    np.testing.assert_array_equal(pump.is_stable(p), ok)


def test_draws_are_stable(params_2026):
    draws = pump.draw_params(params_2026["pump"], 2000, np.random.default_rng(3))
    assert pump.is_stable(draws).all()
