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

from oilshock.model import crude, politics, pump, supply
from oilshock.result import EstimateResult
from oilshock.scenario import HORIZON_RANGE

HORIZON_CAP = HORIZON_RANGE[1]

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
    election_date: dt.date | None = None,
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
    election_date : datetime.date, optional
        Overrides the next federal general election after ``as_of``.

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
    election = election_date or politics.next_federal_election(as_of)
    if election <= as_of:
        raise supply.ScenarioDataError(f"election date {election} is not after as_of {as_of}")
    p = params if params is not None else get_params(as_of, directory)
    sim = run_draws(sc, p, as_of, draws, seed, election)
    return EstimateResult.from_simulation(sc, p, as_of, seed, draws, sim)


def run_draws(sc, p: dict, as_of: dt.date, n: int, seed: int, election: dt.date | None = None) -> dict:
    """The Monte Carlo itself; returns arrays (n, n_weeks) and the week dates.

    Each source of randomness has its own stream spawned from ``seed``
    (scenario, crude multiplier, pass-through, market noise), so two
    scenarios run at one seed share every draw they have in common
    (common random numbers): comparisons between them are not blurred by
    Monte Carlo noise.
    """
    s_supply, s_crude, s_pump, s_noise, s_politics = np.random.SeedSequence(seed).spawn(5)
    horizon = sc.horizon_weeks
    # Simulate far enough to reach election day (the survey Monday before it), even past the horizon.
    election_week = None
    n_weeks = horizon
    if election is not None:
        election_week = max(0, (election - survey_mondays(as_of, 1)[0]).days // 7)
        n_weeks = max(horizon, min(election_week + 1, HORIZON_CAP))
        if election_week >= n_weeks:
            election_week = None  # beyond what is simulated: reported as not estimated
    weeks = survey_mondays(as_of, n_weeks)
    week_days = np.array([(w - as_of).days for w in weeks], dtype=float)
    disruptions, response, prov = supply.resolve_scenario(sc, p["supply"], as_of)
    world = p["supply"]["world_supply"]["mbd"]
    loss = supply.draw_net_loss(disruptions, response, world, week_days, n, s_supply)

    mdraws = np.asarray(p["crude"]["draws"])
    pick = np.random.default_rng(s_crude).integers(0, mdraws.shape[0], size=n)
    start = as_of + dt.timedelta(days=min(d.start_day for d in disruptions))
    months = crude.months_between(start, weeks)
    mult = crude.multiplier_at(mdraws[pick], months)
    dlog = crude.log_price_change(mult, loss["share"])
    b0 = p["baseline"]["brent_usd_per_bbl"]
    brent = b0 * np.exp(dlog)

    retail_change = None
    if p["pump"] is not None:
        coefs = pump.draw_params(p["pump"], n, np.random.default_rng(s_pump))
        shocked = pump.simulate_retail_change(p["pump"], coefs, brent / pump.GAL_PER_BBL)
        flat = pump.simulate_retail_change(p["pump"], coefs, np.full_like(brent, b0 / pump.GAL_PER_BBL))
        retail_change = shocked - flat

    # Predictive paths: the scenario effect plus the ordinary week-to-week noise of the
    # market (a random walk in log Brent with its pre-as_of volatility; the pass-through
    # equation's own residuals). Drawn last, so the effect bands do not depend on them.
    rng = np.random.default_rng(s_noise)
    noise = np.cumsum(rng.standard_normal(brent.shape) * p["baseline"]["brent_weekly_log_sd"], axis=1)
    brent_pred = brent * np.exp(noise)
    retail_pred = None
    if p["pump"] is not None:
        resid = rng.standard_normal(brent.shape) * p["pump"]["resid_sd_usd_per_gal"]
        retail_pred = pump.simulate_retail_change(p["pump"], coefs, brent_pred / pump.GAL_PER_BBL, noise=resid) - flat
    politics_out = _politics(p, retail_change, election_week, np.random.default_rng(s_politics))
    return {
        "horizon": horizon,
        "election": election,
        "election_week": election_week,
        "weeks_all": weeks,
        "regions_seed": int(np.random.default_rng(s_politics.spawn(1)[0]).integers(2**31)),
        "politics": politics_out,
        "weeks": weeks,
        "brent": brent,
        "brent_change_pct": 100 * np.expm1(dlog),
        "retail_change": retail_change,
        "brent_change_pct_predictive": 100 * (brent_pred / b0 - 1),
        "retail_change_predictive": retail_pred,
        "loss": loss,
        "multiplier": mult,
        "provenance": prov,
    }


def _politics(p: dict, retail_change, election_week, rng) -> dict | None:
    """Approval and seat changes per draw at the election week (None where a model or the path is missing)."""
    if retail_change is None or election_week is None:
        return None
    out = {"retail_change": retail_change[:, election_week]}
    base = p["baseline"]["retail"]["usd_per_gal"]
    if "unavailable" not in p["approval"]:
        floor = p["baseline"]["retail"].get("min_observed_usd_per_gal")
        out["approval"] = politics.approval_change(out["retail_change"], base, p["approval"], rng, floor)
        if "unavailable" not in p["seats"]:
            out["seats"] = politics.seats_change(out["approval"], p["seats"], rng)
        out["approval_per_dollar"] = politics.approval_change(np.ones(retail_change.shape[0]), base, p["approval"], rng)
    return out


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


def sweep(
    scenario,
    shares,
    durations,
    *,
    as_of: dt.date | None = None,
    chokepoint: str | None = None,
    draws: int = 2000,
    seed: int = DEFAULT_SEED,
    directory=None,
    params: dict | None = None,
    chunk_draws: int = 40_000,
) -> list[dict]:
    """Peak changes over a grid of share blocked × duration, in one batched Monte Carlo.

    The first disruption of ``scenario`` is varied (its chokepoint replaced by
    ``chokepoint`` if given); the other disruptions, the response and every
    other draw are kept. Each cell uses the same draws as :func:`estimate` at
    the same ``seed`` would (common random numbers), so a cell equals the
    estimate of that scenario — cells differ only by share and duration —
    while the whole grid costs a few vectorised passes instead of one
    estimate per cell.

    Parameters
    ----------
    scenario : Scenario or str
    shares : sequence of float
        Fractions of the flow stopped [0..1].
    durations : sequence of float
        Durations at full strength [days].
    chunk_draws : int
        Cells are simulated in chunks of about this many draws, bounding memory.

    Returns
    -------
    list of dict
        One row per cell: ``share``, ``duration_days``,
        ``retail_peak_change_usd_per_gal`` and ``brent_peak_change_pct``
        (p05/p50/p95 each; retail ``None`` where no pump model exists).
    """
    from dataclasses import replace

    from oilshock.params import get_params
    from oilshock.result import _band
    from oilshock.scenario import Scenario, load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    as_of = as_of or sc.as_of or default_as_of(directory)
    p = params if params is not None else get_params(as_of, directory)
    first = sc.disruptions[0]
    cp = chokepoint or first.chokepoint
    if cp is None:
        raise supply.ScenarioDataError(f"{sc.source}: the first disruption is a lost volume; give a chokepoint to vary the share blocked")
    template = replace(first, chokepoint=cp, share=(1.0, 1.0), lost_mbd=None, duration_days=(1.0, 1.0))
    base = replace(sc, disruptions=(template, *sc.disruptions[1:]))
    disruptions, response, _ = supply.resolve_scenario(base, p["supply"], as_of)
    weeks = survey_mondays(as_of, sc.horizon_weeks)
    week_days = np.array([(w - as_of).days for w in weeks], dtype=float)
    s_supply, s_crude, s_pump, _, _ = np.random.SeedSequence(seed).spawn(5)
    template_draws = supply.draw_scenario_params(disruptions, response, draws, s_supply)
    mdraws = np.asarray(p["crude"]["draws"])
    pick = np.random.default_rng(s_crude).integers(0, mdraws.shape[0], size=draws)
    start = as_of + dt.timedelta(days=min(d.start_day for d in disruptions))
    mult = crude.multiplier_at(mdraws[pick], crude.months_between(start, weeks))
    b0 = p["baseline"]["brent_usd_per_bbl"]
    coefs = flat = None
    if p["pump"] is not None:
        coefs = pump.draw_params(p["pump"], draws, np.random.default_rng(s_pump))
        flat = pump.simulate_retail_change(p["pump"], coefs, np.full((draws, len(weeks)), b0 / pump.GAL_PER_BBL))
    flow = disruptions[0].flow_mbd
    cells = [(float(s), float(d)) for s in shares for d in durations]
    per_chunk = max(1, chunk_draws // draws)
    rows = []
    for c0 in range(0, len(cells), per_chunk):
        chunk = cells[c0 : c0 + per_chunk]
        k = len(chunk)

        def tile(a):
            return np.tile(a, k) if a.size == draws else a

        dis = []
        for j, d in enumerate(template_draws["disruptions"]):
            dj = {key: tile(v) for key, v in d.items()}
            if j == 0:
                dj["volume_mbd"] = np.repeat([flow * s for s, _ in chunk], draws)
                dj["duration_days"] = np.repeat([dur for _, dur in chunk], draws)
            dis.append(dj)
        batch = {"disruptions": dis, "stock_rate_mbd": tile(template_draws["stock_rate_mbd"])}
        loss = supply.net_loss_paths(batch, response, p["supply"]["world_supply"]["mbd"], week_days)
        dlog = crude.log_price_change(np.tile(mult, (k, 1)), loss["share"])
        brent_peak = (100 * np.expm1(dlog)).max(axis=1).reshape(k, draws)
        retail_peak = None
        if coefs is not None:
            shocked = pump.simulate_retail_change(p["pump"], np.tile(coefs, (k, 1)), b0 * np.exp(dlog) / pump.GAL_PER_BBL)
            retail_peak = (shocked - np.tile(flat, (k, 1))).max(axis=1).reshape(k, draws)
        for i, (s, dur) in enumerate(chunk):
            rows.append(
                {
                    "share": s,
                    "duration_days": dur,
                    "brent_peak_change_pct": _band(brent_peak[i], 2),
                    "retail_peak_change_usd_per_gal": None if retail_peak is None else _band(retail_peak[i], 4),
                }
            )
    return rows
