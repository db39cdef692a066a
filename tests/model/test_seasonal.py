"""The pump price's seasonal no-disruption drift (issue #12 (d)), shared by the estimate and the harness."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from oilshock.data.datasets import load_dataset
from oilshock.forecast.simulate import estimate, run_draws, survey_mondays
from oilshock.model import seasonal

AS_OF = dt.date(2019, 2, 15)
TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def full():
    return seasonal.PriceHistory(
        load_dataset("brent_daily"), load_dataset("retail_gasoline_weekly")
    )


def test_drift_reads_nothing_after_as_of(full):
    """Point in time: the drift over the longest horizon is the same from the full snapshot
    and from data cut at as_of."""
    cut = seasonal.PriceHistory(
        load_dataset("brent_daily").filter(pl.col("date") <= AS_OF),
        load_dataset("retail_gasoline_weekly").filter(pl.col("date") <= AS_OF),
    )
    weeks = survey_mondays(AS_OF, 156)
    a, b = (
        seasonal.seasonal_drift(full, AS_OF, weeks, 1.0),
        seasonal.seasonal_drift(cut, AS_OF, weeks, 1.0),
    )
    assert a == b and len(a["usd_per_gal"]) == 156


def test_estimate_and_harness_share_one_drift(full, isolated_cache):
    """The fitted drift's first 20 weeks are the harness's seasonal profile at the same as_of."""
    from oilshock.evaluate import run
    from oilshock.forecast.params import get_params

    p = get_params(AS_OF)
    weeks = survey_mondays(AS_OF, 20)
    harness = run.seasonal_profile(
        run._Actuals(load_dataset("brent_daily"), load_dataset("retail_gasoline_weekly")),
        AS_OF,
        weeks,
        p["pump"]["beta"],
    )
    np.testing.assert_allclose(
        p["baseline"]["retail_seasonal_drift"]["usd_per_gal"][:20], harness, atol=1e-5
    )
    assert (
        np.median(harness[-4:]) > 0.1
    )  # from February into summer gasoline rises in a normal year


def test_drift_shifts_levels_never_changes(params_2026):
    """With the drift the levels move; the change against the no-disruption path is the
    same, and exactly zero without a loss."""
    from oilshock.scenario.spec import load_scenario, parse_scenario

    as_of = dt.date(2026, 2, 27)
    plain = run_draws(
        load_scenario("hormuz-partial"),
        dict(params_2026, crude_model="superposition"),
        as_of,
        300,
        3,
    )
    drift = run_draws(
        load_scenario("hormuz-partial"),
        dict(params_2026, crude_model="superposition+seasonal"),
        as_of,
        300,
        3,
    )
    assert plain["retail_seasonal"] is None and drift["retail_seasonal"] is not None
    np.testing.assert_array_equal(plain["retail_change"], drift["retail_change"])
    calm = parse_scenario(
        'name = "calm"\nhorizon_weeks = 20\n[[disruptions]]\nlost_mbd = 0\nduration_days = 30\n',
        source="test",
    )
    d = estimate(
        calm,
        as_of=as_of,
        params=dict(params_2026, crude_model="superposition+seasonal"),
        draws=300,
        today=TODAY,
    ).to_dict()
    assert d["retail_gasoline"]["peak_change_usd_per_gal"] == {"p05": 0.0, "p50": 0.0, "p95": 0.0}
    for w in d["weekly"]:
        assert (
            w["retail_gasoline_usd_per_gal"]["p50"]
            == w["retail_gasoline_no_disruption_usd_per_gal"]
        )
    assert (
        d["weekly"][-1]["retail_gasoline_no_disruption_usd_per_gal"]
        > d["baseline"]["retail_gasoline_usd_per_gal"] + 0.1
    )  # spring
    assert "normal seasonal drift" in d["baseline"]["retail_gasoline_no_disruption_basis"]


def test_summary_reports_the_no_disruption_path_in_one_line(params_2026):
    r = estimate(
        "hormuz-partial",
        as_of=dt.date(2026, 2, 27),
        params=dict(params_2026, crude_model="superposition+seasonal"),
        draws=300,
        today=TODAY,
    )
    # The baseline is stated once, with the seasonal drift (wording of issue #26's one baseline).
    text = " ".join(r.summary.split())
    assert text.count("Baseline, the no-disruption path") == 1
    assert "follows its normal seasonal drift" in text
    v1 = estimate(
        "hormuz-partial",
        as_of=dt.date(2026, 2, 27),
        params=dict(params_2026, crude_model="v1"),
        draws=300,
        today=TODAY,
    )
    assert "seasonal drift" not in v1.summary and "gasoline stays at" in " ".join(
        v1.summary.split()
    )
