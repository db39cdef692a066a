"""Who pays: household and national cost of a pump-price path, nationally and by region.

Cost
----
Extra spending is the pump-price change times the gallons bought:

.. math::  C = \\sum_w \\Delta R_w \\cdot 7\\,G

with :math:`\\Delta R_w` the scenario's change in the retail price in week
:math:`w` [USD/gal] and :math:`G` US gasoline consumption [gal/day]: the
mean of EIA finished motor gasoline product supplied over the 52 weeks
(weekly series) or 12 months (monthly series) before ``as_of``, converted
with 42 gal/bbl. Per household, :math:`C` is divided by the number of US
households (latest exact Census figure known by ``as_of``). This attributes
all gasoline to households — the convention of the public household-cost
trackers cited in ``literature.md`` §4c/§6 — and holds consumption fixed:
short-run gasoline demand elasticities are small (|ε| ≈ 0.03–0.08, Hughes,
Knittel & Sperling 2008 [1]_), so the overstatement is a few percent.

Regions
-------
Regional pump prices do not move one-for-one with the national average.
For each region with monthly EIA retail prices (PADD sub-regions, states;
STEO PADD averages after October 2022) the regional pass-through
:math:`\\theta_r` is estimated by OLS of the monthly change of the regional
price on the monthly change of the national price over the 15 years before
``as_of`` (Newey–West errors):

.. math::  \\Delta R^r_m = a_r + \\theta_r\\, \\Delta R^{US}_m + e_m

and the region's path is :math:`\\theta_r` times the national change. Its
baseline is the national baseline plus the region's latest observed spread.
Regional consumption per household is not in the data, so regional household
costs use the national gallons per household — a stated limitation.

References
----------
.. [1] Hughes, J. E., Knittel, C. R. and Sperling, D. (2008). Evidence of a
   shift in the short-run price elasticity of gasoline demand. Energy
   Journal 29(1), 113–134.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

GAL_PER_BBL = 42.0
DAYS_PER_MONTH = 365.25 / 12
WINDOW_YEARS = 15
MIN_MONTHS = 36

# EIA's names for the areas of its retail price series (labels, not data).
AREA_NAMES = {
    "padd_1": "East Coast (PADD 1)",
    "padd_1a": "New England (PADD 1A)",
    "padd_1b": "Central Atlantic (PADD 1B)",
    "padd_1c": "Lower Atlantic (PADD 1C)",
    "padd_2": "Midwest (PADD 2)",
    "padd_3": "Gulf Coast (PADD 3)",
    "padd_4": "Rocky Mountain (PADD 4)",
    "padd_5": "West Coast (PADD 5)",
    "padd_5_ex_ca": "West Coast except California",
    "california": "California",
    "colorado": "Colorado",
    "florida": "Florida",
    "massachusetts": "Massachusetts",
    "minnesota": "Minnesota",
    "new_york": "New York",
    "ohio": "Ohio",
    "texas": "Texas",
    "washington": "Washington",
}


def build_household_context(as_of: dt.date, directory=None) -> dict:
    """Consumption, households and regional pass-through as of ``as_of`` (plain JSON)."""
    import polars as pl

    from oilshock.datasets import load_dataset

    demand = load_dataset("us_gasoline_demand", as_of=as_of, directory=directory)
    weekly = demand.filter(pl.col("frequency") == "weekly").sort("date").tail(52)
    monthly = demand.filter(pl.col("frequency") == "monthly").sort("date").tail(12)
    if weekly.height == 52 and weekly["date"][-1] >= as_of - dt.timedelta(days=400):
        kbd, basis = float(weekly["gasoline_product_supplied_kbd"].mean()), f"EIA weekly WGFUPUS2, 52 weeks to {weekly['date'][-1]}"
    elif monthly.height == 12:
        kbd, basis = float(monthly["gasoline_product_supplied_kbd"].mean()), f"EIA monthly MGFUPUS2, 12 months to {monthly['date'][-1]:%Y-%m}"
    else:
        kbd, basis = None, f"no gasoline consumption data as of {as_of}"
    hh = load_dataset("us_households", as_of=as_of, directory=directory)
    exact = hh.filter(pl.col("qualifier") == "exact").sort("year")
    households = None
    if exact.height:
        row = exact.row(exact.height - 1, named=True)
        households = {"million": float(row["households_million"]), "year": int(row["year"]), "citation": row["citation"]}
    return {
        "consumption": {
            "kbd": kbd,
            "gal_per_day": None if kbd is None else kbd * 1000 * GAL_PER_BBL,
            "basis": basis,
        },
        "households": households,
        "regions": fit_regional_passthrough(as_of, directory),
    }


def fit_regional_passthrough(as_of: dt.date, directory=None) -> list[dict]:
    """θ_r per region from monthly changes (see the module docstring); regions with too little data are left out."""
    import polars as pl
    import statsmodels.api as sm

    from oilshock.datasets import load_dataset

    weekly = load_dataset("retail_gasoline_weekly", as_of=as_of, directory=directory).filter(
        (pl.col("area") == "us") & (pl.col("grade") == "regular")
    )
    national = (
        weekly.drop_nulls("retail_usd_per_gal")
        .with_columns(pl.col("date").dt.truncate("1mo").alias("month"))
        .group_by("month")
        .agg(pl.col("retail_usd_per_gal").mean().alias("us"))
        .filter(pl.col("month").dt.month_end() <= as_of)
    )
    regional = load_dataset("retail_gasoline_monthly", as_of=as_of, directory=directory).filter(
        (pl.col("grade") == "regular") & (pl.col("area") != "us")
    )
    start = dt.date(as_of.year - WINDOW_YEARS, as_of.month, 1)
    out = []
    for area in sorted(regional["area"].unique().to_list()):
        r = (
            regional.filter(pl.col("area") == area)
            .select(pl.col("date").alias("month"), pl.col("retail_usd_per_gal").alias("r"))
            .join(national, on="month", how="inner")
            .sort("month")
        )
        spread_row = r.tail(1)
        # Changes only between consecutive months: a gap in the series is not a one-month change.
        r = r.filter(pl.col("month") >= start).with_columns(
            pl.col("r").diff().alias("dr"),
            pl.col("us").diff().alias("dus"),
            (pl.col("month").dt.month_start().diff().dt.total_days() <= 31).alias("consecutive"),
        ).filter(pl.col("consecutive") & pl.col("dr").is_not_null())
        if r.height < MIN_MONTHS:
            continue
        fit = sm.OLS(r["dr"].to_numpy(), sm.add_constant(r["dus"].to_numpy())).fit(cov_type="HAC", cov_kwds={"maxlags": 3})
        out.append(
            {
                "area": area,
                "name": AREA_NAMES.get(area, area),
                "theta": float(fit.params[1]),
                "theta_se": float(fit.bse[1]),
                "n_months": int(r.height),
                "sample": [r["month"][0].isoformat(), r["month"][-1].isoformat()],
                "spread_usd_per_gal": float(spread_row["r"][0] - spread_row["us"][0]),
                "spread_month": spread_row["month"][0].isoformat(),
            }
        )
    return out


def household_costs(retail_change: np.ndarray, ctx: dict) -> dict | None:
    """Cost arrays per draw [USD] from weekly retail changes (n_draws, n_weeks) [USD/gal].

    Returns ``None`` when consumption is unknown as of the date; per-household
    entries are ``None`` when the household count is.
    """
    gal = ctx["consumption"]["gal_per_day"]
    if gal is None:
        return None
    national = retail_change.sum(axis=1) * 7 * gal
    months = retail_change.shape[1] * 7 / DAYS_PER_MONTH
    out = {"national_usd_total": national, "months": months}
    hh = ctx["households"]
    if hh is not None:
        per = national / (hh["million"] * 1e6)
        out["usd_total_per_household"] = per
        out["usd_per_month"] = per / months
        out["gallons_per_household_per_month"] = gal * DAYS_PER_MONTH / (hh["million"] * 1e6)
    return out
