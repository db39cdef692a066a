"""Pass-through from crude to the US pump price: asymmetric error correction, weekly.

Model
-----
Weekly US regular retail gasoline :math:`R_t` [USD/gal] (EIA, Monday
survey) and the crude price in the same unit, :math:`C_t = B_t / 42`
[USD/gal], where :math:`B_t` is the mean Brent spot [USD/bbl] over the trading
days of the week before the survey. Two steps (Engle & Granger 1987 [1]_):

1. Long run, by OLS: :math:`R_t = \\alpha + \\beta C_t + \\varepsilon_t`.
   :math:`\\beta` is the long-run pass-through; :math:`100\\,\\beta/42` is in
   cents per gallon per dollar per barrel. Taxes and most of the
   distribution margin are per gallon and sit in :math:`\\alpha`: they do not
   scale with crude.
2. Short run, asymmetric ("rockets and feathers", Borenstein, Cameron &
   Gilbert 1997 [2]_):

   .. math::

      \\Delta R_t = c + \\sum_{i=0}^{K} (\\gamma_i^+ \\Delta C^+_{t-i} + \\gamma_i^- \\Delta C^-_{t-i})
                  + \\sum_{j=1}^{J} \\rho_j \\Delta R_{t-j}
                  + \\lambda^+ \\hat\\varepsilon^+_{t-1} + \\lambda^- \\hat\\varepsilon^-_{t-1} + u_t

   with :math:`x^+ = \\max(x, 0)`, :math:`x^- = \\min(x, 0)`, K = 6, J = 2,
   fitted by OLS with Newey–West (HAC) covariance.

Sample: the 15 years of weekly data before ``as_of`` (fixed a priori: long
enough to estimate 20 coefficients, short enough that taxes and margins are
roughly stable within it).

Simulation
----------
:func:`simulate_retail_change` iterates the fitted equations forward for a
crude path and for the no-disruption path (crude flat at its baseline), from
the same observed recent history, and returns the difference: the
scenario's effect on the pump price. Parameter uncertainty enters through
draws from the estimated coefficient covariance.

References
----------
.. [1] Engle, R. F. and Granger, C. W. J. (1987). Co-integration and error
   correction. Econometrica 55(2), 251–276.
.. [2] Borenstein, S., Cameron, A. C. and Gilbert, R. (1997). Do gasoline
   prices respond asymmetrically to crude oil price changes? Quarterly
   Journal of Economics 112(1), 305–339.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

K = 6
J = 2
WINDOW_YEARS = 15
GAL_PER_BBL = 42.0  # US gallons per barrel, by definition


def weekly_inputs(brent_daily, retail_weekly):
    """Join weekly retail (Monday) with the mean Brent of the previous trading week [USD/gal].

    Returns a frame ``date``, ``retail_usd_per_gal``, ``crude_usd_per_gal``,
    dropping weeks the publisher left blank (EIA's six blank weeks of
    1990-91) because a difference across a gap would be wrong.
    """
    import polars as pl

    # A trading day belongs to the survey of the following Monday.
    b = brent_daily.with_columns(
        (pl.col("date") + pl.duration(days=8 - pl.col("date").dt.weekday())).alias("survey")
    )
    bw = b.group_by("survey").agg((pl.col("brent_usd_per_bbl").mean() / GAL_PER_BBL).alias("crude_usd_per_gal"))
    return (
        retail_weekly.select("date", "retail_usd_per_gal")
        .drop_nulls()
        .join(bw.rename({"survey": "date"}), on="date", how="inner")
        .sort("date")
    )


def _regressors(ret: np.ndarray, crude: np.ndarray, alpha: float, beta: float):
    ect = ret - alpha - beta * crude
    dr = np.diff(ret)
    dc = np.diff(crude)
    start = max(K, J)
    rows, y = [], []
    for t in range(start, len(dr)):
        row = []
        for i in range(K + 1):
            v = dc[t - i]
            row += [max(v, 0.0), min(v, 0.0)]
        row += [dr[t - j] for j in range(1, J + 1)]
        e = ect[t]  # level error at the start of week t's change
        row += [max(e, 0.0), min(e, 0.0)]
        rows.append(row)
        y.append(dr[t])
    return np.array(rows), np.array(y)


def fit_passthrough(weekly, as_of: dt.date) -> dict:
    """Fit the long-run relation and the asymmetric ECM on the window ending at ``as_of``.

    Parameters
    ----------
    weekly : polars.DataFrame
        Output of :func:`weekly_inputs`, already limited to ``as_of``.
    as_of : datetime.date

    Returns
    -------
    dict
        Coefficients, covariance, the long-run pass-through [USD/gal per USD/gal
        and ¢/gal per $/bbl] with its standard error, the cumulative response
        profiles to a +/- 1 $/gal crude step, and the recent history needed
        to start a simulation.
    """
    import polars as pl
    import statsmodels.api as sm

    start = dt.date(as_of.year - WINDOW_YEARS, as_of.month, min(as_of.day, 28))
    w = weekly.filter((pl.col("date") > start) & (pl.col("date") <= as_of))
    if w.height < 260:
        raise ValueError(f"only {w.height} weeks of retail and crude before {as_of} (need 260)")
    ret = w["retail_usd_per_gal"].to_numpy()
    crude = w["crude_usd_per_gal"].to_numpy()
    lr = sm.OLS(ret, sm.add_constant(crude)).fit(cov_type="HAC", cov_kwds={"maxlags": 12})
    alpha, beta = float(lr.params[0]), float(lr.params[1])
    X, y = _regressors(ret, crude, alpha, beta)
    sr = sm.OLS(y, sm.add_constant(X)).fit(cov_type="HAC", cov_kwds={"maxlags": 4})
    params = np.asarray(sr.params)
    names = ["const"]
    for i in range(K + 1):
        names += [f"dcrude_pos_l{i}", f"dcrude_neg_l{i}"]
    names += [f"dretail_l{j}" for j in range(1, J + 1)] + ["ect_pos", "ect_neg"]
    fit = {
        "method": "Engle-Granger asymmetric ECM (Borenstein-Cameron-Gilbert 1997)",
        "sample_first": w["date"][0].isoformat(),
        "sample_last": w["date"][-1].isoformat(),
        "n_obs": int(len(y)),
        "alpha_usd_per_gal": alpha,
        "beta": beta,
        "beta_se": float(lr.bse[1]),
        "passthrough_cents_per_gal_per_usd_per_bbl": 100 * beta / GAL_PER_BBL,
        "passthrough_cents_se": 100 * float(lr.bse[1]) / GAL_PER_BBL,
        "names": names,
        "params": params.tolist(),
        "cov": np.asarray(sr.cov_params()).tolist(),
        "rsquared": float(sr.rsquared),
        "resid_sd_usd_per_gal": float(np.sqrt(sr.scale)),
        "history_retail": ret[-(max(K, J) + 2) :].tolist(),
        "history_crude": crude[-(max(K, J) + 2) :].tolist(),
    }
    fit["profile_up"] = step_profile(fit, +1.0, 12).tolist()
    fit["profile_down"] = step_profile(fit, -1.0, 12).tolist()
    return fit


def step_profile(fit: dict, step: float, weeks: int) -> np.ndarray:
    """Cumulative share of a permanent crude step passed to the pump after 0..weeks-1 weeks."""
    n = weeks
    base = fit["history_crude"][-1]
    path = np.full((1, n), base + step / 1.0)
    flat = np.full((1, n), base)
    params = np.asarray(fit["params"])[None, :]
    d = simulate_retail_change(fit, params, path) - simulate_retail_change(fit, params, flat)
    return d[0] / (fit["beta"] * step)


def draw_params(fit: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    """Coefficient draws from the estimated (HAC) sampling distribution, shape (n, p).

    Draws whose retail dynamics would be explosive are replaced by fresh
    draws: a pump price that never returns to its long-run relation with
    crude contradicts the cointegration the model rests on, and over long
    horizons (an election two years away) such draws diverge. The share
    rejected is small when the fit is good; see :func:`is_stable`.
    """
    mean = np.asarray(fit["params"])
    cov = np.asarray(fit["cov"])
    # Cholesky of a symmetrised covariance; eigen-clipping guards against tiny negative eigenvalues.
    vals, vecs = np.linalg.eigh((cov + cov.T) / 2)
    root = vecs * np.sqrt(np.clip(vals, 0.0, None))
    out = mean + rng.standard_normal((n, mean.size)) @ root.T
    for _ in range(50):
        bad = ~is_stable(out)
        if not bad.any():
            return out
        out[bad] = mean + rng.standard_normal((int(bad.sum()), mean.size)) @ root.T
    raise ValueError("the pass-through fit is too imprecise to draw stable dynamics")


def is_stable(params: np.ndarray) -> np.ndarray:
    r"""Whether each draw's retail recursion returns to the long-run relation (all roots inside the unit circle).

    With crude held fixed the levels follow
    :math:`R_{t+1} = (1 + \rho_1 + \lambda) R_t + (\rho_2 - \rho_1) R_{t-1} - \rho_2 R_{t-2}`
    for :math:`\lambda` either adjustment speed; both regimes must be stable. The
    characteristic cubic :math:`z^3 + b_1 z^2 + b_2 z + b_3` has all roots inside
    the unit circle exactly when the Jury conditions hold (Jury 1964; e.g.
    Elaydi, *An Introduction to Difference Equations*, 3rd ed., §5.1):
    :math:`p(1) > 0`, :math:`-p(-1) > 0`, :math:`|b_3| < 1` and
    :math:`1 - b_3^2 > |b_2 - b_1 b_3|` — closed form, vectorised over draws.
    """
    rho1, rho2 = params[:, 3 + 2 * K], params[:, 4 + 2 * K]
    ok = np.ones(params.shape[0], dtype=bool)
    for lam in (params[:, 3 + 2 * K + J], params[:, 4 + 2 * K + J]):
        b1, b2, b3 = -(1 + rho1 + lam), -(rho2 - rho1), rho2
        ok &= (1 + b1 + b2 + b3 > 0) & (1 - b1 + b2 - b3 > 0) & (np.abs(b3) < 1) & (1 - b3 * b3 > np.abs(b2 - b1 * b3))
    return ok


def simulate_retail_change(fit: dict, params: np.ndarray, crude_path: np.ndarray, noise: np.ndarray | None = None) -> np.ndarray:
    """Iterate the ECM forward; returns retail levels minus the last observed level [USD/gal].

    Parameters
    ----------
    fit : dict
        Output of :func:`fit_passthrough` (history, alpha, beta).
    params : ndarray (n_draws, p)
        Short-run coefficients per draw.
    crude_path : ndarray (n_draws, n_weeks)
        Crude price per week [USD/gal], starting the week after ``as_of``.
    noise : ndarray (n_draws, n_weeks), optional
        Shocks added to each week's retail change [USD/gal] (for predictive bands).

    Returns
    -------
    ndarray (n_draws, n_weeks)

    Notes
    -----
    Arrays are held time-major (week, draw) so that each week's update
    touches contiguous memory; the crude terms, which do not depend on the
    recursion, are summed for all weeks before it.
    """
    n_draws, n_weeks = crude_path.shape
    hist_r = np.asarray(fit["history_retail"], dtype=float)
    hist_c = np.asarray(fit["history_crude"], dtype=float)
    h = hist_r.size
    t0 = h - 1  # index of the last observed retail level
    crude = np.empty((h + n_weeks, n_draws))
    crude[:h] = hist_c[:, None]
    crude[h:] = crude_path.T
    dc = np.diff(crude, axis=0)  # dc[t] = crude[t+1] - crude[t]
    coef = np.ascontiguousarray(params.T)
    # Crude terms for every week at once: lagged windows of the positive and negative
    # changes, contracted with each draw's coefficients (lag 0 first).
    seg = dc[t0 - K : t0 + n_weeks]  # rows t0-K .. t0+n_weeks-1
    # Once crude stops moving (the disruption is over, or never began) the crude terms are
    # zero: contract only the weeks whose lag window still holds a change.
    moving = np.flatnonzero(np.any(seg != 0.0, axis=1))
    active = 0 if moving.size == 0 else min(n_weeks, int(moving[-1]) + 1)
    drift = np.broadcast_to(coef[0], (n_weeks, n_draws)).copy()
    if active:
        seg = seg[: active + K]
        pos = np.maximum(seg, 0.0)
        neg = seg - pos
        win_pos = np.lib.stride_tricks.sliding_window_view(pos, K + 1, axis=0)[..., ::-1]  # (week, draw, lag)
        win_neg = np.lib.stride_tricks.sliding_window_view(neg, K + 1, axis=0)[..., ::-1]
        drift[:active] += np.einsum("sdi,id->sd", win_pos, coef[1 : 2 * K + 3 : 2]) + np.einsum(
            "sdi,id->sd", win_neg, coef[2 : 2 * K + 3 : 2]
        )
    if noise is not None:
        drift += noise.T
    rho = coef[3 + 2 * K : 3 + 2 * K + J]
    lam_pos, lam_neg = coef[3 + 2 * K + J], coef[4 + 2 * K + J]
    target = fit["alpha_usd_per_gal"] + fit["beta"] * crude  # long-run retail level
    ret = np.empty((h + n_weeks, n_draws))
    ret[:h] = hist_r[:, None]
    for s in range(n_weeks):
        t = t0 + s
        dr = drift[s].copy()
        for j in range(1, J + 1):
            dr += rho[j - 1] * (ret[t - j + 1] - ret[t - j])
        e = ret[t] - target[t]
        dr += lam_pos * np.maximum(e, 0.0) + lam_neg * np.minimum(e, 0.0)
        ret[t + 1] = ret[t] + dr
    return (ret[h:] - hist_r[-1]).T
