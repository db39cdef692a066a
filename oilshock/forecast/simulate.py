"""Monte Carlo: scenario → net supply loss → Brent → pump price, with bands.

One function, :func:`estimate`, chains the links of :mod:`oilshock.model`
with parameters from :mod:`oilshock.forecast.params`. Each draw takes

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

from oilshock.forecast.bands import QUANTILES  # noqa: F401 (re-exported)
from oilshock.forecast.channels import margin_coefficients, news_premium, regime_factors
from oilshock.forecast.draws import Simulation
from oilshock.forecast.heap import retain_freed_memory
from oilshock.forecast.paths import (
    ANCHOR_DAY,  # noqa: F401 (re-exported)
    DTYPE,
    brent_paths,
    flat_path,
    levels,
    multiplier_draws,
    pump_coefficients,
    seasonal_drift,
    status_quo_draws,
    to_pct_change,
    variant_under_way,
)
from oilshock.forecast.prepare import check_as_of, default_as_of, describe_scenario, prepare  # noqa: F401
from oilshock.forecast.result import EstimateResult
from oilshock.forecast.streams import DEFAULT_SEED, Streams, resolve_seed, seed_streams  # noqa: F401
from oilshock.model import crude_paths, household, politics, pump, supply
from oilshock.model.normal import standard_normal
from oilshock.periods import survey_mondays
from oilshock.scenario.parse import HORIZON_RANGE
from oilshock.scenario.resolve import resolve_scenario

HORIZON_CAP = HORIZON_RANGE[1]

DEFAULT_DRAWS = 4000


def estimate(
    scenario,
    *,
    as_of: dt.date | None = None,
    seed: int | None = None,
    draws: int | None = None,
    directory=None,
    params: dict | None = None,
    election_date: dt.date | None = None,
    today: dt.date | None = None,
    model: str | None = None,
    election_after: dt.date | None = None,
) -> EstimateResult:
    r"""Estimate the crude and pump-price paths of a disruption scenario, with bands.

    Parameters
    ----------
    scenario : Scenario or str
        A :class:`~oilshock.scenario.parse.Scenario`, a preset name or a TOML path.
    as_of : datetime.date, optional
        Overrides the scenario's ``as_of``; default: the snapshot's latest date.
    seed : int, optional
        Seed of the Monte Carlo (default :data:`DEFAULT_SEED`).
    draws : int, optional
        Number of Monte Carlo draws (default :data:`DEFAULT_DRAWS`).
    directory : Path, optional
        Data directory.
    params : dict, optional
        Pre-fitted parameters (from :func:`oilshock.forecast.params.get_params`); for sweeps.
    election_date : datetime.date, optional
        Overrides the next federal general election after ``as_of``.
    today : datetime.date, optional
        Today's date for the data-age warning and a past election (default: the clock).
    model : str, optional
        A variant scored in ``docs/evaluation.md`` (:func:`check_model`) instead of
        the default (:data:`oilshock.model.crude_paths.DEFAULT_MODEL`).
    election_after : datetime.date, optional
        Without ``election_date``, the election is the first after the later of ``as_of`` and
        this date (the commands pass today's date, so a briefer sees the coming election, not a
        past one); default: the first after ``as_of``.

    Returns
    -------
    EstimateResult

    Raises
    ------
    ScenarioDataError
        ``as_of`` after the newest data (exit code 2).
    UnknownNameError
        ``model`` is not a model name (exit code 2).

    Notes
    -----
    Everything up to ``as_of`` is observed; only the future is simulated
    (:mod:`oilshock.scenario.resolve` says what a scenario means when a
    disruption is under way). With :math:`E_x(t) = -M(h_x(t))\log(1 - x(t))`
    the crude model's log effect of a net loss path :math:`x` whose episode
    began :math:`h_x(t)` months before :math:`t`
    (:func:`oilshock.model.crude_paths.log_price_change`), the scenario path and the
    status quo (every disruption under way persisting) are anchored at the
    observed Brent :math:`B_0` at ``as_of``:

    .. math::

       B_{scn}(t) = B_0 \exp\{s\,[E_{scn}(t) - E_{sq}(0)]\}, \qquad B_{sq}(t) = B_0 \exp\{s\,[E_{sq}(t) - E_{sq}(0)]\}

       s = \min\{1, \max[0, \log(B_0 / B_{pre}) / E_{sq}(0)]\}

    :math:`E_{sq}(0)` is the model's effect of the observed state in the week
    to ``as_of``; :math:`B_{pre}` the mean Brent of the 5 trading days before
    the episode's onset. :math:`s` is the share of the model's effect that
    the market has shown since the onset: the model's effects are scaled
    down to it (never up — a rise beyond the model's effect is kept in the
    price as something the model does not explain), so that a full reopening
    returns Brent to :math:`B_{pre}` rather than to what the model's larger
    effect would imply (on the snapshot at 2026-08-18 the model attributes a
    log effect of about 1.4 to the closure while Brent rose by about 0.3).
    The pump model starts from the observed weeks before ``as_of`` (its lags
    and error-correction term). Changes are reported against today's price
    (crude held at :math:`B_0`) and against the status quo. With nothing
    under way :math:`E_{sq} \equiv 0`, :math:`s = 1` and this is the plain
    scenario effect. The crude-response variants of issue #12
    (``params["crude_model"]``, :data:`oilshock.model.crude_paths.MODELS`) are
    anchored the same way, with :math:`E` the variant's effect of the loss
    path since the onset (:func:`variant_under_way`).
    """
    if model is not None:
        check_model(model)
    from oilshock.forecast.prepare import check_work
    from oilshock.scenario.parse import Scenario
    from oilshock.scenario.spec import load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    # Bounded before the fit and the draws (OILSHOCK_MAX_WORK).
    check_work(draws or DEFAULT_DRAWS, [sc.horizon_weeks])
    sc, as_of, p = prepare(sc, as_of=as_of, directory=directory, params=params, check=True)
    if model is not None:
        p = dict(p, crude_model=model)
    election = election_date or politics.next_federal_election(max(as_of, election_after or as_of))
    if election <= as_of:
        raise supply.ScenarioDataError(f"election date {election} is not after as_of {as_of}")
    seed, draws = resolve_seed(seed), draws or DEFAULT_DRAWS
    sim = run_draws(sc, p, as_of, draws, seed, election)
    result = EstimateResult.from_simulation(sc, p, as_of, seed, draws, sim)
    from oilshock.forecast.status import annotate

    return annotate(
        result,
        p,
        as_of,
        today=today,
        directory=directory,
        election_overridden=election_date is not None,
    )


def check_model(name: str) -> str:
    """``name`` if it is a variant the evaluation scores (:data:`oilshock.model.crude_paths.SCORED_MODELS`).

    The name grammar (:func:`oilshock.model.crude_paths.parse_model`) admits more
    combinations; an estimate offers only those with scores in ``docs/evaluation.md``.

    Raises
    ------
    UnknownNameError
        Naming the closest variant and every scored one.
    """
    from oilshock.errors import UnknownNameError

    if name not in crude_paths.SCORED_MODELS:
        raise UnknownNameError("model", name, list(crude_paths.SCORED_MODELS))
    return name


def run_draws(
    sc, p: dict, as_of: dt.date, n: int, seed: int, election: dt.date | None = None
) -> Simulation:
    """The Monte Carlo itself; returns paths as (n, n_weeks) arrays, the week dates and the drivers.

    The multiplier comes as ``multiplier_by_week`` (n_weeks, n_boot) and
    ``multiplier_pick`` (n,): draw ``j``'s value in week ``s`` is
    ``multiplier_by_week[s, multiplier_pick[j]]``.

    Each source of randomness has its own stream spawned from ``seed``
    (scenario, crude multiplier, pass-through, market noise), so two
    scenarios run at one seed share every draw they have in common
    (common random numbers): comparisons between them are not blurred by
    Monte Carlo noise.
    """
    retain_freed_memory()
    s_supply, s_crude, s_pump, s_noise, s_politics, s_channels = seed_streams(seed)
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
    world = p["supply"]["world_supply"]["mbd"]
    disruptions, response, prov = resolve_scenario(sc, p["supply"], as_of)
    scn_draws = supply.draw_scenario_params(disruptions, response, n, s_supply)
    loss = supply.net_loss_paths(scn_draws, response, world, week_days, DTYPE)
    by_week, pick = multiplier_draws(
        p, disruptions, as_of, weeks, np.random.default_rng(s_crude), n
    )
    sq_by_week, sq_share, anchor, sq_parts = status_quo_draws(
        sc, p, as_of, weeks, n, s_supply, s_crude
    )
    b0 = p["baseline"]["brent_usd_per_bbl"]
    spec = crude_paths.parse_model(p.get("crude_model", crude_paths.DEFAULT_MODEL))
    model, seasonal = spec.crude, spec.seasonal
    s_news, s_margin = s_channels.spawn(2)
    # The third channel stream, spawned after the first two so that their draws stay as they were.
    factor = regime_factors(p, n, s_channels.spawn(1)[0]) if spec.regimes else None
    sq_dlog = None
    if model == "v1":
        dlog, brent, crude_usd_per_gal = brent_paths(by_week, pick, loss["share"].T, b0, anchor)
    else:  # issue #12 variants of the crude response (crude_paths.MODELS)
        if anchor is None:
            dlog = crude_paths.variant_log_price_change(
                model, p["crude"], pick, loss["share"].T, week_days, factor=factor
            )
        else:
            dlog, sq_dlog, anchor = variant_under_way(
                model,
                p,
                (disruptions, scn_draws, response),
                sq_parts,
                week_days,
                pick,
                factor=factor,
            )
        brent, crude_usd_per_gal = levels(dlog, b0)
    premium = news_premium(sc, p, week_days, n, s_news, anchor is not None) if spec.news else None
    if premium is not None:  # the news premium, or the loss's effect where that is larger
        dlog = np.maximum(dlog, premium.astype(dlog.dtype))
        brent, crude_usd_per_gal = levels(dlog, b0)
    status_quo = None
    if anchor is not None:
        if sq_dlog is None:
            sq_dlog, sq_brent, sq_crude = brent_paths(
                sq_by_week[1:], pick, sq_share[1:], b0, anchor
            )
        else:
            sq_brent, sq_crude = levels(sq_dlog, b0)
        status_quo = {"dlog": sq_dlog, "brent": sq_brent, "crude": sq_crude}

    # Predictive paths: the scenario effect plus the ordinary week-to-week noise of the
    # market (a random walk in log Brent with its pre-as_of volatility; the pass-through
    # equation's own residuals). Drawn from their own stream, so the effect bands do not depend on them.
    rng = np.random.default_rng(s_noise)
    brent_pred = standard_normal(rng, (n_weeks, n))
    brent_pred *= p["baseline"]["brent_weekly_log_sd"]
    for s in range(
        1, n_weeks
    ):  # the random walk; row by row is ~8x faster than cumsum along axis 0
        np.add(brent_pred[s - 1], brent_pred[s], out=brent_pred[s])
    np.exp(brent_pred, out=brent_pred)
    brent_pred *= brent
    retail_change = retail_pred = retail_flat = None
    if p["pump"] is not None:
        coef = pump_coefficients(p, n, s_pump)
        resid = standard_normal(rng, (n_weeks, n))
        resid *= p["pump"]["resid_sd_usd_per_gal"]
        paths = [
            (crude_usd_per_gal, None),
            (flat_path(b0, n_weeks), None),
            (brent_pred / pump.GAL_PER_BBL, resid),
        ]
        if status_quo is not None:
            paths.append((status_quo["crude"], None))
        shocked, flat, predictive, *sq_retail = pump.simulate_many(p["pump"], coef, paths)
        m_coef = margin_coefficients(p, n, n_weeks, s_margin) if spec.margin else None
        if m_coef is not None:  # the refinery margin a crude rise adds (same for both paths)
            from oilshock.model.margin import added_margin

            added = added_margin(m_coef, dlog).astype(shocked.dtype)
            shocked += added
            predictive += added
            if status_quo is not None:
                sq_retail[0] += added_margin(m_coef, status_quo["dlog"]).astype(shocked.dtype)
        if status_quo is not None:
            status_quo["retail_vs_status_quo"] = (shocked - sq_retail[0]).T
            status_quo["retail_change"] = (sq_retail[0] - flat).T
        shocked -= flat
        predictive -= flat
        retail_change, retail_pred = shocked.T, predictive.T
        retail_flat = (
            flat.T
        )  # the pump path with crude held flat: the level forecast of a no-shock world
    politics_out = _politics(p, retail_change, election_week, np.random.default_rng(s_politics))
    brent_pred *= 100 / b0
    brent_pred -= 100
    if status_quo is not None:
        status_quo["brent_vs_status_quo_pct"] = to_pct_change(dlog - status_quo.pop("dlog")).T
        status_quo["brent"] = status_quo["brent"].T
        del status_quo["crude"]
        # The flow the status quo keeps stopped each week (no random draws: the status quo's own
        # draws, integrated as the scenario's are), so the drivers can say what a scenario adds.
        status_quo["gross_mbd"] = supply.net_loss_paths(
            sq_parts[1], sq_parts[2], world, week_days, DTYPE
        )["gross_mbd"]
    change_pct = to_pct_change(dlog)
    costs = thetas = None
    if retail_change is not None:
        # Over the scenario's horizon only: weeks simulated beyond it serve election day.
        costs = household.household_costs(retail_change[:, :horizon], p["household"])
        regions_seed = int(np.random.default_rng(s_politics.spawn(1)[0]).integers(2**31))
        thetas = household.draw_region_thetas(
            p["household"]["regions"], n, np.random.default_rng(regions_seed)
        )
    # Keyed as the reduction reads them (sim["weeks"]); the fields are checked by the dataclass.
    return Simulation(
        **{
            "horizon": horizon,
            "election": election,
            "election_week": election_week,
            "weeks_all": weeks,
            "household_costs": costs,
            "region_thetas": thetas,
            "politics": politics_out,
            "weeks": weeks,
            "brent": brent.T,
            "brent_change_pct": change_pct.T,
            "retail_change": retail_change,
            "brent_change_pct_predictive": brent_pred.T,
            "retail_change_predictive": retail_pred,
            "retail_flat": retail_flat,
            "retail_seasonal": seasonal_drift(p, n_weeks)
            if seasonal and retail_change is not None
            else None,
            "loss": loss,
            "multiplier_by_week": by_week,
            "multiplier_pick": pick,
            "multiplier_factor": factor,  # each draw's +regimes factor, or None
            "provenance": prov,
            "status_quo": status_quo,
            "anchor": None
            if anchor is None
            else {
                "model_log_effect_p50": float(np.median(anchor[0])),
                "realised_share_p50": float(np.median(anchor[1])),
            },
        }
    )


def _politics(p: dict, retail_change, election_week, rng) -> dict | None:
    """Approval and seat changes per draw on election day, from the monthly price path up to it
    (None where a model or the path is missing)."""
    if retail_change is None or election_week is None:
        return None
    out = {"retail_change": retail_change[:, election_week]}
    base = p["baseline"]["retail"]["usd_per_gal"]
    if "unavailable" not in p["approval"] and "form" in p["approval"]:
        floor = p["baseline"]["retail"].get("min_observed_usd_per_gal")
        x = politics.monthly_excursion(retail_change, election_week, base, floor)
        forms = politics.draw_forms(p["approval"], x.shape[0], rng)
        out["approval"] = politics.approval_path(x, forms)[:, -1]
        out["approval_impact"] = forms[:, 1]
        out["excursion_last_month"] = x[:, -1]
        out["excursion_peak"] = x.max(axis=1)
        # +$1/gal from now to election day, through the same dynamics.
        step = np.full((1, x.shape[1]), np.log((base + 1.0) / base))
        out["approval_per_dollar"] = politics.approval_path(
            np.repeat(step, x.shape[0], axis=0), forms
        )[:, -1]
        if "unavailable" not in p["seats"]:
            out["seats"] = politics.seats_change(out["approval"], p["seats"], rng)
            predictive = politics.seats_predictive(out["approval"], p["seats"], rng)
            if predictive is not None:
                out["seats_predictive"] = predictive
    return out


def __getattr__(name: str):
    # The sweep lives in its own module; ``oilshock.forecast.simulate.sweep`` keeps working.
    if name == "sweep":
        from oilshock.forecast.sweep import sweep

        return sweep
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
