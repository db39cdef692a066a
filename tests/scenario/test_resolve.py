"""Scenario pieces against the observed state, on a hand-built supply context (no data needed)."""

from __future__ import annotations

import datetime as dt

import pytest

from oilshock.model.supply import ScenarioDataError
from oilshock.scenario.resolve import resolve_scenario
from oilshock.scenario.spec import parse_scenario

AS_OF = dt.date(2026, 8, 18)


def _ctx(onset_days_ago: int | None, reroute: bool, share: float = 0.6) -> dict:
    state = {
        "under_way": onset_days_ago is not None,
        "observed_share": share if onset_days_ago is not None else 0.0,
        "level": 1 - share,
        "onset": None
        if onset_days_ago is None
        else (AS_OF - dt.timedelta(days=onset_days_ago)).isoformat(),
    }
    cp = {
        "flow": {"normal_mbd": 10.0},
        "state": state,
        "bypass": [] if reroute else [{"unused_mbd": 2.0}, {"unused_mbd": 3.0}],
        "reroute": [{"extra_days": 12}, {"extra_days": 15}] if reroute else [],
    }
    return {
        "chokepoints": {
            "strait": cp,
            "calm": {
                "flow": {"normal_mbd": 5.0},
                "state": {"under_way": False},
                "bypass": [],
                "reroute": [],
            },
        },
        "world_supply": {"mbd": 100.0},
        "stocks": {"rate_mbd": [0.0, 0.0], "delay_days": 13.0},
    }


NOW = '[[disruptions]]\nchokepoint = "*"\nshare = "observed"\nduration_days = 90\nrecovery_days = 30\n'


def test_status_quo_persists_every_disruption_under_way():
    pieces, _, _ = resolve_scenario(parse_scenario(NOW), _ctx(40, False), AS_OF, status_quo=True)
    (p,) = pieces
    assert (
        p.start_day == -40
        and p.share == (0.6, 0.6)
        and p.duration_days[0] > 40 + 156 * 7
        and p.bypass_mbd == (2.0, 3.0)
    )


def test_observed_share_continues_from_the_onset_for_the_duration_from_as_of():
    pieces, _, _ = resolve_scenario(parse_scenario(NOW), _ctx(40, False), AS_OF)
    scenario = [p for p in pieces if p.key == "disruptions[0]"]
    assert (
        len(scenario) == 1
        and scenario[0].start_day == -40
        and scenario[0].duration_days == (130.0, 130.0)
    )
    # The named chokepoint keeps a zero-volume piece from its onset (the clock), ending at as_of.
    clock = [p for p in pieces if p.key == "observed.strait"]
    assert clock[0].share == (0.0, 0.0) and clock[0].duration_days == (40.0, 40.0)


def test_nothing_under_way_gives_one_piece_of_no_volume():
    pieces, _, _ = resolve_scenario(parse_scenario(NOW), _ctx(None, False), AS_OF)
    assert [(p.key, p.lost_mbd) for p in pieces] == [("none", (0.0, 0.0))]


def test_an_old_rerouting_has_delivered_its_barrels():
    pieces, _, prov = resolve_scenario(parse_scenario(NOW), _ctx(400, True), AS_OF, status_quo=True)
    assert [p.key for p in pieces] == ["none"] and prov["observed"]["strait"]["delivered"]
    # A new closure on a rerouted strait counts only the barrels newly diverted: above the observed share.
    sc = parse_scenario('[[disruptions]]\nchokepoint = "strait"\nshare = 1.0\nduration_days = 30\n')
    pieces, _, _ = resolve_scenario(sc, _ctx(400, True), AS_OF)
    assert pieces[0].share == pytest.approx((0.4, 0.4))


def test_observed_override_and_unnamed_chokepoints():
    sc = parse_scenario(
        '[[disruptions]]\nchokepoint = "calm"\nshare = 0.5\nduration_days = 30\n[observed]\nstrait = 0.9\n'
    )
    pieces, _, prov = resolve_scenario(sc, _ctx(40, False), AS_OF)
    background = [p for p in pieces if p.key == "observed.strait"]
    assert background[0].share == (0.9, 0.9) and prov["observed"]["strait"]["from"].startswith(
        "scenario [observed]"
    )


def test_overlapping_shares_above_one_are_refused_but_sequential_ones_are_not():
    two = (
        '[[disruptions]]\nchokepoint = "calm"\nshare = 0.7\nduration_days = '
        '30\n[[disruptions]]\nchokepoint = "calm"\nshare = 0.7\nduration_days = 30\n'
    )
    with pytest.raises(ScenarioDataError, match=r"key 'disruptions\[1\].share'"):
        resolve_scenario(parse_scenario(two), _ctx(None, False), AS_OF)
    later = (
        '[[disruptions]]\nchokepoint = "calm"\nshare = 0.7\nduration_days = '
        '30\n[[disruptions]]\nchokepoint = "calm"\nshare = 0.7\nstart = 2026-10-01\nduration_days '
        "= 30\n"
    )
    resolve_scenario(parse_scenario(later), _ctx(None, False), AS_OF)


def test_a_scenario_naming_a_strait_under_way_keeps_its_observed_history():
    # "Closed for 30 days from as_of" on a strait 60% shut for 40 days: until as_of the loss is the observed one.
    sc = parse_scenario('[[disruptions]]\nchokepoint = "strait"\nshare = 1.0\nduration_days = 30\n')
    pieces, _, _ = resolve_scenario(sc, _ctx(40, False), AS_OF)
    history = [p for p in pieces if p.key == "observed.strait"]
    assert (
        history[0].start_day == -40
        and history[0].share == (0.6, 0.6)
        and history[0].duration_days == (40.0, 40.0)
    )
    # With its own earlier start the scenario covers the history from there; the observed piece stops at that start.
    sc = parse_scenario(
        '[[disruptions]]\nchokepoint = "strait"\nshare = 1.0\nstart = '
        f"{AS_OF - dt.timedelta(days=10)}\nduration_days = 30\n"
    )
    pieces, _, _ = resolve_scenario(sc, _ctx(40, False), AS_OF)
    history = [p for p in pieces if p.key == "observed.strait"]
    assert history[0].share == (0.6, 0.6) and history[0].duration_days == (30.0, 30.0)
