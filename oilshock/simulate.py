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

from oilshock.model import crude, leading_rows, politics, pump, supply
from oilshock.model.normal import standard_normal
from oilshock.result import EstimateResult
from oilshock.scenario import HORIZON_RANGE

HORIZON_CAP = HORIZON_RANGE[1]

DEFAULT_SEED = 20260301
DEFAULT_DRAWS = 4000
# Paths are held in single precision: the Monte Carlo is bound by memory traffic, and
# the outputs are rounded far above float32's resolution (see model.pump.simulate_many).
DTYPE = np.float32
QUANTILES = (5, 50, 95)
# The survey-day offset whose loss window (supply.WEEK_WINDOW_DAYS) ends on as_of: the anchor week [day].
ANCHOR_DAY = 1.0 - supply.WEEK_WINDOW_DAYS[1]


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
    today: dt.date | None = None,
) -> EstimateResult:
    r"""Estimate the crude and pump-price paths of a disruption scenario, with bands.

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
    today : datetime.date, optional
        Today's date for the data-age warning and a past election (default: the clock).

    Returns
    -------
    EstimateResult

    Raises
    ------
    ScenarioDataError
        ``as_of`` after the newest data (exit code 2).

    Notes
    -----
    Everything up to ``as_of`` is observed; only the future is simulated
    (:mod:`oilshock.model.resolve` says what a scenario means when a
    disruption is under way). With :math:`E_x(t) = -M(h_x(t))\log(1 - x(t))`
    the crude model's log effect of a net loss path :math:`x` whose episode
    began :math:`h_x(t)` months before :math:`t`
    (:func:`oilshock.model.crude.log_price_change`), the scenario path and the
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
    (``params["crude_model"]``, :data:`oilshock.model.crude.MODELS`) are
    anchored the same way, with :math:`E` the variant's effect of the loss
    path since the onset (:func:`_variant_under_way`).
    """
    from oilshock.params import get_params
    from oilshock.scenario import Scenario, load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    as_of = as_of or sc.as_of or check_as_of(None, directory)
    if params is None:
        check_as_of(as_of, directory)
    election = election_date or politics.next_federal_election(as_of)
    if election <= as_of:
        raise supply.ScenarioDataError(f"election date {election} is not after as_of {as_of}")
    p = params if params is not None else get_params(as_of, directory)
    sim = run_draws(sc, p, as_of, draws, seed, election)
    result = EstimateResult.from_simulation(sc, p, as_of, seed, draws, sim)
    from oilshock.status import annotate

    return annotate(
        result,
        p,
        as_of,
        today=today,
        directory=directory,
        election_overridden=election_date is not None,
    )


def check_as_of(as_of: dt.date | None, directory=None) -> dt.date:
    """``as_of``, or the newest Brent date when None; a date after the newest data is refused (exit code 2)."""
    newest = default_as_of(directory)
    if as_of is None:
        return newest
    if as_of > newest:
        raise supply.ScenarioDataError(
            f"as_of {as_of} is after the newest data: brent_daily ends {newest}; give --as-of {newest} or earlier"
        )
    return as_of


_HEAP = {"retained": None}
# glibc mallopt parameters (malloc.h) and the values asked for [bytes].
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEEP_FREED_BYTES, _HEAP_ALLOCATION_BYTES = 256 * 2**20, 32 * 2**20


def retain_freed_memory() -> bool:
    """Let the C allocator keep freed memory for the next Monte Carlo instead of returning it.

    A run allocates and frees a few dozen megabytes of paths. By default
    glibc hands blocks that large straight back to the kernel, so the next
    run pays a page fault for every 4 KiB it touches again — about a quarter
    of a 10,000-draw run on the reference machine (``benchmarks/README.md``).
    This asks glibc (``mallopt``) to serve blocks of up to 32 MiB from its
    heap and to keep up to 256 MiB of freed heap, as the
    ``MALLOC_TRIM_THRESHOLD_`` and ``MALLOC_MMAP_THRESHOLD_`` environment
    variables would. A single run's peak memory is unchanged; across runs
    the process keeps up to 256 MiB it has freed (a sequence of benchmark
    runs peaked at 137 MiB instead of 130 MiB).

    Done once per process, at the first Monte Carlo; skipped where the C
    library is not glibc, and when ``OILSHOCK_RETAIN_HEAP=0``.

    Returns
    -------
    bool
        Whether the allocator took the settings.
    """
    if _HEAP["retained"] is None:
        import ctypes
        import os

        ok = False
        try:
            glibc = (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
        except (AttributeError, ValueError, OSError):  # no confstr (Windows) or not glibc
            glibc = False
        if glibc and os.environ.get("OILSHOCK_RETAIN_HEAP", "1") != "0":
            try:
                mallopt = ctypes.CDLL(None).mallopt
            except (OSError, AttributeError, TypeError):
                mallopt = None
            if mallopt is not None:
                ok = bool(mallopt(_M_MMAP_THRESHOLD, _HEAP_ALLOCATION_BYTES)) and bool(
                    mallopt(_M_TRIM_THRESHOLD, _KEEP_FREED_BYTES)
                )
        _HEAP["retained"] = ok
    return _HEAP["retained"]


def run_draws(
    sc, p: dict, as_of: dt.date, n: int, seed: int, election: dt.date | None = None
) -> dict:
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
    world = p["supply"]["world_supply"]["mbd"]
    disruptions, response, prov = supply.resolve_scenario(sc, p["supply"], as_of)
    scn_draws = supply.draw_scenario_params(disruptions, response, n, s_supply)
    loss = supply.net_loss_paths(scn_draws, response, world, week_days, DTYPE)
    by_week, pick = _multiplier_draws(
        p, disruptions, as_of, weeks, np.random.default_rng(s_crude), n
    )
    sq_by_week, sq_share, anchor, sq_parts = _status_quo(sc, p, as_of, weeks, n, s_supply, s_crude)
    b0 = p["baseline"]["brent_usd_per_bbl"]
    model, seasonal = crude.parse_model(p.get("crude_model", crude.DEFAULT_MODEL))
    sq_dlog = None
    if model == "v1":
        dlog, brent, crude_usd_per_gal = _brent_paths(by_week, pick, loss["share"].T, b0, anchor)
    else:  # issue #12 variants of the crude response (crude.MODELS)
        if anchor is None:
            dlog = crude.variant_log_price_change(
                model, p["crude"]["draws"], pick, loss["share"].T, week_days
            )
        else:
            dlog, sq_dlog, anchor = _variant_under_way(
                model, p, (disruptions, scn_draws, response), sq_parts, week_days, pick
            )
        brent, crude_usd_per_gal = _levels(dlog, b0)
    status_quo = None
    if anchor is not None:
        if sq_dlog is None:
            sq_dlog, sq_brent, sq_crude = _brent_paths(
                sq_by_week[1:], pick, sq_share[1:], b0, anchor
            )
        else:
            sq_brent, sq_crude = _levels(sq_dlog, b0)
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
        coef = _pump_coefficients(p, n, s_pump)
        resid = standard_normal(rng, (n_weeks, n))
        resid *= p["pump"]["resid_sd_usd_per_gal"]
        paths = [
            (crude_usd_per_gal, None),
            (_flat_path(b0, n_weeks), None),
            (brent_pred / pump.GAL_PER_BBL, resid),
        ]
        if status_quo is not None:
            paths.append((status_quo["crude"], None))
        shocked, flat, predictive, *sq_retail = pump.simulate_many(p["pump"], coef, paths)
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
        status_quo["brent_vs_status_quo_pct"] = _change_pct(dlog - status_quo.pop("dlog")).T
        status_quo["brent"] = status_quo["brent"].T
        del status_quo["crude"]
    change_pct = _change_pct(dlog)
    return {
        "horizon": horizon,
        "election": election,
        "election_week": election_week,
        "weeks_all": weeks,
        "regions_seed": int(np.random.default_rng(s_politics.spawn(1)[0]).integers(2**31)),
        "politics": politics_out,
        "weeks": weeks,
        "brent": brent.T,
        "brent_change_pct": change_pct.T,
        "retail_change": retail_change,
        "brent_change_pct_predictive": brent_pred.T,
        "retail_change_predictive": retail_pred,
        "retail_flat": retail_flat,
        "retail_seasonal": _seasonal_drift(p, n_weeks)
        if seasonal and retail_change is not None
        else None,
        "loss": loss,
        "multiplier_by_week": by_week,
        "multiplier_pick": pick,
        "provenance": prov,
        "status_quo": status_quo,
        "anchor": None
        if anchor is None
        else {
            "model_log_effect_p50": float(np.median(anchor[0])),
            "realised_share_p50": float(np.median(anchor[1])),
        },
    }


def _status_quo(sc, p: dict, as_of: dt.date, weeks: list, n: int, s_supply, s_crude) -> tuple:
    """Multipliers (n_weeks + 1, n_boot) and net loss share (n_weeks + 1, n or 1) of the status quo, and the anchor.

    Also the status quo's ``(pieces, draws, response)``. The first row is the window of :data:`oilshock.model.supply.WEEK_WINDOW_DAYS`
    that ends on ``as_of`` (the trading week to ``as_of``). Drawn from the scenario's streams
    (common random numbers). The anchor (n,) is the model's log effect of
    the observed state in that week, :math:`E_{sq}(0)` of :func:`estimate`,
    or None when nothing is under way.
    """
    days = np.array([ANCHOR_DAY] + [(w - as_of).days for w in weeks])
    sq_dis, sq_resp, _ = supply.resolve_scenario(sc, p["supply"], as_of, status_quo=True)
    sq_draws = supply.draw_scenario_params(sq_dis, sq_resp, n, s_supply)
    share = supply.net_loss_paths(
        sq_draws, sq_resp, p["supply"]["world_supply"]["mbd"], days, DTYPE
    )["share"].T
    by_week, pick = _multiplier_draws(
        p, sq_dis, as_of, [as_of, *weeks], np.random.default_rng(s_crude), n
    )
    if not share[:1].any():
        return by_week, share, None, (sq_dis, sq_draws, sq_resp)
    effect = crude.log_price_change(np.take(by_week[:1], pick, axis=1), share[:1])[0].astype(
        np.float64
    )
    return by_week, share, (effect, _realised_share(p, sq_dis, effect)), (sq_dis, sq_draws, sq_resp)


def _variant_under_way(
    model: str, p: dict, scenario: tuple, status_quo: tuple, week_days: np.ndarray, pick: np.ndarray
):
    r"""A crude-response variant from a disruption under way: scenario and status-quo log changes (n_weeks, n), and the anchor.

    The variants build the response from the loss path itself, so the path
    is taken from the week before the earliest onset (the status-quo pieces
    start at a negative day): rows every 7 days back from the anchor week
    (the window ending on ``as_of``, :data:`ANCHOR_DAY`), the anchor week,
    then the horizon's weeks. Anchored as v1 is (:func:`estimate`): with
    :math:`E` the variant's effect on that path,

    .. math::  \log B_{x}(t) - \log B_0 = s\,[E_x(t) - E_{sq}(0)], \quad x \in \{scn, sq\}

    and :math:`s` from :func:`_realised_share` of :math:`E_{sq}(0)`. Before
    ``as_of`` both paths are the status quo's (observed); they differ from
    ``as_of`` on. The status quo's own pieces and draws (``_status_quo``) and the scenario's
    (``run_draws``) are re-integrated over the longer grid, so both keep the
    draws they have over the horizon. ``scenario`` and ``status_quo`` are
    ``(pieces, draws, response)`` triples (``supply.resolve_scenario``,
    ``supply.draw_scenario_params``).
    """
    pieces, _, _ = scenario
    sq_pieces, _, _ = status_quo
    onset = min(d.start_day for d in (*pieces, *sq_pieces))
    back = max(
        1, int(np.ceil((ANCHOR_DAY + supply.WEEK_WINDOW_DAYS[1] - onset) / 7.0))
    )  # the first row ends before the onset
    days = np.concatenate([ANCHOR_DAY - 7.0 * np.arange(back, 0, -1), [ANCHOR_DAY], week_days])
    world = p["supply"]["world_supply"]["mbd"]
    table = p["crude"]["draws"]
    scn_share, sq_share = (
        supply.net_loss_paths(d, r, world, days, DTYPE)["share"].T
        for _, d, r in (scenario, status_quo)
    )
    # Everything up to as_of is observed: the scenario's path before as_of is the status quo's (the
    # state under way), so a scenario that names a strait already shut continues its episode rather
    # than restarting it at as_of (which would drop Brent the first week by the whole response so far).
    scn_share = np.concatenate([sq_share[: back + 1], scn_share[back + 1 :]])
    effects = [
        crude.variant_log_price_change(model, table, pick, share, days)
        for share in (scn_share, sq_share)
    ]
    effect = effects[1][back].astype(np.float64)
    scale = _realised_share(p, sq_pieces, effect)
    out = []
    for e in effects:
        e = e[back + 1 :] - effect.astype(DTYPE)[None, :]
        e *= scale.astype(DTYPE)[None, :]
        out.append(e)
    return out[0], out[1], (effect, scale)


def _seasonal_drift(p: dict, n_weeks: int) -> np.ndarray | None:
    """The pump price's no-disruption drift by week [USD/gal] (n_weeks,), from the fit (``model.seasonal``); None if not fitted.

    Held at its last value past the weeks the analog years cover (the basis sentence says so).
    """
    drift = (p["baseline"].get("retail_seasonal_drift") or {}).get("usd_per_gal")
    if not drift:
        return None
    out = np.asarray(drift[:n_weeks], dtype=float)
    return (
        np.concatenate([out, np.full(n_weeks - out.size, out[-1])]) if out.size < n_weeks else out
    )


def _levels(dlog: np.ndarray, b0: float) -> tuple[np.ndarray, np.ndarray]:
    """Brent [USD/bbl] and crude [USD/gal] from a log change (no change gives exactly :func:`_flat_path`'s values)."""
    brent = np.exp(dlog) * np.asarray(b0, dtype=dlog.dtype)
    return brent, brent / np.asarray(pump.GAL_PER_BBL, dtype=dlog.dtype)


def _realised_share(p: dict, pieces, effect: np.ndarray) -> np.ndarray:
    r""":math:`s = \min(1, \max(0, \log(B_0 / B_{pre}) / E_{sq}(0)))` per draw: the share of the model's effect the market has shown.

    :math:`B_{pre}` is the mean Brent of the 5 trading days before the
    episode's onset. 1 when the episode begins at ``as_of`` (an ``[observed]``
    override on a chokepoint with nothing detected) or no price is known.
    """
    first = min(pieces, key=lambda d: d.start_day)
    st = (
        (p["supply"]["chokepoints"].get(first.chokepoint) or {}).get("state") or {}
        if first.chokepoint
        else {}
    )
    before = st.get("brent_before_onset_usd_per_bbl")
    if first.start_day >= 0 or not before:
        return np.ones_like(effect)
    observed = np.log(p["baseline"]["brent_usd_per_bbl"] / before)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.clip(
            np.where(effect > 0, observed / np.where(effect > 0, effect, 1.0), 1.0), 0.0, 1.0
        )


def _multiplier_draws(
    p: dict, disruptions, as_of: dt.date, weeks: list, rng, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """The bootstrap replicates of M(h) at each week's horizon (n_weeks, n_boot), and one replicate per draw (n,).

    Draw ``j``'s multiplier in week ``s`` is ``by_week[s, pick[j]]``; the
    replicates are interpolated to the weeks once rather than per draw.
    """
    table = np.asarray(p["crude"]["draws"])
    pick = rng.integers(0, table.shape[0], size=n)
    start = as_of + dt.timedelta(days=min(d.start_day for d in disruptions))
    by_week = np.ascontiguousarray(
        crude.multiplier_at(table, crude.months_between(start, weeks)).T, dtype=DTYPE
    )
    return by_week, pick


def _brent_paths(
    by_week: np.ndarray, pick: np.ndarray, share: np.ndarray, b0: float, anchor=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log change, Brent [USD/bbl] and Brent [USD/gal] per week and draw (time-major).

    :func:`oilshock.model.crude.log_price_change` over the weeks with a loss,
    with each draw's multiplier replicate (see :func:`_multiplier_draws`),
    minus the effect already in the observed price and scaled by the share of
    it the market has shown — ``anchor`` is the pair of (n,) arrays
    :math:`(E_{sq}(0), s)` of :func:`estimate`. Without an anchor the weeks without a loss sit at the
    baseline ``b0`` with exactly the arithmetic of :func:`_flat_path`, so no
    disruption means no change, to the bit.
    """
    live = leading_rows(share)  # the weeks with a loss
    dlog = np.zeros((by_week.shape[0], pick.size), dtype=DTYPE)
    dlog[:live] = crude.log_price_change(np.take(by_week[:live], pick, axis=1), share[:live])
    if anchor is not None:
        effect, scale = anchor
        dlog -= effect.astype(DTYPE)[None, :]
        dlog *= scale.astype(DTYPE)[None, :]
        live = dlog.shape[0]
    brent = np.empty_like(dlog)
    np.exp(dlog[:live], out=brent[:live])
    brent[:live] *= b0
    brent[live:] = b0
    return dlog, brent, brent / pump.GAL_PER_BBL


def _change_pct(dlog: np.ndarray) -> np.ndarray:
    """Percent change from a log change, in place [%]."""
    out = np.expm1(dlog, out=dlog)
    out *= 100
    return out


def _flat_path(b0: float, n_weeks: int) -> np.ndarray:
    """The no-disruption crude path [USD/gal], one column for every draw (same arithmetic as :func:`_brent_paths`)."""
    return np.full((n_weeks, 1), b0, dtype=DTYPE) / pump.GAL_PER_BBL


def _pump_coefficients(p: dict, n: int, seed) -> np.ndarray:
    """Pass-through coefficient draws, one column per draw (p, n)."""
    draws = pump.draw_params(p["pump"], n, np.random.default_rng(seed))
    return np.ascontiguousarray(draws.T, dtype=DTYPE)


def _politics(p: dict, retail_change, election_week, rng) -> dict | None:
    """Approval and seat changes per draw on election day, from the monthly price path up to it (None where a model or the path is missing)."""
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
    paths: bool = False,
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
    paths : bool
        Also return each cell's weekly bands (``weeks``, ``brent_change_pct_by_week``,
        ``retail_change_usd_per_gal_by_week``: p05/p50/p95 lists) and the extra spending per
        household over the horizon (``household_usd_total``, p05/p50/p95 [USD]; None where the
        household count or consumption is unknown): the interactive explorer's grid.

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
    if cp is None or cp == "*":
        raise supply.ScenarioDataError(
            f"{sc.source}: the first disruption names no single chokepoint; give a chokepoint to vary the share blocked"
        )
    template = replace(
        first, chokepoint=cp, share=(1.0, 1.0), lost_mbd=None, duration_days=(1.0, 1.0)
    )
    base = replace(sc, disruptions=(template, *sc.disruptions[1:]))
    disruptions, response, _ = supply.resolve_scenario(base, p["supply"], as_of)
    weeks = survey_mondays(as_of, sc.horizon_weeks)
    week_days = np.array([(w - as_of).days for w in weeks], dtype=float)
    s_supply, s_crude, s_pump, _, _ = np.random.SeedSequence(seed).spawn(5)
    retain_freed_memory()
    template_draws = supply.draw_scenario_params(disruptions, response, draws, s_supply)
    by_week, pick = _multiplier_draws(
        p, disruptions, as_of, weeks, np.random.default_rng(s_crude), draws
    )
    _, _, anchor, sq_parts = _status_quo(sc, p, as_of, [], draws, s_supply, s_crude)
    model, _ = crude.parse_model(p.get("crude_model", crude.DEFAULT_MODEL))
    b0 = p["baseline"]["brent_usd_per_bbl"]
    coef = flat = None
    if p["pump"] is not None:
        coef = _pump_coefficients(p, draws, s_pump)
        flat = pump.simulate_paths(p["pump"], coef, _flat_path(b0, len(weeks)))
    flow = disruptions[0].flow_mbd
    cells = [(float(s), float(d)) for s in shares for d in durations]
    per_chunk = max(1, chunk_draws // draws)
    rows = []
    for c0 in range(0, len(cells), per_chunk):
        chunk = cells[c0 : c0 + per_chunk]
        k = len(chunk)

        def tile(a, k=k):
            return np.tile(a, k) if a.size == draws else a

        dis = []
        for j, d in enumerate(template_draws["disruptions"]):
            dj = {key: tile(v) for key, v in d.items()}
            if j == 0:
                dj["volume_mbd"] = np.repeat([flow * s for s, _ in chunk], draws)
                dj["duration_days"] = np.repeat([dur for _, dur in chunk], draws)
            dis.append(dj)
        batch = {
            "disruptions": dis,
            "groups": template_draws["groups"],
            "stock_rate_mbd": tile(template_draws["stock_rate_mbd"]),
        }
        loss = supply.net_loss_paths(
            batch, response, p["supply"]["world_supply"]["mbd"], week_days, DTYPE
        )
        picks = np.tile(pick, k)
        if model == "v1":
            tiled = None if anchor is None else tuple(np.tile(a, k) for a in anchor)
            dlog, _, crude_usd_per_gal = _brent_paths(by_week, picks, loss["share"].T, b0, tiled)
        else:
            if anchor is None:
                dlog = crude.variant_log_price_change(
                    model, p["crude"]["draws"], picks, loss["share"].T, week_days
                )
            else:
                sq_draws = {
                    "disruptions": [
                        {key: tile(v) for key, v in d.items()} for d in sq_parts[1]["disruptions"]
                    ],
                    "groups": sq_parts[1]["groups"],
                    "stock_rate_mbd": tile(sq_parts[1]["stock_rate_mbd"]),
                }
                dlog, _, _ = _variant_under_way(
                    model,
                    p,
                    (disruptions, batch, response),
                    (sq_parts[0], sq_draws, sq_parts[2]),
                    week_days,
                    picks,
                )
            _, crude_usd_per_gal = _levels(dlog, b0)
        retail_peak = None
        if coef is not None:
            shocked = pump.simulate_paths(p["pump"], np.tile(coef, (1, k)), crude_usd_per_gal)
            shocked -= np.tile(flat, (1, k))
            retail_peak = shocked.max(axis=0).reshape(k, draws)
        brent_pct = _change_pct(dlog)
        brent_peak = brent_pct.max(axis=0).reshape(k, draws)
        for i, (s, dur) in enumerate(chunk):
            row = {
                "share": s,
                "duration_days": dur,
                "brent_peak_change_pct": _band(brent_peak[i], 2),
                "retail_peak_change_usd_per_gal": None
                if retail_peak is None
                else _band(retail_peak[i], 4),
            }
            if paths:
                from oilshock.model.household import household_costs

                cols = slice(i * draws, (i + 1) * draws)
                row["weeks"] = [w.isoformat() for w in weeks]
                row["brent_change_pct_by_week"] = _weekly_quantiles(brent_pct[:, cols], 2)
                row["retail_change_usd_per_gal_by_week"] = (
                    None if coef is None else _weekly_quantiles(shocked[:, cols], 4)
                )
                costs = (
                    None
                    if coef is None
                    else household_costs(np.ascontiguousarray(shocked[:, cols].T), p["household"])
                )
                row["household_usd_total"] = (
                    _band(costs["usd_total_per_household"], 2)
                    if costs and "usd_total_per_household" in costs
                    else None
                )
            rows.append(row)
    return rows


def _weekly_quantiles(a: np.ndarray, digits: int) -> dict:
    """p05/p50/p95 of a (n_weeks, n) array, week by week, as lists."""
    qs = np.percentile(a, (5, 50, 95), axis=1)
    return {
        f"p{q:02d}": [round(float(v), digits) for v in qs[j]] for j, q in enumerate((5, 50, 95))
    }
