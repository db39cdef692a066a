"""The briefing's words: its paragraphs, bottom line, track record, election sentence and key table,
each written from the numbers of the estimates (:mod:`oilshock.report.brief` assembles them)."""

from __future__ import annotations

import datetime as dt

from oilshock import text
from oilshock.forecast.result import brent_date
from oilshock.report import data as rd
from oilshock.report import style

# What the model leaves out: kept in step with the README's "Limits" section.
NOT_MODELLED = [
    "expectations and precautionary demand ahead of a loss",
    "refinery outages (product shocks such as Katrina; the margin term covers only the crack "
    "widening that a crude rise brings)",
    "demand destruction at very high prices",
    "the supply response of other producers beyond the listed offsets (bypass pipelines, emergency "
    "stocks, spare capacity if the scenario sets it)",
    "the catch-up surge when rerouted cargoes arrive",
]
METHOD = [
    "How much oil goes missing, week by week: the chokepoint's published flow (EIA), scaled by how "
    "busy it was in the last year "
    "(IMF PortWatch tanker transits), times the share blocked, minus unused bypass pipeline "
    "capacity and emergency stock releases "
    "at their published rates and delays; rerouted Red Sea cargoes arrive late rather than being lost.",
    "What that does to crude: the percentage rise of Brent per percent of world supply lost, by "
    "months since the shortfall began, "
    "estimated by local projections on monthly data from 1975, instrumented with "
    "Baumeister–Hamilton oil supply shocks, and built up from the changes of the loss, so a loss "
    "that ends fades by the fitted response rather than snapping back.",
    "What reaches the pump: an error-correction model of weekly US regular gasoline on Brent over "
    "the 15 years before the as-of date, "
    "with separate speeds for rises and falls. Taxes and distribution costs are per gallon and do "
    "not scale with crude. Without a disruption the pump price follows its normal seasonal drift; "
    "a crude rise also widens the refiners' margin by the gasoline crack's fitted response.",
    "Uncertainty: a seeded Monte Carlo over the fitted models' uncertainty and every range in the "
    "scenario. Bands are p05–p95 "
    "(90%); 'central' is the median (p50). All fits use only data dated on or before the as-of date.",
]


def _signed(x: float, digits: int = 1) -> str:
    """``+1.2`` / ``−0.4`` / ``0.0``: the sign of the printed figure, with a true minus sign, as in the charts."""
    r = round(x, digits)
    return (
        f"{abs(r):.{digits}f}" if r == 0 else f"+{r:.{digits}f}" if r > 0 else f"−{-r:.{digits}f}"
    )


def _date_words(s: str) -> str:
    d = dt.date.fromisoformat(s)
    return f"{d.day} {d:%b %Y}"


def scenario_paragraph(d: dict) -> str:
    """Plain-language summary of one estimate, from its numbers."""
    p = rd.peak(d)
    sc = d["scenario"]
    parts = [f"**{sc['title']}** ({sc['name']})."]
    if p["retail_change"] is not None:
        ch, pk = p["retail_change"], p["retail_peak"]
        drift = p["retail_base"] - p["retail_before"]  # the normal seasonal movement by then
        verb = {"rise": "peak at about", "fall": "fall to about", "flat": "stay near"}[
            p["retail_direction"]
        ]
        parts.append(
            f"US regular gasoline would {verb} {style.usd(pk['p50'])} a gallon "
            f"{style.plural(p['weeks'], 'week')} in, "
            f"{style.signed_usd(ch['p50'])} against the no-disruption path "
            f"(90% band {style.signed_usd(ch['p05'])} to {style.signed_usd(ch['p95'])}); it was "
            f"{style.usd(p['retail_before'])} on {_date_words(d['baseline']['retail_gasoline_date'])}"
            + (
                f" and on the no-disruption path (that price plus its normal seasonal drift) "
                f"would be {style.usd(p['retail_base'])} by then ({style.signed_usd(drift)})."
                if abs(drift) >= 0.005
                else "."
            )
        )
    b = p["brent_change_pct"]
    verb = {"rise": "peak near", "fall": "fall to about", "flat": "stay near"}[p["brent_direction"]]
    parts.append(
        f"Brent would {verb} {style.usd(p['brent_peak']['p50'], 0)} a barrel "
        f"({text.pct(b['p50'])}, band {text.pct(b['p05'])} to {text.pct(b['p95'])}) "
        f"from {style.usd(p['brent_before'])} on {_date_words(brent_date(d))}."
    )
    drv = d["drivers"]["at_brent_peak_week"]
    offsets = [
        f"{label} {drv[k]['p50']:.1f}"
        for k, label in (
            ("bypass_mbd", "bypass pipelines"),
            ("stocks_mbd", "emergency stocks"),
            ("spare_mbd", "spare capacity"),
        )
        if drv[k]["p50"] >= 0.05
    ]
    sq = d.get("status_quo") or {}
    if sq.get("verdict"):
        parts.append(sq["verdict"])
    if "added_gross_mbd" in drv:
        under, added = drv["under_way_gross_mbd"]["p50"], drv["added_gross_mbd"]["p50"]
        stops = text.by_sign(
            added,
            f"stops {added:.1f} mb/d more",
            f"stops {-added:.1f} mb/d less",
            "stops about the same",
            1,
        )
        parts.append(
            f"When Brent is highest (week {d['brent']['weeks_to_peak']}) this scenario {stops} "
            f"than the {under:.1f} mb/d (crude-equivalent barrels) already stopped at as_of"
            + (f"; in all, offsets ({', '.join(offsets)} mb/d) leave" if offsets else ", leaving")
            + f" a net loss of {drv['net_mbd']['p50']:.1f} mb/d ({drv['net_share_pct']['p50']:.1f}% of world supply)."
        )
    else:
        parts.append(
            f"When Brent is highest (week {d['brent']['weeks_to_peak']}) "
            f"{drv['gross_mbd']['p50']:.1f} mb/d is stopped"
            + (f"; offsets ({', '.join(offsets)} mb/d) leave" if offsets else ", leaving")
            + f" a net loss of {drv['net_mbd']['p50']:.1f} mb/d ({drv['net_share_pct']['p50']:.1f}% of world supply)."
        )
    hh = d.get("household") or {}
    if hh.get("usd_total_per_household"):
        t = hh["usd_total_per_household"]
        parts.append(
            f"A typical household would {text.spend(t['p50'])} on gasoline over "
            f"the {hh['months']:.0f} months "
            f"shown (extra spending, band {style.signed_usd(t['p05'], 0)} to "
            f"{style.signed_usd(t['p95'], 0)})."
        )
    parts.append(election_sentence(d))
    return " ".join(x for x in parts if x)


def _against(x: float, digits: int, what: str, unit=text.money) -> str:
    """``$0.44 above the no-disruption path`` / ``$0.44 below …`` / ``at …``: the words follow the sign."""
    return text.by_sign(
        x,
        f"{unit(abs(x), digits)} above {what}",
        f"{unit(abs(x), digits)} below {what}",
        f"at {what}",
        digits,
    )


def bottom_line(ds: list[dict]) -> list[str]:
    """Three bottom-line bullets: gasoline and Brent as levels on named dates against the
    no-disruption path, then what it costs a household (or, without a household estimate, the
    net supply loss). One clause per scenario, named by its title when there are several."""
    from oilshock.forecast.result import headline

    many = len(ds) > 1
    gas, brent, third = [], [], []
    for d in ds:
        h = headline(d)
        who = f"{d['scenario']['title'].split(':')[0]}: " if many else ""
        g = h["gasoline"]
        if g is not None:
            gas.append(
                f"{who}gasoline {text.money(g['level']['p50'])} a gallon on "
                f"{text.day(g['week_ending'])} (its {text.extreme(g['change']['p50'])}, "
                f"{style.plural(g['week'], 'week')} in), "
                + _against(g["change"]["p50"], 2, "the no-disruption path")
            )
        b = h["brent"]
        brent.append(
            f"{who}Brent {text.money(b['level']['p50'], 0)} a barrel on {text.day(b['week_ending'])}, "
            + _against(
                b["change"]["p50"],
                0,
                f"its price of {text.money(b['base'])} on {text.day(brent_date(d))}",
                unit=lambda v, n: text.pct(v, n, sign=False),
            )
        )
        hh = (d.get("household") or {}).get("usd_total_per_household")
        if hh:
            third.append(
                f"{who}a typical household would {text.spend(hh['p50'])} on gasoline over "
                f"{d['household']['months']:.0f} months"
            )
        else:
            net = d["drivers"]["at_brent_peak_week"]["net_mbd"]["p50"]
            third.append(f"{who}a net supply loss of {net:.1f} mb/d when Brent is highest")
    out = []
    for parts in (gas, brent, third):
        if parts:
            s = "; ".join(parts)
            out.append(s[0].upper() + s[1:] + ".")
    return out


def track_record_lines(tr: dict | None) -> list[str]:
    """The track-record box: how the model has done against a no-change forecast, plain text.

    ``tr`` is :func:`oilshock.evaluate.track_record.load`'s figures; no lines without them.
    """
    if not tr:
        return []
    b = tr["before_2026"]
    names = {"brent": "Brent", "retail": "gasoline"}

    def skill(x: float) -> str:
        return text.by_sign(
            x,
            f"{text.pct(100 * abs(x), sign=False)} better than",
            f"{text.pct(100 * abs(x), sign=False)} worse than",
            "as good as",
            2,
        )

    out = [
        f"Model {tr['model']}, scored on {b['events']} past disruptions before 2026 against a "
        "forecast of no change, each from the data of its own date."
    ]
    parts, cover = [], []
    for t in ("brent", "retail"):
        if t not in b:
            continue
        s = b[t]
        if s.get("mean_skill_no_change") is not None:
            parts.append(
                f"{names[t]} {skill(s['mean_skill_no_change'])} no change on average "
                f"(mean CRPS skill {text.num(s['mean_skill_no_change'], 2)}; better on "
                f"{s['positive_skill_no_change']} of {s['scored_no_change']} events)"
            )
        c = s["coverage_90"]
        cover.append(f"{text.pct(100 * c['share'], sign=False)} of weekly {names[t]} prices")
    if parts:
        out.append(
            "Before 2026: "
            + ", ".join(parts)
            + "; "
            + " and ".join(cover)
            + " fell inside the 90% band (the aim is about 90%)."
        )
    for h in tr.get("held_out", []):
        bits = []
        for t, unit, digits in (("retail", "a gallon", 2), ("brent", "a barrel", 2)):
            x = h.get(t)
            if not x or x.get("peak_error") is None:
                continue
            err = x["peak_error"]
            bits.append(
                f"{names[t][0].upper() + names[t][1:]}: central peak rise "
                f"{text.money(x['peak_change_p50'], digits)} {unit} "
                f"against {text.money(x['peak_actual_change'], digits)} observed, "
                + text.by_sign(
                    err,
                    f"{text.money(abs(err), digits)} too high",
                    f"{text.money(abs(err), digits)} too low",
                    "on the mark",
                    digits,
                )
                + f" ({x['inside_90']} of {x['weeks_observed']} weeks inside the 90% band)"
            )
        if bits:
            out.append(
                f"Held out from every choice: {h.get('title') or h['event']}. "
                + "; ".join(bits)
                + "."
            )
    return out


def nowcast_lines(nr: dict | None) -> list[str]:
    """How the weeks ahead compare with no change while a disruption is under way, plain text.

    ``nr`` is :func:`oilshock.forecast.record.load_nowcast`'s figures (the rolling nowcast
    pooled over its episodes); no lines without them. Where the model does not beat no change,
    the line says so, and how to read the estimate then.
    """
    if not nr:
        return []
    names = {"brent": "Brent", "retail": "gasoline"}
    parts, beaten = [], {}
    for t in ("brent", "retail"):
        rows = [r for r in nr.get(t) or [] if r.get("mspe_ratio") is not None]
        if not rows:
            continue
        ratios = ", ".join(text.num(r["mspe_ratio"], 2) for r in rows)
        weeks = ", ".join(str(r["horizon_weeks"]) for r in rows)
        cover = [r["coverage_p05_p95"] for r in rows if r.get("coverage_p05_p95") is not None]
        parts.append(
            f"{names[t]} {ratios} at {weeks} weeks"
            + (
                f" ({text.pct(100 * min(cover), sign=False)}–"
                f"{text.pct(100 * max(cover), sign=False)} inside the 90% band)"
                if cover
                else ""
            )
        )
        beaten[t] = all(r["mspe_ratio"] < 1 for r in rows)
    if not parts:
        return []
    years = [e.split("-")[0] for e in nr.get("episodes", [])]
    eps = ", ".join(years[:-1]) + (" and " if len(years) > 1 else "") + years[-1] if years else ""
    out = [
        f"The weeks ahead with a disruption under way, forecast each Monday of the {eps} "
        "disruptions and set against holding that day's price: the model's squared error over no "
        "change's (below 1 beats no change) — " + "; ".join(parts) + "."
    ]
    lost = [names[t] for t, ok in beaten.items() if not ok]
    if lost:
        out.append(
            f"For {' and '.join(lost)} the model does not beat no change: read the status quo as "
            "today's price held flat, and a scenario by its departure from it."
        )
    return out


def election_sentence(d: dict) -> str:
    """One sentence on election day, when the result carries an election estimate."""
    e = d.get("election") or {}
    ch = e.get("retail_gasoline_change_on_election_day_usd_per_gal")
    if not e.get("date") or not ch:
        return ""
    kind = "midterm " if e.get("is_midterm") else ""
    when = _date_words(e["date"])
    if e.get("retrospective"):
        when += "; a retrospective: this election has taken place"
    s = (
        f"On {kind}election day ({when}) pump prices would stand "
        f"{style.signed_usd(ch['p50'])} against the no-disruption path (band "
        f"{style.signed_usd(ch['p05'])} to {style.signed_usd(ch['p95'])})"
    )
    ap, seats = e.get("approval_change_points"), e.get("house_seats_change")
    if ap:
        s += (
            f"; presidential approval would move {_signed(ap['p50'])} points (band "
            f"{_signed(ap['p05'])} to {_signed(ap['p95'])})"
        )
        if seats:
            # The expected-seat effect is a cross-election correlation and tiny beside a single
            # midterm's scatter: say both.
            s += (
                f", which across past midterms goes with {_signed(seats['p50'])} House seats for the president's party "
                "(a correlation, not a measured effect of gasoline"
            )
            pred = e.get("house_seats_predictive")
            s += (
                f"; the seat change itself has a 90% range of {_signed(pred['p05'], 0)} to "
                f"{_signed(pred['p95'], 0)} seats)"
                if pred
                else ")"
            )
    if e.get("in_horizon") is False:
        s += "; election day lies beyond the charted horizon"
    w = e.get("what_happened") if e.get("retrospective") else None
    if w:
        s += f". What happened: {w['text']}"
        if w.get("versus_model"):
            s += f", {w['versus_model']}"
    if e.get("date") and not e.get("is_midterm") and e.get("not_covered"):
        s += (
            ". In a presidential year the seat model, fitted on midterms, does not cover the "
            "presidential vote itself or coattails (House races moving with the top of the ticket)"
        )
    return s + "."


def key_table(ds: list[dict]) -> tuple[list[str], list[list[str]]]:
    """The key figures, one column per scenario."""
    head = ["", *[d["scenario"]["name"] for d in ds]]
    rows: list[list[str]] = []

    def row(label, f):
        rows.append([label, *[f(d) for d in ds]])

    def band(b, fmt):
        return f"{fmt(b['p50'])} ({fmt(b['p05'])} to {fmt(b['p95'])})"

    pk = [rd.peak(d) for d in ds]
    idx = {id(d): i for i, d in enumerate(ds)}

    def figure(key: str, fmt):
        """A cell from the scenario's turning point (:func:`rd.peak`): ``—`` where it has none."""

        def cell(d: dict) -> str:
            v = pk[idx[id(d)]][key]
            return "—" if v is None or v == {} else fmt(v)

        return cell

    row(
        "Gasoline at the start (newest data) [$/gal]",
        figure("retail_before", lambda v: style.usd(v, 3)),
    )
    row(
        "Gasoline peak change (a fall: at its low) [$/gal], p50 (p05 to p95)",
        figure("retail_change", lambda v: band(v, style.signed_usd)),
    )
    row("No-disruption path that week [$/gal]", figure("retail_base", lambda v: style.usd(v, 3)))
    row("Gasoline at the peak or low [$/gal]", figure("retail_peak", lambda v: style.usd(v["p50"])))
    row("Weeks to the gasoline peak or low", figure("weeks", str))
    row(
        "Brent at the start (newest data) [$/bbl]",
        lambda d: style.usd(d["baseline"]["brent_usd_per_bbl"]),
    )
    row(
        "Brent peak change (a fall: at its low) [%], p50 (p05 to p95)",
        lambda d: band(pk[idx[id(d)]]["brent_change_pct"], lambda v: text.pct(v)),
    )
    row(
        "Net supply loss when Brent is highest [mb/d]",
        lambda d: f"{d['drivers']['at_brent_peak_week']['net_mbd']['p50']:.2f}",
    )
    if any((d.get("household") or {}).get("usd_total_per_household") for d in ds):
        row(
            "Extra spending per household (negative: a saving) [$], p50 (p05 to p95)",
            lambda d: (
                "—"
                if not (d.get("household") or {}).get("usd_total_per_household")
                else band(
                    d["household"]["usd_total_per_household"], lambda v: style.signed_usd(v, 0)
                )
            ),
        )
    return head, rows
