"""The sensitivity grid: peak changes over share blocked × duration in one batched Monte Carlo.

Used by the sensitivity chart and, with weekly paths, by the offline explorer
(:mod:`oilshock.report.explore`). Each cell uses the draws :func:`oilshock.forecast.simulate.estimate`
would use at the same seed (:class:`oilshock.forecast.streams.Streams`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np

from oilshock.forecast.bands import band, weekly_quantiles
from oilshock.forecast.channels import margin_coefficients, news_premium, regime_factors
from oilshock.forecast.heap import retain_freed_memory
from oilshock.forecast.paths import (
    DTYPE,
    brent_paths,
    flat_path,
    levels,
    multiplier_draws,
    pump_coefficients,
    status_quo_draws,
    status_quo_rows_of,
    to_pct_change,
    variant_under_way,
)
from oilshock.forecast.prepare import prepare
from oilshock.forecast.streams import seed_streams
from oilshock.model import crude_paths, pump, supply
from oilshock.periods import survey_mondays
from oilshock.scenario.resolve import resolve_scenario


def sweep(
    scenario,
    shares,
    durations,
    *,
    as_of: dt.date | None = None,
    chokepoint: str | None = None,
    draws: int = 2000,
    seed: int | None = None,
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
    sc, as_of, p = prepare(scenario, as_of=as_of, directory=directory, params=params)
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
    disruptions, response, _ = resolve_scenario(base, p["supply"], as_of)
    weeks = survey_mondays(as_of, sc.horizon_weeks)
    week_days = np.array([(w - as_of).days for w in weeks], dtype=float)
    streams = seed_streams(seed)
    s_supply, s_crude, s_pump = streams.supply, streams.crude, streams.pump
    retain_freed_memory()
    template_draws = supply.draw_scenario_params(disruptions, response, draws, s_supply)
    by_week, pick = multiplier_draws(
        p, disruptions, as_of, weeks, np.random.default_rng(s_crude), draws
    )
    _, _, anchor, sq_parts = status_quo_draws(sc, p, as_of, [], draws, s_supply, s_crude)
    spec = crude_paths.parse_model(p.get("crude_model", crude_paths.DEFAULT_MODEL))
    model = spec.crude
    # The channels of issue #12 from the estimate's streams, so that a cell equals the estimate.
    s_news, s_margin = streams.channels.spawn(2)
    factor = regime_factors(p, draws, streams.channels.spawn(1)[0]) if spec.regimes else None
    premium = (
        news_premium(base, p, week_days, draws, s_news, anchor is not None) if spec.news else None
    )
    b0 = p["baseline"]["brent_usd_per_bbl"]
    coef = flat = m_coef = None
    if p["pump"] is not None:
        coef = pump_coefficients(p, draws, s_pump)
        if spec.margin:
            m_coef = margin_coefficients(p, draws, len(weeks), s_margin)
        flat = pump.simulate_paths(p["pump"], coef, flat_path(b0, len(weeks)))
    flow = disruptions[0].flow_mbd
    # Where barrels are rerouted only those newly diverted are missing: the share above the observed
    # one (oilshock.scenario.resolve), as the template's resolved share (1 less the observed) says.
    observed_offset = 1.0 - float(disruptions[0].share[0])
    # The status quo is the same in every cell: its rows are integrated once and tiled.
    sq_rows = None
    if model != "v1" and anchor is not None:
        sq_rows = status_quo_rows_of(model, p, disruptions, sq_parts, week_days, pick)

    def tile_rows(a, k):
        return np.tile(a, (1, k)) if a.shape[1] == draws else a

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
                dj["volume_mbd"] = np.repeat(
                    [flow * max(s - observed_offset, 0.0) for s, _ in chunk], draws
                )
                dj["duration_days"] = np.repeat([dur for _, dur in chunk], draws)
            dis.append(dj)
        batch = {
            "disruptions": dis,
            "groups": template_draws["groups"],
            "stock_rate_mbd": tile(template_draws["stock_rate_mbd"]),
        }
        # The loss over the horizon's weeks (a variant under way integrates its own longer rows).
        loss = (
            None
            if sq_rows is not None
            else supply.net_loss_paths(
                batch, response, p["supply"]["world_supply"]["mbd"], week_days, DTYPE
            )
        )
        picks = np.tile(pick, k)
        if model == "v1":
            tiled = None if anchor is None else tuple(np.tile(a, k) for a in anchor)
            dlog, _, crude_usd_per_gal = brent_paths(by_week, picks, loss["share"].T, b0, tiled)
        else:
            if anchor is None:
                dlog = crude_paths.variant_log_price_change(
                    model,
                    p["crude"],
                    picks,
                    loss["share"].T,
                    week_days,
                    blocks=k,
                    factor=None if factor is None else np.tile(factor, k),
                )
            else:
                dlog, _, _ = variant_under_way(
                    model,
                    p,
                    (disruptions, batch, response),
                    (sq_parts[0], None, None),
                    week_days,
                    picks,
                    status_quo_rows=(tile_rows(sq_rows[0], k), tile_rows(sq_rows[1], k)),
                    blocks=k,
                    factor=None if factor is None else np.tile(factor, k),
                )
            _, crude_usd_per_gal = levels(dlog, b0)
        if premium is not None:
            dlog = np.maximum(dlog, np.tile(premium, (1, k)).astype(dlog.dtype))
            _, crude_usd_per_gal = levels(dlog, b0)
        retail_peak = None
        if coef is not None:
            shocked = pump.simulate_paths(p["pump"], np.tile(coef, (1, k)), crude_usd_per_gal)
            shocked -= np.tile(flat, (1, k))
            if m_coef is not None:
                from oilshock.model.margin import added_margin

                shocked += added_margin(np.tile(m_coef, (1, k)), dlog).astype(shocked.dtype)
            retail_peak = shocked.max(axis=0).reshape(k, draws)
        brent_pct = to_pct_change(dlog)
        brent_peak = brent_pct.max(axis=0).reshape(k, draws)
        for i, (s, dur) in enumerate(chunk):
            cols = slice(i * draws, (i + 1) * draws)
            row = {
                "share": s,
                "duration_days": dur,
                "brent_peak_change_pct": band(brent_peak[i], 2),
                "retail_peak_change_usd_per_gal": None
                if retail_peak is None
                else band(retail_peak[i], 4),
                # The central path's lowest point (an easing is reported at its low, as the
                # estimate's headline does: oilshock.forecast.result.headline).
                "brent_low_change_pct_p50": round(
                    float(np.median(brent_pct[:, cols], axis=1).min()), 2
                ),
                "retail_low_change_usd_per_gal_p50": None
                if retail_peak is None
                else round(float(np.median(shocked[:, cols], axis=1).min()), 4),
            }
            if paths:
                from oilshock.model.household import household_costs

                row["weeks"] = [w.isoformat() for w in weeks]
                row["brent_change_pct_by_week"] = weekly_quantiles(brent_pct[:, cols], 2)
                row["retail_change_usd_per_gal_by_week"] = (
                    None if coef is None else weekly_quantiles(shocked[:, cols], 4)
                )
                costs = (
                    None
                    if coef is None
                    else household_costs(np.ascontiguousarray(shocked[:, cols].T), p["household"])
                )
                row["household_usd_total"] = (
                    band(costs["usd_total_per_household"], 2)
                    if costs and "usd_total_per_household" in costs
                    else None
                )
            rows.append(row)
    return rows
