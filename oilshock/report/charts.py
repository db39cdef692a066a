"""The oilshock charts: one function per chart, each returning an altair chart.

Every function takes estimate results (:class:`~oilshock.forecast.result.EstimateResult`
or its :meth:`~oilshock.forecast.result.EstimateResult.to_dict` dict) or snapshot data,
draws from the rows of :mod:`oilshock.report.data`, and finishes with
:func:`oilshock.report.style.finish`: a title that states the finding,
computed from the data, a one-line subtitle, and a footnote ending in source,
as-of date and snapshot hash. The CLI (``oilshock chart``), the briefing and the notebooks
render these same objects; :func:`oilshock.report.export.save` writes them.

Data are embedded in each spec as inline values (``style.inline(...)``) so
a saved spec is self-contained and its rows can be checked in tests.

Dates are ISO strings on UTC scales: a reader west of Greenwich would
otherwise see every Monday labelled as the Sunday before.
"""

from __future__ import annotations

import datetime as dt

import altair as alt

from oilshock import text
from oilshock.report import data as rd
from oilshock.report import style
from oilshock.text import direction

_UTC = alt.Scale(type="utc")
_DAY_FMT = "%d %b %Y"


def _x_date(field: str, title: str | None = None, **kw):
    return alt.X(
        f"{field}:T", scale=_UTC, title=title, axis=alt.Axis(format="%b %Y", labelAngle=0), **kw
    )


def _tip_date(field: str, title: str):
    return alt.Tooltip(f"utcyearmonthdate({field}):T", title=title, format=_DAY_FMT)


def _weekly_line(values: list[dict], x, title: str, fmt: str, **mark):
    """A line of weekly ``value`` rows with the week and the value in its tooltip."""
    return (
        alt.Chart(style.inline(values))
        .mark_line(**mark)
        .encode(
            x=x,
            y="value:Q",
            tooltip=[_tip_date("week", "Week of"), alt.Tooltip("value:Q", title=title, format=fmt)],
        )
    )


def _finish(chart, title: str, subtitle: list[str], d: dict, **kw):
    """The house style, with the estimate's as-of date, snapshot and state lines as the footer."""
    return style.finish(
        chart,
        title,
        subtitle,
        as_of=d["as_of"],
        snapshot=rd.snapshot_of(d),
        state=rd.context_lines(d),
        **kw,
    )


# --------------------------------------------------------------------------- path


def _history(d: dict, weeks: int, directory=None) -> dict[str, list[dict]]:
    """Observed gasoline (weekly) and Brent (weekly mean of daily) in the ``weeks`` before as_of."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    as_of = dt.date.fromisoformat(d["as_of"])
    since = as_of - dt.timedelta(weeks=weeks)
    g = (
        load_dataset("retail_gasoline_weekly", as_of=as_of, directory=directory)
        .filter(
            (pl.col("area") == "us") & (pl.col("grade") == "regular") & (pl.col("date") > since)
        )
        .sort("date")
    )
    b = (
        load_dataset("brent_daily", as_of=as_of, directory=directory)
        .filter(pl.col("date") > since)
        .sort("date")
        .group_by_dynamic("date", every="1w", start_by="monday", label="left")
        .agg(pl.col("brent_usd_per_bbl").mean())
    )
    return {
        "gasoline": [
            {"week": r["date"].isoformat(), "value": r["retail_usd_per_gal"]}
            for r in g.iter_rows(named=True)
        ],
        "brent": [
            {"week": r["date"].isoformat(), "value": round(r["brent_usd_per_bbl"], 3)}
            for r in b.iter_rows(named=True)
        ],
    }


def _path_panel(
    rows,
    history,
    baseline: float,
    color: str,
    y_title: str,
    fmt: str,
    election: dt.date | None,
    status_quo=(),
    no_disruption=(),
):
    """One price panel: the band and central path, the no-disruption path dashed (``baseline``
    held flat, or the ``no_disruption`` rows where the price has a seasonal drift), the status
    quo dotted, observed history and election day."""
    x = _x_date("week", None)
    band = (
        alt.Chart(style.inline(rows))
        .mark_area(opacity=0.25, color=color)
        .encode(x=x, y=alt.Y("p05:Q", title=y_title, scale=alt.Scale(zero=False)), y2="p95:Q")
    )
    tips = [
        _tip_date("week", "Week of"),
        alt.Tooltip("p05:Q", title="low (p05)", format=fmt),
        alt.Tooltip("p50:Q", title="central (p50)", format=fmt),
        alt.Tooltip("p95:Q", title="high (p95)", format=fmt),
    ]
    line = (
        alt.Chart(style.inline(rows))
        .mark_line(color=color, strokeWidth=2.5)
        .encode(x=x, y="p50:Q", tooltip=tips)
    )
    base = (
        alt.Chart(style.inline([{"value": baseline, "label": f"before: {baseline:{fmt[1:]}}"}]))
        .mark_rule(color=style.BASELINE, strokeDash=[5, 4])
        .encode(y="value:Q")
    )
    if no_disruption:
        base = _weekly_line(
            list(no_disruption),
            x,
            "no-disruption path",
            fmt,
            color=style.BASELINE,
            strokeWidth=1.5,
            strokeDash=[5, 4],
        )
    layers = [band, base, line]
    if status_quo:
        layers.append(
            _weekly_line(
                list(status_quo),
                x,
                "status quo (p50)",
                fmt,
                color=style.BASELINE,
                strokeWidth=1.8,
                strokeDash=[2, 2],
            )
        )
    if history:
        layers.append(
            _weekly_line(
                history,
                x,
                "observed",
                fmt,
                color=style.OBSERVED,
                strokeWidth=1.5,
                point=alt.OverlayMarkDef(size=12, color=style.OBSERVED),
            )
        )
    if election is not None:
        e = style.inline(
            [{"date": election.isoformat(), "label": f"Election day {election:%d %b}"}]
        )
        layers.append(
            alt.Chart(e)
            .mark_rule(color=style.ELECTION, strokeWidth=2)
            .encode(x=alt.X("date:T", scale=_UTC))
        )
        layers.append(
            alt.Chart(e)
            .mark_text(
                align="left", dx=4, dy=-4, baseline="bottom", color=style.ELECTION, fontWeight=600
            )
            .encode(x=alt.X("date:T", scale=_UTC), y=alt.value(0), text="label:N")
        )
    return alt.layer(*layers).properties(width=style.WIDTH, height=style.HEIGHT)


@style.built_unchecked
def path(result, *, history_weeks: int = 13, directory=None):
    """Weekly retail gasoline and Brent: central path, p05–p95 band, baseline, election day.

    Parameters
    ----------
    result : EstimateResult or dict
        One estimate.
    history_weeks : int
        Weeks of observed prices before ``as_of`` drawn in grey for context (0: none).
    directory : Path, optional
        Data directory for the observed history.

    Returns
    -------
    altair.VConcatChart
        Gasoline [USD/gal] above Brent [USD/bbl] (Brent alone when the result has no
        pump-price estimate).
    """
    d = rd.as_dict(result)
    p = rd.peak(d)
    rows = rd.weekly_rows(d)
    hist = _history(d, history_weeks, directory) if history_weeks else {"gasoline": [], "brent": []}
    election = rd.election_date(d)
    sq = rd.status_quo_rows(d)
    panels = []
    # The simulated paths start from the last observed price, so observed and simulated join at as_of.
    joins = {
        "gasoline": (d["baseline"].get("retail_gasoline_date"), p["retail_before"]),
        "brent": (d["as_of"], p["brent_before"]),
    }

    def joined(series):
        week, value = joins[series]
        out = [r for r in rows if r["series"] == series]
        if week and value is not None and (not out or out[0]["week"] > week):
            out = [{"series": series, "week": week, "p05": value, "p50": value, "p95": value}, *out]
        return out

    if p["retail_change"] is not None:
        g = joined("gasoline")
        panels.append(
            _path_panel(
                g,
                hist["gasoline"],
                p["retail_before"],
                style.GASOLINE,
                "US regular gasoline [$/gal]",
                "$.2f",
                election,
                sq["gasoline"],
                rd.no_disruption_rows(d),
            )
        )
        title = turning_title(
            "Pump prices",
            p["retail_direction"],
            style.usd(p["retail_peak"]["p50"]),
            style.signed_usd(p["retail_change"]["p50"]),
            p["weeks"],
        )
    else:
        title = turning_title(
            "Brent",
            p["brent_direction"],
            style.usd(p["brent_peak"]["p50"]),
            text.pct(p["brent_change_pct"]["p50"]),
            p["brent_weeks"],
        )
    b = joined("brent")
    panels.append(
        _path_panel(
            b,
            hist["brent"],
            p["brent_before"],
            style.BRENT,
            "Brent crude [$/bbl]",
            "$.2f",
            election,
            sq["brent"],
        )
    )
    lo, hi = (
        (p["retail_change"] or p["brent_change_pct"])["p05"],
        (p["retail_change"] or p["brent_change_pct"])["p95"],
    )
    unit_range = (
        f"{style.signed_usd(lo)} to {style.signed_usd(hi)}"
        if p["retail_change"]
        else f"{text.pct(lo)} to {text.pct(hi)}"
    )
    point = text.extreme(
        (p["retail_change"] or p["brent_change_pct"])["p50"], 3 if p["retail_change"] else 1
    )
    subtitle = [
        f"{d['scenario']['title']} ({d['scenario']['name']}). Change at the {point} against the "
        f"no-disruption path (p05–p95): {unit_range}.",
        "Line: central path (p50); shaded: 90% band (p05–p95); dashed: the no-disruption path "
        "(the price at as_of"
        + (", plus gasoline's seasonal drift" if rd.no_disruption_rows(d) else "")
        + "); grey: observed."
        + (" Dotted: status quo (disruptions under way persist)." if sq["brent"] else ""),
    ]
    chart = alt.vconcat(*panels, spacing=18).resolve_scale(
        x="shared"
    )  # one time axis for both panels
    return _finish(chart, title, subtitle, d)


# --------------------------------------------------------------------------- compare


def turning_title(what: str, direction: str, level: str, change: str, weeks: int) -> str:
    """A path chart's title in the words of its sign: a rise peaks, a fall reaches its low."""
    when = style.plural(weeks, "week") + " in"
    if direction == "rise":
        return f"{what} peak at {level} ({change} from the disruption) {when}"
    if direction == "fall":
        return f"{what} fall to {level} ({change} against the no-disruption path) {when}"
    return f"{what} stay near {level} ({change}) {when}"


def compare_rows(results) -> list[dict]:
    """One row per scenario: peak pump-price change [USD/gal] and Brent change [%], p05/p50/p95."""
    rows = []
    for r in results:
        d = rd.as_dict(r)
        p = rd.peak(d)
        rc = p["retail_change"] or {"p05": None, "p50": None, "p95": None}
        rows.append(
            {
                "scenario": rd.scenario_label(d),
                "title": d["scenario"]["title"],
                "g05": rc["p05"],
                "g50": rc["p50"],
                "g95": rc["p95"],
                "b05": p["brent_change_pct"]["p05"],
                "b50": p["brent_change_pct"]["p50"],
                "b95": p["brent_change_pct"]["p95"],
                "weeks": p["weeks"],
                "g_label": None if rc["p50"] is None else style.signed_usd(rc["p50"]),
                "b_label": text.pct(p["brent_change_pct"]["p50"]),
            }
        )
    return rows


def _range_panel(rows, lo, mid, hi, title: str, fmt: str, color: str, order: list[str], label: str):
    y = alt.Y("scenario:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    tips = [
        "title:N",
        alt.Tooltip(f"{lo}:Q", title="low (p05)", format=fmt),
        alt.Tooltip(f"{mid}:Q", title="central (p50)", format=fmt),
        alt.Tooltip(f"{hi}:Q", title="high (p95)", format=fmt),
    ]
    base = alt.Chart(style.inline(rows))
    bar = base.mark_rule(strokeWidth=7, opacity=0.35, color=color).encode(
        x=alt.X(f"{lo}:Q", title=title, axis=alt.Axis(format=fmt)), x2=f"{hi}:Q", y=y, tooltip=tips
    )
    dot = base.mark_point(filled=True, size=110, color=color, opacity=1).encode(
        x=f"{mid}:Q", y=y, tooltip=tips
    )
    label = base.mark_text(dy=-12, fontWeight=600, color=style.TEXT).encode(
        x=f"{mid}:Q", y=y, text=f"{label}:N"
    )
    return alt.layer(bar, dot, label).properties(
        width=style.WIDTH // 2 - 30, height=max(60, 48 * len(rows))
    )


@style.built_unchecked
def compare(results):
    """Scenarios side by side: peak pump-price change [USD/gal] and peak Brent change [%] with bands.

    Parameters
    ----------
    results : list of EstimateResult or dict
        One or more estimates (best run at one seed: they then share their random draws).

    Returns
    -------
    altair.HConcatChart
    """
    ds = [rd.as_dict(r) for r in results]
    if not ds:
        raise rd.ReportError("compare needs at least one scenario")
    rows = compare_rows(ds)
    has_g = all(r["g50"] is not None for r in rows)
    key = "g50" if has_g else "b50"
    order = [r["scenario"] for r in sorted(rows, key=lambda r: -r[key])]
    top = max(rows, key=lambda r: r[key])
    panels = []
    if has_g:
        panels.append(
            _range_panel(
                rows,
                "g05",
                "g50",
                "g95",
                "Change in pump price at the peak or low [$/gal]",
                "$.2f",
                style.GASOLINE,
                order,
                "g_label",
            )
        )
        what = f"{style.signed_usd(top['g50'])}/gal at the {text.extreme(top['g50'])}"
    else:
        what = f"{text.pct(top['b50'])} on Brent at the {text.extreme(top['b50'], 0)}"
    panels.append(
        _range_panel(
            rows,
            "b05",
            "b50",
            "b95",
            "Change in Brent at the peak or low [%]",
            ".0f",
            style.BRENT,
            order,
            "b_label",
        )
    )
    if len(rows) == 1:
        title = f"{top['scenario']}: {what}"
    else:
        low = min(rows, key=lambda r: r[key])
        low_what = style.signed_usd(low["g50"]) + "/gal" if has_g else text.pct(low["b50"])
        title = (
            f"{top['scenario']} hits hardest: {what}; {low['scenario']} {low_what}"
            if top[key] > 0
            else f"Every scenario lowers prices; least {top['scenario']}: {what}; "
            f"most {low['scenario']} {low_what}"
        )
    subtitle = (
        "Against the no-disruption path, at each scenario's peak (a rise) or low (a fall). "
        "Dot: central estimate (p50); bar: 90% band (p05–p95)."
    )
    as_ofs = sorted({d["as_of"] for d in ds})
    return style.finish(
        alt.hconcat(*panels, spacing=24),
        title,
        subtitle,
        as_of=", ".join(as_ofs),
        snapshot=rd.snapshot_of(ds[0]),
        state=rd.context_lines(ds[0]),
    )


# --------------------------------------------------------------------------- gallon


@style.built_unchecked
def gallon(result, *, directory=None):
    """What is in a gallon before the shock and at the peak: crude, refining, distribution, taxes.

    See :func:`oilshock.report.data.gallon_rows` for how each part is computed [USD/gal].

    Returns
    -------
    altair.LayerChart
        Two stacked horizontal bars.
    """
    d = rd.as_dict(result)
    rows = rd.gallon_rows(d, directory)
    basis = rows[0]["basis"]
    clean = [{k: v for k, v in r.items() if k != "basis"} for r in rows]
    before = {r["component"]: r["usd_per_gal"] for r in clean if r["state"] == 0}
    after = {r["component"]: r["usd_per_gal"] for r in clean if r["state"] == 1}
    retail0, retail1 = clean[0]["retail_usd_per_gal"], clean[-1]["retail_usd_per_gal"]
    crude_up = after["Crude oil"] - before["Crude oil"]
    at = clean[-1]["when"].split(" (week")[0]
    title = (
        f"{at} a gallon costs {style.usd(retail1)}: crude {style.usd(after['Crude oil'])} "
        f"({style.signed_usd(crude_up)}), taxes unchanged at {style.usd(after['Taxes'])}"
    )
    colors = [
        style.OKABE_ITO["black"],
        style.OKABE_ITO["blue"],
        style.OKABE_ITO["sky_blue"],
        style.OKABE_ITO["orange"],
    ]
    color = alt.Color(
        "component:N",
        sort=list(rd.COMPONENTS),
        scale=alt.Scale(domain=list(rd.COMPONENTS), range=colors),
        title=None,
        legend=alt.Legend(labelLimit=0, orient="bottom", direction="horizontal"),
    )  # no cut labels
    y = alt.Y(
        "when:N",
        sort=[clean[0]["when"], clean[-1]["when"]],
        title=None,
        axis=alt.Axis(labelLimit=260),
    )
    # Label positions are computed here rather than by a stacked text mark: Vega-Lite's
    # stack offsets for text do not line up with those of the bars.
    start = {0: 0.0, 1: 0.0}
    for r in clean:
        r["x_mid"] = round(start[r["state"]] + r["usd_per_gal"] / 2, 4)
        start[r["state"]] += r["usd_per_gal"]
    base = alt.Chart(style.inline(clean))
    bars = base.mark_bar(height=34, stroke="white", strokeWidth=1).encode(
        x=alt.X("sum(usd_per_gal):Q", title="US dollars per gallon", axis=alt.Axis(format="$.2f")),
        y=y,
        color=color,
        order=alt.Order("order:Q"),
        tooltip=[
            "when:N",
            "component:N",
            alt.Tooltip("usd_per_gal:Q", format="$.2f", title="$/gal"),
        ],
    )
    labels = base.mark_text(fontWeight=600).encode(
        x="x_mid:Q",
        y=y,
        text=alt.Text("usd_per_gal:Q", format="$.2f"),
        # White on the dark segments, black on the light ones (contrast).
        color=alt.condition("datum.order < 2", alt.value("white"), alt.value("black")),
    )
    sh, tx = basis["shares"], basis["taxes"]
    subtitle = [
        f"{d['scenario']['title']}. Retail {style.usd(retail0)} before, {style.usd(retail1)} "
        f"{at[0].lower() + at[1:]} (central estimate).",
        f"Crude = Brent ÷ 42; taxes = federal {tx['federal_cents']:.2f}¢ + average state "
        f"{tx['state_average_cents']:.2f}¢ (EIA, {tx['as_of']}); "
        f"the rest split {sh['refining_pct']:.0f}:{sh['distribution_pct']:.0f} as in EIA's "
        f"breakdown of {sh['period_first'][:7]}.",
    ]
    chart = alt.layer(bars, labels).properties(width=style.WIDTH, height=130)
    return _finish(chart, title, subtitle, d, source="oilshock; EIA (prices, taxes, breakdown)")


# --------------------------------------------------------------------------- transits


@style.built_unchecked
def transits(
    chokepoints=None,
    *,
    result=None,
    since: dt.date | None = None,
    through: dt.date | None = None,
    directory=None,
):
    """Daily tanker transits (IMF PortWatch) with a trailing 7-day mean, scenario window shaded.

    Parameters
    ----------
    chokepoints : list of str, optional
        Chokepoint ids; default: those disrupted in ``result``.
    result : EstimateResult or dict, optional
        Its disruption windows are shaded (full disruption darker, recovery lighter).
    since : datetime.date, optional
        First day shown; default one year before the window start (or before ``through``).
    through : datetime.date, optional
        Last day shown and point-in-time cut; default all data in the snapshot.

    Returns
    -------
    altair.VConcatChart
        One panel per chokepoint (their traffic differs tenfold, so each has its own axis).
    """
    from oilshock.data.datasets import read_manifest

    d = rd.as_dict(result) if result is not None else None
    windows = rd.scenario_windows(d) if d else []
    if not chokepoints:
        chokepoints = list(dict.fromkeys(w["chokepoint"] for w in windows if w["chokepoint"]))
    if not chokepoints:
        raise rd.ReportError(
            "transits: name at least one chokepoint (or a scenario that disrupts one)"
        )
    if windows:
        anchor = dt.date.fromisoformat(windows[0]["start"])
    else:
        # No scenario: show the last six months against the year before them.
        last = through or dt.date.fromisoformat(
            read_manifest(directory).entry("chokepoint_transits_daily")["last"]
        )
        anchor = (since + dt.timedelta(days=365)) if since else last - dt.timedelta(days=182)
    since = since or anchor - dt.timedelta(days=365)
    rows = rd.transit_rows(chokepoints, since=since, through=through, directory=directory)
    findings = [
        rd.transit_finding(c, anchor, through=through, directory=directory) for c in chokepoints
    ]
    panels = []
    for c, f in zip(chokepoints, findings):
        mine = [r for r in rows if r["chokepoint"] == c]
        base = alt.Chart(style.inline(mine))
        layers = []
        for w in windows:
            if w["chokepoint"] != c:
                continue
            shade = style.inline(
                [
                    {"start": w["start"], "end": w["end"], "label": "scenario: disrupted"},
                    {"start": w["end"], "end": w["recovered"], "label": "scenario: recovery"},
                ]
            )
            layers.append(
                alt.Chart(shade)
                .mark_rect(color=style.WINDOW)
                .encode(
                    x=alt.X("start:T", scale=_UTC),
                    x2="end:T",
                    opacity=alt.Opacity(
                        "label:O",
                        sort=["scenario: disrupted", "scenario: recovery"],
                        scale=alt.Scale(
                            domain=["scenario: disrupted", "scenario: recovery"], range=[0.28, 0.12]
                        ),
                        title=None,
                    ),
                    tooltip=[
                        alt.Tooltip("label:N", title="window"),
                        _tip_date("start", "from"),
                        _tip_date("end", "to"),
                    ],
                )
            )
        layers.append(
            base.mark_circle(size=14, opacity=0.45, color=style.OBSERVED).encode(
                x=_x_date("date"),
                y=alt.Y("tankers:Q", title=f"{f['name']} [tankers/day]"),
                tooltip=[
                    _tip_date("date", "Day"),
                    alt.Tooltip("tankers:Q", title="tankers"),
                    alt.Tooltip("mean7:Q", title="7-day mean", format=".1f"),
                ],
            )
        )
        layers.append(
            base.mark_line(strokeWidth=2.2, color=style.BRENT).encode(
                x=_x_date("date"), y="mean7:Q"
            )
        )
        panels.append(alt.layer(*layers).properties(width=style.WIDTH, height=180))
    f = min(findings, key=lambda f: f.get("change_pct") if f.get("change_pct") is not None else 0)
    if f.get("change_pct") is not None and f["change_pct"] <= -10:
        low = f"{f['low']:.0f}" if f["low"] >= 1 else f"{f['low']:.1f}"
        title = (
            f"{f['name']} tanker traffic fell {-f['change_pct']:.0f}% to {low} a day "
            f"(7-day mean, {f['low_date']}) from {f['reference']:.0f} a day the year before"
        )
    elif f.get("latest") is not None:
        title = f"{f['name']}: {style.plural(round(f['latest']), 'tanker')} a day (7-day mean, {f['latest_date']})"
        if f.get("reference"):
            title += f", against {f['reference']:.0f} a day the year before {anchor}"
    else:
        title = f"{f['name']}: no transits data in the period shown"
    last = max(r["date"] for r in rows) if rows else str(through)
    subtitle = [
        f"Tankers through the chokepoint each day (dots) and trailing 7-day mean (line), {since} to {last}."
        + (" Shaded: the scenario window." if windows else ""),
    ]
    as_of = d["as_of"] if d else last
    snap = rd.snapshot_of(d) if d else read_manifest(directory).snapshot_sha256
    return style.finish(
        alt.vconcat(*panels, spacing=14),
        title,
        subtitle,
        as_of=as_of,
        snapshot=snap,
        source="IMF PortWatch (daily transit calls); oilshock",
        state=rd.context_lines(d) if d else None,
    )


# --------------------------------------------------------------------------- sensitivity


@style.built_unchecked
def sensitivity(
    rows: list[dict],
    *,
    scenario_name: str,
    chokepoint: str,
    as_of: str,
    snapshot: str | None,
    draws: int,
):
    """Heat map of the p50 peak pump-price change [USD/gal] over share blocked × duration.

    Parameters
    ----------
    rows : list of dict
        From :func:`oilshock.report.data.sensitivity_grid`.
    scenario_name, chokepoint : str
        The base scenario (its cell is outlined) and the chokepoint varied.
    as_of, snapshot : str
        For the source line.
    draws : int
        Monte Carlo draws per cell (stated in the subtitle).

    Returns
    -------
    altair.LayerChart
    """
    rows = [
        {
            **r,
            "share_label": f"{100 * r['share']:.0f}%",
            "duration_label": f"{r['duration_days']:g} days",
        }
        for r in rows
    ]
    shares = [f"{100 * s:.0f}%" for s in sorted({r["share"] for r in rows}, reverse=True)]
    durs = [f"{x:g} days" for x in sorted({r["duration_days"] for r in rows})]
    lo, hi = min(r["p50"] for r in rows), max(r["p50"] for r in rows)
    reach = max(abs(lo), abs(hi), 0.01)  # [$/gal] the colour scale's half-width
    x = alt.X(
        "duration_label:O",
        sort=durs,
        title="Duration of the disruption",
        axis=alt.Axis(labelAngle=0),
    )
    y = alt.Y(
        "share_label:O",
        sort=shares,
        title=f"Share of the {rd.chokepoint_names().get(chokepoint, chokepoint)} flow blocked",
    )
    # Cell labels as the text prints them: a true minus, and no sign on a change that rounds to 0.
    base = alt.Chart(style.inline([{**r, "label": style.signed_usd(r["p50"])} for r in rows]))
    heat = base.mark_rect().encode(
        x=x,
        y=y,
        color=alt.Color(
            "p50:Q",
            # Diverging and centred on zero: a rise and an easing read as opposite colours.
            # The domain is symmetric so zero is its middle whatever the grid holds.
            scale=alt.Scale(
                scheme=style.DIVERGING, domain=[-reach, reach], domainMid=0, nice=False
            ),
            title="Peak change [$/gal]",
            legend=alt.Legend(format="$.2f", orient="right"),  # beside the grid, above the footnote
        ),
        tooltip=[
            alt.Tooltip("share_label:N", title="share blocked"),
            alt.Tooltip("duration_label:N", title="duration"),
            alt.Tooltip("p50:Q", title="peak change (p50)", format="$.2f"),
        ],
    )
    far = 0.6 * reach
    text = base.mark_text(fontSize=12, fontWeight=600).encode(
        x=x,
        y=y,
        text="label:N",
        # White on the saturated ends of the diverging scheme, dark text near zero (light).
        color=alt.condition(f"abs(datum.p50) > {far}", alt.value("white"), alt.value("black")),
    )
    outline = (
        base.transform_filter("datum.base")
        .mark_rect(fill=None, stroke="black", strokeWidth=3)
        .encode(x=x, y=y)
    )
    chart = alt.layer(heat, text, outline).properties(
        width=style.WIDTH - 120, height=34 * len(shares)
    )
    b = next((r for r in rows if r["base"]), None)
    # "Peak" only where every cell is a rise; a grid reaching below zero holds easings too.
    what = "pump-price peak" if direction(lo) != "fall" else "largest pump-price change"
    title = f"The {what} ranges from {style.signed_usd(lo)} to {style.signed_usd(hi)} a gallon"
    if b:
        title += f"; {scenario_name} ({b['share_label']}, {b['duration_label']}): {style.signed_usd(b['p50'])}"
    subtitle = [
        "Central (p50) peak change in US regular gasoline as the share blocked and the duration "
        f"of {scenario_name}'s first disruption vary.",
        f"{draws} draws per cell; outlined: the scenario as written"
        + (f", quoted from its estimate ({b['draws']} draws)" if b and b.get("draws") else "")
        + ". Small losses are absorbed by bypass pipelines and stock releases.",
    ]
    return style.finish(chart, title, subtitle, as_of=as_of, snapshot=snapshot)


# --------------------------------------------------------------------------- regions


@style.built_unchecked
def regions(result):
    """Price change [USD/gal] and household cost [USD per household, scenario total] by region, in sections.

    PADDs, sub-PADD regions and states are drawn as separate sections (one
    pair of panels each, on shared axes), so an aggregate is never ranked
    against its own parts.

    Raises
    ------
    oilshock.report.data.ReportError
        When the result has no ``regions``.

    Returns
    -------
    altair.VConcatChart
    """
    d = rd.as_dict(result)
    rows = rd.region_rows(d)
    # Households are unknown before the first household count; the panel is then left out.
    households = all(r["household_p50"] is not None for r in rows)
    prefixes = ("price", "household") if households else ("price",)
    domains = {
        prefix: [
            min(0.0, min(r[f"{prefix}_p05"] for r in rows)),
            max(r[f"{prefix}_p95"] for r in rows),
        ]
        for prefix in prefixes
    }

    def panel(group_rows, prefix: str, title: str, fmt: str, color: str):
        order = [r["name"] for r in sorted(group_rows, key=lambda r: -r["price_p50"])]
        y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
        tips = ["name:N"] + [
            alt.Tooltip(f"{prefix}_{q}:Q", title=t, format=fmt)
            for q, t in (("p05", "low (p05)"), ("p50", "central (p50)"), ("p95", "high (p95)"))
        ]
        base = alt.Chart(style.inline(group_rows))
        x = alt.X(
            f"{prefix}_p05:Q",
            title=title,
            axis=alt.Axis(format=fmt),
            scale=alt.Scale(domain=domains[prefix]),
        )
        bar = base.mark_rule(strokeWidth=7, opacity=0.35, color=color).encode(
            x=x, x2=f"{prefix}_p95:Q", y=y, tooltip=tips
        )
        dot = base.mark_point(filled=True, size=100, color=color, opacity=1).encode(
            x=f"{prefix}_p50:Q", y=y, tooltip=tips
        )
        return alt.layer(bar, dot).properties(
            width=style.WIDTH // 2 - 40, height=max(60, 30 * len(group_rows))
        )

    sections = []
    for group, label in rd.REGION_GROUPS:
        group_rows = [r for r in rows if r["group"] == group]
        if not group_rows:
            continue
        panels = [
            panel(
                group_rows,
                "price",
                "Change in pump price at the national peak [$/gal]",
                "$.2f",
                style.GASOLINE,
            )
        ]
        if households:
            panels.append(
                panel(
                    group_rows,
                    "household",
                    "Extra household spending (negative: a saving) [$]",
                    "$,.0f",
                    style.OKABE_ITO["bluish_green"],
                )
            )
        sections.append(
            alt.hconcat(
                *panels,
                spacing=24,
                title=alt.TitleParams(label, anchor="start", fontSize=13),
            )
        )
    top = max(rows, key=lambda r: r["price_p50"])
    if text.direction(top["price_p50"]) != "rise":  # prices fall (or hold) everywhere
        top = min(rows, key=lambda r: r["price_p50"])
    move = text.by_sign(top["price_p50"], "rise most", "fall most", "change least")
    title = f"Pump prices {move} in {top['name']}: {style.signed_usd(top['price_p50'])}/gal"
    title += (
        f"; a household there {text.spend(top['household_p50'], verb='pays')}" if households else ""
    )
    fall_note = (
        " For a fall, each figure is at the national price's highest point against the path "
        "(its smallest fall)."
        if text.direction(top["price_p50"]) == "fall"
        else ""
    )
    subtitle = (
        f"{d['scenario']['title']}. PADDs, sub-PADD regions and states in separate sections (a "
        "PADD contains its regions). "
        "Dot: central estimate (p50); bar: 90% band (p05–p95). "
        + (
            "Household cost: total over the scenario."
            if households
            else "No household count is known at the as-of date."
        )
        + fall_note
    )
    chart = alt.vconcat(*sections, spacing=18)
    return _finish(chart, title, subtitle, d)
