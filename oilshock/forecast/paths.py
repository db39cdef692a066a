"""From a net loss path to Brent and pump-price paths, draw by draw.

The pieces :func:`oilshock.forecast.simulate.run_draws` and :func:`oilshock.forecast.sweep.sweep` share: the
crude multiplier's replicates by week, the status quo and its anchor (the effect already in
today's price), the variants' effects from a disruption under way, and the arithmetic that
turns a log change into levels. Arrays are time-major (n_weeks, n_draws) in :data:`DTYPE`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from oilshock.model import crude_paths, leading_rows, pump, supply
from oilshock.scenario.resolve import resolve_scenario

# Paths are held in single precision: the Monte Carlo is bound by memory traffic, and
# the outputs are rounded far above float32's resolution (see model.pump.simulate_many).
DTYPE = np.float32
# The survey-day offset whose loss window (supply.WEEK_WINDOW_DAYS) ends on as_of: the anchor
# week [day].
ANCHOR_DAY = 1.0 - supply.WEEK_WINDOW_DAYS[1]


def status_quo_draws(sc, p: dict, as_of: dt.date, weeks: list, n: int, s_supply, s_crude) -> tuple:
    """Multipliers (n_weeks + 1, n_boot) and net loss share (n_weeks + 1, n or 1) of the status quo, and the anchor.

    Also the status quo's ``(pieces, draws, response)``. The first row is the window of
    :data:`oilshock.model.supply.WEEK_WINDOW_DAYS`
    that ends on ``as_of`` (the trading week to ``as_of``). Drawn from the scenario's streams
    (common random numbers). The anchor (n,) is the model's log effect of
    the observed state in that week, :math:`E_{sq}(0)` of :func:`estimate`,
    or None when nothing is under way.
    """
    days = np.array([ANCHOR_DAY] + [(w - as_of).days for w in weeks])
    sq_dis, sq_resp, _ = resolve_scenario(sc, p["supply"], as_of, status_quo=True)
    sq_draws = supply.draw_scenario_params(sq_dis, sq_resp, n, s_supply)
    share = supply.net_loss_paths(
        sq_draws, sq_resp, p["supply"]["world_supply"]["mbd"], days, DTYPE
    )["share"].T
    by_week, pick = multiplier_draws(
        p, sq_dis, as_of, [as_of, *weeks], np.random.default_rng(s_crude), n
    )
    if not share[:1].any():
        return by_week, share, None, (sq_dis, sq_draws, sq_resp)
    effect = crude_paths.log_price_change(np.take(by_week[:1], pick, axis=1), share[:1])[0].astype(
        np.float64
    )
    return by_week, share, (effect, realised_share(p, sq_dis, effect)), (sq_dis, sq_draws, sq_resp)


def variant_under_way(
    model: str,
    p: dict,
    scenario: tuple,
    status_quo: tuple,
    week_days: np.ndarray,
    pick: np.ndarray,
    *,
    status_quo_rows: tuple | None = None,
    blocks: int = 1,
    factor: np.ndarray | None = None,
):
    r"""A crude-response variant from a disruption under way: scenario and status-quo log changes
    (n_weeks, n), and the anchor.

    The variants build the response from the loss path itself, so the path
    is taken from the week before the earliest onset (the status-quo pieces
    start at a negative day): rows every 7 days back from the anchor week
    (the window ending on ``as_of``, :data:`ANCHOR_DAY`), the anchor week,
    then the horizon's weeks. Anchored as v1 is (:func:`estimate`): with
    :math:`E` the variant's effect on that path,

    .. math::  \log B_{x}(t) - \log B_0 = s\,[E_x(t) - E_{sq}(0)], \quad x \in \{scn, sq\}

    and :math:`s` from :func:`realised_share` of :math:`E_{sq}(0)`. Before
    ``as_of`` both paths are the status quo's (observed); they differ from
    ``as_of`` on. The status quo's own pieces and draws (``status_quo_draws``) and the scenario's
    (``run_draws``) are re-integrated over the longer grid, so both keep the
    draws they have over the horizon. ``scenario`` and ``status_quo`` are
    ``(pieces, draws, response)`` triples (``supply.resolve_scenario``,
    ``supply.draw_scenario_params``). ``status_quo_rows``: the status quo's
    ``(share, effect)`` on that grid for these draws (:func:`status_quo_rows_of`), when
    computed once for many scenarios (the sweep's cells); ``blocks``: the columns are that many
    scenarios side by side; ``factor``: each draw's ``+regimes`` factor
    (:func:`oilshock.model.crude_paths.variant_log_price_change`).
    """
    pieces, _, _ = scenario
    days, back = _under_way_days(pieces, status_quo[0], week_days)
    world = p["supply"]["world_supply"]["mbd"]
    table = p["crude"]  # the fit: each response reads its own replicates
    _, d, r = scenario
    # Each row is integrated over its own week, and the rows up to as_of are the status quo's (below):
    # the scenario's loss is integrated over the horizon's weeks only.
    scn_share = supply.net_loss_paths(d, r, world, days[back + 1 :], DTYPE)["share"].T
    if status_quo_rows is None:
        sq_share, sq_effect = status_quo_rows_of(model, p, pieces, status_quo, week_days, pick)
    else:
        sq_share, sq_effect = status_quo_rows
    # Everything up to as_of is observed: the scenario's path before as_of is the status quo's (the
    # state under way), so a scenario that names a strait already shut continues its episode rather
    # than restarting it at as_of (which would drop Brent the first week by the whole response so far).
    # A path without any drawn input (a fixed lost_mbd, bypass_mbd = 0) is one column: widen it to
    # the other's draws before joining them.
    n = max(scn_share.shape[1], sq_share.shape[1], sq_effect.shape[1])
    scn_share, sq_share = (np.broadcast_to(a, (a.shape[0], n)) for a in (scn_share, sq_share))
    scn_share = np.concatenate([sq_share[: back + 1], scn_share])
    effects = [
        crude_paths.variant_log_price_change(model, table, pick, scn_share, days, blocks=blocks),
        np.broadcast_to(sq_effect, (sq_effect.shape[0], n)),
    ]
    effect = effects[1][back].astype(np.float64)
    # The +regimes factor enters through the anchor: the price the market has shown conditions it.
    scale = realised_share(p, status_quo[0], effect, factor)
    out = []
    for e in effects:
        e = e[back + 1 :] - effect.astype(DTYPE)[None, :]
        e *= scale.astype(DTYPE)[None, :]
        out.append(e)
    return out[0], out[1], (effect, scale)


def _under_way_days(pieces, sq_pieces, week_days: np.ndarray) -> tuple[np.ndarray, int]:
    """The rows of :func:`variant_under_way` [day] and the number of them before the anchor week."""
    onset = min(d.start_day for d in (*pieces, *sq_pieces))
    back = max(
        1, int(np.ceil((ANCHOR_DAY + supply.WEEK_WINDOW_DAYS[1] - onset) / 7.0))
    )  # the first row ends before the onset
    days = np.concatenate([ANCHOR_DAY - 7.0 * np.arange(back, 0, -1), [ANCHOR_DAY], week_days])
    return days, back


def status_quo_rows_of(
    model: str,
    p: dict,
    pieces,
    status_quo: tuple,
    week_days: np.ndarray,
    pick: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The status quo's net loss share and the variant's log effect on the rows of
    :func:`variant_under_way` ((n_rows, n) each; the share may be one column), for a scenario
    of ``pieces``: computed once, they serve every scenario of those rows and draws."""
    days, _ = _under_way_days(pieces, status_quo[0], week_days)
    _, d, r = status_quo
    share = supply.net_loss_paths(d, r, p["supply"]["world_supply"]["mbd"], days, DTYPE)["share"].T
    wide = np.broadcast_to(share, (share.shape[0], pick.shape[0]))
    effect = crude_paths.variant_log_price_change(model, p["crude"], pick, wide, days)
    return share, effect


def seasonal_drift(p: dict, n_weeks: int) -> np.ndarray | None:
    """The pump price's no-disruption drift by week [USD/gal] (n_weeks,), from the fit
    (``model.seasonal``); None if not fitted.

    Held at its last value past the weeks the analog years cover (the basis sentence says so).
    """
    drift = (p["baseline"].get("retail_seasonal_drift") or {}).get("usd_per_gal")
    if not drift:
        return None
    out = np.asarray(drift[:n_weeks], dtype=float)
    return (
        np.concatenate([out, np.full(n_weeks - out.size, out[-1])]) if out.size < n_weeks else out
    )


def levels(dlog: np.ndarray, b0: float) -> tuple[np.ndarray, np.ndarray]:
    """Brent [USD/bbl] and crude [USD/gal] from a log change (no change gives exactly :func:`flat_path`'s values)."""
    brent = np.exp(dlog) * np.asarray(b0, dtype=dlog.dtype)
    return brent, brent / np.asarray(pump.GAL_PER_BBL, dtype=dlog.dtype)


def realised_share(
    p: dict, pieces, effect: np.ndarray, factor: np.ndarray | None = None
) -> np.ndarray:
    r""":math:`s = \min(1, \max(0, \log(B_0 / B_{pre}) / E_{sq}(0)))` per draw: the share of the
    model's effect the market has shown.

    :math:`B_{pre}` is the mean Brent of the 5 trading days before the
    episode's onset. 1 when the episode begins at ``as_of`` (an ``[observed]``
    override on a chokepoint with nothing detected) or no price is known.

    ``factor`` (``+regimes``, each draw's factor :math:`f` on its multiplier for the spread between
    periods) is conditioned on that observed rise: with :math:`r = \log(B_0/B_{pre}) / E_{sq}(0)`
    for the plain effect :math:`E_{sq}(0)`, the scale is :math:`r` where :math:`r \le 1` (the
    market has shown a smaller effect than the fit: the period's multiplier is pinned, whatever
    :math:`f`), and :math:`\min(\max(f, 1), r)` where :math:`r > 1` (a period multiplier above the
    fit's may explain more of the rise, never more than all of it); without an observed price it is
    :math:`f`. A draw whose factor is near zero therefore no longer reads the whole rise as
    something other than the loss.
    """
    first = min(pieces, key=lambda d: d.start_day)
    st = (
        (p["supply"]["chokepoints"].get(first.chokepoint) or {}).get("state") or {}
        if first.chokepoint
        else {}
    )
    before = st.get("brent_before_onset_usd_per_bbl")
    f = None if factor is None else np.asarray(factor, dtype=np.float64)
    if first.start_day >= 0 or not before:
        return np.ones_like(effect) if f is None else np.broadcast_to(f, effect.shape).copy()
    observed = np.log(p["baseline"]["brent_usd_per_bbl"] / before)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(effect > 0, observed / np.where(effect > 0, effect, 1.0), np.nan)
    plain = np.where(np.isnan(ratio), 1.0, np.clip(ratio, 0.0, 1.0))
    if f is None:
        return plain
    return np.where(
        np.isnan(ratio),
        f,
        np.where(ratio > 1.0, np.minimum(np.maximum(f, 1.0), ratio), np.maximum(ratio, 0.0)),
    )


def multiplier_draws(
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
        crude_paths.multiplier_at(table, crude_paths.months_between(start, weeks)).T, dtype=DTYPE
    )
    return by_week, pick


def brent_paths(
    by_week: np.ndarray, pick: np.ndarray, share: np.ndarray, b0: float, anchor=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log change, Brent [USD/bbl] and Brent [USD/gal] per week and draw (time-major).

    :func:`oilshock.model.crude_paths.log_price_change` over the weeks with a loss,
    with each draw's multiplier replicate (see :func:`multiplier_draws`),
    minus the effect already in the observed price and scaled by the share of
    it the market has shown — ``anchor`` is the pair of (n,) arrays
    :math:`(E_{sq}(0), s)` of :func:`estimate`. Without an anchor the weeks without a loss sit at the
    baseline ``b0`` with exactly the arithmetic of :func:`flat_path`, so no
    disruption means no change, to the bit.
    """
    live = leading_rows(share)  # the weeks with a loss
    dlog = np.zeros((by_week.shape[0], pick.size), dtype=DTYPE)
    dlog[:live] = crude_paths.log_price_change(np.take(by_week[:live], pick, axis=1), share[:live])
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


def to_pct_change(dlog: np.ndarray) -> np.ndarray:
    """Percent change from a log change, in place [%]."""
    out = np.expm1(dlog, out=dlog)
    out *= 100
    return out


def flat_path(b0: float, n_weeks: int) -> np.ndarray:
    """The no-disruption crude path [USD/gal], one column for every draw (same arithmetic as :func:`brent_paths`)."""
    return np.full((n_weeks, 1), b0, dtype=DTYPE) / pump.GAL_PER_BBL


def pump_coefficients(p: dict, n: int, seed) -> np.ndarray:
    """Pass-through coefficient draws, one column per draw (p, n)."""
    draws = pump.draw_params(p["pump"], n, np.random.default_rng(seed))
    return np.ascontiguousarray(draws.T, dtype=DTYPE)
