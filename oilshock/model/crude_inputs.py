"""The crude fit's inputs as of a date: world production spliced past 2017, the instrument chosen
and continued point in time, and the fit made on them (:func:`fit_crude_at`).

The estimator itself is :func:`oilshock.model.crude.fit_crude_response`; this module decides what
it reads as of ``as_of``, so that every figure it uses was known then.

References
----------
Baumeister, C. and Hamilton, J. D. (2019). AER 109(5), 1873–1910. Känzig, D. R. (2021). AER
111(4), 1092–1125. Kilian, L. (2009). AER 99(3), 1053–1069.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from oilshock.model.crude import INSTRUMENT, fit_crude_response

__all__ = ["INSTRUMENT"]

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
