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
   EIA's current world crude series, :func:`splice_production`), :math:`z`
   the instrument and :math:`w_t` six lags of both growth rates (Jordà 2005
   local projections [1]_; the IV form follows Stock & Watson 2018 [2]_ and
   Känzig 2021 [3]_). The instrument is the identified supply shock
   published by ``as_of`` (Baumeister–Hamilton 2019 [4]_, else Kilian 2009
   [5]_) over its sample, continued after that sample by the recursive
   supply shock re-estimated on data up to ``as_of``, each piece
   standardised over its own months (:func:`splice_instrument`).
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
INSTRUMENT = "bh2019_oil_supply"  # preferred; see choose_instrument for the point-in-time choice
RECURSIVE = "recursive_supply_shock"
PRODUCTION_SERIES = "kanzig_eia1955"
# EIA's current world crude series (INTL.57-1-WORL-TBPD.M, 1992 on in the snapshot): it continues the
# production series past Känzig's 2017-12 (splice_production).
EXTENSION_SERIES = "eia_intl_crude_incl_condensate"
# The splice is made only if the two series' monthly growth rates agree on their overlap (1992-2017:
# correlation 0.85, 0.96 over 2010-2017); a weaker agreement would splice two different concepts.
MIN_OVERLAP_MONTHS = 24
MIN_OVERLAP_GROWTH_CORR = 0.7
# A piece of the instrument shorter than this has no usable variance to standardise it by.
MIN_PIECE_MONTHS = 12
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
        Its name, for the record (see :func:`choose_instrument`).
    pieces : list of dict, optional
        The instrument's pieces (:func:`splice_instrument`): ``series``,
        ``first``, ``last`` [ISO month]; the result records how many regression
        months each piece supplied. None: one piece, the whole series.
    n_boot : int
        Bootstrap replications.
    seed : int
        Seed of the bootstrap (fixed: the fit is part of the cached parameters).

    Returns
    -------
    dict
        ``multiplier`` (point, per horizon), ``draws`` (n_boot × 13), the
        first-stage F statistic per horizon, the sample and diagnostics; plain
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
    for b in range(n_boot):
        starts = rng.integers(0, n - BLOCK + 1, size=n_blocks)
        idx = (starts[:, None] + np.arange(BLOCK)[None, :]).ravel()[:n]
        Xb = X[idx]
        draws[b] = _step_response(_coef_on_z(Xb, YP[idx]), _coef_on_z(Xb, YQ[idx]))
    negative = int((draws < 0).sum())
    draws = np.maximum(draws, 0.0)

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
    return {
        "method": "LP-IV step response (Jorda 2005; Stock-Watson 2018), instrument " + instrument,
        "instrument": instrument,
        "horizon_months": list(range(HORIZONS)),
        "multiplier": [float(v) for v in point],
        "multiplier_se": [float(v) for v in draws.std(axis=0, ddof=1)],
        "draws": draws.round(6).tolist(),
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


def load_instrument_vintages() -> list[dict]:
    """The published vintages of the instrument series, in order of preference (``instrument_vintages.toml``)."""
    import tomllib
    from pathlib import Path

    path = Path(__file__).resolve().parent / "instrument_vintages.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["vintage"]


def choose_instrument(as_of: dt.date) -> dict:
    """The instrument a fit as of ``as_of`` may use: the preferred series published by then, else none.

    A full-sample shock series (Baumeister & Hamilton 2019 ends in 2017 and
    was published in May 2019) is a two-sided estimate: a fit dated before
    its publication would see the future through it. Returns the vintage's
    row, or ``{"series": RECURSIVE, ...}`` when no vintage had been published.
    """
    for v in load_instrument_vintages():
        if v["published"] <= as_of:
            return v
    return {
        "series": RECURSIVE,
        "published": None,
        "citation": "recursive supply shock re-estimated on data up to as_of (Kilian 2009 identification)",
    }


def recursive_supply_shock(price_monthly, production_monthly, lags: int = 12):
    """A supply shock estimated from data up to the fit's ``as_of`` only (one-sided).

    The residual of world crude production growth on a constant and ``lags``
    lags of production and price growth, by OLS: production does not respond
    to the price within the month, the recursive identification of Kilian
    (2009, AER 99(3), 1053–1069) reduced to its first equation. Used as the
    instrument where no published shock series existed at ``as_of``.

    Returns
    -------
    polars.DataFrame
        ``date``, ``value`` (the residual [log points]).
    """
    import polars as pl

    f = (
        price_monthly.select("date", "price_usd_per_bbl")
        .join(production_monthly.select("date", "value_kbd"), on="date")
        .sort("date")
    )
    dq = np.diff(np.log(f["value_kbd"].to_numpy()))
    dp = np.diff(np.log(f["price_usd_per_bbl"].to_numpy()))
    rows = [
        np.r_[1.0, dq[t - lags : t][::-1], dp[t - lags : t][::-1]] for t in range(lags, dq.size)
    ]
    X, y = np.array(rows), dq[lags:]
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    return pl.DataFrame({"date": f["date"].to_list()[lags + 1 :], "value": y - X @ beta})


def splice_production(world_monthly) -> tuple:
    """World crude production for the fit: Känzig's series, continued past its end by EIA's growth.

    Känzig's (2021) ``EIA1955`` world crude production stops at 2017-12; EIA's
    current series (``EXTENSION_SERIES``, INTL.57-1-WORL-TBPD.M, 1992 on in the
    snapshot) runs further. After the primary series' last month :math:`T`,
    the production level is carried on by the extension's growth,

    .. math::

       Q_t = Q_T \\, E_t / E_T, \\qquad t > T,

    the ratio (growth-rate) splice of two vintages of one statistic (IMF,
    *Quarterly National Accounts Manual*, 2017 edition, on linking series
    by their rates of change). Only the growth of :math:`Q` enters the fit,
    so the two series' different levels (vintage revisions, coverage; ±2.4 %
    on 1992–2017) do not matter; their growth rates must agree on the
    overlap (correlation at least ``MIN_OVERLAP_GROWTH_CORR`` over at least
    ``MIN_OVERLAP_MONTHS`` months), else there is no splice.

    Parameters
    ----------
    world_monthly : polars.DataFrame
        ``date``, ``series``, ``value_kbd`` [kb/d]: the snapshot's
        ``world_oil_supply_monthly``, already limited to months known by ``as_of``.

    Returns
    -------
    tuple of (polars.DataFrame, dict)
        ``date``, ``value_kbd`` [kb/d]; and the splice's record: the primary
        series and its last month, the extension and the months it added
        (``None`` when none), the overlap's months, the correlation of the
        monthly log growth rates and their mean absolute difference [log
        points], the level ratio :math:`E_T / Q_T` and, when there was no
        splice, why.
    """
    import polars as pl

    def series(name: str):
        return (
            world_monthly.filter(pl.col("series") == name)
            .select("date", "value_kbd")
            .drop_nulls()
            .sort("date")
        )

    def growth(frame):
        # Month-on-month log growth, only between consecutive calendar months.
        return frame.with_columns(
            g=pl.col("value_kbd").log().diff(),
            gap=pl.col("date").dt.offset_by("1mo").shift(1) == pl.col("date"),
        ).filter(pl.col("gap"))

    primary, extension = series(PRODUCTION_SERIES), series(EXTENSION_SERIES)
    last = primary["date"].max()
    record = {
        "primary": PRODUCTION_SERIES,
        "primary_first": primary["date"].min().isoformat(),
        "primary_last": last.isoformat(),
        "extension": None,
        "extension_first": None,
        "extension_last": None,
    }
    later = extension.filter(pl.col("date") > last)
    at_splice = extension.filter(pl.col("date") == last)
    if later.height == 0 or at_splice.height == 0:
        return primary, record | {"why_not": f"{EXTENSION_SERIES} has no month after {last}"}
    both = growth(primary).join(growth(extension), on="date", suffix="_e")
    corr = float(np.corrcoef(both["g"], both["g_e"])[0, 1]) if both.height > 2 else float("nan")
    record |= {
        "overlap_months": both.height,
        "overlap_growth_corr": round(corr, 4),
        "overlap_growth_mean_abs_diff": round(float((both["g"] - both["g_e"]).abs().mean()), 6),
        "level_ratio_at_splice": round(at_splice["value_kbd"][0] / primary["value_kbd"][-1], 6),
    }
    if both.height < MIN_OVERLAP_MONTHS or not corr >= MIN_OVERLAP_GROWTH_CORR:
        return primary, record | {"why_not": "the two series' growth rates disagree on the overlap"}
    scale = primary["value_kbd"][-1] / at_splice["value_kbd"][0]
    added = later.with_columns(pl.col("value_kbd") * scale)
    return pl.concat([primary, added]), record | {
        "extension": EXTENSION_SERIES,
        "extension_first": added["date"].min().isoformat(),
        "extension_last": added["date"].max().isoformat(),
    }


def splice_instrument(recursive, published=None, series: str | None = None) -> tuple:
    """The instrument: a published shock series over its sample, the recursive shock after it.

    A published, two-sided shock series stops at its sample's end (Baumeister
    & Hamilton 2019 at 2017-12, Kilian 2009 at 2007-12). The months after it
    take the recursive supply shock re-estimated on data up to ``as_of``
    (:func:`recursive_supply_shock`): both are valid instruments for the same
    supply shock, and so is their combination. The IV ratio is free of the
    scale of one instrument but not of the relative scale of two, so each
    piece :math:`p` is put on one scale over its own months,

    .. math::

       z_t = (s_t - \\bar s_p) / \\hat\\sigma_p, \\qquad t \\in p,

    with the piece's mean :math:`\\bar s_p` and standard deviation
    :math:`\\hat\\sigma_p` (ddof 1). Removing each piece's mean keeps a shift of
    level between pieces out of the instrument. A piece shorter than
    ``MIN_PIECE_MONTHS`` is left out (no variance to scale it by).

    Parameters
    ----------
    recursive : polars.DataFrame
        ``date``, ``value`` [log points]: :func:`recursive_supply_shock` on data known by ``as_of``.
    published : polars.DataFrame, optional
        ``date``, ``value`` [the series' own unit]: the published series chosen by
        :func:`choose_instrument`, limited to ``as_of``; None when none had been published.
    series : str, optional
        The published series' name, for the record.

    Returns
    -------
    tuple of (polars.DataFrame, list of dict)
        ``date``, ``value`` [standard deviations of its piece]; and one row per
        piece used: ``series``, ``first``, ``last`` [ISO month], ``months``, and
        the ``mean`` and ``sd`` it was standardised by [the series' own unit].
    """
    import polars as pl

    parts = [(RECURSIVE, recursive.select("date", "value").drop_nulls().sort("date"))]
    if published is not None:
        pub = published.select("date", "value").drop_nulls().sort("date")
        after = pl.col("date") > pub["date"].max()
        parts = [(series, pub), (RECURSIVE, parts[0][1].filter(after))]
    frames, pieces = [], []
    for name, frame in parts:
        if frame.height < MIN_PIECE_MONTHS:
            continue
        mean, sd = float(frame["value"].mean()), float(frame["value"].std(ddof=1))
        frames.append(frame.with_columns((pl.col("value") - mean) / sd))
        pieces.append(
            {
                "series": name,
                "first": frame["date"].min().isoformat(),
                "last": frame["date"].max().isoformat(),
                "months": frame.height,
                "mean": mean,
                "sd": sd,
            }
        )
    return pl.concat(frames), pieces


def fit_crude_at(price_monthly, world_monthly, shocks_monthly, as_of: dt.date, **kwargs) -> dict:
    """The crude fit as of ``as_of``: spliced production, point-in-time instrument, LP-IV.

    Parameters
    ----------
    price_monthly : polars.DataFrame
        ``date``, ``price_usd_per_bbl`` [USD/bbl], months known by ``as_of``.
    world_monthly : polars.DataFrame
        The snapshot's ``world_oil_supply_monthly`` known by ``as_of`` (:func:`splice_production`).
    shocks_monthly : polars.DataFrame
        The snapshot's ``oil_supply_shocks_monthly`` known by ``as_of``: ``date``, ``series``, ``value``.
    as_of : datetime.date
        The fit's date: which published series it may use (:func:`choose_instrument`).
    **kwargs
        Passed to :func:`fit_crude_response` (``n_boot``, ``seed``).

    Returns
    -------
    dict
        :func:`fit_crude_response`'s result, with ``instrument_citation`` and
        ``production`` (the splice's record).
    """
    import polars as pl

    prod, splice = splice_production(world_monthly)
    vintage = choose_instrument(as_of)
    # Point in time: a published series only once published; the recursive shock after its sample
    # (and alone before any was published) is estimated on data known by as_of.
    recursive = recursive_supply_shock(price_monthly, prod)
    published = None
    if vintage["series"] != RECURSIVE:
        published = shocks_monthly.filter(pl.col("series") == vintage["series"])
    shocks, pieces = splice_instrument(recursive, published, vintage["series"])
    name = "+".join(p["series"] for p in pieces)
    fit = fit_crude_response(price_monthly, prod, shocks, instrument=name, pieces=pieces, **kwargs)
    citation = vintage["citation"]
    if len(pieces) > 1:
        citation += (
            f"; after {pieces[0]['last'][:7]}: recursive supply shock (Kilian 2009 identification)"
            " re-estimated on data up to as_of, each piece standardised over its own months"
        )
    return fit | {"instrument_citation": citation, "production": splice}
