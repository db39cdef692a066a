"""Several scenarios side by side: one row each, with the same random numbers.

``oilshock estimate --scenario all`` (or ``-s A -s B ...``) prints this table.
Every scenario is estimated by :func:`oilshock.forecast.simulate.estimate` with the
same seed and draws, so the draws of the model's parameters are common to all
rows (common random numbers): differences between rows come from the
scenarios, not from Monte Carlo noise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oilshock.text import num

# Columns of the comparison (JSON/CSV); bands are p05/p50/p95 of the scenario effect.
COLUMNS = [
    "scenario",
    "title",
    "model",
    "as_of",
    "horizon_weeks",
    "brent_peak_change_pct_p05",
    "brent_peak_change_pct_p50",
    "brent_peak_change_pct_p95",
    "retail_peak_change_usd_per_gal_p05",
    "retail_peak_change_usd_per_gal_p50",
    "retail_peak_change_usd_per_gal_p95",
    "retail_weeks_to_peak",
    "household_usd_total_p50",
    "household_months",
    "election_date",
    "election_day_retail_change_usd_per_gal_p50",
    "brent_mean_change_pct_vs_status_quo_p50",
    "status_quo_is_today",
    "status_quo_verdict",
    # The turning point the text reports (forecast.result.headline): the peak of a rise, the low
    # of a fall, both against the no-disruption path.
    "brent_direction",
    "brent_turn_change_pct_p05",
    "brent_turn_change_pct_p50",
    "brent_turn_change_pct_p95",
    "retail_direction",
    "retail_turn_change_usd_per_gal_p05",
    "retail_turn_change_usd_per_gal_p50",
    "retail_turn_change_usd_per_gal_p95",
    "retail_weeks_to_turn",
]

# The turning point's name in the table, per direction of the change.
POINT = {"rise": "peak", "fall": "low", "flat": "flat"}


@dataclass(frozen=True)
class Comparison:
    """Rows of :data:`COLUMNS`, one per scenario, and the one-line state every output carries."""

    rows: list[dict]
    context: list[str]
    seed: int
    draws: int
    model: str | None = None  # the model every row was run with (all rows share it)

    @property
    def summary(self) -> str:
        """A text table under 100 columns: central estimate with the 90% band of each headline figure."""
        head = [
            f"oilshock estimate: {len(self.rows)} scenarios side by side · seed {self.seed} · "
            f"{self.draws} draws (common random numbers)"
        ]
        if self.model:
            head.append(f"model {self.model} (scored in docs/evaluation.md)")
        as_ofs = sorted({r["as_of"] for r in self.rows})
        if len(as_ofs) == 1:
            head.append(f"as of {as_ofs[0]}")
        lines = (
            head
            + self.context
            + [
                "",
                f"{'scenario':28}{'Brent [%]':>24}{'gasoline [$/gal]':>29}{'wk':>4}"
                f"{'household [$]':>14}",
            ]
        )
        for r in self.rows:
            name = r["scenario"][:27] if len(as_ofs) == 1 else f"{r['scenario'][:16]} {r['as_of']}"
            brent = (
                f"{num(r['brent_turn_change_pct_p50'], 1, sign=True)} "
                f"({num(r['brent_turn_change_pct_p05'], 0, sign=True)}.."
                f"{num(r['brent_turn_change_pct_p95'], 0, sign=True)}) "
                f"{POINT[r['brent_direction']]:4}"
            )
            if r["retail_turn_change_usd_per_gal_p50"] is None:
                gas, wk = "–", "–"
            else:
                gas = (
                    f"{num(r['retail_turn_change_usd_per_gal_p50'], 2, sign=True)} "
                    f"({num(r['retail_turn_change_usd_per_gal_p05'], 2, sign=True)}.."
                    f"{num(r['retail_turn_change_usd_per_gal_p95'], 2, sign=True)}) "
                    f"{POINT[r['retail_direction']]:4}"
                )
                wk = str(r["retail_weeks_to_turn"])
            hh = (
                "–"
                if r["household_usd_total_p50"] is None
                else num(r["household_usd_total_p50"], 0, sign=True)
            )
            lines.append(f"{name:28}{brent:>24}{gas:>29}{wk:>4}{hh:>14}")
        lines += [
            "",
            "Changes against the no-disruption path (Brent at its price on as_of; gasoline at its "
            "newest price plus its normal seasonal drift): central estimate (p05..p95 band of the "
            "scenario effect), at the peak of a rise or at the low of a fall.",
            "wk: weeks to the gasoline peak or low. household: extra spending per household over "
            "the horizon (negative: a saving).",
        ]
        against = [
            r
            for r in self.rows
            if r["brent_mean_change_pct_vs_status_quo_p50"] is not None
            and not r["status_quo_is_today"]
        ]
        if against:
            lines += [
                "",
                "Against the status quo (every disruption under way at as_of persists), mean over the horizon:",
            ]
            for r in against:
                m = r["brent_mean_change_pct_vs_status_quo_p50"]
                word = "an easing" if m <= -0.5 else "a worsening" if m >= 0.5 else "about the same"
                lines.append(f"  {r['scenario'][:27]:28}Brent {num(m, 1, sign=True)}%: {word}")
        lines.append(
            "A scenario, not a forecast: what the fitted models imply if the disruption happens, all else equal."
        )
        from oilshock.text import fit

        return fit(lines)

    def to_dicts(self) -> list[dict]:
        return [dict(r) for r in self.rows]


def compare_scenarios(
    scenarios: list,
    *,
    as_of: dt.date | None = None,
    seed: int,
    draws: int,
    horizon_weeks: int | None = None,
    election_date: dt.date | None = None,
    directory=None,
    model: str | None = None,
    election_after: dt.date | None = None,
) -> Comparison:
    """Estimate every scenario with the same seed and draws; one row each.

    Parameters
    ----------
    scenarios : list of Scenario or str
        Scenarios, preset names or TOML paths, in the order of the rows.
    as_of : datetime.date, optional
        Overrides each scenario's ``as_of``.
    seed, draws : int
        Monte Carlo seed and draws, common to every row.
    horizon_weeks : int, optional
        Overrides each scenario's horizon [weeks].
    model : str, optional
        A model name instead of the default (:func:`oilshock.forecast.simulate.estimate`).
    election_after : datetime.date, optional
        The default election is the first after the later of ``as_of`` and this date.

    Returns
    -------
    Comparison
    """
    from oilshock.forecast.prepare import check_work
    from oilshock.forecast.simulate import DEFAULT_DRAWS, estimate
    from oilshock.scenario.parse import Scenario
    from oilshock.scenario.spec import load_scenario, with_horizon

    loaded = [
        with_horizon(s if isinstance(s, Scenario) else load_scenario(s), horizon_weeks)
        for s in scenarios
    ]
    # The whole comparison is bounded at once, before the first estimate (OILSHOCK_MAX_WORK).
    check_work(draws or DEFAULT_DRAWS, [sc.horizon_weeks for sc in loaded])
    rows, context = [], []
    for sc in loaded:
        result = estimate(
            sc,
            as_of=as_of,
            seed=seed,
            draws=draws,
            election_date=election_date,
            directory=directory,
            model=model,
            election_after=election_after,
        )
        context = context or result.context_lines()
        rows.append(_row(result.data))
    name = rows[0]["model"] if rows else None
    return Comparison(rows=rows, context=context, seed=seed, draws=draws, model=name)


def _row(d: dict) -> dict:
    from oilshock.forecast.result import headline, model_of

    h = headline(d)
    g = h["gasoline"]

    brent = d["brent"]["peak_change_pct"]
    retail = (d.get("retail_gasoline") or {}).get("peak_change_usd_per_gal") or {}
    hh = d.get("household") or {}
    el = d.get("election") or {}
    el_retail = el.get("retail_gasoline_change_on_election_day_usd_per_gal") or {}
    return {
        "scenario": d["scenario"]["name"],
        "title": d["scenario"]["title"],
        "model": model_of(d).get("name"),
        "as_of": d["as_of"],
        "horizon_weeks": d["scenario"]["horizon_weeks"],
        **{f"brent_peak_change_pct_{q}": brent[q] for q in ("p05", "p50", "p95")},
        **{f"retail_peak_change_usd_per_gal_{q}": retail.get(q) for q in ("p05", "p50", "p95")},
        "retail_weeks_to_peak": (d.get("retail_gasoline") or {}).get("weeks_to_peak"),
        "household_usd_total_p50": (hh.get("usd_total_per_household") or {}).get("p50"),
        "household_months": hh.get("months"),
        "election_date": el.get("date"),
        "election_day_retail_change_usd_per_gal_p50": el_retail.get("p50")
        if el.get("in_horizon")
        else None,
        "brent_mean_change_pct_vs_status_quo_p50": (
            (d.get("status_quo") or {}).get("brent_mean_change_pct_vs_status_quo") or {}
        ).get("p50"),
        "status_quo_is_today": (d.get("status_quo") or {}).get("status_quo_is_today"),
        "status_quo_verdict": (d.get("status_quo") or {}).get("verdict"),
        "brent_direction": h["brent"]["direction"],
        **{
            f"brent_turn_change_pct_{q}": round(h["brent"]["change"][q], 2)
            for q in ("p05", "p50", "p95")
        },
        "retail_direction": None if g is None else g["direction"],
        **{
            f"retail_turn_change_usd_per_gal_{q}": None if g is None else round(g["change"][q], 4)
            for q in ("p05", "p50", "p95")
        },
        "retail_weeks_to_turn": None if g is None else g["week"],
    }
