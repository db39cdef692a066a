"""The crude price multiplier: its algebra, and its fit on the real snapshot."""

from __future__ import annotations

import numpy as np
import pytest

from oilshock.model import crude


def test_step_response_recovers_a_known_kernel():
    # Price is a linear filter of production with kernel k; a persistent 1% loss
    # then moves the price by the running sum of k (sign flipped: a loss raises it).
    k = np.array([-3.0, -1.0, -0.5, 0.0, 0.0])
    phi = np.array([1.0, 0.8, 0.5, 0.3, 0.1])
    pi = np.array([sum(k[j] * phi[h - j] for j in range(h + 1)) for h in range(5)])
    np.testing.assert_allclose(crude._step_response(pi, phi), -np.cumsum(k))


def test_log_price_change_zero_and_monotone():
    m = np.array([[4.0]])
    assert crude.log_price_change(m, np.array([[0.0]]))[0, 0] == 0.0
    xs = np.linspace(0, 0.3, 31)[None, :]
    out = crude.log_price_change(np.full_like(xs, 4.0), xs)[0]
    assert np.all(np.diff(out) > 0)
    # The log-log curve is convex: a 15% loss costs more than 15 times a 1% loss.
    assert crude.log_price_change(m, np.array([[0.15]]))[0, 0] > 15 * crude.log_price_change(m, np.array([[0.01]]))[0, 0]


def test_multiplier_interpolates_and_caps():
    draws = np.arange(13, dtype=float)[None, :]
    out = crude.multiplier_at(draws, np.array([-1.0, 0.0, 0.5, 2.25, 40.0]))
    np.testing.assert_allclose(out[0], [0.0, 0.0, 0.5, 2.25, 12.0])


def test_fit_on_snapshot(params_2026):
    c = params_2026["crude"]
    m = np.array(c["multiplier"])
    assert len(m) == 13
    # Impact multiplier sits in the published range of 2-4.2 (literature.md §2a: BH 2019 ~2, KM 2014 ~3.6, CCI ~4.2).
    assert 1.5 < m[0] < 5.0
    assert c["first_stage_f"][0] > 100  # a strong instrument on impact
    draws = np.array(c["draws"])
    assert draws.shape == (c["n_boot"], 13) and (draws >= 0).all()
    assert c["sample_last"] <= "2026-02-27"
    # Golden: the committed snapshot gives these; see tests/golden/make_golden.py.
    assert m[0] == pytest.approx(2.781, abs=0.01)


def test_log_price_change_takes_scalars():
    assert crude.log_price_change(2.0, 0.1) == pytest.approx(-2.0 * np.log(0.9))
