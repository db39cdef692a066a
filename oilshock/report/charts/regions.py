"""Pump prices by region: where the estimate's change is largest."""

from __future__ import annotations

import altair as alt

from oilshock import text
from oilshock.report import data as rd
from oilshock.report import style
from oilshock.report.charts.common import (
    _finish,
)


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
