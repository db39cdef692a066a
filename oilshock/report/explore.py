"""An interactive explorer that works offline: sliders for share and duration over a precomputed grid.

``oilshock explore -o explorer.html`` writes one self-contained HTML file (every
JavaScript library inlined; no server, no network) that a briefer can email.
A chokepoint selector and two sliders — the share of normal flow stopped and
the days at full strength — pick one cell of a grid estimated beforehand by the
batched sweep (:func:`oilshock.forecast.simulate.sweep`, common random numbers, so
neighbouring cells differ only by share and duration). The page draws that
cell's weekly gasoline and Brent paths with their 90% bands and states its
peak and its extra household spending.

A link may carry a setting, ``explorer.html#chokepoint=hormuz&share=0.7&days=60``:
the page sets the controls from it (so a setting can be shared), through the
Vega view API.
"""

from __future__ import annotations

import datetime as dt
import html

import altair as alt

from oilshock.report import style

SHARES = tuple(round(0.1 * i, 1) for i in range(1, 11))  # [fraction of normal flow]
DURATIONS = tuple(range(15, 181, 15))  # [days at full strength]
DRAWS = 1000  # per cell
RECOVERY_DAYS = 30  # [days] linear return to normal after the duration, in every cell
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


# The selected cell in words that follow its signs (the rule of oilshock.text, in Vega's
# expression language): a rise peaks, a path that never rises says so, a household pays more or saves.
_G = "datum.retail_peak_usd_per_gal"
_H = "datum.household_usd_p50"
FACTS_TEXT = (
    f"({_G} >= 0.005 ? 'Central gasoline peak ' + format({_G}, '+$.2f') + '/gal'"
    f" : {_G} <= -0.005 ? 'Central gasoline never rises: at most ' + format({_G}, '$.2f') + '/gal'"
    " : 'Central gasoline about unchanged')"
    " + ' · Brent ' + (datum.brent_peak_pct >= 0.05"
    " ? format(datum.brent_peak_pct, '+.1f') + '% at the peak'"
    " : datum.brent_peak_pct <= -0.05"
    " ? 'never rises: at most ' + format(datum.brent_peak_pct, '.1f') + '%' : 'about unchanged')"
    " + ' · a household '"
    f" + ({_H} >= 0.5 ? 'pays ' + format({_H}, '$,.0f') + ' more'"
    f" : {_H} <= -0.5 ? 'saves ' + format(-{_H}, '$,.0f') : 'pays about the same')"
    " + ' over the horizon (extra spending, 90% band ' + format(datum.household_usd_p05, '$,.0f')"
    " + ' to ' + format(datum.household_usd_p95, '$,.0f') + ')'"
)


def explorer_grid(
    *,
    as_of: dt.date | None = None,
    chokepoints=None,
    draws: int = DRAWS,
    seed: int | None = None,
    directory=None,
) -> dict:
    """The explorer's data: one row per chokepoint, share, duration, week and series, plus one per cell.

    Parameters
    ----------
    chokepoints : sequence of str, optional
        Default: :data:`DEFAULT_CHOKEPOINTS` (those with a published flow at ``as_of``).
        Where a disruption is under way a cell is the scenario from ``as_of`` on, as in
        ``oilshock estimate`` (a share below the observed one is an easing).

    Returns
    -------
    dict
        ``weekly`` rows (``chokepoint``, ``share``, ``days``, ``week``, ``series`` of
        ``gasoline`` [USD/gal] or ``brent`` [USD/bbl] levels, p05/p50/p95), ``cells`` rows
        (peaks and household cost [USD]), ``as_of``, ``baseline`` and ``snapshot_sha256``.
    """
    from oilshock.forecast.params import get_params
    from oilshock.forecast.prepare import check_work, default_as_of
    from oilshock.forecast.sweep import sweep
    from oilshock.report.data import ReportError
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
    weekly, cells = [], []
    for cid in chokepoints:
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
            cells.append(
                key
                | {
                    "brent_peak_pct": r["brent_peak_change_pct"]["p50"],
                    "retail_peak_usd_per_gal": None
                    if r["retail_peak_change_usd_per_gal"] is None
                    else r["retail_peak_change_usd_per_gal"]["p50"],
                    "household_usd_p50": None
                    if r["household_usd_total"] is None
                    else r["household_usd_total"]["p50"],
                    "household_usd_p05": None
                    if r["household_usd_total"] is None
                    else r["household_usd_total"]["p05"],
                    "household_usd_p95": None
                    if r["household_usd_total"] is None
                    else r["household_usd_total"]["p95"],
                }
            )
            for i, week in enumerate(r["weeks"]):
                b = r["brent_change_pct_by_week"]
                weekly.append(
                    key
                    | {
                        "week": week,
                        "series": "brent",
                        **{q: round(b0 * (1 + b[q][i] / 100), 2) for q in ("p05", "p50", "p95")},
                    }
                )
                g = r["retail_change_usd_per_gal_by_week"]
                if g is not None and r0 is not None:
                    weekly.append(
                        key
                        | {
                            "week": week,
                            "series": "gasoline",
                            **{q: round(r0 + g[q][i], 3) for q in ("p05", "p50", "p95")},
                        }
                    )
    from oilshock.forecast.status import state_line

    return {
        "weekly": weekly,
        "cells": cells,
        "as_of": as_of.isoformat(),
        "chokepoints": chokepoints,
        "state": state_line(p["supply"]),
        "baseline": {"brent_usd_per_bbl": b0, "retail_usd_per_gal": r0},
        "snapshot_sha256": p.get("snapshot_sha256"),
        "names": _names(chokepoints, directory),
    }


def _names(chokepoints, directory=None) -> dict:
    from oilshock.report.data import chokepoint_names

    names = chokepoint_names(directory)
    return {c: names.get(c, c) for c in chokepoints}


@style.built_unchecked
def explorer_chart(grid: dict):
    """The interactive chart: controls bound to Vega-Lite parameters filtering the grid."""
    cps = grid["chokepoints"]
    chokepoint = alt.param(
        name="chokepoint",
        value=cps[0],
        bind=alt.binding_select(
            options=cps, labels=[grid["names"][c] for c in cps], name="Chokepoint "
        ),
    )
    share = alt.param(
        name="share",
        value=0.5,
        bind=alt.binding_range(
            min=SHARES[0], max=SHARES[-1], step=0.1, name="Share of normal flow stopped "
        ),
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
    x = alt.X(
        "week:T",
        scale=alt.Scale(type="utc"),
        title=None,
        axis=alt.Axis(format="%b %Y", labelAngle=0),
    )

    def panel(series: str, title: str, color: str, fmt: str):
        base = alt.Chart(
            style.inline([r for r in grid["weekly"] if r["series"] == series])
        ).transform_filter(pick)
        band = base.mark_area(opacity=0.25, color=color).encode(
            x=x, y=alt.Y("p05:Q", title=title, scale=alt.Scale(zero=False)), y2="p95:Q"
        )
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
        return alt.layer(band, line).properties(width=style.WIDTH, height=200)

    # The selected cell's figures, as text the reader (and a test) can read off the page.
    facts = (
        alt.Chart(style.inline(grid["cells"]))
        .transform_filter(pick)
        .transform_calculate(text=FACTS_TEXT)
        .mark_text(align="left", fontSize=14, fontWeight=600)
        .encode(text="text:N", x=alt.value(0), y=alt.value(10))
        .properties(width=style.WIDTH, height=24)
    )
    panels = [facts]
    if any(r["series"] == "gasoline" for r in grid["weekly"]):
        panels.append(panel("gasoline", "US regular gasoline [$/gal]", style.GASOLINE, "$.2f"))
    panels.append(panel("brent", "Brent crude [$/bbl]", style.BRENT, "$.2f"))
    title = "What if a chokepoint closes? Move the sliders"
    subtitle = [
        f"Each setting is one cell of a grid estimated as of {grid['as_of']} ({len(SHARES)} shares "
        f"× {len(DURATIONS)} durations per chokepoint, "
        f"{RECOVERY_DAYS} days' recovery, common random numbers). Shaded: 90% band of the scenario "
        "effect; line: central path.",
        f"Prices from their level at as_of ({grid['as_of']}) with nothing else changing (no "
        "seasonal drift); household cost: extra spending per household over the horizon (negative: a saving).",
    ]
    chart = alt.vconcat(*panels, spacing=12).add_params(chokepoint, share, days)
    return style.finish(
        chart,
        title,
        subtitle,
        as_of=grid["as_of"],
        snapshot=grid["snapshot_sha256"],
        state=[grid["state"]],
    )


def explorer_html(grid: dict) -> str:
    """The self-contained page (libraries inlined; every string escaped for its context)."""
    from oilshock.report.export import javascript_bundle, spec
    from oilshock.report.output import script_json

    d = spec(explorer_chart(grid))
    return _PAGE.format(
        title=html.escape(d["title"]["text"]), bundle=javascript_bundle(), spec=script_json(d)
    )


def write_explorer(
    output,
    *,
    as_of: dt.date | None = None,
    chokepoints=None,
    draws: int = DRAWS,
    seed: int | None = None,
    directory=None,
):
    """Estimate the grid and write the explorer page to ``output`` (.html) atomically; returns the grid's size."""
    from pathlib import Path

    from oilshock.report.data import ReportError
    from oilshock.report.output import write_atomic

    if Path(output).suffix.lower() != ".html":
        raise ReportError(
            f"{output}: the explorer is an interactive page; write it to a .html file"
        )
    grid = explorer_grid(
        as_of=as_of, chokepoints=chokepoints, draws=draws, seed=seed, directory=directory
    )
    write_atomic(Path(output), explorer_html(grid))
    return {"cells": len(grid["cells"]), "chokepoints": grid["chokepoints"], "as_of": grid["as_of"]}
