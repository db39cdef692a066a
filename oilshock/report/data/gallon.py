"""What is in a gallon: taxes, the breakdown of a gallon, and the rows of the gallon chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oilshock.errors import ReportError
from oilshock.report.data.common import _date, scenario_label
from oilshock.report.data.estimate import POINT_LABEL, peak
from oilshock.units import GAL_PER_BBL


def latest_taxes(as_of: dt.date, directory=None) -> dict[str, Any]:
    """Federal plus average state gasoline tax known on ``as_of`` [USD/gal], with the rows used."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    t = load_dataset("gasoline_taxes", as_of=as_of, directory=directory).filter(
        pl.col("fuel") == "gasoline"
    )
    parts = {}
    for j in ("federal", "state_average"):
        rows = t.filter(pl.col("jurisdiction") == j).sort("as_of")
        if rows.height == 0:
            raise ReportError(
                f"gasoline_taxes: no '{j}' gasoline tax known on {as_of}; cannot split a gallon"
            )
        parts[j] = rows.row(-1, named=True)
    return {
        "usd_per_gal": round(sum(p["tax_cents_per_gal"] for p in parts.values()) / 100, 4),
        "federal_cents": parts["federal"]["tax_cents_per_gal"],
        "state_average_cents": parts["state_average"]["tax_cents_per_gal"],
        "as_of": max(p["as_of"] for p in parts.values()).isoformat(),
        "citations": sorted({p["citation"] for p in parts.values()}),
    }


def latest_component_shares(as_of: dt.date, directory=None) -> dict[str, Any]:
    """EIA's latest breakdown known on ``as_of`` that gives both refining and distribution shares."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    c = (
        load_dataset("gasoline_price_components", as_of=as_of, directory=directory)
        .filter(pl.col("refining_pct").is_not_null() & pl.col("distribution_pct").is_not_null())
        .sort("period_last")
    )
    if c.height == 0:
        raise ReportError(f"gasoline_price_components: no breakdown known on {as_of}")
    row = c.row(-1, named=True)
    return {
        "period_first": row["period_first"].isoformat(),
        "period_last": row["period_last"].isoformat(),
        "refining_pct": row["refining_pct"],
        "distribution_pct": row["distribution_pct"],
        "citation": row["citation"],
    }


COMPONENTS = ("Crude oil", "Refining and margin", "Distribution and marketing", "Taxes")


def gallon_rows(d: dict, directory=None) -> list[dict]:
    """What is in a gallon before the shock and in the central path's peak week [USD/gal].

    Crude is Brent / 42; taxes are federal plus average state tax (latest known on
    ``as_of``); the rest of the retail price is split into refining versus distribution
    in the proportion of EIA's latest breakdown known on ``as_of`` (the split is fixed,
    so only its total moves). "At the peak" is the headline peak price (the
    median of the draws' peaks, as in the text and the path chart) in the week
    the central gasoline path peaks; Brent is that week's p50.

    Returns
    -------
    list of dict
        ``when`` (label), ``order``, ``component``, ``usd_per_gal``, ``retail_usd_per_gal``,
        plus ``basis`` on the first row (taxes, shares and dates used).
    """
    as_of = _date(d["as_of"])
    p = peak(d)
    if p["retail_before"] is None or p["peak_week"] is None:
        raise ReportError(
            f"{scenario_label(d)}: the result has no pump-price estimate, so no gallon breakdown"
        )
    taxes = latest_taxes(as_of, directory)
    shares = latest_component_shares(as_of, directory)
    week = next(w for w in d["weekly"] if w["week_ending"] == p["peak_week"])
    states = [
        (
            f"Before ({d['baseline']['retail_gasoline_date']})",
            p["retail_before"],
            d["baseline"]["brent_usd_per_bbl"],
        ),
        # The headline peak (median of the draws' peaks), so the gallon chart, the path chart and
        # the text quote one number.
        (
            f"{POINT_LABEL[p['retail_direction']]} (week of {p['peak_week']})",
            p["retail_peak"]["p50"],
            week["brent_usd_per_bbl"]["p50"],
        ),
    ]
    split = shares["refining_pct"] / (shares["refining_pct"] + shares["distribution_pct"])
    rows = []
    for k, (label, retail, brent) in enumerate(states):
        crude = brent / GAL_PER_BBL
        rest = retail - crude - taxes["usd_per_gal"]
        values = (crude, rest * split, rest * (1 - split), taxes["usd_per_gal"])
        for i, (name, v) in enumerate(zip(COMPONENTS, values)):
            rows.append(
                {
                    "when": label,
                    "state": k,
                    "order": i,
                    "component": name,
                    "usd_per_gal": round(v, 4),
                    "retail_usd_per_gal": round(retail, 4),
                }
            )
    rows[0]["basis"] = {"taxes": taxes, "shares": shares}
    return rows
