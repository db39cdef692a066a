"""Pieces every chart shares: UTC date axes, tooltips, weekly lines and the house finish."""

from __future__ import annotations

import altair as alt

from oilshock.report import data as rd
from oilshock.report import style

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
