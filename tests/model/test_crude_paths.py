"""The crude-response variants: the market's expectation over a duration range, and the mixture of shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilshock.model import crude, crude_paths

K1 = round(crude.DAYS_PER_MONTH / 7)  # the forward-1m window [weeks]


def _loss(ends: list[int], n_weeks: int = 40, x: float = 0.1, start: int = 0) -> np.ndarray:
    path = np.zeros((n_weeks, len(ends)))
    for j, end in enumerate(ends):
        path[start:end, j] = x
    return path


def test_a_draw_does_not_foresee_its_own_end():
    """Two draws of one scenario, the loss ending at week 10 in one and 30 in the other: while both are
    under way the market prices the same expected shortfall in both (the mean of their own ratios), so
    the short draw's price does not ease before its loss ends."""
    impact, pick = np.array([3.0]), np.array([0, 0])
    path = _loss([10, 30])
    out = crude_paths.forward_log_price_change(impact, pick, path, 1.0)
    np.testing.assert_allclose(out[:10, 0], out[:10, 1])
    L = -np.log1p(-0.1)
    own = np.minimum(np.maximum(10 - np.arange(10), 0), K1) / K1  # the short draw's own share ahead
    np.testing.assert_allclose(out[:10, 0], 3.0 * L * (own + 1.0) / 2)
    assert out[9, 0] > 3.0 * L * own[9]  # it eases less than foresight would have it
    assert np.all(out[10:, 0] == 0)  # gone once the loss has ended
    # Alone, the long draw keeps its own path (nothing else is under way).
    np.testing.assert_allclose(out[10 : 30 - K1 + 1, 1], 3.0 * L)


def test_a_loss_not_yet_begun_takes_the_mean_of_the_draws_waiting_for_it():
    impact, pick = np.array([2.0]), np.array([0, 0])
    path = _loss([8, 12], start=5)
    out = crude_paths.forward_log_price_change(impact, pick, path, 3.0)
    np.testing.assert_allclose(out[:5, 0], out[:5, 1])
    own = crude_paths.forward_log_price_change(impact, pick[:1], path[:, :1], 3.0)[:5, 0]
    assert np.all(out[2:5, 0] > own[2:5])  # priced with the longer draw's chance in view


def test_blocks_are_independent_scenarios():
    """A sweep's cells side by side in the columns give each cell's own result."""
    impact, pick = np.array([2.0, 5.0]), np.array([0, 1, 1, 0])
    a, b = _loss([6, 20]), _loss([9, 30])
    both = crude_paths.forward_log_price_change(
        impact, np.r_[pick[:2], pick[2:]], np.hstack([a, b]), 1.0, blocks=2
    )
    np.testing.assert_allclose(
        both[:, :2], crude_paths.forward_log_price_change(impact, pick[:2], a, 1.0)
    )
    np.testing.assert_allclose(
        both[:, 2:], crude_paths.forward_log_price_change(impact, pick[2:], b, 1.0)
    )
    pooled = crude_paths.forward_log_price_change(
        impact, np.r_[pick[:2], pick[2:]], np.hstack([a, b]), 1.0
    )
    assert not np.allclose(both, pooled)  # the block structure matters


@settings(max_examples=60, deadline=None)
@given(
    ends=st.lists(st.integers(0, 40), min_size=1, max_size=6),
    scale=st.floats(1.0, 3.0),
    months=st.sampled_from([1.0, 3.0, 6.0]),
)
def test_a_larger_loss_never_lowers_the_forward_price_and_none_gives_none(ends, scale, months):
    """Draw by draw and week by week. (A longer range of durations can lower a draw's price in some
    week: more draws under way near their end lower the expected shortfall of all — a conditional
    expectation, not a defect.)"""
    impact, pick = np.array([1.5]), np.zeros(len(ends), dtype=int)
    base = crude_paths.forward_log_price_change(impact, pick, _loss(ends, 50, 0.05), months)
    big = crude_paths.forward_log_price_change(impact, pick, _loss(ends, 50, 0.05 * scale), months)
    assert np.all(big >= base - 1e-12) and np.all(base >= 0)
    zero = crude_paths.forward_log_price_change(impact, pick, _loss(ends, 50, 0.0), months)
    assert np.all(zero == 0)


def test_the_raw_superposition_can_lower_a_later_week_for_a_larger_loss():
    """Why the mixture and the raw superposition are reported variants, never the default without the
    running maximum: where the fitted M(h) falls, a one-week loss's kernel M(h) - M(h - 1) is negative
    later, so a larger loss lowers that week's price (as in a flow market whose demand has adjusted)."""
    table = np.array([[4.0, 6.0, 3.0] + [3.0] * (crude.HORIZONS - 3)])
    days = 7.0 * np.arange(20)
    pick = np.array([0])
    short, longer = _loss([1], 20, 0.1), _loss([6], 20, 0.1)
    raw = [
        crude_paths.variant_log_price_change("superposition-raw", table, pick, x, days)
        for x in (short, longer)
    ]
    kept = [
        crude_paths.variant_log_price_change("superposition", table, pick, x, days)
        for x in (short, longer)
    ]
    assert np.any(raw[1] < raw[0] - 1e-9)
    assert np.all(kept[1] >= kept[0] - 1e-12)


def test_the_mixture_takes_each_component_in_turn():
    rng = np.random.default_rng(1)
    table = np.sort(rng.uniform(0.5, 8.0, (5, crude.HORIZONS)), axis=1)
    n = 9
    pick = rng.integers(0, 5, n)
    loss = _loss([4, 9, 14, 20, 25, 30, 35, 38, 40], 40)
    days = 7.0 * np.arange(40)
    out = crude_paths.variant_log_price_change("mixture", table, pick, loss, days)
    which = crude_paths.mixture_components_of(n)
    assert list(which[:6]) == [0, 1, 2, 0, 1, 2]
    for j, name in enumerate(crude_paths.MIXTURE_COMPONENTS):
        full = crude_paths.variant_log_price_change(name, table, pick, loss, days)
        np.testing.assert_allclose(out[:, which == j], full[:, which == j], rtol=1e-6)
    assert np.all(crude_paths.variant_log_price_change("mixture", table, pick, 0 * loss, days) == 0)
    # One column (a fixed loss) is widened to every draw.
    one = crude_paths.variant_log_price_change("mixture", table, pick, loss[:, :1], days)
    assert one.shape == (40, n)


def test_the_mixture_components_restart_in_every_block():
    assert list(crude_paths.mixture_components_of(8, blocks=2)) == [0, 1, 2, 0, 0, 1, 2, 0]


@pytest.mark.parametrize("name", ["superposition-raw", "mixture"])
def test_new_responses_are_valid_model_names(name):
    assert crude_paths.parse_model(name + "+margin+seasonal").crude == name
    assert name + "+seasonal" in crude_paths.SCORED_MODELS


def test_the_impulse_superposition_reads_the_fits_impulse_replicates():
    """superposition-irf superposes -pi_h / phi_0 (the fit's impulse_draws), not M(h); a bare M table
    is refused, and a persistent loss gives L times the impulse profile."""
    fit = {
        "draws": np.full((1, crude.HORIZONS), 9.0),
        "impulse_draws": np.linspace(2.0, 4.0, crude.HORIZONS)[None, :],
    }
    days = 7.0 * np.arange(20)
    pick = np.array([0])
    loss = _loss([20], 20, 0.1)
    out = crude_paths.variant_log_price_change("superposition-irf", fit, pick, loss, days)[:, 0]
    months = days / crude.DAYS_PER_MONTH
    np.testing.assert_allclose(
        out, -np.log1p(-0.1) * np.interp(months, np.arange(crude.HORIZONS), fit["impulse_draws"][0])
    )
    with pytest.raises(ValueError, match="impulse_draws"):
        crude_paths.variant_log_price_change("superposition-irf", fit["draws"], pick, loss, days)


def test_the_fit_stores_the_impulse_per_impact_loss(params_2026):
    crude_fit = params_2026["crude"]
    irf = np.asarray(crude_fit["impulse_per_impact_loss"])
    assert irf[0] == pytest.approx(crude_fit["multiplier"][0], rel=1e-9)  # -pi_0/phi_0 is M(0)
    draws = np.asarray(crude_fit["impulse_draws"])
    assert draws.shape == np.asarray(crude_fit["draws"]).shape and draws.min() >= 0
    np.testing.assert_allclose(draws[:, 0], np.asarray(crude_fit["draws"])[:, 0], rtol=1e-5)


@settings(max_examples=60, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 30)), min_size=2, max_size=6),
    scales=st.lists(st.floats(1.0, 4.0), min_size=6, max_size=6),
    months=st.sampled_from([1.0, 3.0, 6.0]),
)
def test_each_draw_larger_never_lowers_any_forward_price(spans, scales, months):
    """Draws with their own start and length, each made larger by its own factor: no draw's price falls
    in any week (the pooled ratio ahead/now of a draw does not depend on its size)."""
    n_rows = 50
    base = np.zeros((n_rows, len(spans)))
    for j, (start, length) in enumerate(spans):
        base[start : start + length, j] = 0.04
    big = base * np.asarray(scales[: len(spans)])[None, :]
    impact, pick = np.array([2.0]), np.zeros(len(spans), dtype=int)
    lo = crude_paths.forward_log_price_change(impact, pick, base, months)
    hi = crude_paths.forward_log_price_change(impact, pick, big, months)
    assert np.all(hi >= lo - 1e-12)
