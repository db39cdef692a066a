"""The estimate's text at the shipped as_of (a Hormuz closure under way): words follow the sign, one
baseline stated once, a scenario's drivers count only what it adds."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from oilshock.forecast.result import EstimateResult, headline
from oilshock.forecast.simulate import estimate

NOW = dt.date(2026, 8, 18)


@pytest.fixture(scope="module")
def easing(params_now):
    return estimate("hormuz-partial", as_of=NOW, params=params_now, draws=400)


@pytest.fixture(scope="module")
def now(params_now):
    return estimate("now", as_of=NOW, params=params_now, draws=400)


def test_an_easing_is_reported_as_a_fall_at_its_low(easing):
    h = headline(easing.data)
    assert h["brent"]["direction"] == "fall" and h["gasoline"]["direction"] == "fall"
    out = easing.summary
    assert "peak change" not in out and "at peak" not in out
    assert "Brent largest fall [%]" in out and "Gasoline at its low" in out
    assert "Weeks to the gasoline low" in out
    # The low is the central week furthest below the no-disruption path.
    weekly = easing.data["weekly"]
    gaps = [
        w["retail_gasoline_usd_per_gal"]["p50"] - w["retail_gasoline_no_disruption_usd_per_gal"]
        for w in weekly
    ]
    assert h["gasoline"]["change"]["p50"] == pytest.approx(min(gaps))
    assert "-$" not in out and " -0" not in out and "−$84 more" not in out
    assert re.search(r"a household saves \$\d+ over", out)
    assert re.search(r"the country saves \$[\d.]+ bn", out)


def test_one_baseline_and_the_numbers_add_up(now):
    out = now.summary
    assert out.count("Baseline, the no-disruption path") == 1
    h = headline(now.data)["gasoline"]
    # The closures under way end within the horizon: gasoline barely rises (its peak rounds to a
    # cent or less) and then falls far below the no-disruption path. The larger move, the fall,
    # is the headline.
    peak = now.data["retail_gasoline"]["peak_change_usd_per_gal"]["p50"]
    assert h["direction"] == "fall" and abs(h["change"]["p50"]) > 10 * abs(peak)
    assert "Gasoline peak change" not in out

    def cells(label):
        line = next(x for x in out.splitlines() if x.startswith(label))
        return [float(v.replace("−", "-")) for v in line[46:].split()]

    base = cells("  no-disruption path, week")[0]
    change = cells("Gasoline largest fall")[1]
    level = cells("Gasoline at its low")[1]
    assert abs(base + change - level) <= 0.0005  # the printed figures add up
    assert "Brent on 18 Aug 2026" in out and "Brent today" not in out
    assert "Gasoline today" not in out


def test_drivers_count_only_what_the_scenario_adds(params_now):
    res = estimate("red-sea", as_of=NOW, params=params_now, draws=300)
    drv = res.data["drivers"]["at_brent_peak_week"]
    # crude-equivalent barrels (0.8 of EIA's crude-and-products flows in 2023)
    assert drv["under_way_gross_mbd"]["p50"] > 12  # Hormuz, already shut at as_of
    assert 2 < drv["added_gross_mbd"]["p50"] < 4  # Bab el-Mandeb's flow only
    assert "this scenario stops 2.58 mb/d more than the 15.47 mb/d already stopped" in " ".join(
        res.summary.split()
    )


def test_before_the_war_nothing_is_under_way(params_2026):
    res = estimate("red-sea", as_of=dt.date(2026, 2, 27), params=params_2026, draws=300)
    assert "added_gross_mbd" not in res.data["drivers"]["at_brent_peak_week"]
    assert "already stopped" not in res.summary
    assert isinstance(res, EstimateResult)


def test_comparison_says_what_its_numbers_are(params_now):
    from oilshock.forecast.compare import compare_scenarios

    cmp = compare_scenarios(["hormuz-partial", "red-sea"], as_of=NOW, seed=1, draws=300)
    out = cmp.summary
    assert "from the price at as_of" not in out
    assert "Changes against the no-disruption path" in out
    rows = {r["scenario"]: r for r in cmp.rows}
    assert rows["hormuz-partial"]["brent_direction"] == "fall"
    assert rows["red-sea"]["brent_direction"] == "rise"
    line = next(x for x in out.splitlines() if x.startswith("hormuz-partial"))
    assert line.count(" low") == 2 and "peak" not in line and "-" not in line[28:]


def test_the_larger_move_is_the_headline():
    from oilshock.forecast.result import _fall_dominates

    assert _fall_dominates("rise", -0.40, 0.05)  # a cent's rise, then a deep fall: the fall
    assert not _fall_dominates("rise", -0.05, 0.40)  # a rise with a slight dip later: the rise
    assert _fall_dominates("flat", -0.02, 0.0) and _fall_dominates("fall", -0.3, -0.1)


def test_with_a_disruption_under_way_the_estimate_says_it_does_not_beat_no_change(easing):
    from oilshock.forecast.record import load_nowcast, not_beaten

    nb = easing.data["status_quo"]["brent_nowcast_not_better_than_no_change"]
    assert nb == not_beaten(load_nowcast()) and nb["horizon_weeks"] == [4, 8, 12]
    assert "Brent in the weeks ahead" in easing.summary and "did not beat" in easing.summary
    # A record that beats no change everywhere is not quoted as a warning.
    rows = [{"horizon_weeks": h, "mspe_ratio": 0.9} for h in (4, 8, 12)]
    assert not_beaten({"episodes": ["2011-libya"], "brent": rows}) is None
    assert not_beaten(None) is None


def test_with_nothing_under_way_there_is_no_such_statement(params_2026):
    calm = estimate("red-sea", as_of=dt.date(2026, 2, 27), params=params_2026, draws=300)
    assert calm.data["status_quo"]["status_quo_is_today"]
    assert "brent_nowcast_not_better_than_no_change" not in calm.data["status_quo"]
    assert "Brent in the weeks ahead" not in calm.summary


def test_the_statement_uses_no_outcome_after_as_of():
    from oilshock.forecast.record import load_nowcast, not_beaten

    nr = load_nowcast()
    through = dt.date.fromisoformat(nr["through"])
    assert through <= NOW  # the shipped as_of has seen every outcome the record scores
    assert not_beaten(nr, as_of=through) is not None
    # An estimate made before the last scored outcome does not quote the record.
    assert not_beaten(nr, as_of=through - dt.timedelta(days=1)) is None
    assert not_beaten(dict(nr, through=None), as_of=NOW) is None
