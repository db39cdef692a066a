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

from oilshock.model import leading_rows
from oilshock.units import GAL_PER_BBL

K = 6
J = 2


def coefficient_names(k: int = K, j: int = J) -> list[str]:
    """The short-run coefficients in the order of the regressors (:func:`_regressors`)."""
    names = ["const"]
    for i in range(k + 1):
        names += [f"dcrude_pos_l{i}", f"dcrude_neg_l{i}"]
    return names + [f"dretail_l{i}" for i in range(1, j + 1)] + ["ect_pos", "ect_neg"]


# Row of each coefficient in a draw matrix: the simulation reads coefficients by name, here.
COEF = {name: i for i, name in enumerate(coefficient_names())}
DCRUDE_POS = [COEF[f"dcrude_pos_l{i}"] for i in range(K + 1)]
DCRUDE_NEG = [COEF[f"dcrude_neg_l{i}"] for i in range(K + 1)]
WINDOW_YEARS = 15

# Days, relative to survey Monday d, whose Brent the fit averages: the Monday-to-Friday trading week
# before the survey (d-7..d-3; the survey is taken on Monday morning, before that day's close).
FIT_CRUDE_DAYS = (-7, -3)


def survey_of_trading_day(date):
    """The survey Monday whose crude a trading day's Brent enters (a polars expression on a date column).

    A trading day belongs to the survey of the following Monday: Monday to
    Friday d-7..d-3 go with survey d (:data:`FIT_CRUDE_DAYS`). The one mapping
    of the fit, the simulation's week (``supply.WEEK_WINDOW_DAYS``), the
    harness's targets and the backtest.
    """
    import polars as pl

    return date + pl.duration(days=8 - date.dt.weekday())


def weekly_inputs(brent_daily, retail_weekly):
    """Join weekly retail (Monday) with the mean Brent of the previous trading week [USD/gal].

    Returns a frame ``date``, ``retail_usd_per_gal``, ``crude_usd_per_gal``,
    dropping weeks the publisher left blank (EIA's six blank weeks of
    1990-91) because a difference across a gap would be wrong.
    """
    import polars as pl

    b = brent_daily.with_columns(survey_of_trading_day(pl.col("date")).alias("survey"))
    bw = b.group_by("survey").agg(
        (pl.col("brent_usd_per_bbl").mean() / GAL_PER_BBL).alias("crude_usd_per_gal")
    )
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
    names = coefficient_names()
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
    """Coefficient draws from the estimated (HAC) sampling distribution, shape (n, p) (a transposed view).

    Draws whose retail dynamics would be explosive are replaced by fresh
    draws: a pump price that never returns to its long-run relation with
    crude contradicts the cointegration the model rests on, and over long
    horizons (an election two years away) such draws diverge. The share
    rejected is small when the fit is good; see :func:`is_stable`.
    """
    if list(fit["names"]) != list(COEF):
        raise ValueError(f"pass-through fit has coefficients {fit['names']}, expected {list(COEF)}")
    mean = np.asarray(fit["params"])
    cov = np.asarray(fit["cov"])
    # Cholesky of a symmetrised covariance; eigen-clipping guards against tiny negative eigenvalues.
    vals, vecs = np.linalg.eigh((cov + cov.T) / 2)
    root = vecs * np.sqrt(np.clip(vals, 0.0, None))
    # Built parameter-major (p, n) and returned as its (n, p) view: the Monte Carlo wants one row
    # per coefficient, and adding the mean along rows of n is far cheaper than along rows of p.
    out = root @ rng.standard_normal((n, mean.size)).T
    out += mean[:, None]
    out = out.T
    bad = np.flatnonzero(~is_stable(out))
    for _ in range(50):
        if not bad.size:
            return out
        out[bad] = mean + rng.standard_normal((bad.size, mean.size)) @ root.T
        bad = bad[~is_stable(out[bad])]  # only the fresh draws need checking
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
    rho1, rho2 = params[:, COEF["dretail_l1"]], params[:, COEF["dretail_l2"]]
    ok = np.ones(params.shape[0], dtype=bool)
    for lam in (params[:, COEF["ect_pos"]], params[:, COEF["ect_neg"]]):
        b1, b2, b3 = -(1 + rho1 + lam), -(rho2 - rho1), rho2
        ok &= (
            (1 + b1 + b2 + b3 > 0)
            & (1 - b1 + b2 - b3 > 0)
            & (np.abs(b3) < 1)
            & (1 - b3 * b3 > np.abs(b2 - b1 * b3))
        )
    return ok


def simulate_retail_change(
    fit: dict, params: np.ndarray, crude_path: np.ndarray, noise: np.ndarray | None = None
) -> np.ndarray:
    """Iterate the ECM forward; returns retail levels minus the last observed level [USD/gal].

    Draw-major wrapper of :func:`simulate_paths` (same arithmetic; the
    result's dtype follows ``crude_path``).

    Parameters
    ----------
    fit : dict
        Output of :func:`fit_passthrough` (history, alpha, beta).
    params : ndarray (n_draws, p) or (1, p)
        Short-run coefficients per draw (one row serves every draw).
    crude_path : ndarray (n_draws, n_weeks)
        Crude price per week [USD/gal], starting the week after ``as_of``.
    noise : ndarray (n_draws, n_weeks), optional
        Shocks added to each week's retail change [USD/gal] (for predictive bands).

    Returns
    -------
    ndarray (n_draws, n_weeks)
    """
    crude_path = np.asarray(crude_path)
    dtype = crude_path.dtype if crude_path.dtype in (np.float32, np.float64) else np.dtype(float)
    params = np.asarray(params)
    if params.shape[0] == 1 and crude_path.shape[0] > 1:  # one coefficient set for every path
        params = np.repeat(params, crude_path.shape[0], axis=0)
    coef = np.ascontiguousarray(params.T, dtype=dtype)
    crude = np.ascontiguousarray(crude_path.T, dtype=dtype)
    shocks = None if noise is None else np.ascontiguousarray(np.asarray(noise).T, dtype=dtype)
    return simulate_paths(fit, coef, crude, shocks).T


def simulate_paths(
    fit: dict, coef: np.ndarray, crude: np.ndarray, noise: np.ndarray | None = None
) -> np.ndarray:
    """The ECM iterated forward for many draws at once, time-major [USD/gal].

    Parameters
    ----------
    fit : dict
        Output of :func:`fit_passthrough` (history, alpha, beta).
    coef : ndarray (p, n_draws)
        Short-run coefficients, one column per draw (names in ``fit["names"]``).
    crude : ndarray (n_weeks, n_draws) or (n_weeks, 1)
        Crude price per week [USD/gal], starting the week after ``as_of``;
        one column serves every draw.
    noise : ndarray (n_weeks, n_draws), optional
        Shocks added to each week's retail change [USD/gal] (for predictive bands).

    Returns
    -------
    ndarray (n_weeks, n_draws)
        Retail level minus the last observed level [USD/gal], in ``crude``'s dtype.
    """
    return simulate_many(fit, coef, [(crude, noise)])[0]


def simulate_many(fit: dict, coef: np.ndarray, paths: list) -> list[np.ndarray]:
    """:func:`simulate_paths` for several crude paths of the same draws, in one recursion.

    Parameters
    ----------
    fit : dict
    coef : ndarray (p, n_draws)
    paths : list of (crude, noise)
        As the arguments of :func:`simulate_paths`; all with the same number of weeks.

    Returns
    -------
    list of ndarray (n_weeks, n_draws)
        One per path (views into one array).

    Notes
    -----
    The equation is the one of :func:`fit_passthrough` (BCG 1997). Retail is
    carried as its deviation from the last observed week, :math:`r_t = R_t - R_0`,
    so the error-correction term is
    :math:`\\hat\\varepsilon_t = r_t - \\beta C_t + (\\hat\\varepsilon_0 + \\beta C_0)`,
    and crude enters the lag terms only through its weekly changes. The
    retail state stays a small number, which keeps single precision (the Monte
    Carlo's dtype, chosen for memory bandwidth) accurate to about 1e-6 USD/gal
    over a year (a test checks 2e-5 against the equation written in levels).
    ``coef`` and ``crude`` may differ in dtype; the result takes ``crude``'s.

    Arrays are time-major so that each week's update touches contiguous
    memory, and the paths sit side by side so one pass of the recursion
    serves them all. The crude terms do not depend on the recursion: they
    are summed before it, path by path, and only over the weeks whose lag
    window still holds a crude change (none once a disruption is over).
    Every operation is elementwise across draws, so a draw's path does not
    depend on which other draws are simulated with it.
    """
    dtype = paths[0][0].dtype
    n_weeks, n, m = paths[0][0].shape[0], coef.shape[1], len(paths)
    hist_r = np.asarray(fit["history_retail"], dtype=float)
    hist_c = np.asarray(fit["history_crude"], dtype=float)
    beta = float(fit["beta"])
    e0 = float(
        hist_r[-1] - fit["alpha_usd_per_gal"] - beta * hist_c[-1]
    )  # last observed equilibrium error
    e_offset = e0 + beta * float(
        hist_c[-1]
    )  # a Python float: numpy scalars would promote the float32 arrays
    # Each row of ``out`` first holds its week's crude terms (and noise), then becomes its retail level.
    out = np.empty((n_weeks, m * n), dtype=dtype)
    cols = [slice(k * n, (k + 1) * n) for k in range(m)]
    for (crude, noise), c in zip(paths, cols):
        _crude_terms(coef, crude, hist_c[-(K + 1) :], out[:, c])
        if noise is not None:
            out[:, c] += noise

    def per_draw(row):  # one coefficient per draw, repeated for each path
        return np.tile(np.asarray(row, dtype=dtype), m)

    const = per_draw(coef[COEF["const"]])
    rho1, rho2 = per_draw(coef[COEF["dretail_l1"]]), per_draw(coef[COEF["dretail_l2"]])
    lam_neg = per_draw(coef[COEF["ect_neg"]])
    # Extra speed when retail is above equilibrium.
    lam_gap = per_draw(coef[COEF["ect_pos"]] - coef[COEF["ect_neg"]])
    dr1 = np.full(m * n, hist_r[-1] - hist_r[-2], dtype=dtype)
    dr2 = np.full(m * n, hist_r[-2] - hist_r[-3], dtype=dtype)
    level = np.zeros(m * n, dtype=dtype)
    spare, e, tmp = (np.empty(m * n, dtype=dtype) for _ in range(3))
    for s in range(n_weeks):
        dr = out[s]
        dr += const
        np.multiply(dr1, rho1, out=tmp)
        dr += tmp
        np.multiply(dr2, rho2, out=tmp)
        dr += tmp
        # Equilibrium error at the start of week s: its crude is the previous week's (the last observed for s = 0).
        if s == 0:
            np.add(level, e0, out=e)
        else:
            for (crude, _), c in zip(paths, cols):
                np.multiply(crude[s - 1], -beta, out=e[c])
            e += level
            e += e_offset
        np.maximum(e, 0.0, out=tmp)
        tmp *= lam_gap
        dr += tmp
        e *= lam_neg
        dr += e
        np.copyto(spare, dr)
        dr += level
        level = dr
        dr1, dr2, spare = spare, dr1, dr2
    return [out[:, k * n : (k + 1) * n] for k in range(m)]


def _crude_terms(coef: np.ndarray, crude: np.ndarray, history: np.ndarray, out: np.ndarray) -> None:
    """The distributed lags of crude increases and decreases, per week and draw, into ``out``.

    ``crude`` (n_weeks, n or 1) is the path and ``history`` (K + 1,) the last
    observed weeks [USD/gal]; only their week-to-week changes enter.
    """
    n_weeks = crude.shape[0]
    change = np.empty(
        (K + n_weeks, crude.shape[1]), dtype=out.dtype
    )  # row K + s - i: the change entering week s at lag i
    change[:K] = np.diff(history)[:, None]
    change[K] = crude[0] - history[-1]
    np.subtract(crude[1:], crude[:-1], out=change[K + 1 :])
    # A change in row j enters weeks j - K .. j; later weeks get the constant only.
    active = min(n_weeks, leading_rows(change))
    if active:
        # Increases and decreases side by side, lags reversed to run along the sliding window.
        split = np.empty((active + K, 2, change.shape[1]), dtype=out.dtype)
        np.maximum(change[: active + K], 0.0, out=split[:, 0])
        np.subtract(change[: active + K], split[:, 0], out=split[:, 1])
        gammas = np.stack([coef[DCRUDE_POS], coef[DCRUDE_NEG]], axis=1)[::-1].astype(
            out.dtype
        )  # (lag K..0, sign, draw)
        window = np.lib.stride_tricks.sliding_window_view(
            split, K + 1, axis=0
        )  # (week, sign, draw, lag)
        np.einsum("sjdi,ijd->sd", window, gammas, out=out[:active])
    out[active:] = 0.0
