"""Who is exposed: the election calendar, approval and House seats.

Election calendar
-----------------
US federal general elections fall on the Tuesday after the first Monday in
November of even years (2 U.S.C. § 7). :func:`next_federal_election` returns
the first one strictly after ``as_of``.

Approval on gasoline prices
---------------------------
Presidential approval and gasoline prices both trend and wander; a
regression of one level on the other finds "effects" between unrelated
random walks (Granger & Newbold 1974 [1]_; the Henwood–Nyhan exchange in
``literature.md`` §5a). The model is therefore fitted in first differences
of monthly Gallup approval [points] on the log change of the *real* US
regular gasoline price (EIA weekly, averaged by month, deflated by CPI-U):

.. math::

   \\Delta A_m = a + b_0 \\Delta \\log g_m + b_1 \\Delta \\log g_{m-1}
               + c\\, \\Delta \\log P_m + d\\, H_m + e_m

with :math:`\\Delta \\log P` overall CPI inflation (so the gasoline term is
not a proxy for inflation in general) and :math:`H` a first-year-of-term
indicator (the honeymoon decline). Only consecutive months of the same
president enter. Newey–West errors. The long-run effect of a permanent log
change is :math:`b_0 + b_1` points. For comparison the levels regression
(HKW 2016 style) and an Engle–Granger cointegration test are reported.

House seats on approval
-----------------------
OLS of the president's party's House seat change at midterms on pre-election
Gallup approval (Tufte 1975 [2]_; Lewis-Beck & Tien 2002), 1946 on, using
midterms held before ``as_of``. The scenario's approval change maps to seats
through the slope only; n ≈ 20, so the band is wide and the residual spread
of a single midterm (reported) is wider still. In a presidential-election
year the midterm model is an extrapolation and is labelled so.

References
----------
.. [1] Granger, C. W. J. and Newbold, P. (1974). Spurious regressions in
   econometrics. Journal of Econometrics 2(2), 111–120.
.. [2] Tufte, E. R. (1975). Determinants of the outcomes of midterm
   congressional elections. American Political Science Review 69(3), 812–826.
"""

from __future__ import annotations

import datetime as dt

import numpy as np


def election_day(year: int) -> dt.date:
    """Tuesday after the first Monday in November of ``year``."""
    nov1 = dt.date(year, 11, 1)
    first_monday = nov1 + dt.timedelta(days=(0 - nov1.weekday()) % 7)
    return first_monday + dt.timedelta(days=1)


def next_federal_election(as_of: dt.date) -> dt.date:
    """The first US federal general election strictly after ``as_of``."""
    year = as_of.year + (as_of.year % 2)
    while election_day(year) <= as_of:
        year += 2
    return election_day(year)


def is_midterm(day: dt.date) -> bool:
    """Even years not divisible by four hold midterms (no presidential race)."""
    return day.year % 4 == 2


def _monthly_real_gasoline(as_of: dt.date, directory=None):
    import polars as pl

    from oilshock.datasets import load_dataset

    retail = load_dataset("retail_gasoline_weekly", as_of=as_of, directory=directory).filter(
        (pl.col("area") == "us") & (pl.col("grade") == "regular")
    )
    cpi = load_dataset("cpi_monthly", as_of=as_of, directory=directory).filter(pl.col("series_id") == "CPIAUCSL")
    g = (
        retail.drop_nulls("retail_usd_per_gal")
        .with_columns(pl.col("date").dt.truncate("1mo").alias("date"))
        .group_by("date")
        .agg(pl.col("retail_usd_per_gal").mean())
        .filter(pl.col("date").dt.month_end() <= as_of)
    )
    return (
        g.join(cpi.select("date", pl.col("cpi_index_1982_84").alias("cpi")), on="date", how="inner")
        .drop_nulls()
        .sort("date")
        .with_columns((pl.col("retail_usd_per_gal") / pl.col("cpi")).log().alias("log_real_gas"), pl.col("cpi").log().alias("log_cpi"))
    )


def fit_approval(as_of: dt.date, directory=None) -> dict:
    """Fit the first-difference approval model (see the module docstring) on data known by ``as_of``."""
    import polars as pl
    import statsmodels.api as sm
    from statsmodels.tsa.stattools import coint

    from oilshock.datasets import load_dataset

    appr = load_dataset("approval_monthly", as_of=as_of, directory=directory).filter(pl.col("series") == "gallup")
    presidents = load_dataset("presidents", directory=directory)
    gas = _monthly_real_gasoline(as_of, directory)
    d = appr.join(gas, on="date", how="inner").sort("president", "date")
    terms = presidents.select("president", "term_start").sort("term_start")
    # First year of the current term: the honeymoon decline.
    d = d.sort("date").join_asof(terms.rename({"president": "_p"}), left_on="date", right_on="term_start", strategy="backward").sort("president", "date")
    d = d.with_columns(((pl.col("date") - pl.col("term_start")).dt.total_days() < 365).cast(pl.Float64).alias("honeymoon"))
    d = d.with_columns(
        pl.col("approve_pct").diff().over("president").alias("d_appr"),
        pl.col("log_real_gas").diff().over("president").alias("d_gas"),
        pl.col("log_cpi").diff().over("president").alias("d_cpi"),
        pl.col("date").diff().over("president").dt.total_days().alias("gap"),
    ).with_columns(
        pl.col("d_gas").shift(1).over("president").alias("d_gas_l1"),
        pl.col("gap").shift(1).over("president").alias("gap_l1"),
    )
    # Only month-to-month changes, and a lag that is itself one month back.
    d = d.filter((pl.col("gap") <= 31) & (pl.col("gap_l1") <= 31)).drop_nulls(["d_appr", "d_gas", "d_gas_l1", "d_cpi"])
    if d.height < 60:
        raise ValueError(f"only {d.height} usable months for the approval model before {as_of}")
    X = sm.add_constant(d.select("d_gas", "d_gas_l1", "d_cpi", "honeymoon").to_numpy())
    fit = sm.OLS(d["d_appr"].to_numpy(), X).fit(cov_type="HAC", cov_kwds={"maxlags": 3})
    cov = np.asarray(fit.cov_params())
    lr = float(fit.params[1] + fit.params[2])
    lr_se = float(np.sqrt(cov[1, 1] + cov[2, 2] + 2 * cov[1, 2]))

    # For comparison only: the levels regression the literature warns about, and a cointegration test.
    lv = appr.join(gas, on="date", how="inner").sort("date")
    levels = sm.OLS(lv["approve_pct"].to_numpy(), sm.add_constant(lv["log_real_gas"].to_numpy())).fit()
    eg_p = float(coint(lv["approve_pct"].to_numpy(), lv["log_real_gas"].to_numpy())[1])
    return {
        "method": "first differences, Gallup monthly approval on log real gasoline price (+ lag), CPI inflation, honeymoon",
        "points_per_log_point": lr,
        "points_per_log_point_se": lr_se,
        "coefficients": dict(zip(["const", "d_log_real_gas", "d_log_real_gas_l1", "d_log_cpi", "honeymoon"], map(float, fit.params))),
        "n_months": int(d.height),
        "sample": [d["date"].min().isoformat(), d["date"].max().isoformat()],
        "levels_points_per_log_point": float(levels.params[1]),
        "levels_r2": float(levels.rsquared),
        "engle_granger_p": eg_p,
    }


def fit_seats(as_of: dt.date, directory=None) -> dict:
    """OLS of House seat change on pre-election approval at midterms held before ``as_of``."""
    import polars as pl
    import statsmodels.api as sm

    from oilshock.datasets import load_dataset

    m = load_dataset("midterms", as_of=as_of, directory=directory).filter(
        pl.col("year").map_elements(lambda y: election_day(y) < as_of, return_dtype=pl.Boolean)
    )
    if m.height < 8:
        raise ValueError(f"only {m.height} midterms before {as_of}")
    fit = sm.OLS(m["house_seat_change"].to_numpy().astype(float), sm.add_constant(m["approval_pct"].to_numpy())).fit()
    return {
        "method": "OLS, House seat change of the president's party on pre-election Gallup approval, midterms 1946 on",
        "seats_per_point": float(fit.params[1]),
        "seats_per_point_se": float(fit.bse[1]),
        "intercept": float(fit.params[0]),
        "df_resid": int(fit.df_resid),
        "resid_sd_seats": float(np.sqrt(fit.scale)),
        "r2": float(fit.rsquared),
        "n": int(m.height),
        "years": [int(m["year"].min()), int(m["year"].max())],
    }


def approval_change(retail_change: np.ndarray, base_price: float, fit: dict, rng, floor_price: float | None = None) -> np.ndarray:
    """Approval change [points] per draw for a retail change [USD/gal] from ``base_price``.

    ``floor_price`` [USD/gal] (the lowest weekly price on record) bounds the
    price the model reads: in extreme scenarios a few parameter draws send the
    pump-price path below anything ever observed, where a log-price model of
    approval has no meaning.
    """
    b = fit["points_per_log_point"] + fit["points_per_log_point_se"] * rng.standard_normal(retail_change.shape[0])
    price = base_price + retail_change
    if floor_price is not None:
        price = np.maximum(price, floor_price)
    return b * np.log(price / base_price)


def seats_change(approval: np.ndarray, fit: dict, rng) -> np.ndarray:
    """House seat change per draw implied by an approval change, slope drawn from its t sampling distribution."""
    slope = fit["seats_per_point"] + fit["seats_per_point_se"] * rng.standard_t(fit["df_resid"], approval.shape[0])
    return slope * approval
