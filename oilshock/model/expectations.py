"""Expectations / risk-premium term (issue #12 (c)): Brent priced at the news of a supply threat.

In 2022 Brent peaked (8 March) before the scenario's loss began (1 April); in
June 2025 it rose about 16% while Hormuz transits held. The v1 chain moves
Brent only with the physical loss. This module prices the news itself.

Model (local projections on the news shock, Jordà 2005; Känzig 2021)
---------------------------------------------------------------------
With ``s_m`` Känzig's (2021) oil supply news shock in month m (dataset
``oil_supply_shocks_monthly``, series ``kanzig2021_oil_supply_news_shock``)
and ``P_m`` the monthly mean Brent [USD/bbl], for horizons h = 0..H months

.. math:: \\log P_{m+h} - \\log P_{m-1} = a_h + b_h s_m + u_{m,h}

by OLS with Newey–West (1987) errors, on months whose outcome month m+h ends
before ``as_of``. ``b_h`` is the Brent response [log points] to one unit of
the shock; the term for a threat of size ``k`` standard deviations of the
shock (its sample standard deviation before ``as_of``, ``sd``) is
``k * sd * b(h)`` at ``h`` months after the news, interpolated linearly
between months. As the physical loss arrives it is priced by the crude
response of the model already, so the simulation takes the larger of the two
on each week and draw, ``max(premium_t, E_t)`` with ``E_t`` the crude
response's log effect (:func:`news_effect`): no double count once the loss
priced at the news is realised, and more disruption never lowers the price.

Size: one standard deviation of the news shock (``THREAT_SD``) for every
scenario that names a threatened flow (:func:`is_news`) — the typical news,
not a size fitted or chosen per event; a scenario that names nothing at risk
(the harness's calm origins) gets none.

Point in time: Känzig's shock is a full-sample (two-sided) estimate, so a
fit may use it only from its publication (April 2021, ``news_vintages.toml``;
before that the term is absent, :func:`fit_news_premium_at`), and the
regression uses only months before ``as_of``. The snapshot holds the 2024M12
vintage, so a fit dated 2021–2025 reads revised values of earlier months.

Pure functions: frames or arrays in, dicts or arrays out; no dataset is loaded here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

NEWS_SERIES = "kanzig2021_oil_supply_news_shock"
HORIZON_MONTHS = 12  # months 0..12, as the crude response (oilshock.model.crude.HORIZONS)
DAYS_PER_MONTH = 365.25 / 12
MIN_MONTHS = 60  # fewer usable months gives no fit (the term is then zero)
# The size of the news a scenario stands for, in standard deviations of the shock: the typical news
# (a unit normalisation, as impulse responses to a one-standard-deviation shock are reported), the same
# for every scenario, so that no event's size is chosen with its outcome in view.
THREAT_SD = 1.0


def monthly_brent(brent_daily):
    """Monthly mean Brent [USD/bbl] from daily ``date``, ``brent_usd_per_bbl``.

    Returns columns ``month`` (first day) and ``brent_usd_per_bbl``.
    """
    import polars as pl

    return (
        brent_daily.group_by(pl.col("date").dt.truncate("1mo").alias("month"))
        .agg(pl.col("brent_usd_per_bbl").mean())
        .sort("month")
    )


def fit_news_premium(
    shocks_monthly,
    brent_monthly,
    as_of: dt.date,
    *,
    series: str = NEWS_SERIES,
    horizons: int = HORIZON_MONTHS,
) -> dict:
    """Fit Brent's response to the oil supply news shock at h = 0..horizons months, on months before ``as_of``.

    Local projection (Jordà 2005, *AER* 95(1): 161–182) of the cumulative
    log Brent change on Känzig's (2021, *AER* 111(4): 1092–1125) news
    shock, Newey–West (1987, *Econometrica* 55(3): 703–708) errors with
    h + 1 lags (the cumulative changes overlap).

    Parameters
    ----------
    shocks_monthly : polars.DataFrame
        ``series``, ``date`` (first of month), ``value`` (dataset ``oil_supply_shocks_monthly``).
    brent_monthly : polars.DataFrame
        ``month`` (first of month), ``brent_usd_per_bbl`` (:func:`monthly_brent`).
    as_of : datetime.date
        Only months whose outcome month ends before ``as_of`` enter.
    series : str
        The shock series.
    horizons : int
        Largest horizon H [months].

    Returns
    -------
    dict
        ``coef_dlog_per_shock`` (H+1,) b_h [log points per unit shock], ``se`` (H+1,),
        ``cov`` (H+1, H+1) (rank one, the horizons treated as perfectly correlated),
        ``shock_sd`` [shock units] before ``as_of``, ``impact_dlog_per_sd`` = b_0 * sd,
        ``n_obs``, ``sample``, ``method``; ``coef_dlog_per_shock`` is None when fewer than
        :data:`MIN_MONTHS` months are usable.
    """
    import polars as pl
    import statsmodels.api as sm

    s = shocks_monthly.filter(pl.col("series") == series).select(
        pl.col("date").dt.truncate("1mo").alias("month"), pl.col("value").alias("shock")
    )
    f = brent_monthly.join(s, on="month", how="left").sort("month")
    months = f["month"].to_list()
    logp = np.log(f["brent_usd_per_bbl"].to_numpy().astype(float))
    shock = f["shock"].to_numpy().astype(float)
    cutoff = dt.date(as_of.year, as_of.month, 1)  # an outcome month must start before as_of's month
    usable = np.array([m < cutoff for m in months])
    sd = float(np.nanstd(shock[usable & np.isfinite(shock)], ddof=1)) if usable.any() else np.nan
    coef, se, nobs = (
        np.full(horizons + 1, np.nan),
        np.full(horizons + 1, np.nan),
        np.zeros(horizons + 1, int),
    )
    first = last = None
    for h in range(horizons + 1):
        i = np.arange(1, len(months) - h)
        ok = np.isfinite(shock[i]) & usable[i + h]
        i = i[ok]
        if i.size < MIN_MONTHS:
            continue
        y = logp[i + h] - logp[i - 1]
        res = sm.OLS(y, sm.add_constant(shock[i])).fit(cov_type="HAC", cov_kwds={"maxlags": h + 1})
        coef[h] = res.params[1]
        se[h] = float(np.sqrt(res.cov_params()[1, 1]))
        nobs[h] = i.size
        if h == 0:
            first, last = str(months[i[0]]), str(months[i[-1]])
    fitted = bool(np.isfinite(coef[0]))
    return {
        "coef_dlog_per_shock": coef if fitted else None,
        "se": se,
        "cov": np.outer(np.nan_to_num(se), np.nan_to_num(se)),
        "shock_sd": sd,
        "impact_dlog_per_sd": float(coef[0] * sd) if fitted else None,
        "n_obs": nobs,
        "sample": (first, last),
        "series": series,
        "as_of": as_of.isoformat(),
        "method": "local projection of the cumulative monthly log Brent change on the news shock, "
        "h = 0..H months, OLS with Newey-West (maxlags = h + 1) errors",
    }


def premium_path(
    fit: dict,
    weeks: np.ndarray,
    threat_sd: float,
    loss_share: np.ndarray | None = None,
    expected_share: float | None = None,
    coef: np.ndarray | None = None,
) -> np.ndarray:
    """Risk-premium term [log points of Brent] at each week after the news date (the study form).

    The form of the pre-wiring study (``docs/research/variants_cd.py``), with a
    conversion factor; the simulation uses :func:`news_effect` and the larger of
    premium and crude effect instead (module docstring).

    ``premium_t = threat_sd * sd * b(h_t) * (1 - min(L_t / L_expected, 1))`` with
    ``h_t = 7 t / (365.25/12)`` months and b interpolated linearly between the
    fitted months (Jordà 2005 local projection; Känzig 2021 news shock). The
    conversion factor removes the part of the premium that the model's crude
    response prices once the loss is physical (Kilian 2009, *AER* 99(3):
    1053–1069: precautionary demand at the news, supply response as it arrives).

    Parameters
    ----------
    fit : dict
        From :func:`fit_news_premium`.
    weeks : ndarray (W,) or (n, W)
        Weeks since the news date [weeks] (week 1 is the first survey Monday).
    threat_sd : float
        Size of the threat [standard deviations of the news shock]; 0 gives zero.
    loss_share : ndarray (W,) or (n, W), optional
        The scenario's realised loss [share of world supply] each week.
    expected_share : float, optional
        The loss feared at the news [share]; with ``loss_share`` it sets the conversion.
    coef : ndarray (H+1,) or (n, H+1), optional
        Drawn coefficients (:func:`draw_coefficients`); the point estimates if None.

    Returns
    -------
    ndarray, the broadcast shape of ``weeks``, ``loss_share`` and ``coef`` rows
        Log change to add to Brent's path [log points].
    """
    w = np.asarray(weeks, dtype=float)
    if threat_sd == 0 or fit.get("coef_dlog_per_shock") is None:
        return np.zeros(
            np.broadcast_shapes(w.shape, np.shape(loss_share) if loss_share is not None else ())
        )
    b = np.asarray(fit["coef_dlog_per_shock"] if coef is None else coef, dtype=float)
    b = np.nan_to_num(b, nan=0.0)
    h = np.clip(w * 7 / DAYS_PER_MONTH, 0, b.shape[-1] - 1)
    lo = np.floor(h).astype(int)
    hi = np.minimum(lo + 1, b.shape[-1] - 1)
    frac = h - lo
    if b.ndim == 1:
        resp = b[lo] * (1 - frac) + b[hi] * frac
    else:  # one coefficient row per draw
        resp = np.take_along_axis(b, np.broadcast_to(lo, (b.shape[0], *lo.shape[-1:])), 1) * (
            1 - frac
        )
        resp += np.take_along_axis(b, np.broadcast_to(hi, (b.shape[0], *hi.shape[-1:])), 1) * frac
    out = threat_sd * fit["shock_sd"] * resp
    if loss_share is not None and expected_share:
        out = out * (1 - np.minimum(np.asarray(loss_share, dtype=float) / expected_share, 1.0))
    return out


def draw_coefficients(fit: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    """Coefficient draws (n, H+1) from the fitted rank-one covariance: b_h + se_h z_j, one z per draw."""
    # Cached fits hold None for a horizon without a fit: as floats those are NaN, then zero.
    b = np.nan_to_num(np.asarray(fit["coef_dlog_per_shock"], dtype=float), nan=0.0)
    se = np.nan_to_num(np.asarray(fit["se"], dtype=float), nan=0.0)
    return b[None, :] + rng.standard_normal(n)[:, None] * se[None, :]


def load_news_vintages() -> list[dict]:
    """The published vintages of the news shock series (``news_vintages.toml``), in order of preference."""
    import tomllib
    from pathlib import Path

    path = Path(__file__).resolve().parent / "news_vintages.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["vintage"]


def fit_news_premium_at(shocks_monthly, brent_daily, as_of: dt.date) -> dict:
    """The news-premium fit a model dated ``as_of`` may use, as plain JSON; or why there is none.

    Point in time twice over: the series only once it had been published
    (:func:`load_news_vintages`), and in the regression only months before
    ``as_of`` (:func:`fit_news_premium`).

    Returns
    -------
    dict
        :func:`fit_news_premium`'s result with arrays as lists and the vintage's ``citation``;
        or ``{"unavailable": reason}``.
    """
    vintage = next((v for v in load_news_vintages() if v["published"] <= as_of), None)
    if vintage is None:
        first = min(v["published"] for v in load_news_vintages())
        return {
            "unavailable": f"no oil supply news shock series had been published by {as_of} "
            f"(first: {first})"
        }
    fit = fit_news_premium(
        shocks_monthly, monthly_brent(brent_daily), as_of, series=vintage["series"]
    )
    if fit["coef_dlog_per_shock"] is None:
        return {"unavailable": f"fewer than {MIN_MONTHS} months of the news shock before {as_of}"}
    out = {k: plain_list(v) for k, v in fit.items()}
    out.pop("cov")  # rank one: se carries it (draw_coefficients)
    out["sample"] = list(fit["sample"])
    out["citation"] = vintage["citation"]
    return out


def plain_list(value):
    """An array as a list with None for NaN (strict JSON); anything else as it is."""
    if not isinstance(value, np.ndarray):
        return value
    return [None if v != v else v for v in value.tolist()]


def is_news(scenario) -> bool:
    """Whether a scenario stands for news of a supply threat.

    News: a disruption that names one chokepoint with a share of its flow
    stopped — zero included, a threat (the harness's threat events) — or a
    positive loss. Not news: a disruption that continues or ends the observed
    state (``share = "observed"``, every chokepoint ``"*"``; the ``now`` and
    ``hormuz-reopens`` presets change nothing where nothing is disrupted), or
    one that names neither a chokepoint nor a positive loss (the calm origins).
    """
    return any(
        (d.chokepoint not in (None, "*") and d.share != "observed")
        or (d.lost_mbd is not None and max(d.lost_mbd) > 0)
        for d in scenario.disruptions
    )


def news_absent(fit: dict | None, scenario, under_way: bool) -> str | None:
    """Why a scenario gets no news premium, or None when it gets one (the one rule; see the module).

    Parameters
    ----------
    fit : dict or None
        :func:`fit_news_premium_at`'s result (None: not fitted).
    scenario : oilshock.scenario.parse.Scenario
    under_way : bool
        A disruption is under way at ``as_of``: today's price already carries the market's premium.
    """
    if not fit or "unavailable" in fit:
        return (fit or {}).get("unavailable", "not fitted")
    if under_way:
        return (
            "not added: a disruption is under way at as_of, and today's price carries whatever "
            "premium the market holds"
        )
    if not is_news(scenario):
        return "not added: the scenario names no threatened flow"
    return None


def news_effect(fit: dict, week_days: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """The premium [log points of Brent] per week and draw, time-major (n_weeks, n).

    ``THREAT_SD * sd * b_j(h_t)`` with ``h_t`` the months from the news date
    (``as_of``) to week ``t`` and ``b_j`` draw ``j``'s coefficients
    (:func:`draw_coefficients`; Jordà 2005 local projection on the Känzig
    2021 news shock), linear between the fitted months; negative values
    (a draw whose response has died out below zero) are cut at zero, as the
    crude fit's sign restriction. The caller takes ``max(premium, E)`` with
    the crude response's effect ``E`` (module docstring).

    Parameters
    ----------
    fit : dict
        :func:`fit_news_premium_at`'s result.
    week_days : ndarray (n_weeks,)
        Days from ``as_of`` to each week [day].
    n : int
        Draws.
    rng : numpy.random.Generator
        For the coefficient draws.
    """
    coef = draw_coefficients(fit, n, rng)
    h = np.clip(np.asarray(week_days, dtype=float) / DAYS_PER_MONTH, 0, coef.shape[1] - 1)
    lo = np.floor(h).astype(int)
    hi = np.minimum(lo + 1, coef.shape[1] - 1)
    frac = h - lo
    resp = coef[:, lo] * (1 - frac) + coef[:, hi] * frac  # (n, n_weeks)
    return np.maximum(THREAT_SD * fit["shock_sd"] * resp, 0.0).T
