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
    p[:, base + pump.J], p[:, base + pump.J + 1] = (
        rng.normal(-0.05, 0.5, n),
        rng.normal(-0.05, 0.5, n),
    )
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


def _reference_path(fit, params, crude_path):
    """The ECM of ``fit_passthrough`` iterated for one draw, term by term in levels (BCG 1997)."""
    R = list(fit["history_retail"])
    C = list(fit["history_crude"]) + list(crude_path)
    t0 = len(R) - 1
    names = fit["names"]
    c = dict(zip(names, params))
    for s in range(len(crude_path)):
        t = t0 + s
        dr = c["const"]
        for i in range(pump.K + 1):
            dc = C[t - i + 1] - C[t - i]
            dr += c[f"dcrude_pos_l{i}"] * max(dc, 0.0) + c[f"dcrude_neg_l{i}"] * min(dc, 0.0)
        for j in range(1, pump.J + 1):
            dr += c[f"dretail_l{j}"] * (R[t - j + 1] - R[t - j])
        e = R[t] - fit["alpha_usd_per_gal"] - fit["beta"] * C[t]
        dr += c["ect_pos"] * max(e, 0.0) + c["ect_neg"] * min(e, 0.0)
        R.append(R[t] + dr)
    return np.array(R[t0 + 1 :]) - R[t0]


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 2e-5)])
def test_simulation_matches_the_equation(params_2026, dtype, tol):
    """The vectorised recursion (time-major, deviations, lag windows cut after the last change) equals the equation."""
    fit = params_2026["pump"]
    rng = np.random.default_rng(4)
    coefs = pump.draw_params(fit, 6, rng)
    c0 = fit["history_crude"][-1]
    weeks = 30
    paths = np.full((6, weeks), c0)
    paths[0] += (
        0.4  # one step at the start, then flat: only the first K + 1 weeks hold crude changes
    )
    paths[1, 3:] += 0.3  # a step in week 3
    paths[1, 9:] -= 0.5  # and a fall in week 9
    paths[2] = c0 * np.exp(np.cumsum(rng.normal(0, 0.04, weeks)))  # moving every week
    paths[3, :5] = c0 + np.linspace(0.1, 0.5, 5)  # a rise that stops
    # rows 4 and 5: flat at the last observed price
    together = pump.simulate_retail_change(fit, coefs, paths.astype(dtype))
    assert together.dtype == dtype
    for d in range(6):
        want = _reference_path(fit, coefs[d], paths[d])
        np.testing.assert_allclose(together[d], want, atol=tol, rtol=0)
        alone = pump.simulate_retail_change(fit, coefs[d : d + 1], paths[d : d + 1].astype(dtype))[
            0
        ]
        np.testing.assert_allclose(alone, want, atol=tol, rtol=0)


def test_paths_simulated_together_equal_paths_simulated_alone(params_2026):
    fit = params_2026["pump"]
    coef = np.ascontiguousarray(
        pump.draw_params(fit, 300, np.random.default_rng(2)).T, dtype=np.float32
    )
    rng = np.random.default_rng(5)
    up = (
        fit["history_crude"][-1] * np.exp(np.cumsum(rng.normal(0, 0.05, (20, 300)), axis=0))
    ).astype(np.float32)
    flat = np.full((20, 1), fit["history_crude"][-1], dtype=np.float32)
    noise = rng.normal(0, 0.02, (20, 300)).astype(np.float32)
    together = pump.simulate_many(fit, coef, [(up, None), (flat, None), (up, noise)])
    alone = [
        pump.simulate_paths(fit, coef, up),
        pump.simulate_paths(fit, coef, flat),
        pump.simulate_paths(fit, coef, up, noise),
    ]
    for a, b in zip(together, alone):
        np.testing.assert_array_equal(a, b)
    # A draw's path does not depend on the other draws simulated with it.
    np.testing.assert_array_equal(pump.simulate_paths(fit, coef[:, :7], up[:, :7]), alone[0][:, :7])


def test_one_coefficient_row_serves_every_path_and_dtypes_may_differ(params_2026):
    fit = params_2026["pump"]
    mean = np.asarray(fit["params"])[None, :]
    paths = fit["history_crude"][-1] + np.linspace(0, 0.6, 3)[:, None] * np.ones((3, 12))
    one = pump.simulate_retail_change(fit, mean, paths)
    each = pump.simulate_retail_change(fit, np.repeat(mean, 3, axis=0), paths)
    np.testing.assert_array_equal(one, each)
    mixed = pump.simulate_paths(
        fit, np.ascontiguousarray(np.repeat(mean, 3, axis=0).T), paths.T.astype(np.float32)
    )
    assert mixed.dtype == np.float32
    np.testing.assert_allclose(mixed.T, each, atol=1e-5)


def test_fit_simulation_and_targets_share_one_crude_week():
    """Survey Monday d's crude is days d-7..d-3 in the fit, the simulated loss, the harness
    target and the backtest (finding 4).

    A daily Brent equal to the day's offset from d, and a loss present on exactly one day: each side
    must pick out the same days, so a change to any one of them fails here.
    """
    import datetime as dt

    import polars as pl

    from oilshock.evaluate import backtest
    from oilshock.evaluate.run import _Actuals
    from oilshock.model import supply

    d = dt.date(2024, 3, 11)  # a Monday
    ks = [k for k in range(15) if (d - dt.timedelta(days=k)).weekday() < 5]  # trading days only
    brent = pl.DataFrame(
        {
            "date": sorted(d - dt.timedelta(days=k) for k in ks),
            "brent_usd_per_bbl": [float(k) for k in sorted(ks, reverse=True)],
        }
    )
    want = np.mean([3, 4, 5, 6, 7])
    retail = pl.DataFrame({"date": [d], "retail_usd_per_gal": [3.0]})
    assert pump.weekly_inputs(brent, retail)["crude_usd_per_gal"][
        0
    ] * pump.GAL_PER_BBL == pytest.approx(want)
    assert pump.FIT_CRUDE_DAYS == (-7, -3)
    weekly = backtest.weekly_brent(brent, d - dt.timedelta(days=1), d)
    assert weekly["date"].to_list() == [d] and weekly["brent_usd_per_bbl"][0] == pytest.approx(want)
    actual = _Actuals(
        brent,
        pl.DataFrame(
            {"date": [d], "area": ["us"], "grade": ["regular"], "retail_usd_per_gal": [3.0]}
        ),
    )
    assert actual.brent_week(d) == pytest.approx(want)
    # The simulated week: a one-day loss counts in survey d's week only on the days d-7..d-3.
    empty = {
        "stock_release_delay_days": 0.0,
        "stock_release_days": 1.0,
        "spare_capacity_mbd": 0.0,
        "spare_delay_days": 0.0,
    }
    for k in range(-10, 2):
        one = {
            "start": np.array([float(k)]),
            "duration_days": np.array([1.0]),
            "recovery_days": np.array([0.0]),
            "volume_mbd": np.array([5.0]),
            "bypass_mbd": np.array([0.0]),
            "reroute_days": np.array([np.inf]),
        }
        got = supply.net_loss_paths(
            {"disruptions": [one], "groups": None, "stock_rate_mbd": np.array([0.0])},
            empty,
            100.0,
            np.array([0.0]),
        )
        assert (got["gross_mbd"][0, 0] > 0) == (-7 <= k <= -3), k
        if -7 <= k <= -3:
            assert got["gross_mbd"][0, 0] == pytest.approx(5.0 / 5)
