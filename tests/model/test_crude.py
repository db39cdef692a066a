"""The crude price multiplier: its algebra, and its fit on the real snapshot."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from oilshock.model import crude, crude_paths


def test_step_response_recovers_a_known_kernel():
    # Price is a linear filter of production with kernel k; a persistent 1% loss
    # then moves the price by the running sum of k (sign flipped: a loss raises it).
    k = np.array([-3.0, -1.0, -0.5, 0.0, 0.0])
    phi = np.array([1.0, 0.8, 0.5, 0.3, 0.1])
    pi = np.array([sum(k[j] * phi[h - j] for j in range(h + 1)) for h in range(5)])
    np.testing.assert_allclose(crude._step_response(pi, phi), -np.cumsum(k))


def test_log_price_change_zero_and_monotone():
    m = np.array([[4.0]])
    assert crude_paths.log_price_change(m, np.array([[0.0]]))[0, 0] == 0.0
    xs = np.linspace(0, 0.3, 31)[None, :]
    out = crude_paths.log_price_change(np.full_like(xs, 4.0), xs)[0]
    assert np.all(np.diff(out) > 0)
    # The log-log curve is convex: a 15% loss costs more than 15 times a 1% loss.
    assert (
        crude_paths.log_price_change(m, np.array([[0.15]]))[0, 0]
        > 15 * crude_paths.log_price_change(m, np.array([[0.01]]))[0, 0]
    )


def test_multiplier_interpolates_and_caps():
    draws = np.arange(13, dtype=float)[None, :]
    out = crude_paths.multiplier_at(draws, np.array([-1.0, 0.0, 0.5, 2.25, 40.0]))
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
    assert crude_paths.log_price_change(2.0, 0.1) == pytest.approx(-2.0 * np.log(0.9))


def test_instrument_is_point_in_time():
    """A full-sample shock series is used only once published (finding 4: BH 2019 ends in 2017)."""
    import datetime as dt

    vintages = crude.load_instrument_vintages()
    assert all(v["citation"] and v["published"] > v["sample_last"] for v in vintages)
    assert crude.choose_instrument(dt.date(2026, 2, 27))["series"] == "bh2019_oil_supply"
    assert crude.choose_instrument(dt.date(2019, 4, 30))["series"] == "kilian2009_oil_supply"
    assert crude.choose_instrument(dt.date(2011, 2, 14))["series"] == "kilian2009_oil_supply"
    assert crude.choose_instrument(dt.date(2002, 11, 29))["series"] == crude.RECURSIVE


def test_recursive_shock_uses_only_data_up_to_the_cut():
    """The fallback instrument of an early fit is one-sided: later data do not change its values."""
    import datetime as dt

    import polars as pl

    from oilshock.data.datasets import load_dataset

    rac = load_dataset("crude_acquisition_cost_monthly").select(
        "date", pl.col("rac_imported_usd_per_bbl").alias("price_usd_per_bbl")
    )
    prod = load_dataset("world_oil_supply_monthly").filter(
        pl.col("series") == crude.PRODUCTION_SERIES
    )
    cut = dt.date(1995, 1, 1)
    early = crude.recursive_supply_shock(
        rac.filter(pl.col("date") <= cut), prod.filter(pl.col("date") <= cut)
    )
    assert early["date"].max() <= cut and early.height > 200
    assert abs(float(early["value"].mean())) < 1e-12  # OLS residuals with a constant


def test_extrapolation_reference_is_what_the_instrument_identifies(params_2026):
    """Not the raw 9.9% one-month drop of Oct 1975 (a data artefact), but the first stage's largest fitted loss."""
    c = params_2026["crude"]
    assert c["instrument"] == "bh2019_oil_supply"
    assert 0.05 < c["max_share_in_sample"] < 0.09
    assert c["max_share_in_sample"] != pytest.approx(0.0991, abs=0.002)


def test_readme_states_the_fitted_first_stage_f(params_2026):
    """README's fitted-figures table quotes the impact first-stage F the code gives (finding 4: not '> 1,000')."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\| first-stage F \(impact\) \| ([0-9,]+) ", text)
    assert m, "README lost its first-stage F row"
    assert int(m.group(1).replace(",", "")) == round(params_2026["crude"]["first_stage_f"][0])


def test_superposition_matches_its_definition():
    """Variant (a): the response is the sum of the loss steps times the running-max M at their lags (brute force)."""
    rng = np.random.default_rng(3)
    n_weeks, n_boot, n = 12, 5, 7
    table = rng.uniform(
        0.0, 3.0, size=(n_boot, crude.HORIZONS)
    )  # not monotone: the envelope is exercised
    days = np.r_[0.0, 7.0, 9.0, 16.0 + 7 * np.arange(n_weeks - 3)]  # uneven spacing
    pick = rng.integers(0, n_boot, size=n)
    share = np.zeros((n_weeks, n))
    share[2:6] = rng.uniform(0.01, 0.2, size=(4, n))
    got = crude_paths.superposed_log_price_change(table, pick, share, days)
    L = -np.log1p(-share)
    steps = np.diff(L, axis=0, prepend=0.0)

    def m(
        i, lag_days
    ):  # the running maximum over the monthly horizons, interpolated linearly between them
        nodes = [max(table[i][: k + 1]) for k in range(crude.HORIZONS)]
        return np.interp(lag_days / crude.DAYS_PER_MONTH, np.arange(crude.HORIZONS), nodes)

    want = np.array(
        [
            [
                sum(steps[w, i] * m(pick[i], days[t] - days[w]) for w in range(t + 1))
                for i in range(n)
            ]
            for t in range(n_weeks)
        ]
    )
    np.testing.assert_allclose(got, want, atol=1e-12)
    assert np.all(got[:2] == 0)


def test_superposition_keeps_a_persistent_loss_and_decays_an_ended_one():
    table = np.tile(np.linspace(2.0, 6.0, crude.HORIZONS), (1, 1))  # rising M, one replicate
    days = 7.0 * np.arange(30)
    lag_m = crude_paths.multiplier_at(table, days / crude.DAYS_PER_MONTH)[0]
    pick = np.zeros(1, dtype=int)
    x = 0.1
    persistent = np.full((30, 1), x)
    np.testing.assert_allclose(
        crude_paths.superposed_log_price_change(table, pick, persistent, days)[:, 0],
        -np.log1p(-x) * lag_m,
    )
    ended = persistent.copy()
    ended[10:] = 0.0
    out = crude_paths.superposed_log_price_change(table, pick, ended, days)[:, 0]
    # After the loss ends the price does not snap back to the baseline: L [M(t) - M(t - 10)] > 0.
    np.testing.assert_allclose(out[10:], -np.log1p(-x) * (lag_m[10:] - lag_m[:20]))
    assert np.all(out[10:] > 0)


@settings(max_examples=60, deadline=None)
@given(
    table=arrays(np.float64, (3, 13), elements=st.floats(0.0, 10.0)),
    base=arrays(np.float64, (16, 1), elements=st.floats(0.0, 0.3)),
    extra=arrays(np.float64, (16, 1), elements=st.floats(0.0, 0.3)),
)
def test_superposition_is_monotone_in_the_loss_path(table, base, extra):
    """More disruption (a loss path larger in every week) never lowers the price, whatever the shape of M."""
    pick = np.array([0, 1, 2])
    days = 7.0 * np.arange(16)
    lo = crude_paths.superposed_log_price_change(table, pick, np.tile(base, 3), days)
    hi = crude_paths.superposed_log_price_change(
        table, pick, np.tile(np.minimum(base + extra, 0.6), 3), days
    )
    assert np.all(hi >= lo - 1e-9) and np.all(lo >= -1e-12)


def test_forward_variant_prices_the_loss_ahead_at_the_impact_multiplier():
    """Variant (b): M(0) times the mean shortfall over the next H months; it can fall, and it anticipates."""
    impact = np.array([2.0, 4.0])
    pick = np.array([0, 1])
    x = 0.1
    L = -np.log1p(-x)
    constant = np.full((40, 2), x)
    np.testing.assert_allclose(
        crude_paths.forward_log_price_change(impact, pick, constant, 3.0),
        np.tile(L * impact, (40, 1)),
        rtol=1e-12,
    )
    path = np.zeros((40, 2))
    path[10:20] = x  # a loss from week 10 to week 19, known in advance
    out = crude_paths.forward_log_price_change(impact, pick, path, 1.0)[:, 0]
    k = round(crude.DAYS_PER_MONTH / 7)  # 4 weeks
    assert out[10 - k] == 0 and out[10 - k + 1] > 0  # priced before it starts
    np.testing.assert_allclose(out[10 : 20 - k + 1], 2.0 * L)  # the full window inside the loss
    assert np.all(np.diff(out[20 - k : 21]) < 0) and np.all(
        out[20:] == 0
    )  # falls as the end nears, gone after
    with pytest.raises(ValueError, match="unknown crude model"):
        crude_paths.variant_log_price_change(
            "nope", [[1.0] * crude.HORIZONS], pick, path, 7.0 * np.arange(40)
        )
