"""Scores: sample CRPS against closed forms, band coverage counting, binomial intervals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilshock.evaluate import scores


def test_crps_of_a_large_normal_ensemble_matches_the_closed_form():
    rng = np.random.default_rng(0)
    draws = rng.normal(1.0, 2.0, size=(200_000, 1))
    for y in (-3.0, 1.0, 2.5, 8.0):
        got = scores.crps_ensemble(draws, np.array([y]))[0]
        assert got == pytest.approx(scores.crps_normal(1.0, 2.0, y), rel=5e-3)


def test_crps_normal_closed_form_values():
    # At the mean: sigma (2 phi(0) - 1/sqrt(pi)) = sigma (sqrt(2/pi) - 1/sqrt(pi)) = 0.23369 sigma.
    assert scores.crps_normal(0.0, 1.0, 0.0) == pytest.approx(
        np.sqrt(2 / np.pi) - 1 / np.sqrt(np.pi), abs=1e-12
    )
    assert scores.crps_normal(0.0, 3.0, 0.0) == pytest.approx(3 * 0.2336949772, abs=1e-9)


def test_crps_of_a_point_forecast_is_the_absolute_error():
    assert scores.crps_ensemble(np.full((5, 1), 2.0), np.array([3.5]))[0] == pytest.approx(1.5)


def test_two_member_ensemble_by_hand():
    # E|X-y| = (|0-1| + |2-1|)/2 = 1; E|X-X'| = (0 + 2 + 2 + 0)/4 = 1 -> CRPS = 0.5; fair: 1 - 0.5*2 = 0.
    d = np.array([[0.0], [2.0]])
    assert scores.crps_ensemble(d, np.array([1.0]))[0] == pytest.approx(0.5)
    assert scores.crps_ensemble(d, np.array([1.0]), fair=True)[0] == pytest.approx(0.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-100, 100), min_size=2, max_size=30), st.floats(-100, 100))
def test_sorted_form_equals_the_pairwise_definition(xs, y):
    x = np.array(xs)
    brute = np.abs(x - y).mean() - 0.5 * np.abs(x[:, None] - x[None, :]).mean()
    assert scores.crps_ensemble(x[:, None], np.array([y]))[0] == pytest.approx(brute, abs=1e-9)
    assert scores.crps_ensemble(x[:, None], np.array([y]))[0] >= -1e-9


def test_inside_band_and_coverage_counting():
    draws = np.tile(np.arange(101.0)[:, None], (1, 4))  # quantiles are the percent points
    obs = np.array([50.0, 4.0, 96.0, np.nan])
    assert scores.inside_band(draws, obs, 0.90).tolist() == [True, False, False, False]
    assert scores.inside_band(draws, obs, 0.50).tolist() == [True, False, False, False]
    assert scores.inside_band(draws, np.array([25.0, 75.0, 24.9, 75.1]), 0.50).tolist() == [
        True,
        True,
        False,
        False,
    ]
    c = scores.coverage(18, 20, alpha=0.10)
    assert c["share"] == 0.9 and c["low"] < 0.9 < c["high"] and 0.7 < c["low"] and c["high"] < 0.98
    assert scores.coverage(0, 0)["share"] is None


def test_skill():
    assert scores.skill(1.0, 2.0) == 0.5
    assert scores.skill(3.0, 2.0) == -0.5
    assert scores.skill(1.0, 0.0) is None
