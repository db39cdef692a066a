"""An interactive explorer that works offline: sliders for share and duration over a precomputed grid.

``oilshock explore -o explorer.html`` writes one self-contained HTML file (every
JavaScript library inlined; no server, no network) that a briefer can email.
A chokepoint selector and two sliders — the share of normal flow stopped and
the days at full strength — pick one cell of a grid estimated beforehand by the
batched sweep (:func:`oilshock.forecast.simulate.sweep`, common random numbers, so
neighbouring cells differ only by share and duration). The page draws that
cell's weekly gasoline and Brent paths with their 90% bands after the observed
weekly prices of the months before ``as_of``, a line at ``as_of`` and one at
election day (when it falls in view), and states the cell's peak (or, for an
easing, its low) and its extra household spending.

The share runs from 0 (the strait fully open) to 1 (fully closed), whatever the
state at ``as_of``: a cell is a scenario naming the chokepoint, so it replaces
the state under way from ``as_of`` on (:mod:`oilshock.scenario.resolve`), and a
share below the one stopped now is a reopening, reported as an easing. Every
change is measured as ``oilshock estimate`` measures it: against Brent at its
price on ``as_of`` and the pump price at its newest weekly price plus its normal
seasonal drift (where the model has one). Each chokepoint's y-axes are fixed to
the range of its whole grid and the history, so moving a slider moves the paths,
not the axes.

A link may carry a setting, ``explorer.html#chokepoint=hormuz&share=0.7&days=60``:
the page sets the controls from it (so a setting can be shared), through the
Vega view API.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math

import altair as alt

from oilshock.report import style

SHARES = tuple(
    round(0.1 * i, 1) for i in range(0, 11)
)  # [fraction of normal flow]: 0 open, 1 closed
DURATIONS = tuple(range(15, 181, 15))  # [days at full strength]
DRAWS = 1000  # per cell
RECOVERY_DAYS = 30  # [days] linear return to normal after the duration, in every cell
HISTORY_WEEKS = 30  # [weeks] of observed weekly prices drawn before as_of
DEFAULT_CHOKEPOINTS = (
    "hormuz",
    "bab_el_mandeb",
)  # the two the product is about; --chokepoint for others

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>{title}</title>
<script type="text/javascript">{bundle}</script>
<style>body {{ font-family: Arial, sans-serif; margin: 16px; }} #explorer {{ width: 100%; }}</style>
</head>
<body>
<div id="explorer"></div>
<script type="text/javascript">
(function () {{
  const spec = {spec};
  vegaEmbed("#explorer", spec, {{ renderer: "svg", actions: false }}).then(function (result) {{
    // A setting in the link (#chokepoint=...&share=...&days=...) sets the controls.
    const args = new URLSearchParams(window.location.hash.slice(1));
    const view = result.view;
    if (args.has("chokepoint")) view.signal("chokepoint", args.get("chokepoint"));
    if (args.has("share")) view.signal("share", Number(args.get("share")));
    if (args.has("days")) view.signal("days", Number(args.get("days")));
    return view.runAsync();
  }}).catch(function (err) {{ console.error("explorer failed: " + err); }});
}})();
</script>
</body>
</html>
"""


# The selected cell in words that follow its signs (the rule of oilshock.text and of the estimate's
# headline, in Vega's expression language): a rise is reported at its peak, an easing (or a fall
# larger than the rise) at its low, a household pays more or saves.
_G, _GL = "datum.retail_peak_usd_per_gal", "datum.retail_low_usd_per_gal"
_B, _BL = "datum.brent_peak_pct", "datum.brent_low_pct"
_H = "datum.household_usd_p50"
FACTS_TEXT = (
    f"({_G} >= 0.005 && {_G} >= -{_GL} ? 'Central gasoline peak ' + format({_G}, '+$.2f') + '/gal'"
    f" : {_GL} <= -0.005 ? 'Central gasoline falls ' + format(-{_GL}, '$.2f') + '/gal at its lowest'"
    " : 'Central gasoline about unchanged')"
    f" + ' · Brent ' + ({_B} >= 0.05 && {_B} >= -{_BL}"
    f" ? format({_B}, '+.1f') + '% at the peak'"
    f" : {_BL} <= -0.05"
    f" ? 'falls ' + format(-{_BL}, '.1f') + '% at its lowest' : 'about unchanged')"
)
# The household's extra spending, in the words of its sign.
HOUSEHOLD_TEXT = (
    "'A household '"
    f" + ({_H} >= 0.5 ? 'pays ' + format({_H}, '$,.0f') + ' more'"
    f" : {_H} <= -0.5 ? 'saves ' + format(-{_H}, '$,.0f') : 'pays about the same')"
    " + ' over the horizon (extra spending, 90% band ' + format(datum.household_usd_p05, '$,.0f')"
    " + ' to ' + format(datum.household_usd_p95, '$,.0f') + ')'"
)
# The setting against the state at as_of: below the share stopped now is a reopening.
_S, _N = "datum.share", "datum.share_now"
SETTING_TEXT = (
    f"'Setting: ' + format({_S}, '.0%') + ' of normal flow stopped'"
    f" + ({_S} > 0 ? ' for ' + datum.days + ' days, then ' + {RECOVERY_DAYS} + ' days back to normal' : '')"
    f" + ({_N} <= 0 ? ' (nothing is stopped now: no reopening to show)'"
    f" : {_S} < {_N} - 0.005 ? ' (now ' + format({_N}, '.0%') + ': a reopening, prices ease)'"
    f" : {_S} > {_N} + 0.005 ? ' (now ' + format({_N}, '.0%') + ': a further closure)'"
    f" : ' (as now: ' + format({_N}, '.0%') + ')')"
)


def explorer_grid(
    *,
    as_of: dt.date | None = None,
    chokepoints=None,
    draws: int = DRAWS,
    seed: int | None = None,
    directory=None,
    progress=None,
) -> dict:
    """The explorer's data: one row per chokepoint, share, duration, week and series, plus one per cell.

    Parameters
    ----------
    as_of : datetime.date, optional
        Default: the snapshot's newest date.
    chokepoints : sequence of str, optional
        Default: :data:`DEFAULT_CHOKEPOINTS` (those with a published flow at ``as_of``).
        A cell is a scenario naming the chokepoint from ``as_of`` on, as in
        ``oilshock estimate``: where a disruption is under way a share below the observed
        one is an easing (share 0: the strait fully open).
    draws : int
        Monte Carlo draws per cell.
    seed : int, optional
        Seed of the common random numbers (the draws ``oilshock estimate`` uses at that seed).

    Returns
    -------
    dict
        ``weekly`` rows (``chokepoint``, ``share``, ``days``, ``week``, ``series`` of
        ``gasoline`` [USD/gal] or ``brent`` [USD/bbl] levels, p05/p50/p95; the gasoline levels
        on the estimate's no-disruption path, its newest price plus the seasonal drift),
        ``cells`` rows (peak and low changes of the central path — Brent [%], gasoline
        [USD/gal] — household extra spending [USD], ``share_now`` the share stopped at
        ``as_of`` [0..1]), ``history`` rows (observed weekly ``series`` ``value`` up to
        ``as_of``), ``y_domain`` (series → chokepoint → [low, high] over the whole grid and
        the history), ``rules`` (``today`` and ``election`` dates), ``share_now``
        (chokepoint → share), ``as_of``, ``baseline`` and ``snapshot_sha256``.
    """
    from oilshock import periods
    from oilshock.forecast.params import get_params
    from oilshock.forecast.paths import seasonal_drift
    from oilshock.forecast.prepare import check_work, default_as_of
    from oilshock.forecast.sweep import sweep
    from oilshock.model import crude_paths
    from oilshock.model.politics import next_federal_election
    from oilshock.report.data import ReportError
    from oilshock.scenario.resolve import observed_states
    from oilshock.scenario.spec import build_scenario

    as_of = as_of or default_as_of(directory)
    p = get_params(as_of, directory)
    known = [cid for cid, c in p["supply"]["chokepoints"].items() if c.get("flow")]
    chokepoints = (
        list(chokepoints)
        if chokepoints
        else [c for c in DEFAULT_CHOKEPOINTS if c in known] or sorted(known)[:1]
    )
    if not chokepoints:
        # Early in history no chokepoint has a published flow: there is nothing to explore.
        raise ReportError(
            f"no chokepoint has a published oil flow as of {as_of}; give a later --as-of"
        )
    templates = {
        cid: build_scenario(cid, 1.0, 30, recovery_days=RECOVERY_DAYS, name=f"explore-{cid}")
        for cid in chokepoints
    }
    # Every cell of the grid is a scenario: bounded at once, before the first fit.
    check_work(
        draws,
        [t.horizon_weeks for t in templates.values() for _ in SHARES for _ in DURATIONS],
        noun="grid cells",
    )
    b0 = p["baseline"]["brent_usd_per_bbl"]
    r0 = p["baseline"]["retail"]["usd_per_gal"]
    # The share stopped now (the state a scenario naming the chokepoint replaces from as_of on).
    observed = observed_states(p["supply"], {}, as_of)
    share_now = {c: round(observed[c]["share"], 3) if c in observed else 0.0 for c in chokepoints}
    # The estimate's no-disruption path of the pump price: its newest price plus the seasonal drift.
    spec = crude_paths.parse_model(p.get("crude_model", crude_paths.DEFAULT_MODEL))
    n_weeks = next(iter(templates.values())).horizon_weeks
    drift = seasonal_drift(p, n_weeks) if spec.seasonal else None
    drift = [0.0] * n_weeks if drift is None else [float(v) for v in drift]
    weekly, cells = [], []
    for cid in chokepoints:
        if progress is not None:
            progress(cid)  # one step per chokepoint's grid (see explorer_steps)
        template = templates[cid]
        rows = sweep(
            template,
            SHARES,
            DURATIONS,
            as_of=as_of,
            chokepoint=cid,
            params=p,
            draws=draws,
            seed=seed,
            directory=directory,
            paths=True,
        )
        for r in rows:
            key = {"chokepoint": cid, "share": r["share"], "days": r["duration_days"]}
            b = r["brent_change_pct_by_week"]
            g = r["retail_change_usd_per_gal_by_week"]
            hh = r["household_usd_total"]
            cells.append(
                key
                | {
                    "share_now": share_now[cid],
                    "brent_peak_pct": r["brent_peak_change_pct"]["p50"],
                    "brent_low_pct": min(b["p50"]),
                    "retail_peak_usd_per_gal": None
                    if r["retail_peak_change_usd_per_gal"] is None
                    else r["retail_peak_change_usd_per_gal"]["p50"],
                    "retail_low_usd_per_gal": None if g is None else min(g["p50"]),
                    **{
                        f"household_usd_{q}": None if hh is None else hh[q]
                        for q in ("p50", "p05", "p95")
                    },
                }
            )
            for i, week in enumerate(r["weeks"]):
                weekly.append(
                    key
                    | {
                        "week": week,
                        "series": "brent",
                        **{q: round(b0 * (1 + b[q][i] / 100), 2) for q in ("p05", "p50", "p95")},
                    }
                )
                if g is not None and r0 is not None:
                    weekly.append(
                        key
                        | {
                            "week": week,
                            "series": "gasoline",
                            **{q: round(r0 + drift[i] + g[q][i], 3) for q in ("p05", "p50", "p95")},
                        }
                    )
    from oilshock.forecast.status import state_line

    history = _history(as_of, directory)
    election = next_federal_election(max(as_of, periods.today()))
    return {
        "weekly": weekly,
        "cells": cells,
        "history": history,
        "y_domain": _y_domains(weekly, history, chokepoints),
        "rules": {"today": as_of.isoformat(), "election": election.isoformat()},
        "share_now": share_now,
        "as_of": as_of.isoformat(),
        "chokepoints": chokepoints,
        "state": state_line(p["supply"]),
        "baseline": {
            "brent_usd_per_bbl": b0,
            "retail_usd_per_gal": r0,
            "retail_seasonal_drift_usd_per_gal": drift,
        },
        "snapshot_sha256": p.get("snapshot_sha256"),
        "names": _names(chokepoints, directory),
    }


def _history(as_of: dt.date, directory=None) -> list[dict]:
    """Observed weekly prices of the :data:`HISTORY_WEEKS` weeks to ``as_of``: ``series``, ``week``, ``value``.

    Brent [USD/bbl] as the mean of each survey week's trading days (as the pump fit and the
    simulated weeks have it), US regular gasoline [USD/gal] as surveyed; nothing after ``as_of``.
    """
    from oilshock.data.datasets import load_dataset
    from oilshock.evaluate.backtest import weekly_brent, weekly_us_regular

    start = as_of - dt.timedelta(weeks=HISTORY_WEEKS)
    daily = load_dataset("brent_daily", as_of=as_of, directory=directory)
    brent = weekly_brent(daily, start, as_of)
    retail = weekly_us_regular(start, as_of, directory)
    return [
        {"series": series, "week": r["date"].isoformat(), "value": round(r[col], digits)}
        for series, frame, col, digits in (
            ("brent", brent, "brent_usd_per_bbl", 2),
            ("gasoline", retail, "retail_usd_per_gal", 3),
        )
        for r in frame.iter_rows(named=True)
    ]


def _y_domains(weekly: list[dict], history: list[dict], chokepoints) -> dict:
    """series → chokepoint → [low, high]: every cell's band and the history, padded by 5%."""
    out: dict = {}
    for series in ("gasoline", "brent"):
        seen = [h["value"] for h in history if h["series"] == series]
        for cid in chokepoints:
            rows = [r for r in weekly if r["series"] == series and r["chokepoint"] == cid]
            if not rows:
                continue
            lo = min([r["p05"] for r in rows] + seen)
            hi = max([r["p95"] for r in rows] + seen)
            pad = 0.05 * (hi - lo) or 0.05 * abs(hi) or 1.0
            unit = 0.01 if series == "gasoline" else 0.1
            out.setdefault(series, {})[cid] = [
                round(math.floor((lo - pad) / unit) * unit, 2),
                round(math.ceil((hi + pad) / unit) * unit, 2),
            ]
    return out


def _names(chokepoints, directory=None) -> dict:
    from oilshock.report.data import chokepoint_names

    names = chokepoint_names(directory)
    return {c: names.get(c, c) for c in chokepoints}


def _domain_expr(domains: dict) -> str:
    """A Vega expression choosing the fixed y domain of the chokepoint selected."""
    cids = list(domains)
    expr = json.dumps(domains[cids[-1]])
    for cid in reversed(cids[:-1]):
        expr = f"chokepoint == {json.dumps(cid)} ? {json.dumps(domains[cid])} : {expr}"
    return expr


def _share_label(grid: dict) -> str:
    """The share slider's label: its ends, and the share stopped now at each chokepoint."""
    now = ", ".join(f"{grid['names'][c]} {grid['share_now'][c]:.2f}" for c in grid["chokepoints"])
    return f"Share of normal flow stopped (0 open, 1 closed; now: {now}) "


@style.built_unchecked
def explorer_chart(grid: dict):
    """The interactive chart: controls bound to Vega-Lite parameters filtering the grid.

    The paths follow the observed weekly prices before ``as_of``; a rule marks ``as_of``
    ("today") and one election day where it falls in view. Each panel's y domain is fixed per
    chokepoint (``grid["y_domain"]``), so a slider never rescales the axes.
    """
    cps = grid["chokepoints"]
    chokepoint = alt.param(
        name="chokepoint",
        value=cps[0],
        bind=alt.binding_select(
            options=cps, labels=[grid["names"][c] for c in cps], name="Chokepoint "
        ),
    )
    now = grid["share_now"][cps[0]]
    share = alt.param(
        name="share",
        value=min(SHARES, key=lambda s: abs(s - now)) if now > 0 else 0.5,
        bind=alt.binding_range(min=SHARES[0], max=SHARES[-1], step=0.1, name=_share_label(grid)),
    )
    days = alt.param(
        name="days",
        value=60,
        bind=alt.binding_range(
            min=DURATIONS[0],
            max=DURATIONS[-1],
            step=DURATIONS[1] - DURATIONS[0],
            name="Days at full strength ",
        ),
    )
    pick = (
        "datum.chokepoint == chokepoint && abs(datum.share - share) < 0.001 && datum.days == days"
    )
    weeks = [r["week"] for r in grid["weekly"]] + [r["week"] for r in grid["history"]]
    start, end = min(weeks), max(weeks)
    x_domain = [
        dt.datetime.fromisoformat(d).replace(tzinfo=dt.UTC).timestamp() * 1000 for d in (start, end)
    ]
    x = alt.X(
        "week:T",
        scale=alt.Scale(type="utc", domain=x_domain),
        title=None,
        axis=alt.Axis(format="%b %Y", labelAngle=0),
    )
    rules = [{"week": grid["rules"]["today"], "label": f"today (newest data: {grid['as_of']})"}]
    election = grid["rules"]["election"]
    if start <= election <= end:
        rules.append({"week": election, "label": f"election day {election}"})

    def panel(series: str, title: str, color: str, fmt: str):
        y = alt.Y(
            "p05:Q",
            title=title,
            scale=alt.Scale(
                domain=alt.ExprRef(expr=_domain_expr(grid["y_domain"][series])), nice=False
            ),
        )
        base = alt.Chart()
        band = base.mark_area(opacity=0.25, color=color).encode(x=x, y=y, y2="p95:Q")
        line = base.mark_line(color=color, strokeWidth=2.5).encode(
            x=x,
            y="p50:Q",
            tooltip=[
                alt.Tooltip("utcyearmonthdate(week):T", title="Week of", format="%d %b %Y"),
                alt.Tooltip("p05:Q", format=fmt, title="low (p05)"),
                alt.Tooltip("p50:Q", format=fmt, title="central (p50)"),
                alt.Tooltip("p95:Q", format=fmt, title="high (p95)"),
            ],
        )
        observed = (
            alt.Chart(style.inline_plain([r for r in grid["history"] if r["series"] == series]))
            .mark_line(color=style.OKABE_ITO["black"], strokeWidth=1.5)
            .encode(
                x=x,
                y=alt.Y("value:Q"),
                tooltip=[
                    alt.Tooltip("utcyearmonthdate(week):T", title="Week of", format="%d %b %Y"),
                    alt.Tooltip("value:Q", format=fmt, title="observed"),
                ],
            )
        )
        marks = alt.Chart(style.inline_plain(rules))
        rule = marks.mark_rule(color="#666666", strokeDash=[4, 3]).encode(x=x)
        label = marks.mark_text(align="left", dx=3, dy=4, baseline="top", fontSize=11).encode(
            x=x, y=alt.value(0), text="label:N"
        )
        # The cell's rows once, shared by its band and line.
        scenario = alt.layer(
            band,
            line,
            data=style.inline_plain([r for r in grid["weekly"] if r["series"] == series]),
        ).transform_filter(pick)
        return alt.layer(scenario, observed, rule, label).properties(width=style.WIDTH, height=200)

    # The selected cell's figures, as text the reader (and a test) can read off the page.
    cells = style.inline_plain(grid["cells"])

    def text_line(expr: str, size: int, weight: int):
        return (
            alt.Chart(cells)
            .transform_filter(pick)
            .transform_calculate(text=expr)
            .mark_text(align="left", fontSize=size, fontWeight=weight)
            .encode(text="text:N", x=alt.value(0), y=alt.value(10))
            .properties(width=style.WIDTH, height=22)
        )

    panels = [
        text_line(FACTS_TEXT, 14, 600),
        text_line(HOUSEHOLD_TEXT, 13, 400),
        text_line(SETTING_TEXT, 12, 400),
    ]
    if any(r["series"] == "gasoline" for r in grid["weekly"]):
        panels.append(panel("gasoline", "US regular gasoline [$/gal]", style.GASOLINE, "$.2f"))
    panels.append(panel("brent", "Brent crude [$/bbl]", style.BRENT, "$.2f"))
    title = "What if a chokepoint closes, or reopens? Move the sliders"
    drifts = any(grid["baseline"]["retail_seasonal_drift_usd_per_gal"])
    subtitle = [
        f"One cell of a grid estimated as of {grid['as_of']}; a share below the one stopped now "
        "is a reopening. Black: observed; shaded: 90% band; line: central path.",
        f"The grid: {len(SHARES)} shares from 0 (open) to 1 (closed) × {len(DURATIONS)} durations "
        f"per chokepoint, then {RECOVERY_DAYS} days' recovery, common random numbers.",
    ]
    note = (
        "Changes as oilshock estimate measures them: against Brent at its price on "
        f"{grid['as_of']} and gasoline at its newest weekly price"
        + (" plus its normal seasonal drift" if drifts else "")
        + "; household cost: extra spending per household over the horizon (negative: a saving)."
        + (
            ""
            if start <= election <= end
            else f" The next federal election ({election}) is after the horizon."
        )
    )
    chart = alt.vconcat(*panels, spacing=12).add_params(chokepoint, share, days)
    return style.finish(
        chart,
        title,
        subtitle,
        as_of=grid["as_of"],
        snapshot=grid["snapshot_sha256"],
        state=[note, grid["state"]],
    )


def explorer_html(grid: dict) -> str:
    """The self-contained page (libraries inlined; every string escaped for its context)."""
    from oilshock.report.export import javascript_bundle, spec
    from oilshock.report.output import script_json

    d = spec(explorer_chart(grid))
    return _PAGE.format(
        title=html.escape(d["title"]["text"]), bundle=javascript_bundle(), spec=script_json(d)
    )


def explorer_steps(chokepoints=None) -> int:
    """The number of progress steps of :func:`write_explorer`: one per chokepoint and the page."""
    return len(list(chokepoints) or DEFAULT_CHOKEPOINTS) + 1


def write_explorer(
    output,
    *,
    as_of: dt.date | None = None,
    chokepoints=None,
    draws: int = DRAWS,
    seed: int | None = None,
    directory=None,
    progress=None,
):
    """Estimate the grid and write the explorer page to ``output`` (.html) atomically; returns the grid's size.

    ``progress``, if given, is called with the name of each step as it starts: each chokepoint's
    grid, then ``"page"`` (:func:`explorer_steps` of them).
    """
    from pathlib import Path

    from oilshock.report.data import ReportError
    from oilshock.report.output import write_atomic

    if Path(output).suffix.lower() != ".html":
        raise ReportError(
            f"{output}: the explorer is an interactive page; write it to a .html file"
        )
    grid = explorer_grid(
        as_of=as_of,
        chokepoints=chokepoints,
        draws=draws,
        seed=seed,
        directory=directory,
        progress=progress,
    )
    if progress is not None:
        progress("page")
    write_atomic(Path(output), explorer_html(grid))
    return {"cells": len(grid["cells"]), "chokepoints": grid["chokepoints"], "as_of": grid["as_of"]}
