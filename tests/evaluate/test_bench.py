"""The known-truth bench: its markets behave as their equations say, and the fit reads them."""

from __future__ import annotations

import numpy as np
import pytest

from oilshock.errors import ConfigError
from oilshock.evaluate import bench

MARKETS = {m["name"]: m for m in bench.load_markets()}


def test_flow_market_impact_and_long_run_multipliers():
    m = MARKETS["flow-growing"]
    x = 0.02
    path = bench.true_path(m, x, 120, 120)  # a loss that lasts the whole window
    shortfall = -np.log1p(-x)
    impact = shortfall / (m["supply_elasticity_impact"] - m["demand_elasticity_impact"])
    long_run = shortfall / (m["supply_elasticity_long_run"] - m["demand_elasticity_long_run"])
    assert path[0] == pytest.approx(impact, rel=1e-9)
    assert path[-1] == pytest.approx(long_run, rel=5e-3)  # the lag polynomial stops at 60 months
    assert np.all(np.diff(path[:60]) <= 1e-12)  # the response falls as elasticities grow


def test_storage_without_storage_is_the_static_market():
    m = dict(MARKETS["storage-persistent"], storage_slope=1e-9)
    path = bench.true_path(m, 0.05, 3, 12)
    s = bench.monthly_loss(0.05, 3, 12)
    assert np.allclose(path, s / m["demand_elasticity_impact"], atol=1e-6)


def test_storage_foresight_path_meets_arbitrage_and_the_stock_identity():
    m = MARKETS["storage-persistent"]
    eta, kappa = -m["demand_elasticity_impact"], m["storage_slope"]
    s = bench.monthly_loss(0.11, 4, 30)
    p = bench.true_path(m, 0.11, 4, 30)
    stocks = np.cumsum(s + eta * p)  # I_t = I_{t-1} + s_t - c_t with c_t = -η p_t
    assert np.allclose(stocks[:-1], kappa * np.diff(p), atol=1e-6)  # I_t = κ (p_{t+1} - p_t)
    assert p.max() < -np.log1p(-0.11) / eta  # stocks soften the peak
    assert p[0] > 0 and p[5] > 0  # and the price stays up while stocks are rebuilt


def test_storage_history_meets_rational_expectations():
    m = dict(MARKETS["storage-persistent"], demand_noise_sd=0.0)
    rho, eta, kappa = (
        m["supply_shock_persistence"],
        -m["demand_elasticity_impact"],
        m["storage_slope"],
    )
    rng = np.random.default_rng(1)
    s = np.zeros(400)
    for t in range(1, 400):
        s[t] = rho * s[t - 1] + 0.01 * rng.standard_normal()
    p, _ = bench._storage_history(m, s, np.zeros(400))
    stocks = np.cumsum(s + eta * p)
    c = bench._storage_root(m)
    e = c * (1 - rho) / (1 - c * rho)
    expected_next = (c * stocks + e * rho * s - stocks - rho * s) / eta  # E_t p_{t+1}
    assert np.allclose(stocks, kappa * (expected_next - p), atol=1e-9)


def test_the_fit_recovers_the_flow_markets_impact_multiplier():
    from oilshock.model.crude import fit_crude_response

    m = MARKETS["flow-growing"]
    price, prod, shock = bench.simulate_history(m, np.random.default_rng(7))
    fit = fit_crude_response(price, prod, shock, n_boot=20)
    truth = 1 / (m["supply_elasticity_impact"] - m["demand_elasticity_impact"])
    assert fit["multiplier"][0] == pytest.approx(truth, rel=0.15)
    assert fit["multiplier"][12] < 0.5 * fit["multiplier"][0]  # and it sees the decline


def test_run_bench_scores_every_cell():
    res = bench.run_bench(samples=2, n_boot=30)
    assert len(res.rows) == len(MARKETS) * len(bench.SCENARIOS) * len(bench.CANDIDATES)
    for r in res.rows:
        assert np.isfinite(r["peak_ratio"]) and r["peak_ratio"] > 0 and 0 <= r["coverage90"] <= 1
    summary = {s["candidate"]: s for s in res.summary()}
    assert set(summary) == set(bench.CANDIDATES)
    for cand, s in summary.items():
        cells = [r["peak_ratio"] for r in res.rows if r["candidate"] == cand]
        assert s["admissible"] == all(0.5 <= v <= 2.0 for v in cells)
    md = bench.bench_markdown(res)
    assert md.count("\n| ") == len(res.rows) + len(bench.CANDIDATES) + 2
    again = bench.run_bench(samples=2, n_boot=30)
    assert again.rows == res.rows  # seeded: same inputs, same numbers


def test_the_raw_superposition_falls_back_where_the_envelope_holds_flat():
    from oilshock.model import crude, crude_paths

    draws = np.array([[2.0] * 4 + [1.0] * (crude.HORIZONS - 4)])
    loss = np.full((60, 1), 0.02)
    days = 7.0 * np.arange(60)
    pick = np.array([0])
    raw = crude_paths.superposed_log_price_change(draws, pick, loss, days, running_max=False)
    env = crude_paths.superposed_log_price_change(draws, pick, loss, days)
    assert raw[-1, 0] == pytest.approx(-np.log1p(-0.02) * 1.0, rel=1e-5)
    assert env[-1, 0] == pytest.approx(-np.log1p(-0.02) * 2.0, rel=1e-5)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace(
                "demand_elasticity_impact = -0.1", "demand_elasticity_impact = 0.1", 1
            ),
            "demand_elasticity_impact must be negative",
        ),
        (
            lambda t: t.replace(
                'parameter = "demand_elasticity_impact"\nsource = "Baumeister',
                'parameter = "x"\nsource = "Baumeister',
                1,
            ),
            "no \\[\\[market.source\\]\\] row for demand_elasticity_impact",
        ),
        (
            lambda t: t.replace("storage_slope = 5.0", 'storage_slope = "5"', 1),
            "storage_slope must be a finite number",
        ),
        (
            lambda t: t.replace('kind = "storage"', 'kind = "futures"', 1),
            "kind must be 'flow' or 'storage'",
        ),
    ],
)
def test_a_bad_market_file_fails_in_one_line_naming_market_and_key(tmp_path, edit, message):
    bad = tmp_path / "markets.toml"
    bad.write_text(edit(bench.MARKETS_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        bench.load_markets(bad)
    assert "\n" not in str(err.value) and "storage" in str(err.value)


def test_the_mixture_takes_each_markets_closest_shape_without_the_running_maximum():
    """Per market, the mixable candidate with the smallest mean |log peak ratio|; the running-maximum
    superposition is never a component even where it is closest."""
    from oilshock.evaluate.bench import mixture_components

    ratios = {
        "a": {"superposition": 1.0, "superposition-raw": 0.9, "forward-1m": 0.5, "forward-3m": 0.2},
        "b": {"superposition": 4.0, "superposition-raw": 4.0, "forward-1m": 2.0, "forward-3m": 1.1},
        "c": {"superposition": 2.0, "superposition-raw": 2.0, "forward-1m": 1.2, "forward-3m": 0.4},
    }
    rows = [
        {"market": m, "candidate": c, "peak_ratio": r}
        for m, by in ratios.items()
        for c, r in {**by, "forward-6m": 0.1}.items()
    ]
    assert mixture_components(rows) == ("superposition-raw", "forward-3m", "forward-1m")
    rows = [r for r in rows if r["market"] == "b"]
    assert mixture_components(rows) == ("forward-3m",)
