"""Fitting the seat layer: House seat change at midterms on approval, income and exposure.

Four regressor sets, the default chosen by leave-one-out RMSE (``docs/politics.md`` §1b,
rules written before estimation); the election's own covariates as known by the date.
Frames in (:func:`oilshock.forecast.inputs.load_politics_frames`), dicts out.

References
----------
.. [1] Tufte, E. R. (1975). Determinants of the outcomes of midterm congressional
   elections. APSR 69(3), 812–826.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

SEAT_SPECS = {
    "approval": ("approval_pct",),
    "approval_income": ("approval_pct", "rdi_change_pct"),
    "approval_exposure": ("approval_pct", "seats_held"),
    "approval_income_exposure": ("approval_pct", "rdi_change_pct", "seats_held"),
}


def _midterm_frame(frames: dict, as_of: dt.date):
    import polars as pl

    from oilshock.model.politics import election_day

    m = frames["midterms"].filter(
        pl.col("year").map_elements(lambda y: election_day(y) < as_of, return_dtype=pl.Boolean)
    )
    exposure = frames["house_seats_before_midterm"].select("year", "seats_held")
    return m.join(exposure, on="year", how="left").sort("year")


def _loo_rmse(y: np.ndarray, X: np.ndarray) -> float:
    """Leave-one-out RMSE of OLS from the hat matrix: e_i / (1 - h_ii)."""
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    h = np.einsum("ij,ji->i", X, np.linalg.pinv(X.T @ X) @ X.T)
    return float(np.sqrt(np.mean(((y - X @ beta) / (1 - h)) ** 2)))


def fit_seats(frames: dict, as_of: dt.date) -> dict:
    """Seat models at midterms held before ``as_of``; the default by leave-one-out RMSE (docs/politics.md §1b).

    Every candidate is scored on the midterms all of them can use (those with
    income data); the chosen one is then re-fitted on every midterm its own
    regressors cover. ``x_mean`` and ``xtx_inv`` let the simulation form the
    predictive range without statsmodels.
    """
    import statsmodels.api as sm

    m = _midterm_frame(frames, as_of)
    if m.height < 8:
        raise ValueError(f"only {m.height} midterms before {as_of}")
    common = m.drop_nulls([c for cols in SEAT_SPECS.values() for c in cols])
    specs = {}
    for name, cols in SEAT_SPECS.items():
        sub = m.drop_nulls(list(cols))
        X = sm.add_constant(sub.select(cols).to_numpy().astype(float))
        y = sub["house_seat_change"].to_numpy().astype(float)
        fit = sm.OLS(y, X).fit()
        Xc = sm.add_constant(common.select(cols).to_numpy().astype(float))
        specs[name] = {
            "regressors": list(cols),
            "coefficients": dict(zip(["const", *cols], (round(float(v), 4) for v in fit.params))),
            "se": dict(zip(["const", *cols], (round(float(v), 4) for v in fit.bse))),
            "n": int(sub.height),
            "years": [int(sub["year"].min()), int(sub["year"].max())],
            "r2": round(float(fit.rsquared), 4),
            "resid_sd_seats": round(float(np.sqrt(fit.scale)), 3),
            "loo_rmse_common": round(
                _loo_rmse(common["house_seat_change"].to_numpy().astype(float), Xc), 3
            ),
            "n_common": int(common.height),
            "_fit": fit,
            "_sub": sub,
        }
    best = min(s["loo_rmse_common"] for s in specs.values())
    chosen = min(
        (n for n, s in specs.items() if s["loo_rmse_common"] <= best * 1.01),
        key=lambda n: len(SEAT_SPECS[n]),
    )
    fit, sub = specs[chosen]["_fit"], specs[chosen]["_sub"]
    for s in specs.values():
        del s["_fit"], s["_sub"]
    cols = SEAT_SPECS[chosen]
    X = sm.add_constant(sub.select(cols).to_numpy().astype(float))
    return {
        "method": f"OLS, House seat change of the president's party at midterms on {', '.join(cols)} ({chosen})",
        "specification": chosen,
        "regressors": list(cols),
        "coefficients": [float(v) for v in fit.params],
        "seats_per_point": float(fit.params[1]),
        "seats_per_point_se": float(fit.bse[1]),
        "intercept": float(fit.params[0]),
        "df_resid": int(fit.df_resid),
        "resid_sd_seats": float(np.sqrt(fit.scale)),
        "xtx_inv": np.linalg.inv(X.T @ X).tolist(),
        "x_mean": [float(v) for v in X.mean(axis=0)],
        "r2": float(fit.rsquared),
        "n": int(sub.height),
        "years": [int(sub["year"].min()), int(sub["year"].max())],
        "specifications": specs,
        "covariates_for_election": _election_covariates(frames, as_of, cols, m),
    }


def _election_covariates(frames: dict, as_of: dt.date, cols, m) -> dict:
    """The chosen regressors' values for the next midterm as known by ``as_of`` (None where not in the data).

    Approval: the latest Gallup month on or before ``as_of``; exposure: the
    reference table row for the election year; income change: not in the data
    for a future midterm, so the sample mean is used and said so.
    """
    import polars as pl

    from oilshock.model.politics import is_midterm, next_federal_election

    day = next_federal_election(as_of)
    out: dict = {"year": day.year, "is_midterm": is_midterm(day), "values": {}, "basis": {}}
    appr = frames["approval_monthly"].filter(pl.col("series") == "gallup").sort("date")
    if appr.height:
        last = appr.row(appr.height - 1, named=True)
        out["values"]["approval_pct"] = float(last["approve_pct"])
        out["basis"]["approval_pct"] = (
            f"approval {last['approve_pct']:.0f}% (Gallup, {last['date']:%b %Y}, {last['president']})"
        )
    if "seats_held" in cols:
        ex = frames["house_seats_before_midterm"].filter(pl.col("year") == day.year)
        if ex.height and dt.date(day.year - 1, 1, 3) <= as_of:
            out["values"]["seats_held"] = float(ex["seats_held"][0])
            out["basis"]["seats_held"] = (
                f"{ex['seats_held'][0]} seats held going into {day.year} (house_seats_before_midterm)"
            )
    if "rdi_change_pct" in cols:
        v = m.drop_nulls("rdi_change_pct")["rdi_change_pct"]
        out["values"]["rdi_change_pct"] = float(v.mean())
        out["basis"]["rdi_change_pct"] = (
            f"real disposable income change for {day.year} not in the data: the sample mean {v.mean():.1f}% is used"
        )
    return out
