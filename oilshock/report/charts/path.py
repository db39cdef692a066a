"""The path chart: an estimate's weekly Brent and pump-price bands after recent history."""

from __future__ import annotations

import datetime as dt

import altair as alt

from oilshock import text
from oilshock.report import data as rd
from oilshock.report import style
from oilshock.report.charts.common import (
    _UTC,
    _finish,
    _tip_date,
    _weekly_line,
    _x_date,
)

# Observed weeks drawn before the earliest disruption's onset, so the shock is in view, and the
# furthest back the history reaches however old the disruption (a readable time axis).
WEEKS_BEFORE_ONSET = 4
MAX_HISTORY_WEEKS = 52


def onset(d: dict) -> dt.date:
    """The earliest start of the result's disruptions: under way at as_of, or in the scenario."""
    as_of = dt.date.fromisoformat(d["as_of"])
    resolved = d.get("resolved") or {}
    starts = [
        as_of + dt.timedelta(days=o["onset_day"])
        for o in (resolved.get("observed") or {}).values()
        if isinstance(o, dict) and isinstance(o.get("onset_day"), (int, float))
    ]
    starts += [
        dt.date.fromisoformat(x["start"])
        for x in resolved.get("disruptions") or []
        if isinstance(x.get("start"), str)
    ]
    return min(starts, default=as_of)


def history_since(d: dict, weeks: int) -> dt.date:
    """The first day of observed history drawn: ``weeks`` before as_of, or earlier to show
    :data:`WEEKS_BEFORE_ONSET` weeks before the onset, at most :data:`MAX_HISTORY_WEEKS` back."""
    as_of = dt.date.fromisoformat(d["as_of"])
    since = min(
        as_of - dt.timedelta(weeks=weeks), onset(d) - dt.timedelta(weeks=WEEKS_BEFORE_ONSET)
    )
    return max(since, as_of - dt.timedelta(weeks=MAX_HISTORY_WEEKS))


def steo_rows(d: dict, directory=None) -> dict | None:
    """EIA's Short-Term Energy Outlook in use at as_of, over the result's horizon.

    The vintage is the newest published on or before as_of
    (:func:`oilshock.evaluate.nowcast.steo_vintage`); its monthly averages [USD/bbl, USD/gal] are
    drawn at mid-month. None when no vintage in the data was current at as_of.
    """
    from oilshock.evaluate.nowcast import STEO_SERIES, read_steo_paths, steo_vintage

    as_of = dt.date.fromisoformat(d["as_of"])
    paths = read_steo_paths(directory)
    vintage = steo_vintage(paths, as_of)
    if vintage is None or not d.get("weekly"):
        return None
    last = dt.date.fromisoformat(d["weekly"][-1]["week_ending"])
    out: dict = {"vintage": vintage}
    for series, name in (("gasoline", "retail"), ("brent", "brent")):
        assert name in STEO_SERIES
        out[series] = [
            {"week": (month + dt.timedelta(days=14)).isoformat(), "value": value}
            for month, value in sorted(paths[vintage].get(name, {}).items())
            if as_of.replace(day=1) <= month <= last and value is not None
        ]
    return out


def _history(d: dict, weeks: int, directory=None) -> dict[str, list[dict]]:
    """Observed gasoline (weekly) and Brent (weekly mean of daily) from :func:`history_since` to as_of."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    as_of = dt.date.fromisoformat(d["as_of"])
    since = history_since(d, weeks)
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
    actual=(),
    steo=(),
    election_label: str | None = None,
):
    """One price panel: the band and central path, the no-disruption path dashed (``baseline``
    held flat, or the ``no_disruption`` rows where the price has a seasonal drift), the status
    quo dotted, observed history, what happened after as_of (``actual``), EIA's outlook of the
    as_of date (``steo``) and election day."""
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
    # The optional weekly lines: (rows, tooltip title, mark style), drawn in this order.
    extra = (
        (status_quo, "status quo (p50)", {"color": style.BASELINE, "strokeDash": [2, 2]}),
        (history, "observed", {"color": style.OBSERVED, "strokeWidth": 1.5, "point": {"size": 12}}),
        (actual, "what happened", {"color": style.ACTUAL, "point": {"size": 14}}),
        (
            steo,
            "EIA STEO (month)",
            {
                "color": style.STEO,
                "strokeWidth": 1.5,
                "strokeDash": [1, 3],
                "point": {"size": 40, "shape": "diamond"},
            },
        ),
    )
    for rows_, what, mark in extra:
        if not rows_:
            continue
        mark = {"strokeWidth": 1.8, **mark}
        if "point" in mark:
            mark["point"] = alt.OverlayMarkDef(**mark["point"], color=mark["color"])
        layers.append(_weekly_line(list(rows_), x, what, fmt, **mark))
    if election is not None:
        e = style.inline(
            [
                {
                    "date": election.isoformat(),
                    "label": election_label or f"Election day {election:%d %b}",
                }
            ]
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

    For an ``as_of`` in the past the chart also shows what happened after it (the observed weeks of
    the horizon that the data hold) and EIA's Short-Term Energy Outlook current at ``as_of``, so the
    estimate can be read against the outcome and the published forecast of the same date.

    Parameters
    ----------
    result : EstimateResult or dict
        One estimate.
    history_weeks : int
        Weeks of observed prices before ``as_of`` drawn in grey for context (0: none); the history
        reaches further back to show the weeks before the disruption's onset
        (:func:`history_since`).
    directory : Path, optional
        Data directory for the observed history, the outcome and the outlook.

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
    from oilshock.report.versus import observed_weeks

    actual = observed_weeks(d, directory)
    steo = steo_rows(d, directory) or {"gasoline": [], "brent": []}
    election = rd.election_date(d)
    election_label = rd.election_label(d)
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
                actual["gasoline"],
                steo["gasoline"],
                election_label=election_label,
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
            actual=actual["brent"],
            steo=steo["brent"],
            election_label=election_label,
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
        + (" Dotted: status quo (disruptions under way persist)." if sq["brent"] else "")
        + (
            " Black: what happened after as_of (not known then)."
            if actual["brent"] or actual["gasoline"]
            else ""
        )
        + (
            f" Green diamonds: EIA's Short-Term Energy Outlook of {steo['vintage']:%B %Y} "
            "(monthly averages)."
            if steo["brent"] or steo["gasoline"]
            else ""
        ),
    ]
    chart = alt.vconcat(*panels, spacing=18).resolve_scale(
        x="shared"
    )  # one time axis for both panels
    return _finish(chart, title, subtitle, d)


def turning_title(what: str, direction: str, level: str, change: str, weeks: int) -> str:
    """A path chart's title in the words of its sign: a rise peaks, a fall reaches its low."""
    when = style.plural(weeks, "week") + " in"
    if direction == "rise":
        return f"{what} peak at {level} ({change} from the disruption) {when}"
    if direction == "fall":
        return f"{what} fall to {level} ({change} against the no-disruption path) {when}"
    return f"{what} stay near {level} ({change}) {when}"
