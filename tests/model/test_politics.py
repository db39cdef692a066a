"""Election calendar, approval and seat models (golden values from tests/golden/make_golden.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilshock.forecast.inputs import load_politics_frames
from oilshock.model import politics, politics_fit, politics_seats

GOLDEN = json.loads(
    (Path(__file__).resolve().parents[1] / "golden" / "politics_2026-02-27.json").read_text()
)


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (2022, dt.date(2022, 11, 8)),  # November begins on a Tuesday: the first Monday is the 7th
        (2010, dt.date(2010, 11, 2)),  # November begins on a Monday
        (2016, dt.date(2016, 11, 8)),  # begins on a Tuesday
        (2024, dt.date(2024, 11, 5)),
        (2026, dt.date(2026, 11, 3)),  # begins on a Sunday
        (2028, dt.date(2028, 11, 7)),  # begins on a Wednesday
        (2032, dt.date(2032, 11, 2)),  # begins on a Monday
    ],
)
def test_election_day(year, day):
    assert politics.election_day(year) == day
    assert day.weekday() == 1


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2026, 2, 27), dt.date(2026, 11, 3)),
        (dt.date(2026, 11, 2), dt.date(2026, 11, 3)),
        (dt.date(2026, 11, 3), dt.date(2028, 11, 7)),  # strictly after as_of
        (dt.date(2027, 6, 1), dt.date(2028, 11, 7)),  # odd year
        (dt.date(2022, 11, 9), dt.date(2024, 11, 5)),
    ],
)
def test_next_federal_election(as_of, expected):
    assert politics.next_federal_election(as_of) == expected


def test_midterm_years():
    assert politics.is_midterm(dt.date(2026, 11, 3)) and not politics.is_midterm(
        dt.date(2028, 11, 7)
    )


def test_approval_model_golden(params_2026):
    a = params_2026["approval"]
    g = GOLDEN["approval"]
    assert a["specification"] == g["specification"]
    assert a["form"] == pytest.approx(g["form"], rel=1e-6)
    assert a["n_months"] == g["n_months"]
    assert a["sample"][1] <= "2026-02-27"
    for name, spec in g["specifications"].items():
        assert a["specifications"][name]["coefficients"] == pytest.approx(
            spec["coefficients"], rel=1e-6
        ), name


def test_every_specification_reported_with_standard_errors(params_2026):
    specs = params_2026["approval"]["specifications"]
    assert set(specs) == set(politics_fit.SPECS)
    for name, s in specs.items():
        assert set(s["coefficients"]) == set(s["se"]), name
        assert all(v > 0 for v in s["se"].values()), name
        assert s["oos"]["n"] > 200 and s["oos"]["mae"] > 0
    # Rally controls enter only where the specification says so.
    assert (
        "rally0" in specs["fd_lag1_rally"]["coefficients"]
        and "rally0" not in specs["fd_lag1_fixed_cpi"]["coefficients"]
    )
    split = params_2026["approval"]["period_split"]
    assert 0 <= split["wald_p_slope_difference"] <= 1 and split["n_months_post"] > 100


def test_default_follows_the_stated_criteria(params_2026):
    """docs/politics.md §1a: lowest out-of-sample MAE among admissible candidates, 1% tie-break on Ljung-Box."""
    a = params_2026["approval"]
    specs = a["specifications"]
    admissible = [
        n for n in specs if n not in politics_fit.COMPARISON_ONLY and not specs[n]["sign_change"]
    ]
    assert a["admissible"] == admissible
    best = min(specs[n]["oos"]["mae"] for n in admissible)
    close = [n for n in admissible if specs[n]["oos"]["mae"] <= best * 1.01]
    assert a["specification"] == max(close, key=lambda n: specs[n]["ljung_box_p"])
    assert a["uses_post_2009_slope"] == (a["period_split"]["wald_p_slope_difference"] < 0.05)


def test_fitted_effect_fades_and_keeps_its_sign(params_2026):
    """A three-month +10% excursion: the effect is negative, never turns positive, and has mostly faded a year later."""
    form = params_2026["approval"]["form"]
    x = np.zeros((1, 36))
    x[0, :3] = np.log(1.1)
    path = politics.approval_path(x, np.array([form]))[0]
    assert path.min() < 0 and path.max() <= 1e-12
    assert abs(path[15]) < 0.5 * abs(path.min())


def test_approval_path_reproduces_first_differences():
    """With ρ = 1 and g = (b0, b1 − b0, −b1) the dynamic form is ΔA = b0 Δx_t + b1 Δx_{t−1}."""
    b0, b1 = -3.0, -5.0
    x = np.array([[0.0, 0.1, 0.3, 0.3, 0.0, -0.1]])
    path = politics.approval_path(x, np.array([[1.0, b0, b1 - b0, -b1]]))[0]
    xl = np.concatenate([[0.0], x[0, :-1]])
    assert path == pytest.approx(b0 * x[0] + b1 * xl)


def test_monthly_excursion_blocks_end_on_election_week():
    rc = np.zeros((2, 30))
    rc[:, 25:27] = 1.0  # a rise in the two weeks before the election week 26
    x = politics.monthly_excursion(rc, 26, 2.0)
    assert x.shape == (2, 7)
    assert x[0, -1] > 0 and np.all(x[0, :-1] == 0)


def test_seat_model_golden(params_2026):
    s = params_2026["seats"]
    g = GOLDEN["seats"]
    assert s["specification"] == g["specification"]
    assert s["seats_per_point"] == pytest.approx(g["seats_per_point"], rel=1e-6)
    # The approval-only fit reproduces literature.md §5b (1.01, se 0.38, n = 20).
    only = s["specifications"]["approval"]
    assert only["coefficients"]["approval_pct"] == pytest.approx(1.01, abs=0.005)
    assert only["se"]["approval_pct"] == pytest.approx(0.38, abs=0.005)
    assert only["n"] == 20
    # With income growth (issue 13: 1.54, se 0.44).
    inc = s["specifications"]["approval_income"]
    assert inc["coefficients"]["approval_pct"] == pytest.approx(1.54, abs=0.005) and inc["se"][
        "approval_pct"
    ] == pytest.approx(0.44, abs=0.005)
    assert "seats_held" in s["specifications"]["approval_exposure"]["coefficients"]


def test_seat_default_by_leave_one_out(params_2026):
    specs = params_2026["seats"]["specifications"]
    best = min(v["loo_rmse_common"] for v in specs.values())
    assert specs[params_2026["seats"]["specification"]]["loo_rmse_common"] <= best * 1.01


def test_seats_before_as_of_only():
    as_of = dt.date(2010, 11, 1)
    s = politics_seats.fit_seats(load_politics_frames(as_of), as_of)
    assert s["years"][1] == 2006
    assert all(v["years"][1] <= 2006 for v in s["specifications"].values())


def test_predictive_range_is_wider_than_the_effect(params_2026):
    rng = np.random.default_rng(0)
    approval = np.full(4000, -2.0)
    effect = politics.seats_change(approval, params_2026["seats"], rng)
    pred = politics.seats_predictive(approval, params_2026["seats"], rng)
    assert np.percentile(pred, 95) - np.percentile(pred, 5) > 5 * (
        np.percentile(effect, 95) - np.percentile(effect, 5)
    )
    # About ±1.7 residual SDs for a 90% range.
    assert (
        np.percentile(pred, 95) - np.percentile(pred, 5)
        > 2 * 1.6 * params_2026["seats"]["resid_sd_seats"]
    )


@settings(max_examples=200, deadline=None)
@given(
    rho=st.floats(0.0, 0.999),
    g0=st.floats(-50.0, -1e-3),
    path=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40),
)
def test_partial_adjustment_never_rewards_a_price_rise(rho, g0, path):
    """Partial adjustment: any path at or above today's price leaves approval at or below zero, month by month."""
    x = np.array([path])
    out = politics.approval_path(x, np.array([[rho, g0, 0.0, 0.0]]))[0]
    assert np.all(out <= 1e-12)
    # And once the price is back to today's, the effect only fades (never grows, never flips).
    back = politics.approval_path(
        np.concatenate([x, np.zeros((1, 12))], axis=1), np.array([[rho, g0, 0.0, 0.0]])
    )[0][-12:]
    assert np.all(np.diff(np.abs(back)) <= 1e-12) and np.all(back <= 1e-12)
