"""Proper scores for ensemble forecasts: sample CRPS, band coverage with binomial intervals.

The continuous ranked probability score of a forecast distribution :math:`F`
for an outcome :math:`y` is (Gneiting & Raftery 2007 [1]_, eq. 21)

.. math::  \\mathrm{CRPS}(F, y) = E_F|X - y| - \\tfrac12 E_F|X - X'|

with :math:`X, X'` independent draws from :math:`F`. For an ensemble
:math:`x_1 \\le \\dots \\le x_m` both expectations are taken over the empirical
distribution; the second sum has the closed form
:math:`E|X - X'| = \\frac{2}{m^2} \\sum_i (2i - m - 1) x_{(i)}`, so the score
costs a sort instead of :math:`m^2` differences. ``fair=True`` divides that
term by :math:`m(m-1)` instead of :math:`m^2`, the unbiased ("fair") ensemble
CRPS of Ferro (2014) [2]_, which does not favour small ensembles. Lower is
better; the unit is the outcome's.

References
----------
.. [1] Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring rules,
   prediction, and estimation. JASA 102(477), 359–378.
.. [2] Ferro, C. A. T. (2014). Fair scores for ensemble forecasts. QJRMS
   140(683), 1917–1923.
.. [3] Wilson, E. B. (1927). Probable inference, the law of succession, and
   statistical inference. JASA 22(158), 209–212.
"""

from __future__ import annotations

import math

import numpy as np


def crps_ensemble(draws: np.ndarray, obs: np.ndarray, *, fair: bool = False) -> np.ndarray:
    """Sample CRPS of ensembles along axis 0 against outcomes.

    Parameters
    ----------
    draws : ndarray (m, ...)
        Ensemble members along the first axis.
    obs : ndarray (...)
        Outcomes, broadcastable to ``draws.shape[1:]``; NaN gives NaN.
    fair : bool
        Use the fair (unbiased) form of Ferro (2014).

    Returns
    -------
    ndarray (...)
        CRPS in the outcome's unit.
    """
    x = np.sort(np.asarray(draws, dtype=float), axis=0)
    m = x.shape[0]
    y = np.asarray(obs, dtype=float)
    first = np.abs(x - y).mean(axis=0)
    w = (2 * np.arange(1, m + 1) - m - 1).reshape((m,) + (1,) * (x.ndim - 1))
    spread = 2.0 * (w * x).sum(axis=0) / (m * (m - 1) if fair else m * m)
    return first - 0.5 * spread


def crps_normal(mu, sigma, obs) -> np.ndarray:
    """Closed-form CRPS of a normal forecast (Gneiting & Raftery 2007, eq. 5), for checks.

    :math:`\\sigma [z(2\\Phi(z) - 1) + 2\\phi(z) - 1/\\sqrt\\pi]`, :math:`z = (y - \\mu)/\\sigma`.
    """
    z = (np.asarray(obs, dtype=float) - mu) / sigma
    cdf = 0.5 * (1 + np.vectorize(math.erf)(z / math.sqrt(2)))
    pdf = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return sigma * (z * (2 * cdf - 1) + 2 * pdf - 1 / math.sqrt(math.pi))


def inside_band(draws: np.ndarray, obs: np.ndarray, level: float) -> np.ndarray:
    """Whether each outcome lies in the central ``level`` band of its ensemble (NaN outcomes: False).

    The band is [q_(1-level)/2, q_(1+level)/2] of the draws along axis 0 (numpy's default linear quantiles).
    """
    lo, hi = np.quantile(np.asarray(draws, dtype=float), [(1 - level) / 2, (1 + level) / 2], axis=0)
    y = np.asarray(obs, dtype=float)
    return (lo <= y) & (y <= hi)


def coverage(hits: int, n: int, alpha: float = 0.10) -> dict:
    """Share of outcomes inside a band with its Wilson score interval (statsmodels).

    Parameters
    ----------
    hits, n : int
        Outcomes inside the band, and outcomes scored.
    alpha : float
        1 − confidence of the interval (0.10: a 90% interval).

    Notes
    -----
    Weekly outcomes of one event are serially correlated, so the binomial
    interval (which assumes independent trials) is too narrow for pooled
    weeks; it is exact in form for the event-level counts. The Wilson
    interval [3]_ keeps its coverage near the nominal level for small ``n``.
    """
    from statsmodels.stats.proportion import proportion_confint

    if n == 0:
        return {"hits": 0, "n": 0, "share": None, "low": None, "high": None}
    lo, hi = proportion_confint(hits, n, alpha=alpha, method="wilson")
    return {"hits": int(hits), "n": int(n), "share": hits / n, "low": float(lo), "high": float(hi)}


def skill(score: float, reference: float) -> float | None:
    """Skill score :math:`1 - S/S_{ref}`: positive when the forecast beats the reference."""
    if (
        score is None
        or reference is None
        or not np.isfinite(score)
        or not np.isfinite(reference)
        or reference <= 0
    ):
        return None
    return 1.0 - score / reference
