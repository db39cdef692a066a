"""EstimateResult: the bands of one scenario, with ``summary``, ``to_frame`` and ``to_dict``."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from oilshock.text import by_sign, day, fit, money, num, spend

# A fitted link whose own data end this long before as_of is flagged in the summary [days].
STALE_FIT_DAYS = 90
# Width of the summary table's label column [characters].
LABEL = 46
# Row words per direction of a change: (the change, the level there, the turning point's name).
WORDS = {
    "rise": ("peak change", "at peak", "peak"),
    "fall": ("largest fall", "at its low", "low"),
    "flat": ("largest change", "at its largest change", "largest change"),
}


def model_of(doc: dict) -> dict:
    """The estimate document's model part (``models.model``: name and channels), or ``{}``."""
    return (doc.get("models") or {}).get("model") or {}


QS = ("p05", "p50", "p95")


def _week_of(d: dict, week_ending: str) -> dict:
    return next((w for w in d["weekly"] if w["week_ending"] == week_ending), d["weekly"][0])


def headline(d: dict) -> dict:
    """The turning point of each series against the no-disruption path, in the words of its sign.

    The no-disruption path is Brent at its price on ``as_of`` and the pump price at its newest
    weekly price plus its normal seasonal drift (where the model has one); every change the
    estimate reports is against it. A rise is reported at its peak (the draws' largest rise, as
    in the document's ``peak_*`` figures); when the central peak change is not a rise (an easing:
    the price falls from the first week), or the central path's fall below the no-disruption path
    is larger than its rise (a slight early rise, then a deep fall), the series is reported at its
    low: the week where the central path lies furthest below the no-disruption path, with that
    week's bands. One move, the larger, is the headline; never a rise of a cent beside a fall of
    forty.

    Returns
    -------
    dict
        ``brent`` and ``gasoline`` (``None`` without a pump-price estimate), each with
        ``direction`` (``rise``, ``fall`` or ``flat``), ``change`` and ``predictive_change``
        (bands against the no-disruption path: Brent [%], gasoline [USD/gal]), ``level`` (band
        of the price that week), ``base`` (the no-disruption level that week), ``week`` (1-based)
        and ``week_ending``.
    """
    from oilshock.text import direction

    b0 = d["baseline"]["brent_usd_per_bbl"]
    br = d["brent"]
    week = br["weeks_to_peak"]
    brent = {
        "direction": direction(br["peak_change_pct"]["p50"], 1),
        "change": br["peak_change_pct"],
        "predictive_change": br["predictive_peak_change_pct"],
        "level": br["peak_usd_per_bbl"],
        "base": b0,
        "week": week,
        "week_ending": d["weekly"][min(week, len(d["weekly"])) - 1]["week_ending"],
    }
    if d["weekly"]:
        i = min(range(len(d["weekly"])), key=lambda j: d["weekly"][j]["brent_usd_per_bbl"]["p50"])
        w = d["weekly"][i]
        ch = {q: 100 * (w["brent_usd_per_bbl"][q] / b0 - 1) for q in QS}
        if direction(ch["p50"], 1) == "fall" and _fall_dominates(
            brent["direction"], ch["p50"], br["peak_change_pct"]["p50"]
        ):
            pred = w.get("brent_predictive_usd_per_bbl") or w["brent_usd_per_bbl"]
            brent.update(
                direction="fall",
                change=ch,
                predictive_change={q: 100 * (pred[q] / b0 - 1) for q in QS},
                level=w["brent_usd_per_bbl"],
                week=i + 1,
                week_ending=w["week_ending"],
            )
    r = d.get("retail_gasoline")
    r0 = d["baseline"].get("retail_gasoline_usd_per_gal")
    gas = None
    if r and r0 is not None:

        def base_at(w: dict) -> float:
            return w.get("retail_gasoline_no_disruption_usd_per_gal", r0)

        at = base_at(_week_of(d, r["peak_week_ending"]))
        ch = r["peak_change_usd_per_gal"]
        gas = {
            "direction": direction(ch["p50"], 3),
            "change": ch,
            "predictive_change": r["predictive_peak_change_usd_per_gal"],
            "level": {q: round(at + v, 4) for q, v in ch.items()},
            "base": at,
            "week": r["weeks_to_peak"],
            "week_ending": r["peak_week_ending"],
        }
        weekly = [w for w in d["weekly"] if w.get("retail_gasoline_usd_per_gal")]
        if weekly:
            w = min(weekly, key=lambda w: w["retail_gasoline_usd_per_gal"]["p50"] - base_at(w))
            at = base_at(w)
            ch = {q: w["retail_gasoline_usd_per_gal"][q] - at for q in QS}
            if direction(ch["p50"], 3) == "fall" and _fall_dominates(
                gas["direction"], ch["p50"], r["peak_change_usd_per_gal"]["p50"]
            ):
                pred = (
                    w.get("retail_gasoline_predictive_usd_per_gal")
                    or w["retail_gasoline_usd_per_gal"]
                )
                gas.update(
                    direction="fall",
                    change=ch,
                    predictive_change={q: pred[q] - at for q in QS},
                    level=w["retail_gasoline_usd_per_gal"],
                    base=at,
                    week=d["weekly"].index(w) + 1,
                    week_ending=w["week_ending"],
                )
    return {"brent": brent, "gasoline": gas}


def _fall_dominates(peak_direction: str, low_change: float, peak_change: float) -> bool:
    """Whether a series is read at its low: no rise at all, or a fall larger than its rise."""
    return peak_direction != "rise" or abs(low_change) > abs(peak_change)


def brent_date(d: dict) -> str:
    """The last day of the Brent price the estimate starts from (its basis names it), else as_of."""
    import re

    found = re.findall(r"\d{4}-\d{2}-\d{2}", str(d["baseline"].get("brent_basis") or ""))
    return found[-1] if found else d["as_of"]


def added_lines(drv: dict) -> list[str]:
    """What the scenario adds to the flow already stopped at as_of (the drivers' week), in words
    that follow its sign; nothing when no disruption is under way."""
    if "added_gross_mbd" not in drv:
        return []
    under, added = drv["under_way_gross_mbd"]["p50"], drv["added_gross_mbd"]["p50"]
    what = by_sign(
        added,
        f"stops {added:.2f} mb/d more",
        f"stops {-added:.2f} mb/d less",
        "stops about the same",
    )
    return [
        f"  this scenario {what} than the {under:.2f} mb/d already stopped at as_of "
        "(the status quo); in all:"
    ]


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
        lines = [
            f"oilshock estimate: {sc['title']}",
            f"as of {d['as_of']} · seed {d['provenance']['seed']} · {d['provenance']['draws']} "
            f"draws · snapshot {str(d['provenance']['snapshot_sha256'])[:12]}",
        ]
        if model_of(d):
            lines.append(f"model {model_of(d)['name']} (scored in docs/evaluation.md)")
        lines += self.context_lines()
        lines += self.baseline_lines()
        lines += ["", f"{'':{LABEL}}{'low (p05)':>12}{'central':>12}{'high (p95)':>12}"]
        lines += self.headline_lines()
        lines += self._status_quo_lines()
        drv = d["drivers"]["at_brent_peak_week"]
        lines += [
            "",
            f"Drivers in week {d['brent']['weeks_to_peak']}, when the central Brent path is "
            "highest (central, mb/d; chokepoint flows in crude-equivalent barrels):",
        ]
        lines += added_lines(drv)
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
        cm = d["models"]["crude_multiplier"]
        lines.append(
            f"  crude fit on shock months {cm['sample'][0][:7]} – {cm['sample'][1][:7]}"
            + (f", instrument {cm['instrument']}" if cm.get("instrument") else "")
        )
        if d.get("market_implied"):
            from oilshock.forecast.implied import implied_line

            lines.append("  " + implied_line(d["market_implied"]))
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

    def baseline_lines(self) -> list[str]:
        """The one baseline every change in the summary is measured against, stated once."""
        d = self.data
        base = d["baseline"]
        b_day = brent_date(d)
        out = [
            "",
            f"Baseline, the no-disruption path: Brent stays at {money(base['brent_usd_per_bbl'])}/bbl "
            f"(its price on {day(b_day)}, the newest data at as_of)",
        ]
        r0 = base.get("retail_gasoline_usd_per_gal")
        if r0 is not None and d.get("retail_gasoline"):
            drifts = "retail_gasoline_no_disruption_end_usd_per_gal" in base
            g = (
                f"gasoline {'starts' if drifts else 'stays'} at {money(r0, 3)}/gal "
                f"(week of {day(base['retail_gasoline_date'])})"
            )
            if drifts:
                end = base["retail_gasoline_no_disruption_end_usd_per_gal"]
                g += (
                    f" and follows its normal seasonal drift, to {money(end, 3)} by "
                    f"{day(d['weekly'][-1]['week_ending'])} ({money(end - r0, 3, sign=True)})"
                )
            out[-1] += "; " + g + "."
        else:
            out[-1] += "."
        out.append(
            "Changes are against that path; a price level is the path's level that week plus the change."
        )
        return out

    def headline_lines(self) -> list[str]:
        """The table's rows: today's price, the turning point's level and change, per series."""
        d = self.data
        h = headline(d)

        def row(label: str, band: dict, digits: int, sign: bool) -> str:
            cells = "".join(f"{num(band[q], digits, sign=sign):>12}" for q in QS)
            return f"{label:{LABEL}}{cells}"

        def one(label: str, value: float, digits: int) -> str:
            return f"{label:{LABEL}}{'':12}{num(value, digits):>12}"

        b = h["brent"]
        change, at, _ = WORDS[b["direction"]]
        lines = [
            one(f"Brent on {day(brent_date(d))} [$/bbl]", b["base"], 2),
            row(f"Brent {change} [%], week {b['week']}", b["change"], 1, True),
            row(f"Brent {at} [$/bbl]", b["level"], 2, False),
            row("  with market noise [%]", b["predictive_change"], 1, True),
        ]
        g = h["gasoline"]
        if g is None:
            return lines + [
                "Gasoline: not estimated (too little weekly retail history before as_of)"
            ]
        change, at, point = WORDS[g["direction"]]
        base = d["baseline"]
        lines += [
            one(
                f"Gasoline on {day(base['retail_gasoline_date'])} [$/gal]",
                base["retail_gasoline_usd_per_gal"],
                3,
            ),
            one(f"  no-disruption path, week {g['week']} [$/gal]", g["base"], 3),
            row(f"Gasoline {change} [$/gal]", g["change"], 3, True),
            # The level as the two printed figures above it add up (the path plus the change).
            row(
                f"Gasoline {at} [$/gal]",
                {q: round(g["base"], 3) + round(g["change"][q], 3) for q in QS},
                3,
                False,
            ),
            row("  with market noise [$/gal]", g["predictive_change"], 3, True),
            one(f"Weeks to the gasoline {point}", g["week"], 0),
        ]
        return lines

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

        def row(label: str, band: dict, digits: int) -> str:
            cells = "".join(f"{num(band[q], digits, sign=True):>12}" for q in QS)
            return f"{label:{LABEL}}{cells}"

        out = [
            "",
            f"At the horizon end ({day(self.data['weekly'][-1]['week_ending'])}), "
            "against the no-disruption path:",
            row("  Brent [%]", s["brent_end_change_pct_vs_today"], 1),
        ]
        r = s["retail_end_change_usd_per_gal_vs_today"]
        if r:
            out.append(row("  Gasoline [$/gal]", r, 3))
        if not s["status_quo_is_today"]:
            out += [
                f"Against the status quo instead ({s['definition']}), mean over the horizon:",
                row("  Brent [%]", s["brent_mean_change_pct_vs_status_quo"], 1),
            ]
            g = s["retail_mean_change_usd_per_gal_vs_status_quo"]
            if g:
                out.append(row("  Gasoline [$/gal]", g, 3))
        out.append(s["verdict"])
        nb = s.get("brent_nowcast_not_better_than_no_change")
        if nb:
            years = [e.split("-")[0] for e in nb["episodes"]]
            ratios = ", ".join(num(x, 2) for x in nb["mspe_ratio"])
            weeks = ", ".join(str(h) for h in nb["horizon_weeks"])
            out.append(
                f"Brent in the weeks ahead: during past disruptions under way "
                f"({', '.join(years)}) the model's forecasts did not beat holding the price of the "
                f"day (squared error {ratios} times no change's at {weeks} weeks). Read the status "
                "quo as today's price held flat, and this scenario by its departure from it."
            )
        return out

    def _household_lines(self) -> list[str]:
        h = self.data.get("household")
        if not h or "unavailable" in h:
            return []
        out = ["", "Who pays (central; p05 to p95 of the extra spending in brackets):"]
        if h.get("usd_per_month"):
            m, t = h["usd_per_month"], h["usd_total_per_household"]
            out.append(
                f"  a household {spend(t['p50'], verb='pays')} over {h['months']:.0f} months "
                f"({money(t['p05'], 0, sign=True)} to {money(t['p95'], 0, sign=True)}), "
                f"{money(abs(m['p50']), 0)} a month "
                f"({money(m['p05'], 0, sign=True)} to {money(m['p95'], 0, sign=True)})"
            )
        n = h["national_usd_total"]
        out.append(
            f"  the country {spend(n['p50'] / 1e9, 1, verb='pays')} bn "
            f"({money(n['p05'] / 1e9, 1, sign=True)} to {money(n['p95'] / 1e9, 1, sign=True)} bn)"
        )
        return out

    def election_lines(self) -> list[str]:
        """The election block as text lines (a heading, then the figures and caveats)."""
        from oilshock.forecast.election import election_lines

        return election_lines(self.data.get("election"))

    def __str__(self) -> str:
        return self.summary
