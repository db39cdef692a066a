"""Chokepoint transits: observed daily tanker calls and the scenario's disrupted windows."""

from __future__ import annotations

import datetime as dt

import altair as alt

from oilshock.report import data as rd
from oilshock.report import style
from oilshock.report.charts.common import (
    _UTC,
    _tip_date,
    _x_date,
)


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
    from oilshock.data.manifest import read_manifest

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
                        legend=alt.Legend(orient="top"),  # with its panel, above the footnote
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
        f"Tankers a day through the chokepoint (dots) and their 7-day mean (line), {since} to {last}."
        + (" Shaded: the scenario window." if windows else ""),
    ]
    as_of = d["as_of"] if d else last
    snap = rd.snapshot_of(d) if d else read_manifest(directory).snapshot_sha256
    return style.finish(
        # One time axis for every panel: chokepoints compared over the same days.
        alt.vconcat(*panels, spacing=14).resolve_scale(x="shared"),
        title,
        subtitle,
        as_of=as_of,
        snapshot=snap,
        source="IMF PortWatch (daily transit calls); oilshock",
        state=rd.context_lines(d) if d else None,
    )
