"""Scenarios side by side: each scenario's peak change with its 90% range."""

from __future__ import annotations

import altair as alt

from oilshock import text
from oilshock.report import data as rd
from oilshock.report import style


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
