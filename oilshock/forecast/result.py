"""EstimateResult: the bands of one scenario, with ``summary``, ``to_frame`` and ``to_dict``."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from oilshock.text import fit, usd

# A fitted link whose own data end this long before as_of is flagged in the summary [days].
STALE_FIT_DAYS = 90


def model_of(doc: dict) -> dict:
    """The estimate document's model part (``models.model``: name and channels), or ``{}``."""
    return (doc.get("models") or {}).get("model") or {}


if TYPE_CHECKING:  # simulate imports this module
    from oilshock.forecast.draws import Simulation


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
        cls, scenario, params: dict, as_of: dt.date, seed: int, draws: int, sim: Simulation
    ) -> EstimateResult:
        """The reported figures of a simulation (:func:`oilshock.forecast.reduce.reduce_simulation`)."""
        from oilshock.forecast.reduce import reduce_simulation

        return cls(reduce_simulation(scenario, params, as_of, seed, draws, sim))

    @property
    def election(self) -> dict | None:
        """Election-day exposure: pump price, approval and House seats with bands, models and
        caveats (``oilshock election``)."""
        return self.data["election"]

    @property
    def household(self) -> dict | None:
        """Cost per household per month and over the horizon [USD], and the national total."""
        return self.data["household"]

    @property
    def regions(self) -> list[dict] | None:
        """One entry per PADD, region and state: price change [USD/gal] and household cost."""
        return self.data["regions"]

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
            f"as of {d['as_of']} · seed {d['provenance']['seed']} · {d['provenance']['draws']} "
            f"draws · snapshot {str(d['provenance']['snapshot_sha256'])[:12]}",
        ]
        if model_of(d):
            lines.append(f"model {model_of(d)['name']} (scored in docs/evaluation.md)")
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
            # The level at the peak week: the no-disruption path there (today's price, plus the
            # seasonal drift if any) plus the change.
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
                    f"No disruption: gasoline {end:.3f} $/gal by {d['weekly'][-1]['week_ending']} "
                    f"({end - r0:+.3f}, its normal seasonal drift);"
                    " the changes above are against that path"
                )
        else:
            lines.append("Gasoline: not estimated (too little weekly retail history before as_of)")
        lines += self._status_quo_lines()
        drv = d["drivers"]["at_brent_peak_week"]
        lines += ["", "Drivers at the Brent peak week (central, mb/d):"]
        lines.append(
            f"  lost flow {drv['gross_mbd']['p50']:.2f} − bypass {drv['bypass_mbd']['p50']:.2f} − "
            f"stocks {drv['stocks_mbd']['p50']:.2f}"
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
        news = model_of(d).get("news_premium")
        if news and "unavailable" in news:
            lines.append(f"  news premium: none — {news['unavailable']}")
        elif news:
            lines.append(
                f"  news premium: +{100 * math.expm1(news['impact_dlog_per_sd']):.1f}% on Brent at the "
                "news (one standard deviation of the oil supply news shock, Känzig 2021)"
            )
        margin = model_of(d).get("refinery_margin")
        if margin and "unavailable" not in margin:
            by_week = margin["usd_per_gal_per_dlog_brent_by_week"]
            at = by_week[min(12, len(by_week) - 1)] or 0.0
            lines.append(
                f"  refinery margin: +{100 * at * math.log(1.1):.1f}¢/gal per 10% Brent rise after "
                f"{min(13, len(by_week))} weeks (gasoline crack, fitted to {margin['sample'][1]})"
            )
            last = dt.date.fromisoformat(margin["sample"][1])
            age = (dt.date.fromisoformat(d["as_of"]) - last).days
            if age > STALE_FIT_DAYS:
                lines.append(
                    f"  NOTE: the margin's wholesale gasoline prices end {last}, {age} days before "
                    "as_of"
                )
        lines += self._household_lines() + self.election_lines()
        lines += [
            "",
            "Bands: the scenario's effect, from the fitted models' uncertainty and the scenario's ranges.",
            "'With market noise' adds the ordinary week-to-week movement of prices (for comparing "
            "with what is later observed).",
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
                    f"{'  Gasoline, mean over horizon [$/gal]':34}"
                    f"{g['p05']:>+12.3f}{g['p50']:>+12.3f}{g['p95']:>+12.3f}"
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

    def election_lines(self) -> list[str]:
        """The election block as text lines (a heading, then the figures and caveats)."""
        from oilshock.forecast.election import election_lines

        return election_lines(self.data.get("election"))

    def __str__(self) -> str:
        return self.summary
