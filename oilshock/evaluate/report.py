"""Render an evaluation (:func:`oilshock.evaluate.run.evaluate`) as flat rows or Markdown."""

from __future__ import annotations

COLUMNS = [
    "event",
    "kind",
    "model",
    "as_of",
    "target",
    "weeks",
    "crps",
    "crps_no_change",
    "skill_no_change",
    "skill_barrel_rule",
    "crps_peak",
    "skill_peak_no_change",
    "inside_50",
    "inside_90",
    "peak_p05",
    "peak_p50",
    "peak_p95",
    "peak_actual",
    "peak_error",
    "instrument",
    "crude_sample",
]
UNITS = {"brent": "USD/bbl", "retail": "USD/gal"}


def flat_rows(result: dict, *, include_calm: bool = False) -> list[dict]:
    """One row per origin and target (Brent, retail gasoline); levels and peak changes in the target's unit."""
    origins = list(result["events"]) + (
        result.get("calm", {}).get("rows", []) if include_calm else []
    )
    rows = []
    for o in origins:
        for target in ("brent", "retail"):
            t = o.get(target)
            if not t or not t.get("weeks_observed"):
                continue
            rows.append(
                {
                    "event": o["event"] + (" (held out)" if o["held_out"] else ""),
                    "kind": o["kind"],
                    "model": o["model"],
                    "as_of": o["as_of"],
                    "target": target,
                    "weeks": t["weeks_observed"],
                    "crps": t["crps"],
                    "crps_no_change": t.get("crps_no_change"),
                    "skill_no_change": t.get("skill_no_change"),
                    "skill_barrel_rule": t.get("skill_barrel_rule"),
                    "skill_v1": t.get("skill_v1"),
                    "crps_peak": t["crps_peak"],
                    "skill_peak_no_change": t.get("skill_peak_no_change"),
                    "inside_50": t["inside_50"],
                    "inside_90": t["inside_90"],
                    "peak_p05": t["peak_change_p05"],
                    "peak_p50": t["peak_change_p50"],
                    "peak_p95": t["peak_change_p95"],
                    "peak_actual": t["peak_actual_change"],
                    "peak_error": t["peak_error"],
                    "instrument": o.get("instrument"),
                    "crude_sample": o.get("crude_sample"),
                }
            )
    return rows


def _f(v, digits=2):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _table(rows, cols, digits) -> list[str]:
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        out.append("| " + " | ".join(_f(r.get(c), digits.get(c, 2)) for c in cols) + " |")
    return out


def _cov(c) -> str:
    if not c or c["share"] is None:
        return "–"
    return f"{c['hits']}/{c['n']} = {100 * c['share']:.0f}% (90% Wilson {100 * c['low']:.0f}–{100 * c['high']:.0f}%)"


def _summary_lines(summaries: dict, label: str) -> list[str]:
    head = (
        f"| {label} | model | origins | weeks | mean CRPS | mean peak CRPS | 50% band | 90% band | "
        "skill > 0 vs no-change "
        "| median skill vs no-change | skill > 0 vs barrel rule | skill > 0 vs v1 | > 10% worse than v1 |"
    )
    out = [head, "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for model, summary in summaries.items():
        for target, s in summary.items():
            out.append(
                f"| {target} | {model} | {s['origins']} | {s['weeks']} | {_f(s['mean_crps'], 3)} | "
                f"{_f(s['mean_crps_peak'], 3)} "
                f"| {_cov(s['coverage_50'])} | {_cov(s['coverage_90'])} | "
                f"{s.get('positive_skill_no_change', '–')}/{s.get('scored_no_change', '–')} | "
                f"{_f(s.get('median_skill_no_change'))} | "
                f"{s.get('positive_skill_barrel_rule', '–')}/{s.get('scored_barrel_rule', '–')} | "
                f"{s.get('positive_skill_v1', '–')}/{s.get('scored_v1', '–')} | {s.get('worse_than_10pct_v1', '–')} |"
            )
    return out


def scored(summaries: dict) -> bool:
    """Whether any model has a pooled score (an empty table prefers nothing)."""
    return any(
        (s.get(t) or {}).get("mean_crps") is not None
        for s in summaries.values()
        for t in ("brent", "retail")
    )


def to_markdown(result: dict) -> str:
    """The score tables of ``docs/evaluation.md`` (events, summary, held-out test, calm weeks)."""
    p = result["protocol"]
    # The Markdown table: the flat columns, with each event's skill against v1 beside the
    # other skills and without the instrument and the crude fit's sample (stated once in the protocol text).
    at = COLUMNS.index("skill_barrel_rule") + 1
    cols = [*COLUMNS[:at], "skill_v1", *COLUMNS[at:]]
    cols.remove("instrument")
    cols.remove("crude_sample")
    digits = {}
    rows = flat_rows(result)
    dev = [r for r in rows if "(held out)" not in r["event"]]
    held = [r for r in rows if "(held out)" in r["event"]]
    intro = (
        f"Generated by `oilshock evaluate --format markdown` ({p['draws']} draws, seed "
        f"{p['seed']}, weeks 1–{p['weeks']}). "
        "Brent in USD/bbl, retail gasoline in USD/gal; peak columns are changes from the level at `as_of`. "
        "`inside_50`/`inside_90`: weekly actuals inside the model's predictive band."
    )
    lines = [
        intro,
        "",
        "### Events before the held-out test",
        "",
        *_table(dev, cols, digits),
        "",
        *_summary_lines(result["summary"], "pooled, events before 2026"),
        "",
        f"Preferred by the harness (lowest mean gasoline CRPS before 2026): **{result['preferred_model']}**."
        if scored(result["summary"])
        else "No event before 2026 among those scored: no model is preferred.",
        "",
        "### Held-out test (2026)",
        "",
        *_table(held, cols, digits),
    ]
    if "calm" in result:
        lines += [
            "",
            "### Calm origins (no disruption)",
            "",
            *_summary_lines(result["calm"]["summary"], "pooled, calm origins"),
        ]
        origins = sorted({r["as_of"] for r in result["calm"]["rows"]})
        lines += [
            "",
            "Calm origins (no loss, so every variant gives the same paths): "
            + ", ".join(origins)
            + ".",
        ]
    return "\n".join(lines) + "\n"


def _pct(c) -> str:
    return "–" if not c or c.get("share") is None else f"{100 * c['share']:.0f}%"


def _skill_count(s: dict, ref: str) -> str:
    return f"{s.get(f'positive_skill_{ref}', '–')}/{s.get(f'scored_{ref}', '–')}"


def to_text(result: dict) -> str:
    """The evaluation as text within 100 columns: pooled scores per model, the held-out rows, calm weeks.

    Every model name is printed whole (the longest is 34 characters); the rows per event and
    target are in the CSV, JSON and Markdown formats.
    """
    p = result["protocol"]
    width = max([len("model"), *(len(m) for m in p["models"])]) + 2

    def pooled(summaries: dict) -> list[str]:
        out = [
            f"{'model':{width}}{'Brent CRPS':>11}{'gas CRPS':>10}{'Brent 90%':>10}{'gas 90%':>8}"
            f"{'gas skill>0':>12}"
        ]
        for m, s in summaries.items():
            b, r = s.get("brent", {}), s.get("retail", {})
            out.append(
                f"{m:{width}}{_f(b.get('mean_crps'), 3):>11}{_f(r.get('mean_crps'), 4):>10}"
                f"{_pct(b.get('coverage_90')):>10}{_pct(r.get('coverage_90')):>8}"
                f"{_skill_count(r, 'no_change') if r else '–':>12}"
            )
        return out

    lines = [
        f"oilshock evaluate: {p['draws']} draws per origin, seed {p['seed']}, weeks 1–{p['weeks']}; "
        "levels in USD/bbl (Brent) and USD/gal (gas)",
        "",
    ]
    if scored(result["summary"]):
        lines += [
            "Events before the held-out test, pooled (CRPS: lower is better; 90%: weekly actuals "
            "inside the 90% band; gas skill>0: events where the model beats the no-change forecast):",
            *pooled(result["summary"]),
            f"Preferred by the rule (lowest mean gasoline CRPS): {result['preferred_model']}",
        ]
    else:
        lines.append(
            "Events before the held-out test: none among those scored, so no model is preferred."
        )
    held = [r for r in result["held_out"] if r.get("retail") or r.get("brent")]
    if held:
        lines += [
            "",
            "Held-out test (reported, never used to choose): peak change p50 vs actual, weeks in the "
            "90% band",
            f"{'event':14}{'model':{width}}{'Brent peak':>17}{'in 90%':>7}{'gas peak':>15}"
            f"{'in 90%':>7}",
        ]
        for r in held:
            b, g = r.get("brent") or {}, r.get("retail") or {}

            def peak(t, d):
                if not t.get("weeks_observed"):
                    return "–"
                return f"{t['peak_change_p50']:+.{d}f} vs {t['peak_actual_change']:+.{d}f}"

            def band(t):
                return f"{t['inside_90']}/{t['weeks_observed']}" if t.get("weeks_observed") else "–"

            lines.append(
                f"{r['event'][:13]:14}{r['model']:{width}}{peak(b, 1):>17}{band(b):>7}"
                f"{peak(g, 2):>15}{band(g):>7}"
            )
    if "calm" in result:
        lines += ["", "Calm origins (no disruption), pooled:", *pooled(result["calm"]["summary"])]
    lines += ["", "Rows per event and target: --format csv, json or markdown."]
    from oilshock.text import fit

    return fit(lines) + "\n"
