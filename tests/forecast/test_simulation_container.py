"""run_draws hands the reduction a typed container (issue #16 item 3), still readable by key."""

from __future__ import annotations

import dataclasses
import datetime as dt

from oilshock.forecast.simulate import Simulation, run_draws
from oilshock.scenario.spec import load_scenario


def test_run_draws_returns_a_simulation_readable_by_key(params_now):
    sim = run_draws(load_scenario("now"), params_now, dt.date(2026, 8, 18), 50, 7)
    assert isinstance(sim, Simulation)
    names = [f.name for f in dataclasses.fields(Simulation)]
    assert list(sim) == names and len(sim) == len(names)
    assert sim["weeks"] is sim.weeks and sim.get("absent") is None and "absent" not in sim
    assert dict(sim).keys() == set(names)
