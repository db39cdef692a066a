"""From draws to the reported figures: the estimate's document, a pure reduction.

:func:`reduce_simulation` takes what :func:`oilshock.forecast.simulate.run_draws` returns (every random
draw already made there, from the seeded streams) and the fitted parameters, and returns the
JSON-shaped document of :class:`oilshock.forecast.result.EstimateResult`: bands (:mod:`oilshock.forecast.bands`),
peaks, drivers, household cost, election-day exposure, regions, weekly paths and provenance.
Nothing here draws a random number or reads data.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from oilshock.forecast.bands import band, bands_by_week

if TYPE_CHECKING:
    from oilshock.forecast.draws import Simulation

DISCLAIMER = (
    "A scenario, not a forecast: what the fitted models imply if this disruption happens, "
    "all else equal."
)


def _trim(sim: dict, horizon: int) -> dict:
    """Keep the scenario's horizon; weeks simulated beyond it only serve election day."""
    out = dict(sim)
    for k in (
        "brent",
        "brent_change_pct",
        "retail_change",
        "brent_change_pct_predictive",
        "retail_change_predictive",
    ):
        if out.get(k) is not None:
            out[k] = out[k][:, :horizon]
    if out.get("status_quo") is not None:
        out["status_quo"] = {k: v[:, :horizon] for k, v in sim["status_quo"].items()}
    out["loss"] = {k: v[:, :horizon] for k, v in sim["loss"].items()}
    out["weeks"] = sim["weeks"][:horizon]
    if out.get("retail_seasonal") is not None:
        out["retail_seasonal"] = sim["retail_seasonal"][:horizon]
    return out


def _extrapolation(share: np.ndarray, crude_fit: dict) -> dict:
    """How far the scenario's loss lies beyond the largest monthly supply loss in the crude fit's sample."""
    peak = float(np.percentile(share.max(axis=1), 50))
    largest = crude_fit["max_share_in_sample"]
    ratio = peak / largest if largest > 0 else None
    return {
        "peak_net_share": round(peak, 4),
        "largest_monthly_loss_in_sample": round(largest, 4),
        "ratio": None if ratio is None else round(ratio, 2),
        "warning": None
        if ratio is None or ratio <= 1
        else (
            f"The net loss ({100 * peak:.1f}% of world supply) is {ratio:.1f} times the largest monthly loss in the "
            f"history the crude response is fitted on ({100 * largest:.1f}%): the price path is an extrapolation of "
            "the fitted curve, not something history has shown."
        ),
    }


def _household(sim: dict, params: dict, c: dict | None) -> dict | None:
    if sim["retail_change"] is None:
        return None
    ctx = params["household"]
    if c is None:
        return {"unavailable": ctx["consumption"]["basis"]}
    out = {
        "national_usd_total": band(c["national_usd_total"], -6),
        "months": round(c["months"], 3),
        "consumption_gal_per_day": round(ctx["consumption"]["gal_per_day"]),
        "consumption_basis": ctx["consumption"]["basis"],
        "households_million": None,
        "usd_per_month": None,
        "usd_total_per_household": None,
        "note": "National total: all US gasoline. Per household: the households' share of US gasoline spending only "
        "(BLS CEX spending × households over EIA consumption × price; businesses and government buy the rest). "
        "Consumption held at its recent level (short-run demand barely moves).",
    }
    if "usd_total_per_household" in c:
        out |= {
            "usd_per_month": band(c["usd_per_month"], 2),
            "usd_total_per_household": band(c["usd_total_per_household"], 2),
            "households_million": ctx["households"]["million"],
            "households_basis": f"{ctx['households']['year']}: {ctx['households']['citation']}",
            "gallons_per_household_per_month": round(c["gallons_per_household_per_month"], 2),
            "household_share_of_gasoline": round(c["household_share"], 4),
            "household_share_basis": (ctx.get("household_share") or {}).get(
                "basis", "unknown as of this date: all gasoline attributed to households"
            ),
        }
    return out


def _published(params: dict, topic: str) -> list[dict]:
    return [
        {"study": r["study"], "value": r["value"], "se": r["se"], "citation": r["citation"]}
        for r in params.get("published", [])
        if r["topic"] == topic
    ]


def _election(sim: dict, params: dict, weeks) -> dict:
    from oilshock.forecast.election import build_election

    return build_election(sim, params, weeks, lambda topic: _published(params, topic))


def _regions(sim: dict, params: dict, costs: dict | None) -> list[dict] | None:
    """Regional price change and household cost: θ_r × the national path, draw by draw."""
    if sim["retail_change"] is None:
        return None
    rc = sim["retail_change"]
    base = params["baseline"]["retail"]["usd_per_gal"]
    per_hh = None if costs is None else costs.get("usd_total_per_household")
    in_horizon = sim["election_week"] is not None and sim["election_week"] < rc.shape[1]
    regions = params["household"]["regions"]
    thetas = sim["region_thetas"]  # drawn in the simulation (model.household.draw_region_thetas)
    peak_national = rc.max(axis=1)
    out = []
    for r in regions:
        theta = thetas[r["area"]]
        out.append(
            {
                "area": r["area"],
                "name": r["name"],
                "group": r.get("group"),
                "parent": r.get("parent"),
                "baseline_usd_per_gal": round(base + r["spread_usd_per_gal"], 4),
                "spread_as_of": r["spread_month"],
                "baseline_basis": r.get("baseline_basis"),
                "passthrough_from_national": round(r["theta"], 4),
                "passthrough_se": round(r["theta_se"], 4),
                "passthrough_unconstrained": None
                if "theta_unconstrained" not in r
                else round(r["theta_unconstrained"], 4),
                "parts": r.get("parts"),
                "price_change_usd_per_gal": band(theta * peak_national, 4),
                "household_usd_total": None if per_hh is None else band(theta * per_hh, 2),
                "election_in_horizon": in_horizon,
            }
        )
    return out


def _status_quo(sim: dict, brent_pct: np.ndarray, b0: float, r0, as_of: dt.date) -> dict:
    """The scenario against the status quo (every disruption under way persists), and against today,
    in numbers and words."""
    sq = sim.get("status_quo")
    out: dict = {
        "definition": (
            "every disruption under way at as_of persists at its observed share of "
            "normal flow over the horizon"
        ),
        "under_way": sorted(
            k
            for k, v in (sim["provenance"].get("observed") or {}).items()
            if not v.get("delivered")
        ),
        "brent_end_change_pct_vs_today": band(brent_pct[:, -1], 2),
        "retail_end_change_usd_per_gal_vs_today": None
        if sim["retail_change"] is None
        else band(sim["retail_change"][:, -1], 4),
    }
    if sq is None:
        out["brent_mean_change_pct_vs_status_quo"] = band(brent_pct.mean(axis=1), 2)
        out["retail_mean_change_usd_per_gal_vs_status_quo"] = (
            None if sim["retail_change"] is None else band(sim["retail_change"].mean(axis=1), 4)
        )
        out["status_quo_is_today"] = True
    else:
        out["brent_mean_change_pct_vs_status_quo"] = band(
            sq["brent_vs_status_quo_pct"].mean(axis=1), 2
        )
        out["retail_mean_change_usd_per_gal_vs_status_quo"] = (
            None
            if "retail_vs_status_quo" not in sq
            else band(sq["retail_vs_status_quo"].mean(axis=1), 4)
        )
        out["status_quo_brent_end_usd_per_bbl"] = band(sq["brent"][:, -1], 2)
        out["status_quo_is_today"] = False
        from oilshock.forecast.record import load_nowcast, not_beaten

        # How the weeks ahead have fared against no change while disruptions were under way.
        out["brent_nowcast_not_better_than_no_change"] = not_beaten(load_nowcast(), as_of=as_of)
    mean = out["brent_mean_change_pct_vs_status_quo"]["p50"]
    where = "the status quo" if sq is not None else "its price at as_of"
    if abs(mean) < 0.5:
        out["verdict"] = (
            f"Brent stays within half a percent of {where} on average over the horizon (central estimate)."
        )
    elif mean < 0:
        out["verdict"] = (
            "This scenario is an EASING: less oil is stopped over the horizon than if every "
            f"disruption under way persisted, and Brent averages {-mean:.1f}% below {where} "
            "(central estimate)."
            if sq is not None
            else f"Brent averages {-mean:.1f}% below its price at as_of over the horizon (central estimate)."
        )
    else:
        out["verdict"] = (
            f"This scenario worsens the supply situation: Brent averages {mean:.1f}% above {where} "
            "over the horizon (central estimate)."
        )
    return out


def _under_way(sq: dict | None, loss: dict, week: int) -> dict:
    """At the drivers' week, the flow already stopped at as_of (kept so in the status quo) and what
    the scenario adds to it (negative: the scenario stops less) [mb/d]; nothing when no
    disruption is under way."""
    if sq is None or "gross_mbd" not in sq:
        return {}
    return {
        "under_way_gross_mbd": band(sq["gross_mbd"][:, week], 3),
        "added_gross_mbd": band(loss["gross_mbd"][:, week] - sq["gross_mbd"][:, week], 3),
    }


def _no_disruption(params: dict, drift, r0) -> dict:
    """The baseline's no-disruption entry: the seasonal drift of the pump price over the horizon, with its basis."""
    if drift is None or r0 is None:
        return {}
    basis = params["baseline"]["retail_seasonal_drift"]["basis"]
    return {
        "retail_gasoline_no_disruption_end_usd_per_gal": round(float(r0 + drift[-1]), 4),
        "retail_gasoline_no_disruption_basis": (
            "the no-disruption path of the pump price is "
            f"the newest price at as_of plus its normal seasonal drift: {basis}"
        ),
    }


def _channels(params: dict, scenario, under_way: bool) -> dict:
    """The model's name and its issue-#12 channels as fitted (``None`` where the model has none).

    The news premium says why it was not applied, when it was not
    (:func:`oilshock.model.expectations.news_absent`, the rule the simulation applies).
    """
    from oilshock.model.crude_paths import DEFAULT_MODEL, parse_model
    from oilshock.model.expectations import news_absent

    name = params.get("crude_model") or DEFAULT_MODEL
    spec = parse_model(name)
    out: dict = {"name": name, "news_premium": None, "refinery_margin": None}
    news, margin = params.get("expectations"), params.get("margin")
    if spec.news and news:
        why = news_absent(news, scenario, under_way)
        out["news_premium"] = (
            {"unavailable": why}
            if why
            else {
                "method": news["method"],
                "citation": news["citation"],
                "sample": news["sample"],
                "impact_dlog_per_sd": round(news["impact_dlog_per_sd"], 4),
            }
        )
    if spec.margin and margin:
        out["refinery_margin"] = (
            {"unavailable": margin["unavailable"]}
            if "unavailable" in margin
            else {
                "method": margin["method"],
                "sample": margin["sample"],
                # Each horizon's fitted coefficient, floored at zero as the simulation applies it.
                "usd_per_gal_per_dlog_brent_by_week": [
                    round(max(v, 0.0), 4) if v is not None and v == v else None
                    for v in margin["coef_usd_per_gal_per_dlog"]
                ],
            }
        )
    return out


def reduce_simulation(
    scenario, params: dict, as_of: dt.date, seed: int, draws: int, sim: Simulation
) -> dict:
    """The estimate's document (see :meth:`oilshock.forecast.result.EstimateResult.to_dict`)."""
    from oilshock._version import __version__

    sim = _trim(sim, sim.get("horizon", len(sim["weeks"])))
    # One cost computation (in the simulation) serves the national and the regional tables.
    costs = sim.get("household_costs")
    weeks = sim["weeks"]
    b0 = params["baseline"]["brent_usd_per_bbl"]
    r0 = params["baseline"]["retail"]["usd_per_gal"]
    brent_pct = sim["brent_change_pct"]
    peak_pct = brent_pct.max(axis=1)
    loss = sim["loss"]
    p50_week = int(np.argmax(np.percentile(brent_pct, 50, axis=0)))

    retail = None
    weekly_retail = [None] * len(weeks)
    # The no-disruption level path: today's price plus the normal seasonal drift (model.seasonal) where the
    # model has it. It shifts the levels of every path alike, never a change against it.
    drift = sim.get("retail_seasonal")
    level0 = None if r0 is None else (r0 if drift is None else r0 + drift)
    if sim["retail_change"] is not None and r0 is not None:
        rc = sim["retail_change"]
        peak = rc.max(axis=1)
        med_path = np.percentile(rc, 50, axis=0)
        retail = {
            "peak_change_usd_per_gal": band(peak, 4),
            "predictive_peak_change_usd_per_gal": band(
                sim["retail_change_predictive"].max(axis=1), 4
            ),
            "weeks_to_peak": int(np.argmax(med_path)) + 1,
            "peak_week_ending": weeks[int(np.argmax(med_path))].isoformat(),
        }
        weekly_retail = bands_by_week(level0 + rc, 4)
    weekly_brent = bands_by_week(sim["brent"], 3)
    # With the market's ordinary noise: the band an observed weekly price is compared with.
    pred_brent = bands_by_week(b0 * (1 + sim["brent_change_pct_predictive"] / 100), 3)
    pred_retail = [None] * len(weeks)
    if sim["retail_change_predictive"] is not None and r0 is not None:
        pred_retail = bands_by_week(level0 + sim["retail_change_predictive"], 4)
    sq = sim.get("status_quo")
    sq_brent = (
        [None] * len(weeks)
        if sq is None
        else [round(float(v), 3) for v in np.percentile(sq["brent"], 50, axis=0)]
    )
    sq_retail = [None] * len(weeks)
    if sq is not None and "retail_change" in sq and r0 is not None:
        sq_retail = [
            round(float(v), 4) for v in level0 + np.percentile(sq["retail_change"], 50, axis=0)
        ]
    pump = params["pump"]
    d = {
        "scenario": scenario.to_dict(),
        "as_of": as_of.isoformat(),
        "disclaimer": DISCLAIMER,
        "baseline": {
            "brent_usd_per_bbl": round(b0, 3),
            "brent_basis": params["baseline"]["brent_basis"],
            "brent_weekly_log_sd": round(params["baseline"]["brent_weekly_log_sd"], 5),
            "brent_volatility_basis": params["baseline"]["brent_volatility_basis"],
            "retail_gasoline_usd_per_gal": None if r0 is None else round(r0, 4),
            "retail_gasoline_date": params["baseline"]["retail"]["date"],
        }
        | _no_disruption(params, drift, r0),
        "brent": {
            "peak_change_pct": band(peak_pct, 2),
            "peak_usd_per_bbl": band(b0 * (1 + peak_pct / 100), 2),
            "predictive_peak_change_pct": band(sim["brent_change_pct_predictive"].max(axis=1), 2),
            "weeks_to_peak": p50_week + 1,
        },
        "retail_gasoline": retail,
        "status_quo": _status_quo(sim, brent_pct, b0, r0, as_of),
        "drivers": {
            "world_supply_mbd": round(params["supply"]["world_supply"]["mbd"], 3),
            "world_supply_basis": params["supply"]["world_supply"]["basis"],
            "at_brent_peak_week": {
                k: band(loss[k][:, p50_week], 3)
                for k in ("gross_mbd", "bypass_mbd", "stocks_mbd", "spare_mbd", "net_mbd")
            }
            | {"net_share_pct": band(100 * loss["share"][:, p50_week], 3)}
            | _under_way(sq, loss, p50_week),
            "peak_net_share_pct": band(100 * loss["share"].max(axis=1), 3),
            "multiplier_at_peak_week": _multiplier_used(sim, params, p50_week),
            "extrapolation": _extrapolation(loss["share"], params["crude"]),
        },
        "household": _household(sim, params, costs),
        "election": _election(sim, params, weeks),
        "regions": _regions(sim, params, costs),
        "resolved": sim["provenance"],
        "models": {
            "model": _channels(params, scenario, sim.get("anchor") is not None),
            "crude_multiplier": {
                "method": params["crude"]["method"],
                "horizon_months": params["crude"]["horizon_months"],
                "multiplier": [round(v, 3) for v in params["crude"]["multiplier"]],
                "multiplier_se": [round(v, 3) for v in params["crude"]["multiplier_se"]],
                "sample": [params["crude"]["sample_first"], params["crude"]["sample_last"]],
                # The shock months above read data to data_last (their month plus 12).
                "data_last": params["crude"].get("data_last"),
                "instrument": params["crude"]["instrument"],
            },
            "passthrough": None
            if pump is None
            else {
                "method": pump["method"],
                "cents_per_gal_per_usd_per_bbl": round(
                    pump["passthrough_cents_per_gal_per_usd_per_bbl"], 3
                ),
                "se": round(pump["passthrough_cents_se"], 3),
                "sample": [pump["sample_first"], pump["sample_last"]],
                "share_passed_after_weeks_up": [round(v, 3) for v in pump["profile_up"]],
                "share_passed_after_weeks_down": [round(v, 3) for v in pump["profile_down"]],
            },
        },
        "weekly": [
            {
                "week_ending": w.isoformat(),
                "brent_usd_per_bbl": weekly_brent[i],
                "retail_gasoline_usd_per_gal": weekly_retail[i],
                "brent_predictive_usd_per_bbl": pred_brent[i],
                "retail_gasoline_predictive_usd_per_gal": pred_retail[i],
                "net_loss_mbd": band(loss["net_mbd"][:, i], 3),
                "brent_status_quo_usd_per_bbl_p50": sq_brent[i] if sq is not None else round(b0, 3),
                "retail_gasoline_status_quo_usd_per_gal_p50": sq_retail[i],
            }
            | (
                {}
                if drift is None or r0 is None
                else {"retail_gasoline_no_disruption_usd_per_gal": round(float(level0[i]), 4)}
            )
            for i, w in enumerate(weeks)
        ],
        "provenance": {
            "snapshot_sha256": params.get("snapshot_sha256"),
            "oilshock_version": __version__,
            "seed": seed,
            "draws": draws,
        },
    }
    return d


def _multiplier_used(sim, params: dict, week: int) -> dict:
    """The multiplier the crude response applies at ``week`` [% per 1% of supply lost]: M at the
    months since onset for v1 and the superpositions of M; the impact multiplier M(0) for the
    forward responses (:func:`oilshock.model.crude_paths.forward_log_price_change`) and for the
    superposition of the impulse response (whose value at h = 0 it is); for the mixture each draw's
    own component's."""
    import numpy as np

    from oilshock.model import crude_paths as cp

    crude = cp.parse_model(params.get("crude_model") or cp.DEFAULT_MODEL).crude
    pick = sim["multiplier_pick"]
    impact = np.asarray(params["crude"]["draws"], dtype=float)[:, 0][pick]
    by_month = np.asarray(sim["multiplier_by_week"][week, pick], dtype=float)
    factor = sim["multiplier_factor"]
    scale = 1.0 if factor is None else np.asarray(factor, dtype=float)
    if crude in cp.FORWARD_MONTHS or crude == cp.SUPERPOSITION_IRF:
        # superposition-irf: its impulse response at h = 0 is the impact multiplier, -pi_0 / phi_0.
        return band(impact * scale, 3)
    if crude == cp.MIXTURE:
        forward = np.isin(
            np.asarray(cp.MIXTURE_COMPONENTS)[cp.mixture_components_of(pick.size)],
            list(cp.FORWARD_MONTHS),
        )
        return band(np.where(forward, impact, by_month) * scale, 3)
    return band(by_month * scale, 3)
