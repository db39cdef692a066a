"""Crude price response to lost world supply, by horizon.

What is estimated
-----------------
The *price multiplier* :math:`M(h)`: the percent rise in the crude price per
percent of world oil supply that is persistently missing, :math:`h` months
after the shortfall began. It is estimated from history with local
projections instrumented by an identified oil-supply shock series, all with
statsmodels, on monthly data known as of the estimate's ``as_of`` date:

1. For each horizon :math:`h = 0..12`, the reduced form and the first stage

   .. math::

      \\log P_{t+h} - \\log P_{t-1} = a_h + \\pi_h z_t + \\Gamma_h' w_t + e_{t+h}

      \\log Q_{t+h} - \\log Q_{t-1} = c_h + \\phi_h z_t + \\Lambda_h' w_t + u_{t+h}

   where :math:`P` is the US refiners' acquisition cost of imported crude
   (EIA; the longest monthly world price, 1974 on), :math:`Q` world crude
   production (EIA, via Känzig 2021, to 2017-12; extended by the growth of
   EIA's current world crude series, :func:`~oilshock.model.crude_inputs.splice_production`), :math:`z`
   the instrument and :math:`w_t` six lags of both growth rates (Jordà 2005
   local projections [1]_; the IV form follows Stock & Watson 2018 [2]_ and
   Känzig 2021 [3]_). The instrument is the identified supply shock
   published by ``as_of`` (Baumeister–Hamilton 2019 [4]_, else Kilian 2009
   [5]_) over its sample, continued after that sample by the recursive
   supply shock re-estimated on data up to ``as_of``, each piece
   standardised over its own months (:func:`~oilshock.model.crude_inputs.splice_instrument`).
2. :math:`\\pi_h` and :math:`\\phi_h` are the price and production impulse
   responses to the same shock. Treating the price as a linear filter of
   production, :math:`\\pi_h = \\sum_{j\\le h} k_j \\phi_{h-j}`, the kernel
   :math:`k` is recovered by forward substitution and the response to a
   *persistent* 1 % shortfall is its running sum,
   :math:`M(h) = -\\sum_{j \\le h} k_j`. At :math:`h = 0` this is the IV
   ratio :math:`-\\pi_0/\\phi_0`, the impact price elasticity to supply.
3. Uncertainty: a moving-block bootstrap (blocks of 12 months) over the
   regression sample re-estimates every horizon jointly, so draws keep the
   correlation across horizons. Draws with a negative multiplier at some
   horizon (a supply *loss* lowering the price, which no model of a market
   allows) are truncated at zero there — a sign restriction, reported in the
   fit's diagnostics.

How the fitted multiplier is applied to a loss path, and the named variants
of that response, are in :mod:`oilshock.model.crude_paths`.

References
----------
.. [1] Jordà, Ò. (2005). Estimation and inference of impulse responses by
   local projections. American Economic Review 95(1), 161–182.
.. [2] Stock, J. H. and Watson, M. W. (2018). Identification and estimation
   of dynamic causal effects in macroeconomics using external instruments.
   Economic Journal 128(610), 917–948.
.. [3] Känzig, D. R. (2021). The macroeconomic effects of oil supply news.
   American Economic Review 111(4), 1092–1125.
.. [4] Baumeister, C. and Hamilton, J. D. (2019). Structural interpretation
   of vector autoregressions with incomplete identification: revisiting
   the role of oil supply and demand shocks. American Economic Review
   109(5), 1873–1910.
.. [5] Kilian, L. (2009). Not all oil price shocks are alike: disentangling
   demand and supply shocks in the crude oil market. American Economic
   Review 99(3), 1053–1069.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

HORIZONS = 13  # months 0..12
LAGS = 6
BLOCK = 12
INSTRUMENT = "bh2019_oil_supply"  # preferred; see crude_inputs.choose_instrument (point in time)
DAYS_PER_MONTH = 365.25 / 12


def _design(price: np.ndarray, prod: np.ndarray, shock: np.ndarray):
    """Rows t with all horizons observed: LHS (T, H) for price and production, controls, instrument."""
    lp, lq = np.log(price), np.log(prod)
    dp, dq = np.diff(lp, prepend=np.nan), np.diff(lq, prepend=np.nan)
    rows = []
    n = len(lp)
    for t in range(LAGS + 1, n - HORIZONS + 1):
        if np.isnan(shock[t]):
            continue
        ctrl = np.r_[dp[t - LAGS : t][::-1], dq[t - LAGS : t][::-1]]
        yp = lp[t : t + HORIZONS] - lp[t - 1]
        yq = lq[t : t + HORIZONS] - lq[t - 1]
        if np.isnan(ctrl).any() or np.isnan(yp).any() or np.isnan(yq).any():
            continue
        rows.append((t, yp, yq, ctrl, shock[t]))
    if len(rows) < 60:
        raise ValueError(f"only {len(rows)} usable months for the crude-response fit (need 60)")
    t_idx = np.array([r[0] for r in rows])
    YP = np.array([r[1] for r in rows])
    YQ = np.array([r[2] for r in rows])
    W = np.array([r[3] for r in rows])
    z = np.array([r[4] for r in rows])
    return t_idx, YP, YQ, W, z


def _step_response(pi: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Running sum of the kernel k solving pi_h = sum_j k_j phi_{h-j}, sign-flipped (a loss raises prices)."""
    k = np.zeros_like(pi)
    for h in range(len(pi)):
        k[h] = (pi[h] - np.dot(k[:h], phi[h:0:-1])) / phi[0]
    return -np.cumsum(k)


def _coef_on_z(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    beta, *_ = np.linalg.lstsq(X, Y, rcond=None)
    return beta[-1]


def fit_crude_response(
    price_monthly,
    production_monthly,
    shocks_monthly,
    *,
    n_boot: int = 400,
    seed: int = 20260227,
    instrument: str = INSTRUMENT,
    pieces: list[dict] | None = None,
) -> dict:
    """Estimate the price multiplier M(h), h = 0..12 months, with bootstrap draws.

    Parameters
    ----------
    price_monthly : polars.DataFrame
        ``date``, ``price_usd_per_bbl`` [USD/bbl], monthly, already limited to ``as_of``.
    production_monthly : polars.DataFrame
        ``date``, ``value_kbd`` [kb/d] world crude production.
    shocks_monthly : polars.DataFrame
        ``date``, ``value``: the instrument series.
    instrument : str
        Its name, for the record (see :func:`oilshock.model.crude_inputs.choose_instrument`).
    pieces : list of dict, optional
        The instrument's pieces (:func:`~oilshock.model.crude_inputs.splice_instrument`): ``series``,
        ``first``, ``last`` [ISO month]; the result records how many regression
        months each piece supplied. None: one piece, the whole series.
    n_boot : int
        Bootstrap replications.
    seed : int
        Seed of the bootstrap (fixed: the fit is part of the cached parameters).

    Returns
    -------
    dict
        ``multiplier`` (point, per horizon), ``draws`` (n_boot × 13),
        ``impulse_per_impact_loss`` and ``impulse_draws`` (:math:`-\\pi_h/\\phi_0`, point and
        replicates), the first-stage F statistic per horizon, the sample and diagnostics; plain
        lists so it can be cached as JSON. ``sample_first`` and ``sample_last``
        are the first and last shock months :math:`t` of the regression;
        ``data_last`` is the last month it reads (:math:`t + 12`);
        ``instrument_pieces`` the months each piece supplied.
    """
    import polars as pl
    import statsmodels.api as sm

    frame = (
        price_monthly.select("date", "price_usd_per_bbl")
        .join(production_monthly.select("date", "value_kbd"), on="date", how="inner")
        .join(shocks_monthly.select("date", pl.col("value").alias("shock")), on="date", how="left")
        .sort("date")
    )
    price = frame["price_usd_per_bbl"].to_numpy()
    prod = frame["value_kbd"].to_numpy()
    shock = frame["shock"].fill_null(np.nan).to_numpy().astype(float)
    dates = frame["date"].to_list()
    t_idx, YP, YQ, W, z = _design(price, prod, shock)
    X = sm.add_constant(np.column_stack([W, z]), has_constant="add")

    pi = np.empty(HORIZONS)
    phi = np.empty(HORIZONS)
    fstat = np.empty(HORIZONS)
    for h in range(HORIZONS):
        # HAC errors: overlapping h-month changes are serially correlated by construction.
        rf = sm.OLS(YP[:, h], X).fit(cov_type="HAC", cov_kwds={"maxlags": h + 1})
        fs = sm.OLS(YQ[:, h], X).fit(cov_type="HAC", cov_kwds={"maxlags": h + 1})
        pi[h], phi[h] = rf.params[-1], fs.params[-1]
        fstat[h] = float(fs.tvalues[-1] ** 2)
    point = _step_response(pi, phi)

    rng = np.random.default_rng(seed)
    n = len(z)
    n_blocks = int(np.ceil(n / BLOCK))
    draws = np.empty((n_boot, HORIZONS))
    impulse = np.empty((n_boot, HORIZONS))
    for b in range(n_boot):
        starts = rng.integers(0, n - BLOCK + 1, size=n_blocks)
        idx = (starts[:, None] + np.arange(BLOCK)[None, :]).ravel()[:n]
        Xb = X[idx]
        pi_b, phi_b = _coef_on_z(Xb, YP[idx]), _coef_on_z(Xb, YQ[idx])
        draws[b] = _step_response(pi_b, phi_b)
        impulse[b] = -pi_b / phi_b[0]
    negative = int((draws < 0).sum())
    draws = np.maximum(draws, 0.0)
    # The price path after a typical shock per 1% of supply lost on impact, -pi_h / phi_0 (the response
    # superposed by the candidate superposition-irf); the same sign restriction as M.
    impulse = np.maximum(impulse, 0.0)

    # Largest monthly production loss the instrument moved in sample, as a share of supply: the first
    # stage's fitted loss at the most contractionary shock. Raw monthly changes would include data
    # artefacts (world crude fell 9.9% in Oct 1975 and 9.4% in Jan 1977 and Jan 1978, each a one-month
    # swing that no episode explains), so the extrapolation flag compares with what the instrument identifies.
    # A fit whose sample reaches May 2020 finds it there: the OPEC+ cut, -12.5% in the month, 9.0% fitted.
    max_share = float(max(0.0, np.max(-phi[0] * z)))
    used = [dates[int(t)] for t in t_idx]
    if pieces is None:
        pieces = [
            {"series": instrument, "first": used[0].isoformat(), "last": used[-1].isoformat()}
        ]
    # The impact multiplier's spread between periods, for the +regimes bands (model.crude_regimes).
    from oilshock.model.crude_regimes import between_period_sd, subsample_impacts

    subsamples = subsample_impacts(t_idx, X, YP[:, 0], YQ[:, 0])
    return {
        "method": "LP-IV step response (Jorda 2005; Stock-Watson 2018), instrument " + instrument,
        "instrument": instrument,
        "horizon_months": list(range(HORIZONS)),
        "multiplier": [float(v) for v in point],
        "multiplier_se": [float(v) for v in draws.std(axis=0, ddof=1)],
        "draws": draws.round(6).tolist(),
        "impulse_per_impact_loss": [float(v) for v in -pi / phi[0]],
        "impulse_draws": impulse.round(6).tolist(),
        "first_stage_f": [float(v) for v in fstat],
        "impulse_price": [float(v) for v in pi],
        "impulse_production": [float(v) for v in phi],
        "sample_first": dates[int(t_idx[0])].isoformat(),
        "sample_last": dates[int(t_idx[-1])].isoformat(),
        # The last month any regression row reads: its shock month plus the longest horizon.
        "data_last": dates[int(t_idx[-1]) + HORIZONS - 1].isoformat(),
        "instrument_pieces": [_piece_usage(piece, used) for piece in pieces],
        "n_obs": int(n),
        "n_boot": int(n_boot),
        "negative_draws_truncated": negative,
        "max_share_in_sample": max_share,
        "impact_subsamples": [
            {
                "first": dates[int(t_idx[s["first"]])].isoformat(),
                "last": dates[int(t_idx[s["last"]])].isoformat(),
                "impact": round(s["impact"], 4),
                "se": round(float(np.sqrt(s["variance"])), 4),
            }
            for s in subsamples
        ],
        "impact_between_period_sd": between_period_sd(subsamples),
    }


def _piece_usage(piece: dict, used: list[dt.date]) -> dict:
    """A piece of the instrument with the regression months it supplied (``rows``, ``rows_first``, ``rows_last``)."""
    first, last = dt.date.fromisoformat(piece["first"]), dt.date.fromisoformat(piece["last"])
    mine = [d for d in used if first <= d <= last]
    return piece | {
        "rows": len(mine),
        "rows_first": mine[0].isoformat() if mine else None,
        "rows_last": mine[-1].isoformat() if mine else None,
    }
