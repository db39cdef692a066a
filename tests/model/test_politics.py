"""Election calendar, approval and seat models (golden values from tests/golden/make_golden.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from oilshock.model import politics

GOLDEN = json.loads((Path(__file__).resolve().parents[1] / "golden" / "politics_2026-02-27.json").read_text())


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
    assert politics.is_midterm(dt.date(2026, 11, 3)) and not politics.is_midterm(dt.date(2028, 11, 7))


def test_approval_model_golden(params_2026):
    a = params_2026["approval"]
    g = GOLDEN["approval"]
    assert a["points_per_log_point"] == pytest.approx(g["points_per_log_point"], rel=1e-6)
    assert a["points_per_log_point_se"] == pytest.approx(g["points_per_log_point_se"], rel=1e-6)
    assert a["n_months"] == g["n_months"]
    assert a["sample"][1] <= "2026-02-27"
    # A gasoline rise lowers approval, and the differenced estimate is smaller than the levels one.
    assert a["points_per_log_point"] < 0
    assert abs(a["points_per_log_point"]) < abs(a["levels_points_per_log_point"])


def test_seat_model_golden(params_2026):
    s = params_2026["seats"]
    g = GOLDEN["seats"]
    assert s["seats_per_point"] == pytest.approx(g["seats_per_point"], rel=1e-6)
    # literature.md §5b reports 1.01 (se 0.38) for the same table: the fit reproduces it.
    assert s["seats_per_point"] == pytest.approx(1.01, abs=0.005)
    assert s["seats_per_point_se"] == pytest.approx(0.38, abs=0.005)
    assert s["n"] == 20


def test_seats_before_as_of_only():
    s = politics.fit_seats(dt.date(2010, 11, 1))
    assert s["years"][1] == 2006 and s["n"] == 16


def test_approval_change_sign_and_zero(params_2026):
    rng = np.random.default_rng(0)
    z = politics.approval_change(np.zeros(100), 3.0, params_2026["approval"], rng)
    assert np.all(z == 0)
