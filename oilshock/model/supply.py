"""Net supply loss, week by week: chokepoint flow × share − bypass − stocks − spare.

Every number here comes from a dataset, as of the estimate's date, or from
the scenario; :func:`build_supply_context` gathers them (with their
citations) once per ``as_of`` so that they can be cached, and
:func:`resolve_scenario` shows, for one scenario, every resolved parameter
and where its default came from.

Rules
-----
* **Normal flow** of a chokepoint [mb/d]: the most recent published figure
  whose period had ended by ``as_of`` and was not mostly inside a detected
  disruption (``chokepoint_flows_annual``, EIA; ``chokepoint_flows_supplement``
  where a later figure had been *published* by then), scaled by the
  PortWatch normal tanker-transit level at ``as_of`` relative to the
  figure's own period, both over undisrupted days only
  (:mod:`oilshock.model.chokepoint_state` states the rule). A scenario's
  ``share`` is always a fraction of this normal flow.
* **Observed state**: the transit level of the last 28 days relative to
  normal and, for a disruption under way, its onset
  (:mod:`oilshock.model.chokepoint_state`). How it enters an estimate is
  in :mod:`oilshock.model.pieces`.
* **Bypass**: unused capacity of the pipelines around the chokepoint
  (``bypass_routes`` rows whose route is a combined estimate, published by
  ``as_of`` — and, for a disruption under way, dated before its onset, since
  later figures describe capacity the disruption already uses). Where several
  estimators disagree the Monte Carlo draws uniformly between the lowest and
  highest. Capacity is one per chokepoint: it offsets the chokepoint's
  *total* loss, shared among its overlapping disruptions in proportion to
  their volumes, so splitting a disruption into pieces changes nothing.
* **Rerouting**: where ``bypass_routes`` lists a Cape of Good Hope reroute
  for the chokepoint (Bab el-Mandeb, Suez), diverted barrels are delayed, not
  lost: the flow is missing only for the extra transit days, drawn between
  the published low and high figures. The later catch-up is not modelled.
* **Stocks**: US SPR effective drawdown (``oil_buffers``: the published
  range, drawn uniformly), reaching the market after the published
  decision-to-market delay, for the disruption's length. Coordinated IEA
  releases are policy choices: set them in the scenario's ``[response]``.
* **Spare capacity**: reported (total OPEC spare and the part stranded behind
  the chokepoint) but not assumed by default, because no published figure in
  the data says how fast it arrives; set ``[response] spare_capacity_mbd``.
* **World supply** [mb/d], the denominator of the loss share: the latest
  12-month mean of world *crude* production — the concept the crude
  multiplier is estimated on (STEO all liquids only where no crude series
  is available).
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np

from oilshock.errors import (
    ScenarioDataError,
)
from oilshock.model import chokepoint_state, pump
from oilshock.periods import text_period_end

# The days of survey Monday d whose average loss a simulated week holds, as a half-open window
# [d + lo, d + hi) [day]: the trading week d-7..d-3 whose mean Brent the pump fit pairs with the
# survey of d (pump.FIT_CRUDE_DAYS), so the simulated crude of a week is the crude the fit saw then.
WEEK_WINDOW_DAYS = (float(pump.FIT_CRUDE_DAYS[0]), float(pump.FIT_CRUDE_DAYS[1] + 1))

REROUTE_PREFIX = "cape_reroute"
COMBINED_SUFFIX = "_combined"


def build_supply_context(as_of: dt.date, directory=None) -> dict:
    """Everything the supply link needs for any scenario as of ``as_of``, as plain JSON.

    Parameters
    ----------
    as_of : datetime.date
    directory : Path, optional
        Data directory (default: the active one).
    """
    import polars as pl

    from oilshock.datasets import load_dataset

    chokepoints = load_dataset("chokepoints", directory=directory)
    flows = load_dataset("chokepoint_flows_annual", as_of=as_of, directory=directory)
    supplement = load_dataset("chokepoint_flows_supplement", directory=directory)
    transits = load_dataset("chokepoint_transits_daily", as_of=as_of, directory=directory)
    bypass = load_dataset("bypass_routes", directory=directory)
    buffers = load_dataset("oil_buffers", directory=directory)
    world = load_dataset("world_oil_supply_monthly", as_of=as_of, directory=directory)

    # A supplement figure counts once it was published; 'published' may be a month or a day.
    supplement = supplement.filter(pl.col("direction") == "total").with_columns(
        pl.col("published").cast(pl.String).alias("published")
    )
    ctx: dict = {"as_of": as_of.isoformat(), "chokepoints": {}}
    series = chokepoint_state.transit_states(transits, as_of)
    for cp in chokepoints.iter_rows(named=True):
        cid = cp["chokepoint"]
        ctx["chokepoints"][cid] = _chokepoint_context(
            cid, cp, flows, supplement, series.get(cid), bypass, as_of
        )
    ctx["world_supply"] = _world_supply(world, flows, as_of)
    ctx["stocks"] = _stock_defaults(buffers, as_of)
    ctx["spare"] = _spare_info(buffers, as_of)
    return ctx


def _chokepoint_context(cid, cp, flows, supplement, series, bypass, as_of) -> dict:
    import polars as pl

    candidates = []
    for r in flows.filter(pl.col("chokepoint") == cid).iter_rows(named=True):
        candidates.append(
            {
                "flow_mbd": r["flow_mbd"],
                "period_start": dt.date(r["year"], 1, 1),
                "period_end": dt.date(r["year"], 12, 31),
                "citation": "U.S. EIA, World Oil Transit Chokepoints, Table 1 [EIA-WOTC-2024]",
            }
        )
    for r in supplement.filter(pl.col("chokepoint") == cid).iter_rows(named=True):
        if text_period_end(r["published"]) <= as_of and r["period_end"] <= as_of:
            candidates.append(
                {
                    "flow_mbd": r["flow_mbd"],
                    "period_start": r["period_start"],
                    "period_end": r["period_end"],
                    "citation": r["citation"],
                }
            )
    state = series[2] if series else None
    out: dict = {"name": cp["name"], "kind": cp["kind"], "flow": None, "state": state}
    if candidates:
        # A figure measured during a disruption is not a normal flow (Bab el-Mandeb in 2024).
        usable = [
            c
            for c in candidates
            if not chokepoint_state.figure_is_disrupted(series, c["period_start"], c["period_end"])
        ]
        ref = max(usable or candidates, key=lambda c: (c["period_end"], c["period_start"]))
        level = chokepoint_state.reference_scaling(series, ref["period_start"], ref["period_end"])
        ratio = level["ratio"] if level else 1.0
        out["flow"] = {
            "reference_mbd": ref["flow_mbd"],
            "reference_period": [ref["period_start"].isoformat(), ref["period_end"].isoformat()],
            "reference_citation": ref["citation"],
            "portwatch": level,
            "normal_mbd": ref["flow_mbd"] * ratio,
        }
    until = (
        dt.date.fromisoformat(state["onset"]) - dt.timedelta(days=1)
        if state and state["under_way"]
        else as_of
    )
    rows = bypass.filter((pl.col("chokepoint") == cid) & (pl.col("as_of") <= until))
    combined = rows.filter(
        pl.col("route").str.ends_with(COMBINED_SUFFIX) & pl.col("unused_capacity_mbd").is_not_null()
    )
    # The latest figure of each estimator: an estimator's newer figure supersedes its older one.
    latest = combined.sort("as_of").group_by("estimator", maintain_order=True).last().sort("as_of")
    out["bypass"] = [
        {
            "route": r["route"],
            "unused_mbd": r["unused_capacity_mbd"],
            "as_of": r["as_of"].isoformat(),
            "estimator": r["estimator"],
            "citation": r["citation"],
        }
        for r in latest.iter_rows(named=True)
    ]
    reroute = rows.filter(
        pl.col("route").str.starts_with(REROUTE_PREFIX) & pl.col("extra_transit_days").is_not_null()
    )
    out["reroute"] = [
        {"route": r["route"], "extra_days": r["extra_transit_days"], "citation": r["citation"]}
        for r in reroute.iter_rows(named=True)
    ]
    return out


def _world_supply(world, flows, as_of: dt.date) -> dict:
    """World crude production [mb/d], the denominator of the loss share.

    The crude multiplier (:mod:`oilshock.model.crude`) is an elasticity to
    world *crude* production, so the share it is applied to must be a share
    of the same concept: the latest 12-month mean of a world crude production
    series known by ``as_of`` (EIA international crude including condensate,
    else the EIA 1955- series of the crude fit). STEO all-liquids supply
    (about 24% larger) and the chokepoint table's total-oil row are used only
    where no crude series reaches back 12 months, with the basis saying so.
    """
    import polars as pl

    del flows  # kept in the signature for the callers; its total-oil row is a different concept
    for series in ("eia_intl_crude_incl_condensate", "kanzig_eia1955"):
        s = world.filter(pl.col("series") == series).sort("date").tail(12)
        if s.height == 12:
            return {
                "mbd": float(s["value_kbd"].mean()) / 1000,
                "concept": "crude",
                "basis": (
                    f"world crude production ({series}), 12 months to {s['date'][-1]:%Y-%m}: "
                    "the concept of the crude multiplier"
                ),
            }
    steo = world.filter(pl.col("series") == "steo_papr_world").sort("date").tail(12)
    if steo.height == 12:
        return {
            "mbd": float(steo["value_kbd"].mean()) / 1000,
            "concept": "all_liquids",
            "basis": (
                f"EIA STEO world petroleum production, 12 months to {steo['date'][-1]:%Y-%m} "
                "(no crude series: all liquids)"
            ),
        }
    raise ScenarioDataError(f"no world oil supply figure is available as of {as_of}")


# How a published SPR drawdown figure bounds the range: point and low figures may set the low end,
# point and high figures the high end; an upper bound (an observed maximum) caps both ends.
_SETS_LOW = ("exact", "approximate", "low")
_SETS_HIGH = ("exact", "approximate", "high")
_CAPS = ("upper_bound",)
_FLOORS = ("lower_bound",)


def _stock_defaults(buffers, as_of: dt.date) -> dict:
    """Default US SPR release [mb/d] and its decision-to-market delay [days], from ``oil_buffers``.

    Rows carry a ``qualifier``: the range is [lowest low-or-point figure,
    highest high-or-point figure]; a ``lower_bound`` row raises both ends to
    at least its value, and an ``upper_bound`` row (e.g. "the 2022 release
    never exceeded 1.1 mb/d") caps both ends at its value, so it can never
    become the low end of a wider range. Unknown qualifiers are an error.
    """
    import polars as pl

    b = buffers.filter(pl.col("as_of") <= as_of)
    eff = b.filter(
        (pl.col("buffer") == "spr_effective_drawdown") & pl.col("rate_mbd").is_not_null()
    )
    delay = b.filter(
        (pl.col("buffer") == "spr_max_drawdown") & pl.col("days_to_market").is_not_null()
    ).sort("as_of")
    unknown = set(eff["qualifier"].to_list()) - set(_SETS_LOW + _SETS_HIGH + _CAPS + _FLOORS)
    if unknown:
        raise ScenarioDataError(
            f"oil_buffers: column 'qualifier': unknown value(s) {sorted(unknown)} for spr_effective_drawdown"
        )
    lows = eff.filter(pl.col("qualifier").is_in(_SETS_LOW))["rate_mbd"]
    highs = eff.filter(pl.col("qualifier").is_in(_SETS_HIGH))["rate_mbd"]
    caps = eff.filter(pl.col("qualifier").is_in(_CAPS))["rate_mbd"]
    if (lows.len() == 0 and caps.len() == 0) or delay.height == 0:
        return {
            "rate_mbd": [0.0, 0.0],
            "delay_days": 0.0,
            "basis": f"no published US SPR drawdown figure as of {as_of}: no release assumed",
            "citations": [],
        }
    lo = float(lows.min()) if lows.len() else float(caps.min())
    hi = float(highs.max()) if highs.len() else lo
    floors = eff.filter(pl.col("qualifier").is_in(_FLOORS))["rate_mbd"]
    if floors.len():
        floor = float(floors.max())
        lo, hi = max(lo, floor), max(hi, floor)
    if caps.len():
        cap = float(caps.min())
        lo, hi = min(lo, cap), min(hi, cap)
    return {
        "rate_mbd": [lo, max(lo, hi)],
        "delay_days": float(delay["days_to_market"][-1]),
        "basis": (
            "US SPR effective drawdown in practice (published low/high figures, capped by any "
            "observed upper bound); decision-to-market delay"
        ),
        "citations": sorted(set(eff["citation"].to_list() + delay["citation"].to_list())),
    }


def _spare_info(buffers, as_of: dt.date) -> dict:
    import polars as pl

    b = buffers.filter(
        (pl.col("as_of") <= as_of)
        & (pl.col("buffer") == "opec_spare_capacity")
        & pl.col("rate_mbd").is_not_null()
    )
    if b.height == 0:
        return {}
    latest = b["as_of"].max()
    b = b.filter(pl.col("as_of") == latest)
    total = b.filter(pl.col("region") == "opec")["rate_mbd"]
    behind: dict[str, float] = {}
    for r in b.filter(pl.col("behind_chokepoint").is_not_null()).iter_rows(named=True):
        behind[r["behind_chokepoint"]] = behind.get(r["behind_chokepoint"], 0.0) + r["rate_mbd"]
    return {
        "as_of": latest.isoformat(),
        "opec_total_mbd": float(total[0]) if total.len() else None,
        "behind_chokepoint_mbd": behind,
        "citations": sorted(set(b["citation"].to_list())),
    }


# ---------------------------------------------------------------- scenario → parameters


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
            # One pipeline capacity per chokepoint: every piece of it sees the same draw.
            item["bypass_mbd"] = group_bypass.setdefault(d.chokepoint, item["bypass_mbd"])
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
    for d, capacity in zip(
        draws["disruptions"], _bypass_shares(draws["disruptions"], draws.get("groups"))
    ):
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


# Re-exported: the scenario's pieces are resolved in their own module.
from oilshock.model.resolve import ResolvedDisruption, resolve_scenario  # noqa: E402, F401
