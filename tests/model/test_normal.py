"""The Monte Carlo's Box–Muller normals: distribution, reproducibility, shape."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pytest

from oilshock.model.normal import standard_normal


def test_distribution_is_standard_normal():
    z = standard_normal(np.random.default_rng(11), (1_000_001,))
    assert z.dtype == np.float32 and z.shape == (1_000_001,)
    assert abs(float(z.mean())) < 3e-3 and abs(float(z.std()) - 1) < 3e-3
    # Empirical CDF against the exact one on a grid (a Kolmogorov–Smirnov-type bound; 1.6e-3 is ~1.6/sqrt(n)).
    grid = np.linspace(-3.5, 3.5, 29)
    empirical = np.searchsorted(np.sort(z), grid) / z.size
    exact = np.array([NormalDist().cdf(x) for x in grid])
    assert np.abs(empirical - exact).max() < 1.6e-3
    # The two halves of each pair (cosine and sine) are uncorrelated.
    half = z.size // 2
    assert abs(float(np.corrcoef(z[:half], z[half : 2 * half])[0, 1])) < 4e-3
    assert np.isfinite(z).all() and np.abs(z).max() < 5.8


def test_same_seed_same_draws():
    a = standard_normal(np.random.default_rng(3), (52, 7))
    b = standard_normal(np.random.default_rng(3), (52, 7))
    c = standard_normal(np.random.default_rng(4), (52, 7))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (52, 7) and not np.array_equal(a, c)


@pytest.mark.parametrize("shape", [(1,), (3,), (2, 5), (0,)])
def test_odd_and_empty_shapes(shape):
    assert standard_normal(np.random.default_rng(0), shape).shape == shape
