"""The impact multiplier's spread between periods (+regimes): the estimator and its use."""

from __future__ import annotations

import numpy as np
import pytest

from oilshock.model import crude_regimes


def _subs(impacts, variances):
    return [{"impact": m, "variance": v} for m, v in zip(impacts, variances)]


def test_dersimonian_laird_by_hand():
    # Q = 8 over K - 1 = 2 degrees of freedom; sum w - sum w^2 / sum w = 3 - 1 = 2: tau^2 = 3.
    assert crude_regimes.between_period_sd(_subs([0.0, 2.0, 4.0], [1.0] * 3)) == pytest.approx(
        np.sqrt(3.0)
    )
    # Estimates as far apart as their sampling errors say: no spread between periods.
    assert crude_regimes.between_period_sd(_subs([1.0, 2.0, 3.0], [1.0] * 3)) == 0.0
    # Fewer than three periods, or a degenerate variance: none is claimed.
    assert crude_regimes.between_period_sd(_subs([0.0, 9.0], [0.1, 0.1])) == 0.0
    assert crude_regimes.between_period_sd(_subs([0.0, 2.0, 9.0], [0.1, 0.0, 0.1])) == 0.0


def test_subsamples_are_consecutive_ten_year_blocks_and_recover_their_own_multipliers():
    """Three decades with impact multipliers 1, 3 and 6 (price = -M x production on impact), then a
    short tail that is dropped: each block's IV ratio is its own M, and tau is large."""
    rng = np.random.default_rng(0)
    n = 30 * 12 + 5 * 12
    months = np.arange(n)
    z = rng.standard_normal(n)
    yq = 0.5 * z + 0.1 * rng.standard_normal(n)
    m = np.select([months < 120, months < 240], [1.0, 3.0], 6.0)
    yp = -m * yq + 0.05 * rng.standard_normal(n)
    X = np.column_stack([np.ones(n), z])
    subs = crude_regimes.subsample_impacts(months, X, yp, yq, n_boot=50)
    assert [(s["first"], s["last"]) for s in subs] == [(0, 119), (120, 239), (240, 359)]
    np.testing.assert_allclose([s["impact"] for s in subs], [1.0, 3.0, 6.0], rtol=0.05)
    assert crude_regimes.between_period_sd(subs) > 1.5
    # A tail of eight years or more is kept.
    longer = crude_regimes.subsample_impacts(
        np.arange(38 * 12),
        np.ones((38 * 12, 1)) * X[:1],
        yp[:1].repeat(38 * 12),
        yq[:1].repeat(38 * 12),
        n_boot=2,
    )
    assert len(longer) == 4


def test_factors_are_ones_without_a_spread_and_never_negative():
    rng = np.random.default_rng(1)
    assert np.all(crude_regimes.regime_factors(0.0, 2.8, 100, rng) == 1.0)
    f = crude_regimes.regime_factors(3.0, 2.8, 20_000, rng)
    assert f.min() >= 0.0 and abs(np.median(f) - 1.0) < 0.05
    # Truncated at zero where the drawn impact multiplier would be negative: P(z < -M / tau).
    assert np.mean(f == 0) == pytest.approx(0.1753, abs=0.01)


def test_the_fit_records_its_subsamples_and_spread(params_2026):
    crude = params_2026["crude"]
    subs = crude["impact_subsamples"]
    assert len(subs) >= 3 and subs[0]["first"] <= subs[-1]["first"]
    assert crude["impact_between_period_sd"] > 0
    assert all(s["last"] <= crude["sample_last"] for s in subs)


def test_readme_states_the_fitted_spread(params_2026):
    """README's fitted-figures table quotes the between-period spread and the subsamples the fit gives."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    m = re.search(
        r"\| impact multiplier's spread between periods, τ \| ([0-9.]+) \(ten-year subsamples [0-9–]+: ([^;]+);",
        text,
    )
    assert m, "README lost its spread row"
    crude = params_2026["crude"]
    assert float(m.group(1)) == round(crude["impact_between_period_sd"], 2)
    quoted = [float(v) for v in m.group(2).split(" / ")]
    np.testing.assert_allclose(quoted, [s["impact"] for s in crude["impact_subsamples"]], rtol=0.01)
