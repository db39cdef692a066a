"""Fitting the election layer: every approval and seat specification, and the default chosen by fixed rules.

The rules are stated in ``docs/politics.md`` §1 (written before estimation):
rolling-origin out-of-sample mean absolute error of the monthly approval
change, an a-priori admissibility rule (the central response to a temporary
price excursion must not change sign), Ljung–Box as tie-break, and a
post-2009 split used only when its slope difference is significant. Seats:
leave-one-out RMSE across four regressor sets.

Every approval specification is reduced to one dynamic form, so that the
simulation (:mod:`oilshock.model.politics`) needs only four numbers and their
covariance, and no statsmodels:

.. math::  L_t = \\rho L_{t-1} + g_0 x_t + g_1 x_{t-1} + g_2 x_{t-2}

with :math:`L` the approval effect [points] and :math:`x` the log real
gasoline price's excursion from its pre-scenario level. A first-difference
model with a lag is :math:`\\rho = 1, g = (b_0, b_1 - b_0, -b_1)`; the partial
adjustment (Koyck) model is :math:`g = (\\gamma, 0, 0)`; the ADL(1,1) is
:math:`g = (\\gamma_0, \\gamma_1, 0)` (De Boef & Keele 2008 [1]_).

References
----------
.. [1] De Boef, S. and Keele, L. (2008). Taking time seriously. American
   Journal of Political Science 52(1), 184–200.
.. [2] Huber, P. J. (1964). Robust estimation of a location parameter. Annals
   of Mathematical Statistics 35(1), 73–101.
.. [3] Tufte, E. R. (1975). Determinants of the outcomes of midterm
   congressional elections. APSR 69(3), 812–826.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

FIRST_MONTH = dt.date(1990, 9, 1)  # first full month of EIA weekly retail prices
OOS_FIRST_YEAR = 2002
POLARISED_FROM = dt.date(2009, 1, 20)  # terms from Obama's first on (docs/politics.md §1a)
HAC_LAGS = 3
MIN_SPLIT_MONTHS = 36  # the post-2009 split needs three years on each side
IRF_MONTHS = 36
CONTROLS = ("d_infl12", "honeymoon")
LEVEL_CONTROLS = ("infl12", "honeymoon")
RALLY = ("rally0", "rally1")

# name: (regressors, gasoline terms, kind, estimator, description). Kinds map the
# coefficients to the common dynamic form (module docstring).
SPECS = {
    "fd_lag1": (
        ("dx", "dx_l1", "d_logcpi", "honeymoon"),
        ("dx", "dx_l1"),
        "fd",
        "ols",
        "first differences, Δx and its lag, monthly Δlog CPI (the previous default)",
    ),
    "fd_lag1_fixed_cpi": (
        ("dx", "dx_l1") + CONTROLS,
        ("dx", "dx_l1"),
        "fd",
        "ols",
        "first differences, Δx and its lag, Δ(12-month inflation, pp), honeymoon",
    ),
    "fd_lag1_rally": (
        ("dx", "dx_l1") + CONTROLS + RALLY,
        ("dx", "dx_l1"),
        "fd",
        "ols",
        "as fd_lag1_fixed_cpi plus rally impulses",
    ),
    "fd_lag1_rally_huber": (
        ("dx", "dx_l1") + CONTROLS + RALLY,
        ("dx", "dx_l1"),
        "fd",
        "huber",
        "as fd_lag1_rally, Huber M-estimator",
    ),
    "partial_adjustment": (
        ("a_l1", "x") + LEVEL_CONTROLS + RALLY,
        ("x",),
        "pa",
        "ols",
        "ΔA on A(t-1) and x (Koyck: effect decays at ρ), 12-month inflation, honeymoon, rally",
    ),
    "partial_adjustment_norally": (
        ("a_l1", "x") + LEVEL_CONTROLS,
        ("x",),
        "pa",
        "ols",
        "as partial_adjustment without rally impulses",
    ),
    "partial_adjustment_huber": (
        ("a_l1", "x") + LEVEL_CONTROLS + RALLY,
        ("x",),
        "pa",
        "huber",
        "as partial_adjustment, Huber M-estimator",
    ),
    "adl11": (
        ("a_l1", "x", "x_l1") + LEVEL_CONTROLS + RALLY,
        ("x", "x_l1"),
        "adl",
        "ols",
        "ADL(1,1): partial adjustment plus x(t-1)",
    ),
}
# Reported beside the candidates, not candidates (they lack the pre-registered controls).
COMPARISON_ONLY = ("fd_lag1", "partial_adjustment_norally")


def approval_frame(frames: dict, as_of: dt.date):
    """Monthly Gallup approval with the real gasoline price, CPI controls, honeymoon and rally impulses.

    Rows are months of one president whose previous two months are of the same
    president and consecutive, so every lag is a true one-month lag.
    """
    import polars as pl

    from oilshock.model.politics import _monthly_real_gasoline

    appr = frames["approval_monthly"].filter(pl.col("series") == "gallup")
    gas = _monthly_real_gasoline(frames, as_of)
    cpi = frames["cpi_monthly"].filter(pl.col("series_id") == "CPIAUCSL").sort("date")
    infl = cpi.select(
        "date",
        (
            100 * (pl.col("cpi_index_1982_84").log() - pl.col("cpi_index_1982_84").log().shift(12))
        ).alias("infl12"),
    ).filter(
        pl.col("date").dt.offset_by("-12mo") == pl.col("date").shift(12)
    )  # 12 rows back is 12 months back
    terms = frames["presidents"].select("term_start").sort("term_start")
    rally = frames["rally_events"]
    months = rally["month"].to_list()
    after = [dt.date(m.year + m.month // 12, m.month % 12 + 1, 1) for m in months]
    d = (
        appr.select("date", "president", pl.col("approve_pct").alias("a"))
        .join(
            gas.select("date", pl.col("log_real_gas").alias("x"), "log_cpi"), on="date", how="inner"
        )
        .join(infl, on="date", how="inner")
        .filter(pl.col("date") >= FIRST_MONTH)
        .sort("date")
        .join_asof(terms, left_on="date", right_on="term_start", strategy="backward")
    )
    same = (pl.col("president") == pl.col("president").shift(1)) & (
        pl.col("date").dt.offset_by("-1mo") == pl.col("date").shift(1)
    )
    d = d.with_columns(same.fill_null(False).alias("ok1"))
    d = d.with_columns((pl.col("ok1") & pl.col("ok1").shift(1).fill_null(False)).alias("ok2"))
    d = d.with_columns(
        pl.col("a").shift(1).alias("a_l1"),
        pl.col("x").shift(1).alias("x_l1"),
        (pl.col("a") - pl.col("a").shift(1)).alias("da"),
        (pl.col("x") - pl.col("x").shift(1)).alias("dx"),
        (pl.col("x").shift(1) - pl.col("x").shift(2)).alias("dx_l1"),
        (pl.col("log_cpi") - pl.col("log_cpi").shift(1)).alias("d_logcpi"),
        (pl.col("infl12") - pl.col("infl12").shift(1)).alias("d_infl12"),
        ((pl.col("date") - pl.col("term_start")).dt.total_days() < 365)
        .cast(pl.Float64)
        .alias("honeymoon"),
        pl.col("date").is_in(months).cast(pl.Float64).alias("rally0"),
        pl.col("date").is_in(after).cast(pl.Float64).alias("rally1"),
        (pl.col("term_start") >= POLARISED_FROM).cast(pl.Float64).alias("post"),
    )
    return d.filter(pl.col("ok2")).drop_nulls(["da", "dx", "dx_l1", "a_l1", "d_infl12"])


def _design(d, spec: str, split: bool = False):
    regs, gas, *_ = SPECS[spec]
    cols = [d[c].to_numpy().astype(float) for c in regs]
    names = list(regs)
    if split:
        for g in gas:
            cols.append(d[g].to_numpy() * d["post"].to_numpy())
            names.append(f"{g}:post")
        cols.append(d["post"].to_numpy().astype(float))
        names.append("post")
    return np.column_stack([np.ones(d.height)] + cols), ["const"] + names


def _fit(y, X, estimator: str):
    import statsmodels.api as sm

    if estimator == "huber":
        return sm.RLM(y, X, M=sm.robust.norms.HuberT()).fit()
    return sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": HAC_LAGS})


def dynamic_form(
    spec: str, coef: dict, cov=None, names=None, suffix: str = ""
) -> tuple[np.ndarray, np.ndarray]:
    """(ρ, g0, g1, g2) and its covariance from a fit's coefficients (module docstring)."""
    kind = SPECS[spec][2]
    idx = {n: i for i, n in enumerate(names or [])}
    k = len(names or [])
    # Rows of the linear map from the coefficient vector to (ρ, g0, g1, g2); the constant 1 of ρ in
    # the fd kind is the offset.
    A = np.zeros((4, k))
    offset = np.zeros(4)

    def put(row, name, w=1.0):
        for n in (name, name + suffix) if suffix else (name,):
            if n in idx:
                A[row, idx[n]] += w

    if kind == "fd":
        offset[0] = 1.0
        put(1, "dx"), put(2, "dx_l1"), put(2, "dx", -1.0), put(3, "dx_l1", -1.0)
    else:
        offset[0] = 1.0
        put(0, "a_l1"), put(1, "x"), put(2, "x_l1")
    beta = np.array([coef[n] for n in names])
    mean = offset + A @ beta
    return mean, (A @ cov @ A.T if cov is not None else None)


def response(form, x: np.ndarray) -> np.ndarray:
    """Approval effect path [points] of the dynamic form for an excursion path ``x`` [log points] (1-D)."""
    rho, g0, g1, g2 = form
    out = np.zeros_like(x, dtype=float)
    prev, xl1, xl2 = 0.0, 0.0, 0.0
    for t, xt in enumerate(x):
        prev = rho * prev + g0 * xt + g1 * xl1 + g2 * xl2
        out[t] = prev
        xl1, xl2 = xt, xl1
    return out


def _sign_changes(form) -> bool:
    """Does the central response to a 3-month +10% excursion change sign (a priori inadmissible)?"""
    x = np.zeros(IRF_MONTHS)
    x[:3] = np.log(1.1)
    path = response(form, x)
    scale = np.max(np.abs(path))
    return bool(scale > 0 and np.any(path * path[np.argmax(np.abs(path))] < -1e-6 * scale**2))


def _oos_first_year(d, as_of: dt.date) -> int:
    """2002 (docs/politics.md §1a); before 2003 there is no such year, so the first January with 5
    years of data behind it."""
    return OOS_FIRST_YEAR if as_of.year > OOS_FIRST_YEAR else d["date"].min().year + 5


def _oos_mae(d, spec: str, as_of: dt.date) -> dict:
    import polars as pl

    errs = []
    for year in range(_oos_first_year(d, as_of), as_of.year + 1):
        start = dt.date(year, 1, 1)
        if start > as_of:
            break
        train, test = (
            d.filter(pl.col("date") < start),
            d.filter((pl.col("date") >= start) & (pl.col("date") < dt.date(year + 1, 1, 1))),
        )
        if test.height == 0:
            continue
        X, _ = _design(train, spec)
        keep = np.ptp(X, axis=0) > 0
        keep[0] = True  # the constant; a rally column with no event yet is dropped
        fit = _fit(train["da"].to_numpy(), X[:, keep], SPECS[spec][3])
        Xt, _ = _design(test, spec)
        errs.append(test["da"].to_numpy() - Xt[:, keep] @ np.asarray(fit.params))
    e = np.concatenate(errs)
    return {
        "mae": float(np.mean(np.abs(e))),
        "rmse": float(np.sqrt(np.mean(e**2))),
        "n": int(e.size),
    }


def _ljung_box_p(resid) -> float:
    from statsmodels.stats.diagnostic import acorr_ljungbox

    return float(acorr_ljungbox(resid, lags=[12])["lb_pvalue"].iloc[0])


def _estimate(d, spec: str, split: bool = False) -> dict:
    X, names = _design(d, spec, split)
    fit = _fit(d["da"].to_numpy(), X, SPECS[spec][3])
    coef = dict(zip(names, map(float, fit.params)))
    se = dict(zip(names, map(float, fit.bse)))
    cov = np.asarray(fit.cov_params())
    return {"fit": fit, "names": names, "coef": coef, "se": se, "cov": cov}


def _summary(spec: str, est: dict, suffix: str = "") -> dict:
    form, form_cov = dynamic_form(spec, est["coef"], est["cov"], est["names"], suffix)
    rho = float(form[0])
    kind = SPECS[spec][2]
    gas = [n for n in est["names"] if n.split(":")[0] in SPECS[spec][1]]
    step = response(form, np.ones(IRF_MONTHS))
    out = {
        "description": SPECS[spec][4],
        "estimator": "Huber M-estimator"
        if SPECS[spec][3] == "huber"
        else f"OLS, Newey-West ({HAC_LAGS} lags)",
        "coefficients": {n: round(est["coef"][n], 4) for n in est["names"]},
        "se": {n: round(est["se"][n], 4) for n in est["names"]},
        "gasoline_terms": gas,
        "rho": round(rho, 4),
        "half_life_months": None
        if kind == "fd" or not 0 < rho < 1
        else round(float(np.log(0.5) / np.log(rho)), 2),
        "impact_points_per_log_point": round(float(step[0]), 3),
        "after_12_months_points_per_log_point": round(float(step[11]), 3),
        "form": [float(v) for v in form],
        "form_cov": [[float(v) for v in row] for row in form_cov],
        "sign_change": _sign_changes(form),
        "n_months": int(est["fit"].nobs),
    }
    # Long-run effect of a permanent step, by the delta method on the dynamic form:
    # b0 + b1 = g0 - g2 for first differences, (g0 + g1) / (1 - ρ) for the partial-adjustment kinds.
    if kind == "fd":
        grad = np.array([0.0, 1.0, 0.0, -1.0])
        lr = form[1] - form[3]
    elif 0 < rho < 1:
        g = form[1] + form[2]
        grad = np.array([g / (1 - rho) ** 2, 1 / (1 - rho), 1 / (1 - rho), 0.0])
        lr = g / (1 - rho)
    else:
        grad, lr = None, None
    if grad is not None:
        out["long_run_points_per_log_point"] = round(float(lr), 4)
        out["long_run_se"] = round(float(np.sqrt(grad @ form_cov @ grad)), 4)
    return out


def fit_approval(frames: dict, as_of: dt.date) -> dict:
    """Fit every approval specification on data known by ``as_of`` and choose the default (docs/politics.md §1a).

    Returns plain JSON: the default's dynamic form (``form``: ρ, g0, g1, g2 and
    ``form_cov``) for the simulation, and every specification's coefficients,
    standard errors, out-of-sample error and diagnostics.
    """
    import statsmodels.api as sm
    from statsmodels.tsa.stattools import coint

    d = approval_frame(frames, as_of)
    if d.height < 60:
        raise ValueError(f"only {d.height} usable months for the approval model before {as_of}")
    specs = {}
    for name in SPECS:
        est = _estimate(d, name)
        s = _summary(name, est)
        s["oos"] = _oos_mae(d, name, as_of)
        s["ljung_box_p"] = round(_ljung_box_p(est["fit"].resid), 4)
        specs[name] = s
    candidates = [n for n in SPECS if n not in COMPARISON_ONLY]
    admissible = [n for n in candidates if not specs[n]["sign_change"]]
    best = min(specs[n]["oos"]["mae"] for n in admissible)
    close = [n for n in admissible if specs[n]["oos"]["mae"] <= best * 1.01]
    chosen = min(close, key=lambda n: (-specs[n]["ljung_box_p"], len(specs[n]["coefficients"])))

    split = _period_split(d, chosen)
    sensitivity = _drop_each_event(d, chosen, frames["rally_events"])
    use_post = (
        "unavailable" not in split
        and split["wald_p_slope_difference"] < 0.05
        and as_of >= POLARISED_FROM
    )
    default = split["post"] if use_post else specs[chosen]

    lv = d.sort("date")
    levels = sm.OLS(lv["a"].to_numpy(), sm.add_constant(lv["x"].to_numpy())).fit()
    return {
        "method": f"{chosen} ({SPECS[chosen][4]})" + (", post-2009 slope" if use_post else ""),
        "specification": chosen,
        "uses_post_2009_slope": use_post,
        "form": default["form"],
        "form_cov": default["form_cov"],
        "rho": default["rho"],
        "half_life_months": default["half_life_months"],
        "impact_points_per_log_point": default["impact_points_per_log_point"],
        "points_per_log_point": default.get("long_run_points_per_log_point"),
        "points_per_log_point_se": default.get("long_run_se"),
        "n_months": int(d.height),
        "sample": [d["date"].min().isoformat(), d["date"].max().isoformat()],
        "specifications": specs,
        "admissible": admissible,
        "period_split": split,
        "drop_each_rally_event": sensitivity,
        "levels_points_per_log_point": float(levels.params[1]),
        "levels_r2": float(levels.rsquared),
        "engle_granger_p": float(coint(lv["a"].to_numpy(), lv["x"].to_numpy())[1]),
    }


def _drop_each_event(d, chosen: str, rally_events) -> dict:
    """The chosen specification re-fitted without each rally event's two months (how much one war moves the slope)."""
    import polars as pl

    out = {}
    for row in rally_events.iter_rows(named=True):
        m = row["month"]
        after = dt.date(m.year + m.month // 12, m.month % 12 + 1, 1)
        sub = d.filter(~pl.col("date").is_in([m, after]))
        if sub.height == d.height:
            continue
        s = _summary(chosen, _estimate(sub, chosen))
        out[row["event"]] = {
            k: s.get(k)
            for k in (
                "impact_points_per_log_point",
                "long_run_points_per_log_point",
                "long_run_se",
                "n_months",
            )
        }
    return out


def _period_split(d, chosen: str) -> dict:
    """The chosen specification with its gasoline terms interacted with the post-2009 indicator
    (docs/politics.md §1a)."""
    n_post = int(d["post"].sum())
    if n_post < MIN_SPLIT_MONTHS or d.height - n_post < MIN_SPLIT_MONTHS:
        return {
            "unavailable": (
                f"{n_post} months after {POLARISED_FROM} and {d.height - n_post} "
                f"before: fewer than {MIN_SPLIT_MONTHS} on one side"
            )
        }
    est = _estimate(d, chosen, split=True)
    inter = [n for n in est["names"] if n.endswith(":post")]
    idx = [est["names"].index(n) for n in inter]
    R = np.zeros((len(idx), len(est["names"])))
    for r, i in enumerate(idx):
        R[r, i] = 1.0
    wald = est["fit"].wald_test(R, scalar=True)
    return {
        "break": POLARISED_FROM.isoformat(),
        "coefficients": {n: round(est["coef"][n], 4) for n in est["names"]},
        "se": {n: round(est["se"][n], 4) for n in est["names"]},
        "wald_p_slope_difference": round(float(wald.pvalue), 4),
        "pre": _summary(chosen, est),
        "post": _summary(chosen, est, suffix=":post"),
        "n_months_post": n_post,
    }
