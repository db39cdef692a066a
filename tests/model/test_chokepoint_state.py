"""Detection of disruptions and normal flow on synthetic transit series."""

import datetime as dt

import numpy as np
import pytest

from oilshock.model import chokepoint_state as cs

DAY0 = dt.date(2020, 1, 1)


def _series(days: int, level: float = 50.0, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.poisson(level, days).astype(float)


def _as_of(counts) -> dt.date:
    return DAY0 + dt.timedelta(days=len(counts) - 1)


def test_calm_series_is_normal_with_zero_share():
    c = _series(800)
    s = cs.detect_state(DAY0, c, _as_of(c))
    assert not s["under_way"] and s["observed_share"] == 0.0 and s["disruptions"] == []
    assert s["normal_tankers_per_day"] == pytest.approx(c[-365:].mean(), rel=1e-9)
    assert s["level"] == pytest.approx(1.0, abs=0.1)


def test_clean_closure_detected_from_its_first_day():
    c = _series(800)
    c[700:] = 0.0
    s = cs.detect_state(DAY0, c, _as_of(c))
    assert s["under_way"] and s["onset"] == (DAY0 + dt.timedelta(days=700)).isoformat()
    assert s["level"] == 0.0 and s["observed_share"] == 1.0
    # The closure does not enter its own benchmark: normal is the year before it.
    assert s["normal_tankers_per_day"] == pytest.approx(c[335:700].mean(), rel=1e-9)


def test_partial_closure_level_and_share():
    c = _series(800)
    c[700:] = _series(100, level=15.0, seed=2)
    s = cs.detect_state(DAY0, c, _as_of(c))
    assert s["under_way"] and abs((dt.date.fromisoformat(s["onset"]) - DAY0).days - 700) <= 1
    assert s["observed_share"] == pytest.approx(0.7, abs=0.05)


def test_mild_drop_is_not_a_disruption():
    c = _series(800)
    c[700:] = _series(100, level=35.0, seed=3)
    s = cs.detect_state(DAY0, c, _as_of(c))
    assert not s["under_way"] and s["observed_share"] == 0.0
    assert s["level"] < 0.85


def test_slow_decline_detected_once_below_half():
    c = _series(800)
    c[600:] = np.linspace(50, 5, 200)
    s = cs.detect_state(DAY0, c, _as_of(c))
    assert s["under_way"]
    onset = (dt.date.fromisoformat(s["onset"]) - DAY0).days
    # Normal drifts down a little while the decline is still counted as undisrupted,
    # so the crossing comes a little after the day the level reaches 25.
    crossing = 600 + int(np.argmax(np.linspace(50, 5, 200) < 25))
    assert crossing <= onset <= crossing + 30


@pytest.mark.parametrize("gap", [2, 4, 6])
def test_ais_outage_of_a_few_days_does_not_count(gap):
    c = _series(800)
    c[500 : 500 + gap] = 0.0
    s = cs.detect_state(DAY0, c, _as_of(c))
    assert s["disruptions"] == [] and not s["under_way"]


def test_missing_days_do_not_count_either():
    c = _series(800)
    c[500:506] = np.nan
    assert cs.detect_state(DAY0, c, _as_of(c))["disruptions"] == []


def test_outage_of_two_weeks_does_count():
    c = _series(800)
    c[500:514] = 0.0
    s = cs.detect_state(DAY0, c, _as_of(c))
    assert len(s["disruptions"]) == 1 and not s["under_way"]


def test_point_in_time_ignores_days_after_as_of():
    c = _series(800)
    c[700:] = 0.0
    early = cs.detect_state(DAY0, c, DAY0 + dt.timedelta(days=650))
    assert (
        not early["under_way"] and early["last_day"] == (DAY0 + dt.timedelta(days=650)).isoformat()
    )


def test_recent_closure_shorter_than_a_week_is_not_yet_under_way():
    c = _series(800)
    c[-5:] = 0.0
    assert not cs.detect_state(DAY0, c, _as_of(c))["under_way"]


def test_too_little_history_gives_no_normal():
    c = _series(60)
    s = cs.detect_state(DAY0, c, _as_of(c))
    assert s["normal_tankers_per_day"] is None and s["observed_share"] == 0.0


def test_state_line_words():
    c = _series(800)
    c[700:] = 1.0
    line = cs.state_line("hormuz", cs.detect_state(DAY0, c, _as_of(c)))
    assert line.startswith("hormuz: disrupted since 2021-12-01, tankers at 2% of normal")
