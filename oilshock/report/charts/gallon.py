"""What a gallon of gasoline is made of, before and at the estimate's peak."""

from __future__ import annotations

import altair as alt

from oilshock.report import data as rd
from oilshock.report import style
from oilshock.report.charts.common import (
    _finish,
)


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
