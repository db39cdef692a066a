"""Supply context from data frames: chokepoint flows, bypass, stocks, spare and world supply.

:func:`supply_context` turns the frames :func:`oilshock.forecast.inputs.load_supply_frames`
reads into the plain-JSON context the supply link needs for any scenario as of a date, with
the citations of every figure, so that it can be cached. No file is read here.

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
  *total* loss. A chokepoint's pieces are added into one loss path before
  the bypass and the rerouting delay apply
  (:func:`oilshock.model.supply_paths.net_loss_paths`), so splitting a
  disruption into pieces changes nothing.
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
* **One concept in numerator and denominator.** EIA's chokepoint flows are
  crude, condensate *and products*; the denominator is crude. Each
  chokepoint's flow therefore enters the loss as its crude equivalent: the
  flow times world crude production over world total oil supply in the
  year of EIA's table that the flow figure belongs to (the table's own
  ``world_supply_mbd`` and the crude series' mean over that year), so that
  the chokepoint's share of world supply is EIA's own share (Hormuz 2023:
  20.9 of 101.9 mb/d, 20.5%) rather than 20.9 of 81.7 (25.6%). Where the
  denominator is itself all liquids the factor is 1.
"""

from __future__ import annotations

import datetime as dt

from oilshock.errors import ScenarioDataError
from oilshock.model import chokepoint_state
from oilshock.periods import text_period_end

REROUTE_PREFIX = "cape_reroute"
COMBINED_SUFFIX = "_combined"


def supply_context(frames: dict, as_of: dt.date) -> dict:
    """Everything the supply link needs for any scenario as of ``as_of``, as plain JSON.

    Parameters
    ----------
    frames : dict
        The frames of :data:`oilshock.forecast.inputs.SUPPLY_DATASETS` by dataset name, each
        already filtered to what was known by ``as_of`` where the dataset is dated.
    as_of : datetime.date
    """
    import polars as pl

    flows = frames["chokepoint_flows_annual"]
    bypass = frames["bypass_routes"]
    buffers = frames["oil_buffers"]
    # A supplement figure counts once it was published; 'published' may be a month or a day.
    supplement = (
        frames["chokepoint_flows_supplement"]
        .filter(pl.col("direction") == "total")
        .with_columns(pl.col("published").cast(pl.String).alias("published"))
    )
    ctx: dict = {"as_of": as_of.isoformat(), "chokepoints": {}}
    series = chokepoint_state.transit_states(frames["chokepoint_transits_daily"], as_of)
    for cp in frames["chokepoints"].iter_rows(named=True):
        cid = cp["chokepoint"]
        ctx["chokepoints"][cid] = _chokepoint_context(
            cid, cp, flows, supplement, series.get(cid), bypass, as_of
        )
    ctx["world_supply"] = _world_supply(frames["world_oil_supply_monthly"], as_of)
    for c in ctx["chokepoints"].values():
        if c["flow"] is not None:
            c["flow"] |= _crude_equivalent(
                c["flow"], flows, frames["world_oil_supply_monthly"], ctx["world_supply"]
            )
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


def _crude_equivalent(flow: dict, flows, world, world_supply: dict) -> dict:
    """The chokepoint flow in crude-equivalent barrels [mb/d] and how it was converted.

    ``normal_mbd`` times the ratio of world crude production to EIA's world total oil supply in the
    latest year of EIA's chokepoint table at or before the flow figure's period (the year's mean of
    the crude series of :data:`WORLD_SUPPLY_SERIES`): a flow of crude and products is then the same
    share of the crude denominator as EIA's table makes it of total supply. A factor of 1 where the
    denominator is all liquids, or where no year of the table or of the crude series is known.
    """
    import polars as pl

    normal = flow["normal_mbd"]
    if world_supply["concept"] != "crude":
        return {
            "crude_equivalent_mbd": normal,
            "crude_factor": 1.0,
            "crude_basis": "the world-supply denominator is all liquids, as the flow",
        }
    ref_year = dt.date.fromisoformat(flow["reference_period"][1]).year
    years = sorted({r["year"]: r["world_supply_mbd"] for r in flows.iter_rows(named=True)}.items())
    years = [(y, v) for y, v in years if v is not None]
    table = [(y, v) for y, v in years if y <= ref_year] or years[:1]
    for year, liquids in reversed(table):
        for series, concept, _ in WORLD_SUPPLY_SERIES:
            if concept != "crude":
                continue
            s = world.filter((pl.col("series") == series) & (pl.col("date").dt.year() == year))[
                "value_kbd"
            ]
            if s.len():
                crude_mbd = float(s.mean()) / 1000
                factor = crude_mbd / liquids
                return {
                    "crude_equivalent_mbd": normal * factor,
                    "crude_factor": factor,
                    "crude_basis": (
                        f"flow x world crude production over world total oil supply in {year}: "
                        f"{crude_mbd:.1f} / {liquids:.1f} mb/d ({series}; EIA World Oil Transit "
                        "Chokepoints, Table 1)"
                    ),
                }
    return {
        "crude_equivalent_mbd": normal,
        "crude_factor": 1.0,
        "crude_basis": "no year of world total oil supply known with a crude figure: flow taken as crude",
    }


# The denominator's series in order of preference: (series, concept, basis with {series} and {end}).
WORLD_SUPPLY_SERIES = (
    (
        "eia_intl_crude_incl_condensate",
        "crude",
        "world crude production ({series}), 12 months to {end}: the concept of the crude multiplier",
    ),
    (
        "kanzig_eia1955",
        "crude",
        "world crude production ({series}), 12 months to {end}: the concept of the crude multiplier",
    ),
    (
        "steo_papr_world",
        "all_liquids",
        "EIA STEO world petroleum production, 12 months to {end} (no crude series: all liquids)",
    ),
)


def _world_supply(world, as_of: dt.date) -> dict:
    """World crude production [mb/d], the denominator of the loss share.

    The crude multiplier (:mod:`oilshock.model.crude`) is an elasticity to
    world *crude* production, so the share it is applied to must be a share
    of the same concept: the latest 12-month mean of a world crude production
    series known by ``as_of`` (EIA international crude including condensate,
    else the EIA 1955- series of the crude fit; :data:`WORLD_SUPPLY_SERIES`).
    STEO all-liquids supply (about 24% larger) is used only where no crude
    series reaches back 12 months, with the basis saying so.
    """
    import polars as pl

    for series, concept, basis in WORLD_SUPPLY_SERIES:
        s = world.filter(pl.col("series") == series).sort("date").tail(12)
        if s.height == 12:
            return {
                "mbd": float(s["value_kbd"].mean()) / 1000,
                "concept": concept,
                "basis": basis.format(series=series, end=f"{s['date'][-1]:%Y-%m}"),
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
