"""Monte Carlo: scenario → net supply loss → Brent → pump price, with bands.

One function, :func:`estimate`, chains the links of :mod:`oilshock.model`
with parameters from :mod:`oilshock.params`. Each draw takes

* one bootstrap replicate of the crude multiplier M(h),
* one draw of the pass-through coefficients from their covariance,
* one draw of every range the scenario or the data give (share, duration,
  recovery, bypass, stock-release rate, rerouting delay),

and the bands are the 5th, 50th and 95th percentiles across draws, week by
week. Draws come from one ``numpy.random.Generator`` seeded by ``seed``,
in a fixed order, so the same inputs give byte-identical output.

This module imports numpy and polars only; statsmodels is imported by the
fits, which run only when the parameter cache is cold.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from oilshock.model import crude, pump, supply
from oilshock.result import EstimateResult

DEFAULT_SEED = 20260301
DEFAULT_DRAWS = 4000
QUANTILES = (5, 50, 95)


def survey_mondays(as_of: dt.date, weeks: int) -> list[dt.date]:
    """The EIA weekly survey Mondays after ``as_of`` (the week convention used everywhere)."""
    first = as_of + dt.timedelta(days=7 - as_of.weekday())
    return [first + dt.timedelta(weeks=k) for k in range(weeks)]


def default_as_of(directory=None) -> dt.date:
    """The snapshot's latest Brent date: the default ``as_of``."""
    from oilshock.datasets import read_manifest

    return dt.date.fromisoformat(read_manifest(directory).entry("brent_daily")["last"])


def estimate(
    scenario,
    *,
    as_of: dt.date | None = None,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    directory=None,
    params: dict | None = None,
) -> EstimateResult:
    """Estimate the crude and pump-price paths of a disruption scenario, with bands.

    Parameters
    ----------
    scenario : Scenario or str
        A :class:`~oilshock.scenario.Scenario`, a preset name or a TOML path.
    as_of : datetime.date, optional
        Overrides the scenario's ``as_of``; default: the snapshot's latest date.
    seed : int
        Seed of the Monte Carlo.
    draws : int
        Number of Monte Carlo draws.
    directory : Path, optional
        Data directory.
    params : dict, optional
        Pre-fitted parameters (from :func:`oilshock.params.get_params`); for sweeps.

    Returns
    -------
    EstimateResult
    """
    from oilshock.params import get_params
    from oilshock.scenario import Scenario, load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    as_of = as_of or sc.as_of or default_as_of(directory)
    for i, d in enumerate(sc.disruptions):
        if d.start is not None and d.start < as_of:
            raise supply.ScenarioDataError(
                f"{sc.source}: disruptions[{i}].start {d.start} is before as_of {as_of}; a scenario starts on or after its as_of date"
            )
    p = params if params is not None else get_params(as_of, directory)
    rng = np.random.default_rng(seed)
    sim = run_draws(sc, p, as_of, draws, rng)
    return EstimateResult.from_simulation(sc, p, as_of, seed, draws, sim)


def run_draws(sc, p: dict, as_of: dt.date, n: int, rng: np.random.Generator) -> dict:
    """The Monte Carlo itself; returns arrays (n, n_weeks) and the week dates."""
    weeks = survey_mondays(as_of, sc.horizon_weeks)
    week_days = np.array([(w - as_of).days for w in weeks], dtype=float)
    disruptions, response, prov = supply.resolve_scenario(sc, p["supply"], as_of)
    world = p["supply"]["world_supply"]["mbd"]
    loss = supply.draw_net_loss(disruptions, response, world, week_days, n, rng)

    mdraws = np.asarray(p["crude"]["draws"])
    pick = rng.integers(0, mdraws.shape[0], size=n)
    start = as_of + dt.timedelta(days=min(d.start_day for d in disruptions))
    months = crude.months_between(start, weeks)
    mult = crude.multiplier_at(mdraws[pick], months)
    dlog = crude.log_price_change(mult, loss["share"])
    b0 = p["baseline"]["brent_usd_per_bbl"]
    brent = b0 * np.exp(dlog)

    retail_change = None
    if p["pump"] is not None:
        coefs = pump.draw_params(p["pump"], n, rng)
        shocked = pump.simulate_retail_change(p["pump"], coefs, brent / pump.GAL_PER_BBL)
        flat = pump.simulate_retail_change(p["pump"], coefs, np.full_like(brent, b0 / pump.GAL_PER_BBL))
        retail_change = shocked - flat
    return {
        "weeks": weeks,
        "brent": brent,
        "brent_change_pct": 100 * np.expm1(dlog),
        "retail_change": retail_change,
        "loss": loss,
        "multiplier": mult,
        "provenance": prov,
    }


def describe_scenario(scenario, *, as_of: dt.date | None = None, directory=None) -> dict:
    """The scenario as written plus every resolved parameter with its source (``scenarios show``)."""
    from oilshock.params import get_params
    from oilshock.scenario import RESPONSE_KEYS, Scenario, load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    as_of = as_of or sc.as_of or default_as_of(directory)
    p = get_params(as_of, directory)
    _, response, prov = supply.resolve_scenario(sc, p["supply"], as_of)
    return {
        "scenario": sc.to_dict(),
        "description": sc.description,
        "as_of": as_of.isoformat(),
        "resolved": prov,
        "response_keys": dict(RESPONSE_KEYS),
    }
