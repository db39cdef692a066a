"""A disruption split into pieces is the same disruption: the same estimate (within half a cent).

Pieces of one chokepoint resolve to one loss path before bypass and rerouting
(:func:`oilshock.model.supply_paths._combined_week_means`): adjacent pieces in time, and pieces that
split the share, on every chokepoint with a published flow.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oilshock.forecast.simulate import estimate
from oilshock.scenario.spec import parse_scenario

AS_OF = dt.date(2026, 2, 27)
CHOKEPOINTS = [
    "bab_el_mandeb",
    "cape_of_good_hope",
    "danish_straits",
    "hormuz",
    "malacca",
    "panama",
    "suez",
    "turkish_straits",
]


def piece(cid, share, start, days, recovery=0.0):
    return (
        f'[[disruptions]]\nchokepoint = "{cid}"\nshare = {share}\nstart = {start}\n'
        f"duration_days = {days}\nrecovery_days = {recovery}\n"
    )


def peaks(params, body):
    d = estimate(
        parse_scenario('name = "x"\n' + body), as_of=AS_OF, params=params, draws=300, seed=7
    ).to_dict()
    return (
        d["retail_gasoline"]["peak_change_usd_per_gal"]["p50"],
        d["brent"]["peak_change_pct"]["p50"],
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cid=st.sampled_from(CHOKEPOINTS),
    share=st.sampled_from([0.2, 0.5, 0.736, 1.0]),
    offset=st.integers(0, 20),
    days=st.integers(10, 120),
    cut=st.floats(0.1, 0.9),
    recovery=st.sampled_from([0, 14, 30]),
    how=st.sampled_from(["adjacent", "share"]),
)
def test_splitting_a_disruption_changes_nothing(
    params_2026, cid, share, offset, days, cut, recovery, how
):
    start = AS_OF + dt.timedelta(days=offset)
    whole = piece(cid, share, start, days, recovery)
    if how == "adjacent":
        first = round(days * cut, 2)
        split = piece(cid, share, start, first) + piece(
            cid, share, start + dt.timedelta(days=first), round(days - first, 2), recovery
        )
        if first != int(first):  # a start is a date: cut on whole days
            first = int(first)
            split = piece(cid, share, start, first) + piece(
                cid, share, start + dt.timedelta(days=first), days - first, recovery
            )
    else:
        s1 = round(share * cut, 4)
        split = piece(cid, s1, start, days, recovery) + piece(
            cid, round(share - s1, 4), start, days, recovery
        )
    gas_whole, brent_whole = peaks(params_2026, whole)
    gas_split, brent_split = peaks(params_2026, split)
    assert gas_split == pytest.approx(gas_whole, abs=0.005)
    assert brent_split == pytest.approx(brent_whole, abs=0.5)


@pytest.mark.parametrize("cid", ["bab_el_mandeb", "suez", "cape_of_good_hope"])
def test_adjacent_halves_on_a_rerouted_strait(params_2026, cid):
    # The reproduction: a rerouted strait's second half no longer restarts the voyage gap.
    start = AS_OF + dt.timedelta(days=3)
    whole = piece(cid, 0.736, start, 44)
    halves = piece(cid, 0.736, start, 22) + piece(cid, 0.736, start + dt.timedelta(days=22), 22)
    assert peaks(params_2026, halves) == pytest.approx(peaks(params_2026, whole), abs=0.005)


def test_halves_overlapping_by_a_day_share_one_bypass(params_2026):
    # Two pieces overlapping by a day are one closure with a day of double share, not two closures
    # each with half the pipelines: the bypass stays whole.
    start = AS_OF + dt.timedelta(days=3)
    whole = piece("hormuz", 0.4, start, 60)
    overlap = piece("hormuz", 0.4, start, 31) + piece(
        "hormuz", 0.4, start + dt.timedelta(days=30), 30
    )
    gas_whole, _ = peaks(params_2026, whole)
    gas_overlap, _ = peaks(params_2026, overlap)
    assert gas_whole <= gas_overlap < gas_whole + 0.03
