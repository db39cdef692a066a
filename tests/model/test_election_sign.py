"""Election figures follow from the price path without wrong-sign artefacts (issue 13).

A disruption that has ended more than 12 weeks before the election must not
leave a central (p50) approval or expected-seat effect that *helps* the
president, and any part of a band on the other side of zero must come with
an explanation naming the fitted mechanism.
"""

from __future__ import annotations

import datetime as dt

import pytest

from oilshock.forecast.simulate import estimate
from oilshock.scenario.spec import load_scenario

AS_OF = dt.date(2026, 2, 27)


def _end(sc, as_of) -> dt.date:
    """Last day any disruption of the scenario is still in effect (duration and recovery at their upper bounds)."""
    return max(
        (d.start or as_of) + dt.timedelta(days=d.duration_days[1] + d.recovery_days[1])
        for d in sc.disruptions
    )


@pytest.mark.parametrize("name", ["hormuz-full", "hormuz-partial", "red-sea"])
@pytest.mark.parametrize("weeks_after", [13, 30])
def test_no_wrong_sign_central_effect_after_the_disruption_ends(params_2026, name, weeks_after):
    sc = load_scenario(name)
    election = _end(sc, AS_OF) + dt.timedelta(weeks=weeks_after)
    e = estimate(
        name, as_of=AS_OF, draws=400, seed=7, election_date=election, params=params_2026
    ).data["election"]
    a, s = e["approval_change_points"], e["house_seats_change"]
    assert a["p50"] <= 0, (name, election, a)
    assert s["p50"] <= 0, (name, election, s)
    # Whatever crosses zero is explained by a named mechanism in the output.
    if a["p95"] > 0:
        text = e["other_side_of_zero"]["approval"]["text"]
        assert "slope" in text or "fallen below" in text
    g = e["retail_gasoline_change_on_election_day_usd_per_gal"]
    if g["p05"] < 0 < g["p50"]:
        assert "overshoots" in e["other_side_of_zero"]["gasoline"]["text"]


def test_band_explanation_is_printed(params_2026):
    from oilshock.forecast.election import election_lines

    d = estimate("hormuz-full", as_of=AS_OF, draws=400, seed=7, params=params_2026).data
    text = "\n".join(election_lines(d["election"]))
    assert "Effect of this scenario on the expected seat change" in text
    assert "90% predictive range" in text
    assert "not a measured causal effect" in text
    if d["election"]["approval_change_points"]["p95"] > 0:
        assert "Why part of the band crosses zero (approval)" in text
