"""Monte Carlo supply losses: scenario parameters drawn, net loss integrated week by week.

:func:`draw_scenario_params` draws each disruption's share, duration, recovery, reroute delay
and the stock release rate from the ranges a resolved scenario gives
(:func:`oilshock.scenario.resolve.resolve_scenario`); :func:`net_loss_paths` integrates chokepoint
flow × share − bypass − stocks − spare over each simulated week [mb/d]; :func:`draw_net_loss`
does both.
"""

from __future__ import annotations

import functools

import numpy as np

from oilshock.model import pump

# The days of survey Monday d whose average loss a simulated week holds, as a half-open window
# [d + lo, d + hi) [day]: the trading week d-7..d-3 whose mean Brent the pump fit pairs with the
# survey of d (pump.FIT_CRUDE_DAYS), so the simulated crude of a week is the crude the fit saw then.
WEEK_WINDOW_DAYS = (float(pump.FIT_CRUDE_DAYS[0]), float(pump.FIT_CRUDE_DAYS[1] + 1))


def _uniform(rng, rng_pair, n):
    """Uniform draws in [lo, hi]; a point value stays a single element that broadcasts (no work per draw)."""
    lo, hi = rng_pair
    return np.array([float(lo)]) if lo == hi else rng.uniform(lo, hi, n)


def draw_scenario_params(disruptions, response, n: int, seed) -> dict:
    """Per-draw values of every range the scenario and the data give.

    Each disruption draws from its own child stream of ``seed`` (and the
    stock release from another), so adding a disruption never changes the
    draws of the others: scenarios compared at one seed differ only by what
    differs (common random numbers).

    Returns
    -------
    dict
        ``disruptions``: a list of dicts of arrays of shape (n,), or (1,) for
        a point value (broadcast later, so fixed inputs cost nothing per draw) — ``start`` [day],
        ``volume_mbd``, ``duration_days``, ``recovery_days``, ``bypass_mbd``,
        ``reroute_days`` (inf where the flow is lost rather than delayed);
        ``groups``, each piece's chokepoint and span (for sharing its bypass);
        and ``stock_rate_mbd`` (n,).
    """
    seq = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    stock_seq, *dis_seqs = seq.spawn(1 + len(disruptions))
    out, groups = [], []
    group_bypass: dict = {}
    group_reroute: dict = {}
    for d, dseq in zip(disruptions, dis_seqs):
        rng = np.random.default_rng(dseq)
        vol = (
            (d.flow_mbd * _uniform(rng, d.share, n))
            if d.chokepoint is not None
            else _uniform(rng, d.lost_mbd, n)
        )
        item = {
            "start": np.array([d.start_day]),
            "volume_mbd": vol,
            "duration_days": _uniform(rng, d.duration_days, n),
            "recovery_days": _uniform(rng, d.recovery_days, n),
            "bypass_mbd": _uniform(rng, d.bypass_mbd, n),
            "reroute_days": _uniform(rng, d.reroute_days, n)
            if d.reroute_days
            else np.array([np.inf]),
        }
        if d.chokepoint is not None:
            # One pipeline capacity and one rerouting voyage per chokepoint: every piece of it sees
            # the same draws.
            item["bypass_mbd"] = group_bypass.setdefault(d.chokepoint, item["bypass_mbd"])
            item["reroute_days"] = group_reroute.setdefault(d.chokepoint, item["reroute_days"])
        groups.append(
            (d.chokepoint, (d.start_day, d.start_day + d.duration_days[1] + d.recovery_days[1]))
        )
        out.append(item)
    return {
        "disruptions": out,
        "groups": groups,
        "stock_rate_mbd": _uniform(
            np.random.default_rng(stock_seq), response["stock_release_mbd"], n
        ),
    }


def _profile_integrals(t, dur, recs):
    """∫₀ᵗ of unit profiles: 1 for ``dur`` days, then a linear fall to 0 over ``rec`` days [day].

    One integral per entry of ``recs``, sharing the work that does not depend
    on the recovery: for :math:`u = \\min(\\max(t - d, 0), r)` the integral
    is :math:`\\min(\\max(t, 0), d) + u - u^2 / (2r)` (the area of a
    rectangle and of a trapezoid).
    """
    full = np.minimum(np.maximum(t, 0.0), dur)
    over = np.maximum(t - dur, 0.0)
    out = []
    for rec in recs:
        with np.errstate(divide="ignore"):
            half_inv = np.where(rec > 0, 0.5 / rec, 0.0).astype(
                rec.dtype
            )  # rec = 0: u is 0, so is the tail
        u = np.minimum(over, rec)
        shrink = u * half_inv
        np.subtract(1.0, shrink, out=shrink)
        u *= shrink
        u += full
        out.append(u)
    return out


def _overlap(a, b, lo, hi):
    """Length of [a, b) ∩ [lo, hi) [day]."""
    length = np.minimum(b, hi) - np.maximum(a, lo)
    return np.maximum(length, 0.0, out=length)


def net_loss_paths(
    draws: dict, response: dict, world_supply_mbd: float, week_days: np.ndarray, dtype=np.float64
) -> dict:
    """Weekly averages of the loss and its offsets, exactly integrated over each week.

    The week of survey day :math:`d` covers the days ``[d-7, d-2)``
    (:data:`WEEK_WINDOW_DAYS`): the Monday-to-Friday trading week before the
    survey, whose mean Brent the pass-through fit pairs with the retail price
    of :math:`d` (:data:`oilshock.model.pump.FIT_CRUDE_DAYS`, issue #12
    finding 4). Integrating the loss over the same days keeps the simulated
    crude of a week the crude the fit saw for it: a loss that begins on the
    weekend before a survey reaches the pump a week later, as it did in the
    fitted history.
    Lost flow follows the scenario's profile (full for the duration, then a
    linear return); the bypass takes the part of each disruption's flow above
    zero and below its unused capacity, which is again a piecewise-linear
    profile, so both integrate in closed form. Stocks and spare capacity are
    netted against each week's average remaining loss (exact when the stock
    delay is a week or more, as every published delay is).

    Parameters
    ----------
    draws : dict
        From :func:`draw_scenario_params` (arrays (n,)).
    response : dict
        From :func:`resolve_scenario`.
    world_supply_mbd : float
    week_days : ndarray (n_weeks,)
        Day offset (from ``as_of``) of each weekly survey day, ascending for the
        shortcuts of the Notes (any order is computed in full).
    dtype : numpy dtype
        Of the results (the Monte Carlo uses single precision).

    Returns
    -------
    dict of ndarray (n, n_weeks) or (1, n_weeks)
        ``share``, ``gross_mbd``, ``bypass_mbd``, ``stocks_mbd``, ``spare_mbd``, ``net_mbd``;
        a component that is the same in every draw keeps a single row.
        Each is a view of a time-major array (``.T`` is contiguous).

    Notes
    -----
    Work is done time-major, (week, draw), and only for the weeks that begin
    before the last disruption has ended in every draw: after that every
    component is zero.
    """
    week_days = np.asarray(week_days, dtype=float)
    lo, hi = WEEK_WINDOW_DAYS
    span = hi - lo  # [day]
    a, b = week_days + lo, week_days + hi
    # A disruption's loss ends with its recovery, or earlier once rerouted barrels arrive.
    ends = max(
        np.max(d["start"] + np.minimum(d["duration_days"] + d["recovery_days"], d["reroute_days"]))
        for d in draws["disruptions"]
    )
    # Weeks 0..live-1 can hold a loss (days in any order are computed in full).
    live = int(np.searchsorted(a, ends, side="left")) if np.all(np.diff(a) > 0) else len(a)
    a, b = a[:live], b[:live]
    # Consecutive weeks share an edge: evaluate each integral once per edge.
    if live > 1 and np.all(a[1:] == b[:-1]):
        edges, ia, ib = np.append(a, b[-1:]), slice(0, live), slice(1, live + 1)
    else:
        edges, ia, ib = np.concatenate([a, b]), slice(0, live), slice(live, 2 * live)

    def row(x):
        return np.asarray(x, dtype=dtype)[None, :]

    gross = after = None
    pieces = draws["disruptions"]
    capacities = _bypass_shares(pieces, draws.get("groups"))
    shared = _shared_chokepoints(draws.get("groups"))
    for members in shared.values():
        g, k = _combined_week_means([pieces[i] for i in members], a, b, dtype)
        gross = g if gross is None else gross + g
        after = k if after is None else after + k
    done = {i for members in shared.values() for i in members}
    for i, (d, capacity) in enumerate(zip(pieces, capacities)):
        if i in done:
            continue
        dur, rec, vol = row(d["duration_days"]), row(d["recovery_days"]), row(d["volume_mbd"])
        t = (edges[:, None] - d["start"][None, :]).astype(dtype)
        t = np.minimum(
            t, row(d["reroute_days"])
        )  # rerouted barrels are missing only until the longer voyage delivers them
        with np.errstate(
            divide="ignore", over="ignore", invalid="ignore"
        ):  # a vanishing flow: the pipelines carry all of it
            ratio = np.where(vol > 0, row(capacity) / np.where(vol > 0, vol, 1.0), np.inf).astype(
                dtype
            )
        keep = np.clip(1.0 - ratio, 0.0, 1.0)  # share of the flow the pipelines cannot carry
        lost, kept = _profile_integrals(t, dur, (rec, rec * keep))
        g = (lost[ib] - lost[ia]) * (vol / span)
        k = (kept[ib] - kept[ia]) * (vol * keep / span)
        gross = g if gross is None else gross + g
        after = k if after is None else after + k
    if gross is None or live == 0:
        gross = after = np.zeros((live, 1), dtype=dtype)
    after = np.broadcast_to(after, np.broadcast_shapes(after.shape, gross.shape))
    a, b = a[:, None].astype(dtype), b[:, None].astype(dtype)
    # Reduced pairwise: a disruption's values are (1,) when fixed and (n,) when drawn.
    starts = functools.reduce(np.minimum, [d["start"] for d in draws["disruptions"]])[None, :]
    on = (starts + response["stock_release_delay_days"]).astype(dtype)
    last = functools.reduce(
        np.maximum,
        [d["start"] + d["duration_days"] + d["recovery_days"] for d in draws["disruptions"]],
    )
    length = (
        np.full_like(starts, float(response["stock_release_days"]))
        if response["stock_release_days"] is not None
        else last[None, :] - starts
    ).astype(dtype)
    stocks = _overlap(a, b, on, on + length)
    stocks = np.minimum(stocks * (row(draws["stock_rate_mbd"]) / span), after)
    net = after - stocks
    if response["spare_capacity_mbd"] > 0:
        spare_on = (starts + response["spare_delay_days"]).astype(dtype)
        spare = _overlap(a, b, spare_on, last[None, :].astype(dtype))
        spare = np.minimum(spare * (response["spare_capacity_mbd"] / span), net)
        net = net - spare
    else:
        spare = np.zeros((live, 1), dtype=dtype)
    n_weeks = len(week_days)
    out = {
        "gross_mbd": gross,
        "bypass_mbd": gross - after,
        "stocks_mbd": stocks,
        "spare_mbd": spare,
        "net_mbd": net,
        "share": net / world_supply_mbd,
    }
    for key, v in out.items():
        full = np.zeros((n_weeks, v.shape[1]), dtype=dtype)
        full[:live] = v
        out[key] = full.T
    return out


def _shared_chokepoints(groups: list | None) -> dict:
    """Chokepoint → the indices of its pieces, for chokepoints with more than one piece."""
    out: dict = {}
    for i, (cid, _) in enumerate(groups or []):
        if cid is not None:
            out.setdefault(cid, []).append(i)
    return {cid: members for cid, members in out.items() if len(members) > 1}


def _col(x) -> np.ndarray:
    return np.asarray(x, dtype=float)[None, :]


def _positive_part_integral(g0, g1, length, c):
    """∫ over a segment of ``max(g(t) - c, 0)`` for ``g`` linear from ``g0`` to ``g1`` [mb/d·day]."""
    lo, hi = np.minimum(g0, g1) - c, np.maximum(g0, g1) - c
    whole = length * ((g0 + g1) / 2 - c)  # both ends above c
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(hi - lo > 0, length * hi * hi / (2 * (hi - lo)), 0.0)  # crosses c once
    return np.where(lo >= 0, whole, np.where(hi <= 0, 0.0, part))


_BLOCK_ELEMENTS = 1 << 18  # segment points per block of weeks: a few MB, kept in cache


def _combined_week_means(pieces: list, a: np.ndarray, b: np.ndarray, dtype):
    r"""Weekly mean loss of one chokepoint's pieces taken together, before and after its bypass.

    A disruption split into pieces — adjacent in time, overlapping, or splitting the share — is
    the same disruption: the chokepoint's lost flow is the sum of its pieces' profiles,
    :math:`F(t) = \sum_i v_i\,p_i(t)` [mb/d] (each :math:`p_i` 1 for its duration, then a linear
    fall over its recovery). Rerouted barrels arrive one voyage :math:`R` later, so what is missing
    is what was diverted within the last :math:`R` days, :math:`g(t) = F(t) - F(t - R)` kept where
    positive (for one piece this is the piece's loss over its first :math:`R` days, as in
    :func:`net_loss_paths`); the pipelines carry up to their capacity :math:`c` of the
    chokepoint's total, :math:`\max(g - c, 0)`. :math:`g` is linear between the pieces' corners
    (starts, ends of duration and of recovery, and the same one voyage later), so each week's
    mean is integrated exactly, segment by segment, draw by draw.

    Returns
    -------
    tuple of ndarray (live, n)
        Gross and after-bypass weekly means [mb/d].
    """
    keys = ("start", "volume_mbd", "duration_days", "recovery_days", "bypass_mbd", "reroute_days")
    n = max(np.size(d[k]) for d in pieces for k in keys)
    cap = np.broadcast_to(_col(pieces[0]["bypass_mbd"]), (1, n))
    voyage = np.broadcast_to(_col(pieces[0]["reroute_days"]), (1, n))
    rerouted = np.isfinite(voyage)
    shift = np.where(rerouted, voyage, 0.0)
    corners = []
    for d in pieces:
        s, dur, rec = _col(d["start"]), _col(d["duration_days"]), _col(d["recovery_days"])
        for x in (s, s + dur, s + dur + rec):
            x = np.broadcast_to(x, (1, n))
            corners += [x, x + shift]

    # Per piece: start, duration, recovery (1 where there is none) and volume, as (1, n) rows.
    consts = []
    for d in pieces:
        rec = _col(d["recovery_days"])
        consts.append(
            (
                _col(d["start"]),
                _col(d["duration_days"]),
                np.where(rec > 0, rec, 1.0),
                rec > 0,
                _col(d["volume_mbd"]),
            )
        )

    def flow_lost(days):  # (..., n) -> (..., n)
        total = np.zeros(days.shape)
        for start, dur, rec, has_rec, vol in consts:
            x = days - start
            after = x - dur  # days into the recovery (negative: still fully lost)
            # 1 while fully lost, a linear fall over the recovery, 0 after it (or at once
            # without one), 0 before the start.
            prof = np.where(has_rec, 1.0 - after / rec, 0.0)
            np.clip(prof, 0.0, 1.0, out=prof)
            prof[after < 0] = 1.0
            prof[x < 0] = 0.0
            prof *= vol
            total += prof
        return total

    def g(days):
        lost = flow_lost(days)
        return np.where(rerouted, lost - flow_lost(days - shift), lost)

    inner = np.concatenate(corners, axis=0)  # (K, n)
    gross = np.zeros((len(a), n))
    after = np.zeros((len(a), n))
    # All weeks of a block at once, (points, week, draw); blocks bound the memory of long sweeps.
    block = max(1, _BLOCK_ELEMENTS // ((len(inner) + 2) * n))  # at most this many weeks
    for w0 in range(0, len(a), block):
        lo = np.asarray(a[w0 : w0 + block], dtype=float)[None, :, None]
        hi = np.asarray(b[w0 : w0 + block], dtype=float)[None, :, None]
        m = lo.shape[1]
        # Only the corners that fall inside some week of the block, in some draw: the others would
        # be clipped to a week's edge and add segments of length zero (exactly nothing).
        inside = (inner[:, None, :] > lo) & (inner[:, None, :] < hi)
        near = inner[inside.any(axis=(1, 2))]
        pts = np.concatenate(
            [
                np.broadcast_to(lo, (1, m, n)),
                np.clip(near[:, None, :], lo, hi),
                np.broadcast_to(hi, (1, m, n)),
            ],
            axis=0,
        )
        pts.sort(axis=0)
        u, v = pts[:-1], pts[1:]
        length = v - u
        # g is linear inside each segment; its values just inside the ends (g jumps at corners)
        eps = 1e-9 * np.maximum(length, 1e-300)
        g0, g1 = g(u + eps), g(v - eps)
        span = hi[0] - lo[0]
        gross[w0 : w0 + m] = _positive_part_integral(g0, g1, length, 0.0).sum(axis=0) / span
        after[w0 : w0 + m] = _positive_part_integral(g0, g1, length, cap).sum(axis=0) / span
    return gross.astype(dtype), after.astype(dtype)


def _bypass_shares(disruptions: list, groups: list | None) -> list:
    """Each piece's part of its chokepoint's bypass capacity [mb/d], per draw.

    The capacity offsets the chokepoint's *total* loss: pieces of one
    chokepoint whose spans overlap share it in proportion to their volumes,
    so that splitting one disruption into pieces that add up to it leaves
    ``max(total - capacity, 0)`` unchanged; a piece that overlaps no other
    keeps the whole capacity. ``groups`` holds each piece's chokepoint and
    span ``(start, latest end)`` [day].
    """
    if groups is None:
        return [d["bypass_mbd"] for d in disruptions]
    out = []
    for i, (d, (cid, span)) in enumerate(zip(disruptions, groups)):
        total = d["volume_mbd"]
        for j, (e, (other, span_e)) in enumerate(zip(disruptions, groups)):
            if (
                cid is not None
                and j != i
                and other == cid
                and span_e[0] < span[1]
                and span[0] < span_e[1]
            ):
                total = total + e["volume_mbd"]
        if total is d["volume_mbd"]:
            out.append(d["bypass_mbd"])
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                out.append(
                    d["bypass_mbd"]
                    * np.where(total > 0, d["volume_mbd"] / np.where(total > 0, total, 1.0), 1.0)
                )
    return out


def draw_net_loss(
    disruptions,
    response,
    world_supply_mbd: float,
    week_days: np.ndarray,
    n: int,
    seed,
    dtype=np.float64,
) -> dict:
    """Draw the scenario's ranges and compute the weekly loss paths (see :func:`net_loss_paths`)."""
    return net_loss_paths(
        draw_scenario_params(disruptions, response, n, seed),
        response,
        world_supply_mbd,
        week_days,
        dtype,
    )
