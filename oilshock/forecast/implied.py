"""The net supply loss today's Brent price implies, beside the loss the tanker counts give.

While a disruption is under way, tanker transits (IMF PortWatch) say how much of a strait's flow has
stopped; the price says how much the market believes is missing. Inverting the crude response at
``as_of`` gives the second: with Brent :math:`B_{pre}` before the onset (the mean of the five trading
days before it, :mod:`oilshock.model.chokepoint_state`) and :math:`B_0` at ``as_of``,

.. math::  L = \\frac{\\log(B_0 / B_{pre})}{M(0)}, \\qquad x = 1 - e^{-L},

the log shortfall :math:`L` and the net share of world crude supply :math:`x` that the impact
multiplier :math:`M(0)` (:mod:`oilshock.model.crude`, each bootstrap replicate: the band) turns into
today's price — the inverse of the default response, which prices the shortfall expected over the
coming month at :math:`M(0)`. The gap between the two losses is what the counts miss or the market
discounts — tankers sailing dark, bypass and stock draws beyond the published figures, demand that
has gone, a market that expects the strait to reopen — or, where the price says more than the
counts, what it adds: precautionary buying, losses expected to widen or last. Prices move for other
reasons too (demand, other supply), so the implied loss reads the whole price change since the
onset as the disruption's.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

# What a gap between the two losses would have to come from, by its sign.
GAP_LESS = (
    "the gap is what tankers sailing dark, bypass and stock draws beyond the published figures, "
    "lost demand or an expected reopening would have to explain"
)
GAP_MORE = (
    "the gap is what precautionary buying, stock building or losses expected to widen or last "
    "would have to explain"
)


def market_implied_loss(p: dict, as_of: dt.date, n: int = 2000, seed: int = 0) -> dict | None:
    """The net loss today's Brent implies and the loss the tanker counts give, or None when calm.

    Parameters
    ----------
    p : dict
        Fitted parameters at ``as_of`` (:func:`oilshock.forecast.params.get_params`).
    as_of : datetime.date
    n : int
        Draws of the counted loss (bypass and stock ranges).
    seed : int
        Seed of those draws (fixed: the same inputs give the same figures).

    Returns
    -------
    dict or None
        ``implied_mbd`` and ``implied_share`` (p05/p50/p95 over the multiplier's replicates) [mb/d,
        share of world crude supply], ``counted_mbd`` and ``counted_share`` (the status quo's net
        loss in the week to ``as_of``, net of bypass and stock releases), ``gap_mbd_p50``,
        ``brent_before_onset_usd_per_bbl``, ``brent_usd_per_bbl``, ``onset``, ``note``; None when no
        disruption is under way or no price before its onset is known.
    """
    from oilshock.forecast.paths import ANCHOR_DAY
    from oilshock.model import supply
    from oilshock.scenario.parse import Scenario
    from oilshock.scenario.resolve import resolve_scenario

    under_way = {
        cid: c["state"]
        for cid, c in p["supply"]["chokepoints"].items()
        if c.get("state") and c["state"].get("under_way")
    }
    if not under_way:
        return None
    first = min(under_way.values(), key=lambda st: st["onset"])
    before = first.get("brent_before_onset_usd_per_bbl")
    if not before:
        return None
    world = p["supply"]["world_supply"]["mbd"]
    today = p["baseline"]["brent_usd_per_bbl"]
    impact = np.asarray(p["crude"]["draws"], dtype=float)[:, 0]
    impact = impact[impact > 0]
    dlog = float(np.log(today / before))
    implied_share = -np.expm1(-np.clip(dlog / impact, 0.0, None)) if impact.size else np.zeros(1)

    empty = Scenario(name="status-quo", title="status quo", disruptions=())
    pieces, response, _ = resolve_scenario(empty, p["supply"], as_of, status_quo=True)
    draws = supply.draw_scenario_params(pieces, response, n, np.random.SeedSequence(seed))
    counted = supply.net_loss_paths(draws, response, world, np.array([ANCHOR_DAY]), np.float64)
    counted_share = np.asarray(counted["share"]).ravel()

    def band(a, scale=1.0, digits=3):
        q = np.percentile(np.asarray(a) * scale, [5, 50, 95])
        return {k: round(float(v), digits) for k, v in zip(("p05", "p50", "p95"), q)}

    implied_mbd = band(implied_share, world, 2)
    counted_mbd = band(counted_share, world, 2)
    return {
        "onset": first["onset"],
        "brent_before_onset_usd_per_bbl": round(float(before), 2),
        "brent_usd_per_bbl": round(float(today), 2),
        "brent_change_since_onset_pct": round(100 * float(np.expm1(dlog)), 1),
        "implied_share": band(implied_share),
        "implied_mbd": implied_mbd,
        "counted_share": band(counted_share),
        "counted_mbd": counted_mbd,
        "gap_mbd_p50": round(counted_mbd["p50"] - implied_mbd["p50"], 2),
        "world_supply_mbd": round(float(world), 2),
        "method": (
            "log(Brent today / Brent before the onset) divided by the impact multiplier M(0) "
            "(each bootstrap replicate), as a share of world crude supply"
        ),
        "note": GAP_LESS if counted_mbd["p50"] >= implied_mbd["p50"] else GAP_MORE,
    }


def implied_line(m: dict) -> str:
    """One sentence for a reader: what the price implies against what the tankers show."""
    im, co = m["implied_mbd"], m["counted_mbd"]
    sign = "+" if m["brent_change_since_onset_pct"] >= 0 else "−"
    more = "less" if m["gap_mbd_p50"] >= 0 else "more"
    return (
        f"Market-implied net loss: {im['p50']:.1f} mb/d ({100 * m['implied_share']['p50']:.1f}% of "
        f"world supply; {im['p05']:.1f}–{im['p95']:.1f}) from Brent {sign}"
        f"{abs(m['brent_change_since_onset_pct']):.0f}% since before {m['onset']}, against "
        f"{co['p50']:.1f} mb/d from tanker counts net of bypass and stocks: the market prices "
        f"{abs(m['gap_mbd_p50']):.1f} mb/d {more}; {m['note']}"
    )
