"""Predicted against observed: an estimate's weekly bands beside the prices that followed.

For a past ``as_of`` whose weeks are in the data (a backtest episode, or any
estimate made as of an earlier date) the observed weekly prices are drawn over
the model's weekly bands. Observed prices are measured as the model measures
them: weekly-mean Brent over the trading days d−7..d−3 of survey Monday d
(:func:`oilshock.evaluate.backtest.weekly_brent`, the pump fit's week) and EIA's US
regular retail price of that Monday. The estimate itself used only data on or
before ``as_of``; the observed line is what it did not see.
"""

from __future__ import annotations

import datetime as dt

import altair as alt

from oilshock.report import data as rd
from oilshock.report import style

_UTC = alt.Scale(type="utc")
_SERIES = {
    "gasoline": (
        "retail_gasoline_usd_per_gal",
        "retail_gasoline_predictive_usd_per_gal",
        "US regular gasoline [$/gal]",
        style.GASOLINE,
        "$.2f",
    ),
    "brent": (
        "brent_usd_per_bbl",
        "brent_predictive_usd_per_bbl",
        "Brent crude, weekly mean [$/bbl]",
        style.BRENT,
        "$.2f",
    ),
}


def observed_weeks(d: dict, directory=None) -> dict[str, list[dict]]:
    """Observed ``gasoline`` and ``brent`` [USD/gal, USD/bbl] for the result's weeks that the data hold.

    Returns
    -------
    dict
        Series name → list of ``{"week", "value"}`` (ISO dates), empty when no week after
        ``as_of`` is in the data yet.
    """

    from oilshock.data.datasets import load_dataset
    from oilshock.evaluate.backtest import weekly_brent, weekly_us_regular

    as_of = dt.date.fromisoformat(d["as_of"])
    weeks = [w["week_ending"] for w in d["weekly"]]
    end = dt.date.fromisoformat(weeks[-1])
    daily = load_dataset("brent_daily", directory=directory)
    # Only complete weeks: the last trading day of survey Monday d's week (d−3) must be in the data.
    complete = daily["date"].max() + dt.timedelta(days=3)
    brent = weekly_brent(daily, as_of, min(end, complete))
    retail = weekly_us_regular(as_of, end, directory)
    wanted = set(weeks)

    def rows(frame, col, digits):
        return [
            {"week": r["date"].isoformat(), "value": round(r[col], digits)}
            for r in frame.iter_rows(named=True)
            if r["date"].isoformat() in wanted
        ]

    return {
        "brent": rows(brent, "brent_usd_per_bbl", 3),
        "gasoline": rows(retail, "retail_usd_per_gal", 4),
    }


def _band_rows(d: dict, key: str) -> list[dict]:
    return [{"week": w["week_ending"], **w[key]} for w in d["weekly"] if w.get(key)]


def _panel(
    d: dict, observed: list[dict], series: str, *, width: int, height: int, title: str | None = None
):
    effect_key, pred_key, y_title, color, fmt = _SERIES[series]
    pred = _band_rows(d, pred_key)
    eff = _band_rows(d, effect_key)
    weeks = [r["week"] for r in (*pred, *eff, *observed)]
    x = alt.X("week:T", scale=_UTC, title=None, axis=alt.Axis(**style.month_axis(weeks, width)))
    y = alt.Y("p05:Q", title=y_title, scale=alt.Scale(zero=False))
    layers = []
    if pred:
        layers.append(
            alt.Chart(style.inline(pred))
            .mark_area(opacity=0.13, color=color)
            .encode(x=x, y=y, y2="p95:Q")
        )
    layers.append(
        alt.Chart(style.inline(eff))
        .mark_area(opacity=0.3, color=color)
        .encode(x=x, y=y, y2="p95:Q")
    )
    tips = [
        alt.Tooltip("utcyearmonthdate(week):T", title="Week of", format="%d %b %Y"),
        alt.Tooltip("p50:Q", title="central (p50)", format=fmt),
    ]
    layers.append(
        alt.Chart(style.inline(eff))
        .mark_line(color=color, strokeWidth=2.4)
        .encode(x=x, y="p50:Q", tooltip=tips)
    )
    if observed:
        layers.append(
            alt.Chart(style.inline(observed))
            .mark_line(
                color=style.OKABE_ITO["black"],
                strokeWidth=1.8,
                point=alt.OverlayMarkDef(size=18, color=style.OKABE_ITO["black"]),
            )
            .encode(
                x=x,
                y="value:Q",
                tooltip=[
                    alt.Tooltip("utcyearmonthdate(week):T", title="Week of", format="%d %b %Y"),
                    alt.Tooltip("value:Q", title="observed", format=fmt),
                ],
            )
        )
    chart = alt.layer(*layers).properties(width=width, height=height)
    return (
        chart.properties(title=alt.TitleParams(title, anchor="start", fontSize=12))
        if title
        else chart
    )


@style.built_unchecked
def versus_actual(result, *, directory=None):
    """The estimate's weekly bands and central path against the observed weekly prices (gasoline above Brent).

    Shaded dark: the scenario effect's 90% band (p05–p95); light: the band with the
    market's ordinary noise, the one an observed price is judged by; line: central
    path (p50); black: observed.

    Raises
    ------
    oilshock.report.data.ReportError
        When no week after ``as_of`` is in the data yet.
    """
    d = rd.as_dict(result)
    obs = observed_weeks(d, directory)
    if not obs["brent"] and not obs["gasoline"]:
        raise rd.ReportError(
            f"{rd.scenario_label(d)}: no observed prices after {d['as_of']} in the data yet, so nothing to compare"
        )
    series = [s for s in ("gasoline", "brent") if d["weekly"][0].get(_SERIES[s][0])]
    panels = [_panel(d, obs[s], s, width=style.WIDTH, height=style.HEIGHT) for s in series]
    s0 = series[0]
    inside, n = _inside(d, obs[s0], _SERIES[s0][1])
    name = "Gasoline" if s0 == "gasoline" else "Brent"
    peak_obs = max(obs[s0], key=lambda r: r["value"]) if obs[s0] else None
    fmt = (lambda v: style.usd(v)) if s0 == "gasoline" else (lambda v: style.usd(v, 0))
    central = max(r["p50"] for r in _band_rows(d, _SERIES[s0][0]))
    title = f"{name} observed inside the model's band in {inside} of {n} weeks"
    if peak_obs:
        title += f"; observed peak {fmt(peak_obs['value'])}, central path's peak {fmt(central)}"
    subtitle = [
        f"{d['scenario']['title']}. Estimated with data up to {d['as_of']} only; black: observed "
        "afterwards.",
        "Dark: 90% band of the scenario effect; light: 90% band with ordinary market noise (the "
        "band an observed price is judged by); "
        "line: central path. Brent: mean of the trading days d−7..d−3 of survey Monday d, as the model measures it.",
    ]
    return style.finish(
        alt.vconcat(*panels, spacing=18).resolve_scale(x="shared"),
        title,
        subtitle,
        as_of=d["as_of"],
        snapshot=rd.snapshot_of(d),
        source="oilshock; EIA (observed prices)",
    )


def _inside(d: dict, observed: list[dict], key: str) -> tuple[int, int]:
    """Observed weeks inside the predictive band, and how many weeks were observed."""
    bands = {w["week_ending"]: w[key] for w in d["weekly"] if w.get(key)}
    hits = [
        bands[r["week"]]["p05"] <= r["value"] <= bands[r["week"]]["p95"]
        for r in observed
        if r["week"] in bands
    ]
    return sum(hits), len(hits)


@style.built_unchecked
def versus_actual_all(results, *, directory=None, columns: int = 3):
    """Small multiples: gasoline predicted against observed, one panel per result (e.g. every backtest episode)."""
    ds = [rd.as_dict(r) for r in results]
    cells, total_in, total_n = [], 0, 0
    for d in ds:
        series = "gasoline" if d["weekly"][0].get("retail_gasoline_usd_per_gal") else "brent"
        obs = observed_weeks(d, directory)[series]
        i, n = _inside(d, obs, _SERIES[series][1])
        total_in, total_n = total_in + i, total_n + n
        label = f"{d['scenario']['name']} (as of {d['as_of']}): {i}/{n} weeks inside" + (
            "" if series == "gasoline" else " (Brent)"
        )
        cells.append(
            _panel(d, obs, series, width=style.WIDTH // columns - 30, height=150, title=label)
        )
    rows = [alt.hconcat(*cells[k : k + columns], spacing=16) for k in range(0, len(cells), columns)]
    title = (
        f"Across {len(ds)} episodes, {total_in} of {total_n} observed weeks lie inside the "
        "model's 90% band with market noise"
    )
    subtitle = [
        "Each panel: the episode's estimate as of the day before the news (data up to then only) "
        "against the weekly prices that followed.",
        "Dark: scenario effect's 90% band; light: with market noise; line: central path; black: "
        "observed. US regular gasoline unless marked.",
    ]
    return style.finish(
        alt.vconcat(*rows, spacing=16),
        title,
        subtitle,
        as_of=max(d["as_of"] for d in ds),
        snapshot=rd.snapshot_of(ds[0]),
        source="oilshock; EIA (observed prices)",
    )
