"""The sensitivity heatmap: the peak change over a grid of share × duration."""

from __future__ import annotations

import altair as alt

from oilshock.report import data as rd
from oilshock.report import style
from oilshock.text import direction


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
            title="Change [$/gal]",
            legend=alt.Legend(format="$.2f", orient="right"),  # beside the grid, above the footnote
        ),
        tooltip=[
            alt.Tooltip("share_label:N", title="share blocked"),
            alt.Tooltip("duration_label:N", title="duration"),
            alt.Tooltip("p50:Q", title="change at the peak or low (p50)", format="$.2f"),
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
    # "Peak" only where every cell is a rise; a grid reaching below zero holds easings, each at its low.
    what = "pump-price peak" if direction(lo) != "fall" else "pump-price change at the peak or low"
    title = f"The {what} ranges from {style.signed_usd(lo)} to {style.signed_usd(hi)} a gallon"
    if b:
        title += f"; {scenario_name} ({b['share_label']}, {b['duration_label']}): {style.signed_usd(b['p50'])}"
    subtitle = [
        f"Gasoline's central (p50) change by share and duration of {scenario_name}'s first "
        "disruption.",
        "A rise is shown at its peak, an easing at its low, as the estimate reports them.",
        f"{draws} draws per cell; outlined: the scenario as written"
        + (f", quoted from its estimate ({b['draws']} draws)" if b and b.get("draws") else "")
        + ". Small losses are absorbed by bypass pipelines and stock releases.",
    ]
    return style.finish(chart, title, subtitle, as_of=as_of, snapshot=snapshot)
