"""A scenario and the observed state → the pieces of lost flow the Monte Carlo integrates.

What a scenario means when a disruption is already under way
-------------------------------------------------------------
Everything up to ``as_of`` is observed; a scenario says what happens from
``as_of`` on. For each chokepoint:

* **Not named by the scenario**: a disruption under way there (observed
  share of normal flow stopped, or the scenario's ``[observed]`` override)
  *persists* beyond the horizon — all else equal.
* **Named by the scenario**: the scenario's disruptions replace the observed
  state from ``as_of`` on (or from their own earlier ``start``); until then
  the observed state holds, so the scenario and the status quo share the
  loss path before ``as_of`` and a scenario naming a strait already shut
  continues its episode instead of restarting it. ``share`` is always the
  fraction of *normal* flow stopped, so ``share = 0.5`` on a strait that is
  98% shut is an easing.
  ``share = "observed"`` continues the disruption under way (from its
  onset, at its observed share) for ``duration_days`` counted from
  ``as_of``, then ``recovery_days`` of linear return to normal.
  ``chokepoint = "*"`` with ``share = "observed"`` does this for every
  chokepoint with a disruption under way (the ``now`` preset).
* **Status quo**: every disruption under way persists over the horizon.
  Estimates report the change against today's price and against this path.

A disruption under way enters with its onset as start, so the months since
it began (the crude multiplier's horizon) and a stock release decided at its
onset are counted once, from the onset. A named chokepoint keeps a zero
volume piece from its onset to ``as_of`` for that reason. Bypass capacity is
the capacity unused *before* the onset (:mod:`oilshock.model.supply`) and
offsets the chokepoint's total loss once. Where barrels are rerouted (Bab
el-Mandeb, Suez), only barrels newly diverted are missing, for the extra
transit days: a scenario share is counted above the observed share, and a
disruption under way for longer than the reroute delay adds no loss and is
not part of the episode.

One clock per episode: the crude multiplier's horizon is counted from the
earliest start among the pieces (a simplification when a second chokepoint
closes months into the first closure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FOREVER_DAYS = 3650.0  # persists beyond any horizon (at most 156 weeks)


@dataclass(frozen=True)
class ResolvedDisruption:
    chokepoint: str | None
    flow_mbd: float | None
    share: tuple[float, float] | None
    lost_mbd: tuple[float, float] | None
    start_day: float  # days after as_of (negative for a disruption under way)
    duration_days: tuple[float, float]
    recovery_days: tuple[float, float]
    bypass_mbd: tuple[float, float]
    reroute_days: tuple[float, float] | None
    key: str = ""


def observed_states(ctx: dict, overrides: dict, as_of: dt.date) -> dict:
    """chokepoint id → ``{"share", "onset_day", "from"}`` for every disruption under way (or overridden)."""
    out = {}
    for cid, c in ctx["chokepoints"].items():
        st = c.get("state") or {}
        onset_day = (dt.date.fromisoformat(st["onset"]) - as_of).days if st.get("under_way") else 0
        if cid in overrides:
            share, src = float(overrides[cid]), "scenario [observed] override"
        elif st.get("under_way"):
            share, src = (
                float(st["observed_share"]),
                "IMF PortWatch tanker transits, last 28 days vs normal (AIS counts are a lower bound)",
            )
        else:
            continue
        if share <= 0 or c["flow"] is None:
            continue
        if c["reroute"] and -onset_day > max(r["extra_days"] for r in c["reroute"]):
            # Rerouted barrels of an old diversion have arrived: no loss now, not part of the episode.
            out[cid] = {"share": share, "onset_day": onset_day, "from": src, "delivered": True}
            continue
        out[cid] = {"share": share, "onset_day": onset_day, "from": src, "delivered": False}
    return out


def resolve_scenario(
    scenario, ctx: dict, as_of: dt.date, *, status_quo: bool = False
) -> tuple[list, dict, dict]:
    """Resolve defaults from the context; returns (pieces, response, provenance).

    Parameters
    ----------
    scenario : Scenario
    ctx : dict
        The supply context (:func:`oilshock.forecast.inputs.build_supply_context`).
    as_of : datetime.date
    status_quo : bool
        Resolve the status quo instead: every disruption under way persists,
        default responses (the scenario's ``[observed]`` overrides still apply).

    Raises
    ------
    UnknownNameError
        An unknown chokepoint id.
    ScenarioDataError
        An ``[observed]`` share for a chokepoint with no disruption under way; a
        chokepoint with no published flow as of the date; overlapping
        disruptions of one chokepoint stopping more than its whole flow; a
        loss beyond world supply.
    """
    from oilshock.errors import ScenarioDataError, UnknownNameError

    overrides = dict(getattr(scenario, "observed", {}) or {})
    for cid in overrides:
        if cid not in ctx["chokepoints"]:
            raise UnknownNameError("chokepoint", cid, list(ctx["chokepoints"]))
        state = ctx["chokepoints"][cid].get("state") or {}
        if float(overrides[cid]) > 0 and not state.get("under_way"):
            # An override corrects the share of a disruption the data show; with none under
            # way there is no onset to count from (a new disruption is a [[disruptions]] entry).
            raise ScenarioDataError(
                f"{getattr(scenario, 'source', '<scenario>')}: key 'observed.{cid}': no disruption "
                f"of {cid} is under way as of {as_of}; [observed] sets the share of a disruption "
                "under way only (describe a new one under [[disruptions]])"
            )
    observed = observed_states(ctx, overrides, as_of)
    resp = {} if status_quo else scenario.response
    items = []
    for i, d in enumerate(() if status_quo else scenario.disruptions):
        if d.chokepoint == "*":
            items += [
                (f"disruptions[{i}]", d, cid) for cid, ob in observed.items() if not ob["delivered"]
            ]
        else:
            items.append((f"disruptions[{i}]", d, d.chokepoint))
    named = {cid for _, _, cid in items if cid}
    out, prov = (
        [],
        {
            "disruptions": [],
            "observed": {
                k: {kk: v[kk] for kk in ("share", "onset_day", "from", "delivered")}
                for k, v in observed.items()
            },
        },
    )
    for key, d, cid in items:
        out.append(
            _piece(
                key,
                d,
                cid,
                ctx,
                as_of,
                observed,
                resp,
                prov,
                scenario.source,
                ScenarioDataError,
                UnknownNameError,
            )
        )
    for cid, ob in observed.items():
        if ob["delivered"]:
            continue
        if cid in named:
            # Named: the scenario takes over at as_of (or at its own earlier start); until then the loss is
            # the observed one, so the episode's clock, its stock release and the loss path before as_of are
            # those of the disruption under way, and the two answers agree up to as_of.
            takeover = min([0.0] + [q.start_day for q in out if q.chokepoint == cid])
            if takeover > ob["onset_day"]:
                persist, share = takeover - ob["onset_day"], ob["share"]
            else:  # the scenario covers the whole episode ("observed" from the onset): a clock of no volume
                persist, share = -ob["onset_day"], 0.0
        else:
            persist, share = -ob["onset_day"] + FOREVER_DAYS, ob["share"]
        out.append(_observed_piece(cid, ctx, ob, share, persist, resp))
    if not out:  # nothing disrupted: one piece of no volume keeps the arithmetic uniform
        out.append(
            ResolvedDisruption(
                None, None, None, (0.0, 0.0), 0.0, (1.0, 1.0), (0.0, 0.0), (0.0, 0.0), None, "none"
            )
        )
    _check_totals(out, ctx, scenario.source, ScenarioDataError)
    stocks = ctx["stocks"]
    response = {
        "stock_release_mbd": (float(resp["stock_release_mbd"]),) * 2
        if "stock_release_mbd" in resp
        else tuple(stocks["rate_mbd"]),
        "stock_release_delay_days": float(
            resp.get("stock_release_delay_days", stocks["delay_days"])
        ),
        "stock_release_days": resp.get("stock_release_days"),
        "spare_capacity_mbd": float(resp.get("spare_capacity_mbd", 0.0)),
        "spare_delay_days": float(resp.get("spare_delay_days", 0.0)),
    }
    prov["stock_release"] = {
        "value_mbd": list(response["stock_release_mbd"]),
        "delay_days": response["stock_release_delay_days"],
        "from": "scenario [response]" if "stock_release_mbd" in resp else stocks,
        "timing": "from the onset of the earliest disruption of the episode (a release under way is not counted twice)",
    }
    prov["spare_capacity"] = {
        "value_mbd": response["spare_capacity_mbd"],
        "from": "scenario [response]"
        if "spare_capacity_mbd" in resp
        else "not assumed by default (no published ramp-up time)",
        "context": ctx.get("spare", {}),
    }
    prov["world_supply"] = ctx["world_supply"]
    return out, response, prov


def _offsets(cid: str, c: dict, resp: dict, as_of: dt.date, p: dict) -> tuple:
    """(reroute range or None, bypass range) of a chokepoint, with their provenance written into ``p``."""
    if c["reroute"]:
        days = [r["extra_days"] for r in c["reroute"]]
        p["reroute_extra_days"] = {
            "value": [float(min(days)), float(max(days))],
            "from": c["reroute"],
        }
        return (float(min(days)), float(max(days))), (0.0, 0.0)
    if "bypass_mbd" in resp:
        p["bypass_mbd"] = {
            "value": float(resp["bypass_mbd"]),
            "from": "scenario [response] bypass_mbd",
        }
        return None, (float(resp["bypass_mbd"]),) * 2
    if resp.get("bypass", True) and c["bypass"]:
        vals = [b["unused_mbd"] for b in c["bypass"]]
        p["bypass_mbd"] = {"value": [float(min(vals)), float(max(vals))], "from": c["bypass"]}
        return None, (float(min(vals)), float(max(vals)))
    why = (
        "scenario [response] bypass = false"
        if not resp.get("bypass", True)
        else f"no published bypass estimate as of {as_of}"
    )
    p["bypass_mbd"] = {"value": 0.0, "from": why}
    return None, (0.0, 0.0)


def _observed_piece(cid, ctx, ob, share, persist_days, resp) -> ResolvedDisruption:
    c = ctx["chokepoints"][cid]
    reroute, bypass = _offsets(cid, c, resp, dt.date.min, {})
    return ResolvedDisruption(
        chokepoint=cid,
        flow_mbd=c["flow"].get("crude_equivalent_mbd", c["flow"]["normal_mbd"]),
        share=(share, share),
        lost_mbd=None,
        start_day=float(ob["onset_day"]),
        duration_days=(float(persist_days),) * 2,
        recovery_days=(0.0, 0.0),
        bypass_mbd=bypass,
        reroute_days=reroute,
        key=f"observed.{cid}",
    )


def _piece(
    key, d, cid, ctx, as_of, observed, resp, prov, source, ScenarioDataError, UnknownNameError
) -> ResolvedDisruption:
    p: dict = {}
    flow = reroute = None
    bypass = (0.0, 0.0)
    start_day = float(((d.start or as_of) - as_of).days)
    duration, share = d.duration_days, d.share
    if cid is not None:
        if cid not in ctx["chokepoints"]:
            raise UnknownNameError("chokepoint", cid, list(ctx["chokepoints"]))
        c = ctx["chokepoints"][cid]
        if c["flow"] is None:
            raise ScenarioDataError(
                f"{source}: {key}.chokepoint '{cid}': no published oil flow as of {as_of}"
            )
        # In crude-equivalent barrels, the concept of the loss share's denominator
        # (oilshock.model.supply_context: one concept in numerator and denominator).
        flow = c["flow"].get("crude_equivalent_mbd", c["flow"]["normal_mbd"])
        p["chokepoint"] = cid
        p["flow_mbd"] = {
            "value": flow,
            "meaning": "normal flow in crude-equivalent barrels",
            "from": c["flow"],
        }
        ob = observed.get(cid)
        if d.share == "observed":
            s0 = ob["share"] if ob and not ob["delivered"] else 0.0
            share = (s0, s0)
            if ob and not ob["delivered"]:
                start_day = float(ob["onset_day"])
                duration = (duration[0] - start_day, duration[1] - start_day)
            p["share"] = {"value": s0, "from": ob["from"] if ob else "no disruption under way"}
        elif c["reroute"] and ob:
            # Only barrels newly diverted are missing: the share above the observed one.
            share = (max(share[0] - ob["share"], 0.0), max(share[1] - ob["share"], 0.0))
            p["share"] = {
                "value": list(share),
                "from": f"scenario share above the observed {ob['share']:.2f} (barrels already rerouted have arrived)",
            }
        reroute, bypass = _offsets(cid, c, resp, as_of, p)
    p["start"] = (as_of + dt.timedelta(days=start_day)).isoformat()
    p["key"], p["duration_days"], p["recovery_days"] = key, list(duration), list(d.recovery_days)
    prov["disruptions"].append(p)
    return ResolvedDisruption(
        chokepoint=cid,
        flow_mbd=flow,
        share=share if cid is not None else None,
        lost_mbd=d.lost_mbd,
        start_day=start_day,
        duration_days=duration,
        recovery_days=d.recovery_days,
        bypass_mbd=bypass,
        reroute_days=reroute,
        key=key,
    )


def _check_totals(pieces: list, ctx: dict, source: str, ScenarioDataError) -> None:
    """Overlapping pieces of one chokepoint may not stop more than its flow; no loss may exceed world supply."""
    world = ctx["world_supply"]["mbd"]
    for d in pieces:
        if d.lost_mbd is not None and d.lost_mbd[1] > world:
            raise ScenarioDataError(
                f"{source}: key '{d.key}.lost_mbd': {d.lost_mbd[1]:g} mb/d is more than world supply ({world:.1f} mb/d)"
            )
    scenario = [d for d in pieces if d.chokepoint is not None and not d.key.startswith("observed.")]
    for d in scenario:
        end = d.start_day + d.duration_days[1] + d.recovery_days[1]
        # The overlap is largest at some piece's start: check the sum of shares there.
        for t in {
            e.start_day
            for e in scenario
            if e.chokepoint == d.chokepoint and d.start_day <= e.start_day < end
        }:
            live = [
                e
                for e in scenario
                if e.chokepoint == d.chokepoint
                and e.start_day <= t < e.start_day + e.duration_days[1] + e.recovery_days[1]
            ]
            total = sum(e.share[1] for e in live)
            if total > 1 + 1e-9:
                raise ScenarioDataError(
                    f"{source}: key '{live[-1].key}.share': overlapping disruptions of "
                    f"{d.chokepoint} stop {total:g} of its normal flow (at most 1)"
                )
