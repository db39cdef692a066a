"""Who pays: household and national cost of a pump-price path, nationally and by region.

Cost
----
Extra spending is the pump-price change times the gallons bought:

.. math::  C = \\sum_w \\Delta R_w \\cdot 7\\,G

with :math:`\\Delta R_w` the scenario's change in the retail price in week
:math:`w` [USD/gal] and :math:`G` US gasoline consumption [gal/day]: the
mean of EIA finished motor gasoline product supplied over the 52 weeks
(weekly series) or 12 months (monthly series) before ``as_of``, converted
with 42 gal/bbl. Per household, the households' share of :math:`C` (below)
is divided by the number of US households (latest exact Census figure known
by ``as_of``); the public household-cost trackers cited in ``literature.md``
§4c/§6 attribute all gasoline to households instead, which overstates the
per-household cost by about 1/0.77 − 1 ≈ 30%. Consumption is held fixed:
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

and the region's path is :math:`\\theta_r` times the national change.

*Aggregates and their parts.* PADD 1 is New England, Central Atlantic and
Lower Atlantic; PADD 5 is California and the rest of the West Coast. EIA's
PADD average is a sales-weighted mean of its parts, so its pass-through must
lie within theirs. The PADD 1 and PADD 5 series exist only from STEO (2022-11
on) while their parts end in 2022-10, so the two are fitted on different
years and need not agree; the aggregate's fit is therefore constrained to the
range of its parts' (least squares under a bound: the unconstrained estimate,
clipped), and in the simulation each draw of the aggregate is clipped to the
range of the same draw of its parts.

*Baselines.* The national baseline plus the region's spread to the national
price: the spread of the region's newest month when its series is current
(PADDs, from the STEO, to 2026); for a series that ended earlier (sub-PADDs
and states end 2022-10), the parent PADD's newest spread plus the region's
mean spread to its parent over its last 12 months where the parent was
observed then, else the region's mean spread over its last 12 months (a
12-month mean, so one anomalous month such as October 2022 in California
does not set it). Each region reports the basis and dates of its baseline.
Regional consumption per household is not in the data, so regional household
costs use the national gallons per household — a stated limitation.

Households' share
-----------------
Part of US gasoline is bought by businesses and government. The household
share is the BLS Consumer Expenditure Survey's mean household spending on
"gasoline, other fuels and motor oil" times the number of households, over
US gasoline expenditure in the same year (EIA product supplied times the EIA
retail price, weekly): about 0.77 for 2024. Per-household costs apply it;
national totals do not (they are the cost to the whole economy). The CEX
category includes other fuels and motor oil (overstating the share
slightly), and CEX spending runs below national-accounts spending
(understating it); see ``docs/politics.md``.

References
----------
.. [1] Hughes, J. E., Knittel, C. R. and Sperling, D. (2008). Evidence of a
   shift in the short-run price elasticity of gasoline demand. Energy
   Journal 29(1), 113–134.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from oilshock.units import GAL_PER_BBL

DAYS_PER_MONTH = 365.25 / 12
WINDOW_YEARS = 15
MIN_MONTHS = 36

# The area hierarchy of EIA's retail price series (structure, not data): group and parent.
AREA_GROUPS = {
    "padd_1": ("padd", None),
    "padd_2": ("padd", None),
    "padd_3": ("padd", None),
    "padd_4": ("padd", None),
    "padd_5": ("padd", None),
    "padd_1a": ("sub_padd", "padd_1"),
    "padd_1b": ("sub_padd", "padd_1"),
    "padd_1c": ("sub_padd", "padd_1"),
    "padd_5_ex_ca": ("sub_padd", "padd_5"),
    "california": ("state", "padd_5"),
    "colorado": ("state", "padd_4"),
    "florida": ("state", "padd_1c"),
    "massachusetts": ("state", "padd_1a"),
    "minnesota": ("state", "padd_2"),
    "new_york": ("state", "padd_1b"),
    "ohio": ("state", "padd_2"),
    "texas": ("state", "padd_3"),
    "washington": ("state", "padd_5_ex_ca"),
}
# Aggregates whose parts partition them (EIA area definitions).
PARTS = {"padd_1": ("padd_1a", "padd_1b", "padd_1c"), "padd_5": ("california", "padd_5_ex_ca")}
CURRENT_MONTHS = 6  # a series whose newest month is this close to as_of is current

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


def build_household_context(frames: dict, as_of: dt.date) -> dict:
    """Consumption, households and regional pass-through as of ``as_of`` (plain JSON).

    Parameters
    ----------
    frames : dict
        The frames of :data:`oilshock.forecast.inputs.HOUSEHOLD_DATASETS` (and
        ``retail_gasoline_weekly``) by name, as :func:`oilshock.forecast.inputs.load_fit_frames`
        reads them.
    as_of : datetime.date
    """
    import polars as pl

    demand = frames["us_gasoline_demand"]
    weekly = demand.filter(pl.col("frequency") == "weekly").sort("date").tail(52)
    monthly = demand.filter(pl.col("frequency") == "monthly").sort("date").tail(12)
    if weekly.height == 52 and weekly["date"][-1] >= as_of - dt.timedelta(days=400):
        kbd, basis = (
            float(weekly["gasoline_product_supplied_kbd"].mean()),
            f"EIA weekly WGFUPUS2, 52 weeks to {weekly['date'][-1]}",
        )
    elif monthly.height == 12:
        kbd, basis = (
            float(monthly["gasoline_product_supplied_kbd"].mean()),
            f"EIA monthly MGFUPUS2, 12 months to {monthly['date'][-1]:%Y-%m}",
        )
    else:
        kbd, basis = None, f"no gasoline consumption data as of {as_of}"
    hh = frames["us_households"]
    exact = hh.filter(pl.col("qualifier") == "exact").sort("year")
    households = None
    if exact.height:
        row = exact.row(exact.height - 1, named=True)
        households = {
            "million": float(row["households_million"]),
            "year": int(row["year"]),
            "citation": row["citation"],
        }
    retail = frames["retail_gasoline_weekly"].filter(
        (pl.col("area") == "us") & (pl.col("grade") == "regular")
    )
    share = household_share(
        as_of,
        demand.filter(pl.col("frequency") == "weekly"),
        retail.drop_nulls("retail_usd_per_gal"),
        frames,
    )
    return {
        "consumption": {
            "kbd": kbd,
            "gal_per_day": None if kbd is None else kbd * 1000 * GAL_PER_BBL,
            "basis": basis,
        },
        "households": households,
        "household_share": share,
        "regions": fit_regional_passthrough(frames, as_of),
    }


def fit_regional_passthrough(frames: dict, as_of: dt.date) -> list[dict]:
    """θ_r per region from monthly changes (see the module docstring); regions with too little data are left out.

    ``frames`` holds ``retail_gasoline_weekly`` and ``retail_gasoline_monthly`` as known by ``as_of``.
    """
    import polars as pl
    import statsmodels.api as sm

    weekly = frames["retail_gasoline_weekly"].filter(
        (pl.col("area") == "us") & (pl.col("grade") == "regular")
    )
    national = (
        weekly.drop_nulls("retail_usd_per_gal")
        .with_columns(pl.col("date").dt.truncate("1mo").alias("month"))
        .group_by("month")
        .agg(pl.col("retail_usd_per_gal").mean().alias("us"))
        .filter(pl.col("month").dt.month_end() <= as_of)
    )
    regional = frames["retail_gasoline_monthly"].filter(
        (pl.col("grade") == "regular") & (pl.col("area") != "us")
    )
    start = dt.date(as_of.year - WINDOW_YEARS, as_of.month, 1)
    series = {}
    out = []
    for area in sorted(regional["area"].unique().to_list()):
        r = (
            regional.filter(pl.col("area") == area)
            .select(pl.col("date").alias("month"), pl.col("retail_usd_per_gal").alias("r"))
            .join(national, on="month", how="inner")
            .sort("month")
        )
        series[area] = r
        # Changes only between consecutive months: a gap in the series is not a one-month change.
        r = (
            r.filter(pl.col("month") >= start)
            .with_columns(
                pl.col("r").diff().alias("dr"),
                pl.col("us").diff().alias("dus"),
                (pl.col("month").dt.month_start().diff().dt.total_days() <= 31).alias(
                    "consecutive"
                ),
            )
            .filter(pl.col("consecutive") & pl.col("dr").is_not_null())
        )
        if r.height < MIN_MONTHS:
            continue
        fit = sm.OLS(r["dr"].to_numpy(), sm.add_constant(r["dus"].to_numpy())).fit(
            cov_type="HAC", cov_kwds={"maxlags": 3}
        )
        group, parent = AREA_GROUPS.get(area, ("state", None))
        out.append(
            {
                "area": area,
                "name": AREA_NAMES.get(area, area),
                "group": group,
                "parent": parent,
                "theta": float(fit.params[1]),
                "theta_se": float(fit.bse[1]),
                "n_months": int(r.height),
                "sample": [r["month"][0].isoformat(), r["month"][-1].isoformat()],
            }
        )
    for row in out:
        row |= regional_spread(row["area"], series, as_of)
    return constrain_aggregates(out)


def regional_spread(area: str, series: dict, as_of: dt.date) -> dict:
    """The region's spread to the national price [USD/gal] for its baseline, with its basis (module docstring)."""
    import polars as pl

    r = series[area]
    last = r["month"][-1]
    if (as_of.year - last.year) * 12 + as_of.month - last.month <= CURRENT_MONTHS:
        return {
            "spread_usd_per_gal": float(r["r"][-1] - r["us"][-1]),
            "spread_month": last.isoformat(),
            "baseline_basis": f"own level {last:%Y-%m}",
        }
    tail = r.tail(12)
    months = f"{tail['month'][0]:%Y-%m} to {tail['month'][-1]:%Y-%m}"
    parent = AREA_GROUPS.get(area, ("state", None))[1]
    p = series.get(parent)
    if p is not None:
        pl_last = p["month"][-1]
        both = tail.join(p.select("month", pl.col("r").alias("p")), on="month", how="inner")
        current = (as_of.year - pl_last.year) * 12 + as_of.month - pl_last.month <= CURRENT_MONTHS
        if current and both.height == tail.height:
            spread = float(p["r"][-1] - p["us"][-1]) + float((both["r"] - both["p"]).mean())
            return {
                "spread_usd_per_gal": spread,
                "spread_month": pl_last.isoformat(),
                "baseline_basis": (
                    f"{AREA_NAMES.get(parent, parent)} level {pl_last:%Y-%m} plus "
                    f"this region's mean spread to it, {months}"
                ),
            }
    return {
        "spread_usd_per_gal": float((tail["r"] - tail["us"]).mean()),
        "spread_month": tail["month"][-1].isoformat(),
        "baseline_basis": f"mean spread to the US price, {months} (the series ends there)",
    }


def constrain_aggregates(rows: list[dict]) -> list[dict]:
    """Clip each aggregate's θ to the range of its parts' (module docstring); record the unconstrained fit."""
    by = {r["area"]: r for r in rows}
    for agg, parts in PARTS.items():
        if agg not in by or not all(p in by for p in parts):
            continue
        lo, hi = min(by[p]["theta"] for p in parts), max(by[p]["theta"] for p in parts)
        a = by[agg]
        a["theta_unconstrained"] = a["theta"]
        a["theta"] = min(max(a["theta"], lo), hi)
        a["parts"] = list(parts)
    return rows


def household_share(as_of: dt.date, kbd_weekly, retail_weekly, frames: dict) -> dict | None:
    """Share of US gasoline spending made by households (module docstring), latest CEX year published by ``as_of``.

    CEX annual means are published in September of the following year, so year
    Y is used from October of Y+1. ``frames`` holds ``household_gasoline_spending`` and
    ``us_households_all`` (every year: the publication lag is applied here).
    """
    import polars as pl

    cex = frames["household_gasoline_spending"].filter(pl.col("qualifier") == "exact")
    hh = frames["us_households_all"].filter(pl.col("qualifier") == "exact")
    published = [
        y
        for y in cex["year"].to_list()
        if dt.date(y + 1, 10, 1) <= as_of and y in hh["year"].to_list()
    ]
    if not published:
        return None
    year = max(published)
    spend = float(cex.filter(pl.col("year") == year)["usd_per_year"][0])
    households = float(hh.filter(pl.col("year") == year)["households_million"][0]) * 1e6
    w = (
        kbd_weekly.filter(pl.col("date").dt.year() == year)
        .select(pl.col("date").dt.truncate("1w").alias("week"), "gasoline_product_supplied_kbd")
        .join(
            retail_weekly.select(
                pl.col("date").dt.truncate("1w").alias("week"), "retail_usd_per_gal"
            ),
            on="week",
            how="inner",
        )
    )
    if w.height < 50:
        return None
    total = (
        float(
            (
                w["gasoline_product_supplied_kbd"]
                * 1000
                * GAL_PER_BBL
                * 7
                * w["retail_usd_per_gal"]
            ).sum()
        )
        * 52.18
        / w.height
    )
    return {
        "share": spend * households / total,
        "year": year,
        "household_spending_usd_bn": spend * households / 1e9,
        "us_gasoline_spending_usd_bn": total / 1e9,
        "basis": (
            f"BLS CEX {year} mean household spending on gasoline, other fuels and motor oil (${spend:,.0f}) × "
            f"{households / 1e6:.1f} million households, over US gasoline spending in {year} (EIA "
            "weekly product supplied × "
            f"EIA weekly regular retail price, ${total / 1e9:,.0f} bn)"
        ),
    }


def draw_region_thetas(regions: list[dict], n: int, rng) -> dict[str, np.ndarray]:
    """Each region's pass-through from the national price, one draw per Monte Carlo draw.

    θ_r = θ̂_r + se_r·z with one standard normal z per draw shared by every region, and an
    aggregate's draw clipped to the range of the same draw of its parts.

    Each region's band depends only on its own θ_r ~ N(θ̂_r, se_r²), which sharing z leaves
    unchanged. What sharing changes is the joint draw: every θ_r rises with z, so an aggregate
    clipped to its parts stays between them in every quantile, not only draw by draw
    (independent draws let PADD 1's p95 fall below every one of its parts'). The regions'
    pass-through coefficients are all estimated against the one national series, so their
    errors move together; perfect correlation is the limit of that.

    Returns
    -------
    dict of str to ndarray
        ``area`` → (n,) draws of θ_r.
    """
    z = rng.standard_normal(n)
    thetas = {r["area"]: r["theta"] + r["theta_se"] * z for r in regions}
    for r in regions:
        if r.get("parts") and all(p in thetas for p in r["parts"]):
            parts = np.vstack([thetas[p] for p in r["parts"]])
            thetas[r["area"]] = np.clip(thetas[r["area"]], parts.min(axis=0), parts.max(axis=0))
    return thetas


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
        # Only the households' share of gasoline is a household cost (module docstring); 1 when it is unknown.
        share = (ctx.get("household_share") or {}).get("share", 1.0)
        per = national * share / (hh["million"] * 1e6)
        out["usd_total_per_household"] = per
        out["usd_per_month"] = per / months
        out["gallons_per_household_per_month"] = (
            gal * share * DAYS_PER_MONTH / (hh["million"] * 1e6)
        )
        out["household_share"] = share
    return out
