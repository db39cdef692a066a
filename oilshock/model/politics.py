"""Who is exposed: the election calendar, approval and House seats.

Election calendar
-----------------
US federal general elections fall on the Tuesday after the first Monday in
November of even years (2 U.S.C. § 7). :func:`next_federal_election` returns
the first one strictly after ``as_of``.

Approval on gasoline prices
---------------------------
Monthly Gallup approval [points] on the log real US regular gasoline price
(EIA weekly, averaged by month, deflated by CPI-U). Every specification
tried — first differences with and without rally controls, a robust
estimator, partial adjustment (a price excursion's effect decays at a
fitted monthly rate ρ), an ADL(1,1), and a split before/after 2009 — is
fitted by :mod:`oilshock.model.politics_fit` and reported; the default is
chosen by the rules in ``docs/politics.md`` §1, stated before estimation.
Levels regressions of trending series find "effects" between unrelated
random walks (Granger & Newbold 1974 [1]_; the Henwood–Nyhan exchange in
``literature.md`` §5a), so the levels fit is shown for comparison only.

Every specification reduces to one dynamic form,

.. math::  L_t = \\rho L_{t-1} + g_0 x_t + g_1 x_{t-1} + g_2 x_{t-2},

with :math:`L` the approval effect and :math:`x` the log price's excursion
from its level before the scenario, so the election-day effect follows from
the whole monthly price path up to the election (:func:`approval_path`): a
March rise that has receded by November has mostly faded.

House seats on approval
-----------------------
OLS of the president's party's House seat change at midterms on pre-election
Gallup approval and, by the leave-one-out rule of ``docs/politics.md`` §1b,
real disposable income change and/or seats held going in (Tufte 1975 [2]_;
Lewis-Beck & Tien 2002), midterms held before ``as_of``. The scenario moves
the *expected* seat change through the approval slope (:func:`seats_change`);
the seat change itself varies around its expectation by the residual spread
(:func:`seats_predictive`). Both are reported. The slope is a correlation
across elections, not the effect of an approval change caused by gasoline.
In a presidential-election year the midterm model is an extrapolation and is
labelled so.

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

# The fits live in politics_fit and politics_seats (statsmodels imported only inside them).


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


def _monthly_real_gasoline(frames: dict, as_of: dt.date):
    import polars as pl

    retail = frames["retail_gasoline_weekly"].filter(
        (pl.col("area") == "us") & (pl.col("grade") == "regular")
    )
    cpi = frames["cpi_monthly"].filter(pl.col("series_id") == "CPIAUCSL")
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
        .with_columns(
            (pl.col("retail_usd_per_gal") / pl.col("cpi")).log().alias("log_real_gas"),
            pl.col("cpi").log().alias("log_cpi"),
        )
    )


WEEKS_PER_MONTH = 365.25 / 12 / 7


def monthly_excursion(
    retail_change: np.ndarray,
    election_week: int,
    base_price: float,
    floor_price: float | None = None,
) -> np.ndarray:
    """Log price excursion per model month [log points], (n_draws, n_months), the last month ending on election week.

    The approval model is monthly: the weekly path up to the election week is
    cut into blocks of 4.35 weeks counted back from that week, each block's
    mean price is one month, and weeks before the scenario count as the
    baseline (excursion 0). ``floor_price`` [USD/gal] (the lowest weekly price
    on record) bounds the price the model reads: a few parameter draws in
    extreme scenarios send the path below anything ever observed, where a
    log-price model of approval has no meaning.
    """
    price = base_price + retail_change[:, : election_week + 1]
    if floor_price is not None:
        price = np.maximum(price, floor_price)
    x = np.log(price / base_price)
    n_months = int(np.ceil((election_week + 1) / WEEKS_PER_MONTH))
    ends = election_week + 1 - np.round(np.arange(n_months, -1, -1) * WEEKS_PER_MONTH).astype(int)
    out = np.zeros((x.shape[0], n_months))
    for m in range(n_months):
        lo, hi = ends[m], ends[m + 1]
        # Weeks before the scenario (lo < 0) hold the baseline: they add zeros to the block mean.
        out[:, m] = x[:, max(lo, 0) : hi].sum(axis=1) / (hi - lo)
    return out


def draw_forms(fit: dict, n: int, rng) -> np.ndarray:
    """Draws of the approval model's dynamic form (ρ, g0, g1, g2), (n, 4), from its estimate and covariance.

    ρ is kept in [0, 1]: a draw beyond 1 would make a price shock's effect grow
    without bound, which no fitted model implies.
    """
    f = rng.multivariate_normal(
        np.asarray(fit["form"]), np.asarray(fit["form_cov"]), size=n, method="eigh"
    )
    f[:, 0] = np.clip(f[:, 0], 0.0, 1.0)
    return f


def approval_path(x: np.ndarray, forms: np.ndarray) -> np.ndarray:
    """Approval effect [points] per draw and month for excursions ``x`` (n, months) and forms (n, 4).

    :math:`L_t = \\rho L_{t-1} + g_0 x_t + g_1 x_{t-1} + g_2 x_{t-2}` (see
    :mod:`oilshock.model.politics_fit`), with :math:`L = x = 0` before the scenario.
    """
    rho, g0, g1, g2 = forms.T
    out = np.zeros_like(x)
    prev = np.zeros(x.shape[0])
    xl1 = np.zeros(x.shape[0])
    xl2 = np.zeros(x.shape[0])
    for t in range(x.shape[1]):
        prev = rho * prev + g0 * x[:, t] + g1 * xl1 + g2 * xl2
        out[:, t] = prev
        xl1, xl2 = x[:, t], xl1
    return out


def seats_change(approval: np.ndarray, fit: dict, rng) -> np.ndarray:
    """Change in *expected* House seats per draw: approval change [points] times a slope drawn from
    its t distribution."""
    slope = fit["seats_per_point"] + fit["seats_per_point_se"] * rng.standard_t(
        fit["df_resid"], approval.shape[0]
    )
    return slope * approval


def seats_predictive(approval: np.ndarray, fit: dict, rng) -> np.ndarray | None:
    """The seat change itself per draw: the model's prediction at the election's covariates plus the
    scenario, plus residual.

    The prediction's own uncertainty (from ``xtx_inv``) and a residual draw
    from the fitted t distribution make it a predictive, not a confidence,
    range. ``None`` when a covariate for the election is unknown.
    """
    cov = fit.get("covariates_for_election") or {}
    vals = cov.get("values", {})
    if any(c not in vals for c in fit["regressors"]):
        return None
    x0 = np.array([1.0] + [vals[c] for c in fit["regressors"]])
    mean = float(x0 @ np.asarray(fit["coefficients"]))
    s = fit["resid_sd_seats"]
    h = float(x0 @ np.asarray(fit["xtx_inv"]) @ x0)
    t = rng.standard_t(fit["df_resid"], (2, approval.shape[0]))
    slope = fit["seats_per_point"] + fit["seats_per_point_se"] * t[0]
    return (
        mean + s * np.sqrt(h) * rng.standard_normal(approval.shape[0]) + slope * approval + s * t[1]
    )
