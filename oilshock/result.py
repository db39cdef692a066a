"""EstimateResult: the bands of one scenario, with ``summary``, ``to_frame`` and ``to_dict``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

Q = (5, 50, 95)
DISCLAIMER = "A scenario, not a forecast: what the fitted models imply if this disruption happens, all else equal."


def _band(a: np.ndarray, digits: int) -> dict:
    """p05/p50/p95 of a 1-D array of draws, rounded so output bytes are stable."""
    qs = np.percentile(a, Q)
    return {f"p{q:02d}": round(float(v), digits) for q, v in zip(Q, qs)}


def _bands_by_week(a: np.ndarray, digits: int) -> list[dict]:
    qs = np.percentile(a, Q, axis=0)
    return [{f"p{q:02d}": round(float(qs[i, w]), digits) for i, q in enumerate(Q)} for w in range(a.shape[1])]


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
    def from_simulation(cls, scenario, params: dict, as_of: dt.date, seed: int, draws: int, sim: dict) -> "EstimateResult":
        import oilshock

        weeks = sim["weeks"]
        b0 = params["baseline"]["brent_usd_per_bbl"]
        r0 = params["baseline"]["retail"]["usd_per_gal"]
        brent_pct = sim["brent_change_pct"]
        peak_pct = brent_pct.max(axis=1)
        loss = sim["loss"]
        p50_week = int(np.argmax(np.percentile(brent_pct, 50, axis=0)))

        retail = None
        weekly_retail = [None] * len(weeks)
        if sim["retail_change"] is not None and r0 is not None:
            rc = sim["retail_change"]
            peak = rc.max(axis=1)
            med_path = np.percentile(rc, 50, axis=0)
            retail = {
                "peak_change_usd_per_gal": _band(peak, 4),
                "predictive_peak_change_usd_per_gal": _band(sim["retail_change_predictive"].max(axis=1), 4),
                "weeks_to_peak": int(np.argmax(med_path)) + 1,
                "peak_week_ending": weeks[int(np.argmax(med_path))].isoformat(),
            }
            weekly_retail = _bands_by_week(r0 + rc, 4)
        weekly_brent = _bands_by_week(sim["brent"], 3)
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
            },
            "brent": {
                "peak_change_pct": _band(peak_pct, 2),
                "peak_usd_per_bbl": _band(b0 * (1 + peak_pct / 100), 2),
                "predictive_peak_change_pct": _band(sim["brent_change_pct_predictive"].max(axis=1), 2),
                "weeks_to_peak": p50_week + 1,
            },
            "retail_gasoline": retail,
            "drivers": {
                "world_supply_mbd": round(params["supply"]["world_supply"]["mbd"], 3),
                "world_supply_basis": params["supply"]["world_supply"]["basis"],
                "at_brent_peak_week": {
                    k: _band(loss[k][:, p50_week], 3)
                    for k in ("gross_mbd", "bypass_mbd", "stocks_mbd", "spare_mbd", "net_mbd")
                }
                | {"net_share_pct": _band(100 * loss["share"][:, p50_week], 3)},
                "peak_net_share_pct": _band(100 * loss["share"].max(axis=1), 3),
                "multiplier_at_peak_week": _band(sim["multiplier"][:, p50_week], 3),
            },
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
                    "cents_per_gal_per_usd_per_bbl": round(pump["passthrough_cents_per_gal_per_usd_per_bbl"], 3),
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
                    "net_loss_mbd": _band(loss["net_mbd"][:, i], 3),
                }
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
            for k, unit in (("brent_usd_per_bbl", "brent_usd_per_bbl"), ("retail_gasoline_usd_per_gal", "retail_usd_per_gal")):
                band = w[k] or {}
                for q in ("p05", "p50", "p95"):
                    row[f"{unit}_{q}"] = band.get(q)
            rows.append(row)
        return pl.DataFrame(rows, schema_overrides={c: pl.Float64 for c in rows[0] if c != "week_ending"})

    @cached_property
    def summary(self) -> str:
        """A plain-language table for a non-economist."""
        d = self.data
        sc = d["scenario"]
        b = d["brent"]["peak_change_pct"]
        lines = [
            f"oilshock estimate: {sc['title']}",
            f"as of {d['as_of']} · seed {d['provenance']['seed']} · {d['provenance']['draws']} draws · snapshot {str(d['provenance']['snapshot_sha256'])[:12]}",
            "",
            f"{'':34}{'low (p05)':>12}{'central':>12}{'high (p95)':>12}",
        ]
        base = d["baseline"]
        lines.append(f"{'Brent today [$/bbl]':34}{'':12}{base['brent_usd_per_bbl']:>12.2f}")
        lines.append(f"{'Brent peak change [%]':34}{b['p05']:>+12.1f}{b['p50']:>+12.1f}{b['p95']:>+12.1f}")
        pk = d["brent"]["peak_usd_per_bbl"]
        lines.append(f"{'Brent at peak [$/bbl]':34}{pk['p05']:>12.2f}{pk['p50']:>12.2f}{pk['p95']:>12.2f}")
        bp = d["brent"]["predictive_peak_change_pct"]
        lines.append(f"{'  with market noise [%]':34}{bp['p05']:>+12.1f}{bp['p50']:>+12.1f}{bp['p95']:>+12.1f}")
        if d["retail_gasoline"]:
            r = d["retail_gasoline"]["peak_change_usd_per_gal"]
            r0 = base["retail_gasoline_usd_per_gal"]
            lines.append(f"{'Gasoline today [$/gal]':34}{'':12}{r0:>12.3f}")
            lines.append(f"{'Gasoline peak change [$/gal]':34}{r['p05']:>+12.3f}{r['p50']:>+12.3f}{r['p95']:>+12.3f}")
            lines.append(f"{'Gasoline at peak [$/gal]':34}{r0 + r['p05']:>12.3f}{r0 + r['p50']:>12.3f}{r0 + r['p95']:>12.3f}")
            rp = d["retail_gasoline"]["predictive_peak_change_usd_per_gal"]
            lines.append(f"{'  with market noise [$/gal]':34}{rp['p05']:>+12.3f}{rp['p50']:>+12.3f}{rp['p95']:>+12.3f}")
            lines.append(f"{'Weeks to the gasoline peak':34}{'':12}{d['retail_gasoline']['weeks_to_peak']:>12d}")
        else:
            lines.append("Gasoline: not estimated (too little weekly retail history before as_of)")
        drv = d["drivers"]["at_brent_peak_week"]
        lines += ["", "Drivers at the Brent peak week (central, mb/d):"]
        lines.append(
            f"  lost flow {drv['gross_mbd']['p50']:.2f} − bypass {drv['bypass_mbd']['p50']:.2f} − stocks {drv['stocks_mbd']['p50']:.2f}"
            f" − spare {drv['spare_mbd']['p50']:.2f} = net {drv['net_mbd']['p50']:.2f}"
            f" ({drv['net_share_pct']['p50']:.1f}% of {d['drivers']['world_supply_mbd']:.1f} mb/d world supply)"
        )
        m = d["drivers"]["multiplier_at_peak_week"]
        lines.append(f"  price multiplier: {m['p50']:.1f}% per 1% of supply lost (p05–p95 {m['p05']:.1f}–{m['p95']:.1f})")
        if d["models"]["passthrough"]:
            pt = d["models"]["passthrough"]
            lines.append(f"  pass-through: {pt['cents_per_gal_per_usd_per_bbl']:.2f}¢/gal per $1/bbl (se {pt['se']:.2f})")
        lines += [
            "",
            "Bands: the scenario's effect, from the fitted models' uncertainty and the scenario's ranges.",
            "'With market noise' adds the ordinary week-to-week movement of prices (for comparing with what is later observed).",
            d["disclaimer"],
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary
