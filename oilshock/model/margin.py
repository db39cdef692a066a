"""Refinery-margin link (issue #12 (d)): the gasoline crack's response to a crude-price rise.

The pump model maps crude [USD/gal] to the retail price; it has no term for
the refiners' margin, which in 2022 widened from about 0.43 to 1.16 USD/gal
(New York Harbor crack, February to May). This module fits how the weekly
crack moves with Brent and simulates the margin a scenario's Brent path adds.

Model (local projections, Jordà 2005)
-------------------------------------
For horizons h = 1..H weeks, with ``dev_t`` the crack's deviation from its
seasonal norm (the mean of the same week 52k weeks earlier, k = 1..K, as in
:mod:`oilshock.model.seasonal`) [USD/gal] and ``x_t = log(B_t / B_{t-h})``
the Brent log change over the same h weeks:

.. math:: \\mathrm{dev}_t - \\mathrm{dev}_{t-h} = a_h + b_h \\max(x_t, 0) + u_t

fitted by OLS with Newey–West (1987) standard errors (the h-week changes
overlap, so ``u_t`` is MA(h-1)), on weeks dated on or before ``as_of``.
Only the rise enters: the variant adds margin when crude rises (the 2022
pattern); a crude fall is left to the pump model. The added margin for a
Brent path with log change ``x_h`` from ``as_of`` is ``max(b_h, 0) * max(x_h, 0)``
(intercept excluded: it is the drift of the no-disruption path, which the
seasonal variant already carries), so no rise means no added margin and a
larger rise never lowers it.

Pure functions: frames or arrays in, dicts or arrays out; no dataset is loaded here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

SEASONAL_YEARS = 5  # years of the same calendar week averaged into the crack's seasonal norm
WEEKS_PER_YEAR = 52  # as oilshock.model.seasonal: 52k weeks back keeps the weekday
MAX_HORIZON_WEEKS = (
    26  # the harness's 20 scored weeks plus its look-ahead reach 46; later weeks reuse the last
)


def weekly_crack(wholesale_daily, brent_daily, market: str = "ny_harbor_conventional"):
    """Weekly gasoline crack [USD/gal]: wholesale gasoline minus Brent/42, mean over days d-7..d-3 of Monday d.

    Parameters
    ----------
    wholesale_daily : polars.DataFrame
        ``date``, ``market``, ``wholesale_usd_per_gal`` (dataset ``wholesale_gasoline_daily``).
    brent_daily : polars.DataFrame
        ``date``, ``brent_usd_per_bbl`` (dataset ``brent_daily``).
    market : str
        Which wholesale market.

    Returns
    -------
    polars.DataFrame
        ``survey_date`` (Monday), ``crack_usd_per_gal``, ``brent_usd_per_bbl`` (weekly means over
        the same days, as the harness's target; EIA, *Gasoline and Diesel Fuel Update* survey day).
    """
    import polars as pl

    from oilshock.model.pump import FIT_CRUDE_DAYS
    from oilshock.units import GAL_PER_BBL

    first, last = FIT_CRUDE_DAYS
    day = (
        wholesale_daily.filter(pl.col("market") == market)
        .select("date", "wholesale_usd_per_gal")
        .join(brent_daily.select("date", "brent_usd_per_bbl"), on="date", how="inner")
        .drop_nulls()
    )
    # Days d-7..d-3 of Monday d are the Monday..Friday of the week before: a trading day maps to the next Monday.
    wd = pl.col("date").dt.weekday()  # Monday = 1
    day = day.with_columns(survey_date=pl.col("date") + pl.duration(days=8 - wd))
    lag = (pl.col("date") - pl.col("survey_date")).dt.total_days()
    day = day.filter((lag >= first) & (lag <= last))
    out = (
        day.group_by("survey_date")
        .agg(
            crack_usd_per_gal=(
                pl.col("wholesale_usd_per_gal") - pl.col("brent_usd_per_bbl") / GAL_PER_BBL
            ).mean(),
            brent_usd_per_bbl=pl.col("brent_usd_per_bbl").mean(),
        )
        .sort("survey_date")
    )
    return out


def _seasonal_deviation(
    dates: np.ndarray, crack: np.ndarray, years: int = SEASONAL_YEARS
) -> np.ndarray:
    """Crack minus the mean of the same week 52k weeks earlier, k = 1..years [USD/gal]; NaN if any is missing."""
    idx = {d: i for i, d in enumerate(dates)}
    norm = np.full(crack.size, np.nan)
    for i, d in enumerate(dates):
        vals = [
            idx.get(d - np.timedelta64(7 * WEEKS_PER_YEAR * k, "D")) for k in range(1, years + 1)
        ]
        if all(v is not None for v in vals):
            norm[i] = crack[vals].mean()
    return crack - norm


def fit_margin_response(
    crack_weekly,
    loss_or_shock_series=None,
    as_of: dt.date | None = None,
    *,
    horizons: int = MAX_HORIZON_WEEKS,
) -> dict:
    """Fit the crack's response to a Brent rise over h = 1..horizons weeks, on weeks on or before ``as_of``.

    Local projection (Jordà 2005, *AER* 95(1): 161–182) with Newey–West
    (1987, *Econometrica* 55(3): 703–708) HAC errors; see the module docstring.

    Parameters
    ----------
    crack_weekly : polars.DataFrame
        ``survey_date``, ``crack_usd_per_gal`` and ``brent_usd_per_bbl`` (:func:`weekly_crack`).
    loss_or_shock_series : polars.DataFrame, optional
        ``survey_date`` and ``brent_usd_per_bbl`` to use as the crude shock instead of the
        crack frame's own Brent column (e.g. a shock-identified series); None uses Brent.
    as_of : datetime.date
        Last date any observation may carry.
    horizons : int
        Largest horizon H [weeks].

    Returns
    -------
    dict
        ``coef_usd_per_gal_per_dlog`` (H,) b_h [USD/gal per unit log change], ``se`` (H,),
        ``cov`` (H, H) — b_h's HAC variances on the diagonal and, off it, the covariance implied by
        the correlation of the horizons' estimates (taken as 1 between neighbours' scores: see
        :func:`simulate_margin_paths`), ``intercept_usd_per_gal`` (H,), ``n_obs`` (H,),
        ``sample`` (first, last week), ``method``.
    """
    import statsmodels.api as sm

    if as_of is None:
        raise ValueError("as_of is required: the fit uses only weeks dated on or before it")
    f = crack_weekly
    if loss_or_shock_series is not None:
        f = f.drop("brent_usd_per_bbl").join(
            loss_or_shock_series.select("survey_date", "brent_usd_per_bbl"),
            on="survey_date",
            how="inner",
        )
    f = f.filter(f["survey_date"] <= as_of).sort("survey_date")
    dates = np.array(f["survey_date"].to_list(), dtype="datetime64[D]")
    crack = f["crack_usd_per_gal"].to_numpy().astype(float)
    logb = np.log(f["brent_usd_per_bbl"].to_numpy().astype(float))
    dev = _seasonal_deviation(dates, crack)
    # h weeks back must be exactly 7h days back (gaps in the weekly series must not shorten a horizon)
    pos = {d: i for i, d in enumerate(dates)}
    coef, se, icpt, nobs = (np.full(horizons, np.nan) for _ in range(4))
    for h in range(1, horizons + 1):
        # int64 even when there are no weeks at all (an empty list would give a float array,
        # which cannot index dev: an as-of date before the crack series starts).
        j = np.array([pos.get(d - np.timedelta64(7 * h, "D"), -1) for d in dates], dtype=np.int64)
        ok = (j >= 0) & np.isfinite(dev) & np.isfinite(dev[np.maximum(j, 0)])
        if ok.sum() < 30:
            continue
        y = dev[ok] - dev[j[ok]]
        x = np.maximum(logb[ok] - logb[j[ok]], 0.0)
        res = sm.OLS(y, sm.add_constant(x)).fit(cov_type="HAC", cov_kwds={"maxlags": h})
        icpt[h - 1], coef[h - 1] = res.params
        se[h - 1] = float(np.sqrt(res.cov_params()[1, 1]))
        nobs[h - 1] = ok.sum()
    cov = np.outer(
        se, se
    )  # horizons share their sample: treated as perfectly correlated (conservative)
    return {
        "coef_usd_per_gal_per_dlog": coef,
        "se": se,
        "cov": cov,
        "intercept_usd_per_gal": icpt,
        "n_obs": nobs,
        "sample": (str(dates[0]) if dates.size else None, str(dates[-1]) if dates.size else None),
        "as_of": as_of.isoformat(),
        "method": "local projection of the seasonal crack deviation on the positive Brent log change, "
        "h = 1..H weeks, OLS with Newey-West (maxlags = h) errors",
    }


def simulate_margin_paths(
    fit: dict, brent_dlog_paths: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Added margin [USD/gal] per draw and week for Brent log-change paths from ``as_of``.

    ``m_{j,h} = max(b_{j,h}, 0) * max(x_{j,h}, 0)`` with ``b_{j,h} = b_h + se_h z_j``, one standard
    normal ``z_j`` per draw shared across horizons (the fitted covariance, :func:`fit_margin_response`,
    is rank one); horizons beyond the fitted ones use the last fitted one. Local projection
    (Jordà 2005) applied to the scenario's path.

    Parameters
    ----------
    fit : dict
        From :func:`fit_margin_response`.
    brent_dlog_paths : ndarray (n_draws, n_weeks)
        Brent log change from the baseline at ``as_of`` [log points], week h = column h-1.
    rng : numpy.random.Generator
        For the parameter draws.

    Returns
    -------
    ndarray (n_draws, n_weeks)
        Added margin [USD/gal], >= 0; zero where the Brent change is not positive.
    """
    x = np.asarray(brent_dlog_paths, dtype=float)
    n, w = x.shape
    return added_margin(margin_coefficients(fit, n, w, rng), x.T).T


def margin_coefficients(fit: dict, n: int, n_weeks: int, rng: np.random.Generator) -> np.ndarray:
    """Drawn ``max(b_{j,h}, 0)`` per week and draw, time-major (n_weeks, n) [USD/gal per log point].

    ``b_{j,h} = b_h + se_h z_j``, one standard normal per draw shared across
    horizons (the fit's covariance is rank one); week ``h`` uses horizon
    ``h + 1``. A horizon without a fit (too few weeks; None or NaN) and the
    weeks beyond the fitted horizons use the last fitted one before them
    (zero if there is none).
    """
    b = _carry_forward(fit["coef_usd_per_gal_per_dlog"])
    se = _carry_forward(fit["se"])
    cols = np.minimum(np.arange(n_weeks), b.size - 1)
    z = rng.standard_normal(n)
    return np.maximum(b[cols][:, None] + se[cols][:, None] * z[None, :], 0.0)


def _carry_forward(values) -> np.ndarray:
    """``values`` as floats, each missing one replaced by the last present one before it (0 at the start)."""
    out = np.array([np.nan if v is None else v for v in values], dtype=float)
    last = 0.0
    for i, v in enumerate(out):
        if np.isfinite(v):
            last = v
        else:
            out[i] = last
    return out


def added_margin(coef: np.ndarray, brent_dlog: np.ndarray) -> np.ndarray:
    """``coef * max(x, 0)``: the margin [USD/gal] a Brent log change ``x`` from ``as_of`` adds (same shape)."""
    return coef * np.maximum(brent_dlog, 0.0)


def fit_margin_at(wholesale_daily, brent_daily, as_of: dt.date) -> dict:
    """The margin fit a model dated ``as_of`` may use, as plain JSON; or why there is none.

    Returns
    -------
    dict
        :func:`fit_margin_response` on :func:`weekly_crack` (weeks on or before ``as_of``), arrays
        as lists; or ``{"unavailable": reason}`` when no horizon has enough weeks.
    """
    fit = fit_margin_response(weekly_crack(wholesale_daily, brent_daily), as_of=as_of)
    if not np.isfinite(fit["coef_usd_per_gal_per_dlog"]).any():
        return {"unavailable": f"too few weeks of the gasoline crack before {as_of}"}
    from oilshock.model.expectations import plain_list

    out = {k: plain_list(v) for k, v in fit.items()}
    out.pop("cov")  # rank one: se carries it (margin_coefficients)
    out["sample"] = list(fit["sample"])
    return out


def central_margin_path(fit: dict, brent_dlog: np.ndarray) -> np.ndarray:
    """Added margin [USD/gal] for one Brent log-change path at the point estimates (no parameter draw)."""
    x = np.asarray(brent_dlog, dtype=float)
    b = np.nan_to_num(np.asarray(fit["coef_usd_per_gal_per_dlog"], dtype=float), nan=0.0)
    cols = np.minimum(np.arange(x.shape[-1]), b.size - 1)
    return np.maximum(b[cols], 0.0) * np.maximum(x, 0.0)
