"""EstimateResult: the bands of one scenario, with ``summary``, ``to_frame`` and ``to_dict``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from oilshock.bands import band, bands_by_week
from oilshock.text import fit, usd

DISCLAIMER = "A scenario, not a forecast: what the fitted models imply if this disruption happens, all else equal."


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
    from oilshock.election_result import build_election

    return build_election(sim, params, weeks, lambda topic: _published(params, topic))


def _regions(sim: dict, params: dict, costs: dict | None) -> list[dict] | None:
    """Regional price change and household cost: θ_r × the national path (θ drawn from its estimate).

    An aggregate's draw is clipped to the range of the same draw of its parts
    (``oilshock.model.household``), so PADD 1 and PADD 5 stay within their parts.
    """
    if sim["retail_change"] is None:
        return None
    rc = sim["retail_change"]
    base = params["baseline"]["retail"]["usd_per_gal"]
    per_hh = None if costs is None else costs.get("usd_total_per_household")
    rng = np.random.default_rng(sim.get("regions_seed", 0))
    in_horizon = sim["election_week"] is not None and sim["election_week"] < rc.shape[1]
    regions = params["household"]["regions"]
    thetas = {
        r["area"]: r["theta"] + r["theta_se"] * rng.standard_normal(rc.shape[0]) for r in regions
    }
    for r in regions:
        if r.get("parts") and all(p in thetas for p in r["parts"]):
            parts = np.vstack([thetas[p] for p in r["parts"]])
            thetas[r["area"]] = np.clip(thetas[r["area"]], parts.min(axis=0), parts.max(axis=0))
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


def _status_quo(sim: dict, brent_pct: np.ndarray, b0: float, r0) -> dict:
    """The scenario against the status quo (every disruption under way persists), and against today, in numbers and words."""
    sq = sim.get("status_quo")
    out: dict = {
        "definition": "every disruption under way at as_of persists at its observed share of normal flow over the horizon",
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
    mean = out["brent_mean_change_pct_vs_status_quo"]["p50"]
    where = "the status quo" if sq is not None else "today's price"
    if abs(mean) < 0.5:
        out["verdict"] = (
            f"Brent stays within half a percent of {where} on average over the horizon (central estimate)."
        )
    elif mean < 0:
        out["verdict"] = (
            f"This scenario is an EASING: less oil is stopped over the horizon than if every disruption under way persisted, and Brent averages {-mean:.1f}% below {where} (central estimate)."
            if sq is not None
            else f"Brent averages {-mean:.1f}% below today's price over the horizon (central estimate)."
        )
    else:
        out["verdict"] = (
            f"This scenario worsens the supply situation: Brent averages {mean:.1f}% above {where} over the horizon (central estimate)."
        )
    return out


def _no_disruption(params: dict, drift, r0) -> dict:
    """The baseline's no-disruption entry: the seasonal drift of the pump price over the horizon, with its basis."""
    if drift is None or r0 is None:
        return {}
    basis = params["baseline"]["retail_seasonal_drift"]["basis"]
    return {
        "retail_gasoline_no_disruption_end_usd_per_gal": round(float(r0 + drift[-1]), 4),
        "retail_gasoline_no_disruption_basis": f"the no-disruption path of the pump price is today's price plus its normal seasonal drift: {basis}",
    }


@dataclass
class EstimateResult:
    """What :func:`oilshock.estimate` returns.

    Attributes
    ----------
    data : dict
        The full result in its JSON shape (see :meth:`to_dict`).
    """

    data: dict = field(repr=False)

    @classmethod
    def from_simulation(
        cls, scenario, params: dict, as_of: dt.date, seed: int, draws: int, sim: dict
    ) -> EstimateResult:
        import oilshock
        from oilshock.model.household import household_costs

        sim = _trim(sim, sim.get("horizon", len(sim["weeks"])))
        # One cost computation serves the national and the regional tables.
        costs = (
            None
            if sim["retail_change"] is None
            else household_costs(sim["retail_change"], params["household"])
        )
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
                "predictive_peak_change_pct": band(
                    sim["brent_change_pct_predictive"].max(axis=1), 2
                ),
                "weeks_to_peak": p50_week + 1,
            },
            "retail_gasoline": retail,
            "status_quo": _status_quo(sim, brent_pct, b0, r0),
            "drivers": {
                "world_supply_mbd": round(params["supply"]["world_supply"]["mbd"], 3),
                "world_supply_basis": params["supply"]["world_supply"]["basis"],
                "at_brent_peak_week": {
                    k: band(loss[k][:, p50_week], 3)
                    for k in ("gross_mbd", "bypass_mbd", "stocks_mbd", "spare_mbd", "net_mbd")
                }
                | {"net_share_pct": band(100 * loss["share"][:, p50_week], 3)},
                "peak_net_share_pct": band(100 * loss["share"].max(axis=1), 3),
                "multiplier_at_peak_week": band(
                    sim["multiplier_by_week"][p50_week, sim["multiplier_pick"]], 3
                ),
                "extrapolation": _extrapolation(loss["share"], params["crude"]),
            },
            "household": _household(sim, params, costs),
            "election": _election(sim, params, weeks),
            "regions": _regions(sim, params, costs),
            "resolved": sim["provenance"],
            "models": {
                "crude_multiplier": {
                    "method": params["crude"]["method"],
                    "horizon_months": params["crude"]["horizon_months"],
                    "multiplier": [round(v, 3) for v in params["crude"]["multiplier"]],
                    "multiplier_se": [round(v, 3) for v in params["crude"]["multiplier_se"]],
                    "sample": [params["crude"]["sample_first"], params["crude"]["sample_last"]],
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
                    "brent_status_quo_usd_per_bbl_p50": sq_brent[i]
                    if sq is not None
                    else round(b0, 3),
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
                "oilshock_version": oilshock.__version__,
                "seed": seed,
                "draws": draws,
            },
        }
        return cls(d)

    @property
    def election(self) -> dict | None:
        """The election block alone (``oilshock election``)."""
        return self.data["election"]

    def to_dict(self) -> dict:
        """The result as plain JSON-compatible data (the ``--format json`` output)."""
        return self.data

    def to_json(self) -> str:
        return json.dumps(self.data, indent=2, sort_keys=False, allow_nan=False)

    def to_frame(self):
        """Weekly bands as a polars frame, one row per week."""
        import polars as pl

        rows = []
        for w in self.data["weekly"]:
            row = {"week_ending": dt.date.fromisoformat(w["week_ending"])}
            for k, unit in (
                ("brent_usd_per_bbl", "brent_usd_per_bbl"),
                ("retail_gasoline_usd_per_gal", "retail_usd_per_gal"),
            ):
                band = w[k] or {}
                for q in ("p05", "p50", "p95"):
                    row[f"{unit}_{q}"] = band.get(q)
            rows.append(row)
        return pl.DataFrame(
            rows, schema_overrides={c: pl.Float64 for c in rows[0] if c != "week_ending"}
        )

    @cached_property
    def summary(self) -> str:
        """A plain-language table for a non-economist."""
        d = self.data
        sc = d["scenario"]
        b = d["brent"]["peak_change_pct"]
        lines = [
            f"oilshock estimate: {sc['title']}",
            f"as of {d['as_of']} · seed {d['provenance']['seed']} · {d['provenance']['draws']} draws · snapshot {str(d['provenance']['snapshot_sha256'])[:12]}",
        ]
        lines += self.context_lines()
        lines += [
            "",
            f"{'':34}{'low (p05)':>12}{'central':>12}{'high (p95)':>12}",
        ]
        base = d["baseline"]
        lines.append(f"{'Brent today [$/bbl]':34}{'':12}{base['brent_usd_per_bbl']:>12.2f}")
        lines.append(
            f"{'Brent peak change [%]':34}{b['p05']:>+12.1f}{b['p50']:>+12.1f}{b['p95']:>+12.1f}"
        )
        pk = d["brent"]["peak_usd_per_bbl"]
        lines.append(
            f"{'Brent at peak [$/bbl]':34}{pk['p05']:>12.2f}{pk['p50']:>12.2f}{pk['p95']:>12.2f}"
        )
        bp = d["brent"]["predictive_peak_change_pct"]
        lines.append(
            f"{'  with market noise [%]':34}{bp['p05']:>+12.1f}{bp['p50']:>+12.1f}{bp['p95']:>+12.1f}"
        )
        if d["retail_gasoline"]:
            r = d["retail_gasoline"]["peak_change_usd_per_gal"]
            r0 = base["retail_gasoline_usd_per_gal"]
            lines.append(f"{'Gasoline today [$/gal]':34}{'':12}{r0:>12.3f}")
            lines.append(
                f"{'Gasoline peak change [$/gal]':34}{r['p05']:>+12.3f}{r['p50']:>+12.3f}{r['p95']:>+12.3f}"
            )
            # The level at the peak week: the no-disruption path there (today's price, plus the seasonal drift if any) plus the change.
            at = next(
                (
                    w.get("retail_gasoline_no_disruption_usd_per_gal", r0)
                    for w in d["weekly"]
                    if w["week_ending"] == d["retail_gasoline"]["peak_week_ending"]
                ),
                r0,
            )
            lines.append(
                f"{'Gasoline at peak [$/gal]':34}{at + r['p05']:>12.3f}{at + r['p50']:>12.3f}{at + r['p95']:>12.3f}"
            )
            rp = d["retail_gasoline"]["predictive_peak_change_usd_per_gal"]
            lines.append(
                f"{'  with market noise [$/gal]':34}{rp['p05']:>+12.3f}{rp['p50']:>+12.3f}{rp['p95']:>+12.3f}"
            )
            lines.append(
                f"{'Weeks to the gasoline peak':34}{'':12}{d['retail_gasoline']['weeks_to_peak']:>12d}"
            )
            if "retail_gasoline_no_disruption_end_usd_per_gal" in base:
                end = base["retail_gasoline_no_disruption_end_usd_per_gal"]
                lines.append(
                    f"No disruption: gasoline {end:.3f} $/gal by {d['weekly'][-1]['week_ending']} ({end - r0:+.3f}, its normal seasonal drift);"
                    " the changes above are against that path"
                )
        else:
            lines.append("Gasoline: not estimated (too little weekly retail history before as_of)")
        lines += self._status_quo_lines()
        drv = d["drivers"]["at_brent_peak_week"]
        lines += ["", "Drivers at the Brent peak week (central, mb/d):"]
        lines.append(
            f"  lost flow {drv['gross_mbd']['p50']:.2f} − bypass {drv['bypass_mbd']['p50']:.2f} − stocks {drv['stocks_mbd']['p50']:.2f}"
            f" − spare {drv['spare_mbd']['p50']:.2f} = net {drv['net_mbd']['p50']:.2f}"
            f" ({drv['net_share_pct']['p50']:.1f}% of {d['drivers']['world_supply_mbd']:.1f} mb/d world supply)"
        )
        m = d["drivers"]["multiplier_at_peak_week"]
        lines.append(
            f"  price multiplier: {m['p50']:.1f}% per 1% of supply lost (p05–p95 {m['p05']:.1f}–{m['p95']:.1f})"
        )
        warn = d["drivers"]["extrapolation"]["warning"]
        if warn:
            lines.append(f"  WARNING: {warn}")
        if d["models"]["passthrough"]:
            pt = d["models"]["passthrough"]
            lines.append(
                f"  pass-through: {pt['cents_per_gal_per_usd_per_bbl']:.2f}¢/gal per $1/bbl (se {pt['se']:.2f})"
            )
        lines += self._household_lines() + self._election_lines()
        lines += [
            "",
            "Bands: the scenario's effect, from the fitted models' uncertainty and the scenario's ranges.",
            "'With market noise' adds the ordinary week-to-week movement of prices (for comparing with what is later observed).",
            d["disclaimer"],
        ]
        return fit(lines)

    def context_lines(self) -> list[str]:
        """The state line, and the warnings on data age and a past election (one line each)."""
        c = self.data.get("context") or {}
        return [
            x for x in (c.get("state_line"), c.get("data_warning"), c.get("election_note")) if x
        ]

    def _status_quo_lines(self) -> list[str]:
        s = self.data.get("status_quo")
        if not s:
            return []
        e = s["brent_end_change_pct_vs_today"]
        out = [
            "",
            f"{'Brent at the horizon end vs today [%]':34}{e['p05']:>+12.1f}{e['p50']:>+12.1f}{e['p95']:>+12.1f}",
        ]
        r = s["retail_end_change_usd_per_gal_vs_today"]
        if r:
            out.append(
                f"{'Gasoline at the horizon end [$/gal]':34}{r['p05']:>+12.3f}{r['p50']:>+12.3f}{r['p95']:>+12.3f}"
            )
        if not s["status_quo_is_today"]:
            m = s["brent_mean_change_pct_vs_status_quo"]
            out += [
                f"Against the status quo ({s['definition']}):",
                f"{'  Brent, mean over horizon [%]':34}{m['p05']:>+12.1f}{m['p50']:>+12.1f}{m['p95']:>+12.1f}",
            ]
            g = s["retail_mean_change_usd_per_gal_vs_status_quo"]
            if g:
                out.append(
                    f"{'  Gasoline, mean over horizon [$/gal]':34}{g['p05']:>+12.3f}{g['p50']:>+12.3f}{g['p95']:>+12.3f}"
                )
        out.append(s["verdict"])
        return out

    def _household_lines(self) -> list[str]:
        h = self.data.get("household")
        if not h or "unavailable" in h:
            return []
        out = ["", "Who pays (central, with p05–p95):"]
        if h.get("usd_per_month"):
            m, t = h["usd_per_month"], h["usd_total_per_household"]
            out.append(
                f"  per household: {usd(m['p50'])} a month ({usd(m['p05'])} to {usd(m['p95'])}), "
                f"{usd(t['p50'])} over {h['months']:.0f} months ({usd(t['p05'])} to {usd(t['p95'])})"
            )
        n = h["national_usd_total"]
        out.append(
            f"  nationally: {usd(n['p50'] / 1e9, 1)} bn ({usd(n['p05'] / 1e9, 1)} to {usd(n['p95'] / 1e9, 1)} bn)"
        )
        return out

    def _election_lines(self) -> list[str]:
        from oilshock.election_result import election_lines

        return election_lines(self.data.get("election"))

    def __str__(self) -> str:
        return self.summary
