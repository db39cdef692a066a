"""How much the impact multiplier differs between periods: a random-effects spread for the bands.

Why
---
The bootstrap of one fit over the whole sample measures how precisely that sample pins down one
multiplier. It does not measure how much the multiplier itself differs from one period to the next
— and it does: the impact multiplier estimated on 1975–1990 and on 1990–2016 differ by an order of
magnitude. A forecast for a new period draws from that spread as well (``docs/evaluation.md``,
amendment 3d).

What is estimated
-----------------
The fit's regression rows (:func:`oilshock.model.crude._design`) are cut into consecutive,
non-overlapping subsamples of ``years`` years (the last kept only with at least ``min_years``). On each,
the impact multiplier is the IV ratio of the month-0 local projections,
:math:`\\hat M_k = -\\hat\\pi_{0,k} / \\hat\\phi_{0,k}` (Stock & Watson 2018), with its sampling variance
:math:`v_k` from a moving-block bootstrap within the subsample. The between-period variance is the
DerSimonian–Laird (1986) moment estimator

.. math::

   w_k = 1/v_k, \\quad \\bar M = \\frac{\\sum_k w_k \\hat M_k}{\\sum_k w_k}, \\quad
   Q = \\sum_k w_k (\\hat M_k - \\bar M)^2, \\quad
   \\tau^2 = \\max\\Big(0, \\frac{Q - (K - 1)}{\\sum_k w_k - \\sum_k w_k^2 / \\sum_k w_k}\\Big)

with :math:`K` subsamples (:math:`\\tau = 0` when :math:`K < 3`).

How it is applied
-----------------
A draw's multiplier profile is its bootstrap replicate times :math:`\\max(0, 1 + \\tau z / \\hat M(0))`,
:math:`z` standard normal: before the truncation at zero the impact multiplier's between-period
part has standard deviation :math:`\\tau`; the truncation (a normal random effect for a quantity that
cannot be negative) puts :math:`\\Phi(-\\hat M(0)/\\tau)` of the draws at zero (18% at 2026-02-27)
and raises the mean factor above one (1.11) while the median stays one. τ depends on where the
ten-year grid starts: started in 1980 rather than 1975 it is 5.6 at 2026-02-27. For a disruption
under way the rise the market has shown conditions the factor
(:func:`oilshock.forecast.paths.realised_share`).
Every crude response is linear in the multiplier draw by draw, so the factor multiplies the draw's
log price effect (:func:`regime_factors`).

References
----------
DerSimonian, R. and Laird, N. (1986). Meta-analysis in clinical trials. Controlled Clinical Trials
7(3), 177–188. Stock, J. H. and Watson, M. W. (2018). Economic Journal 128(610), 917–948.
"""

from __future__ import annotations

import numpy as np

YEARS = 10  # length of a subsample [years]
MIN_YEARS = 8  # the last, shorter subsample is kept from this length [years]
MIN_SUBSAMPLES = 3  # fewer give no usable between-period variance
BOOT = 200  # bootstrap replicates of each subsample's impact multiplier
BLOCK = 12  # [months], as the full fit's bootstrap


def _impact(X: np.ndarray, yp: np.ndarray, yq: np.ndarray) -> float:
    beta, *_ = np.linalg.lstsq(X, np.column_stack([yp, yq]), rcond=None)
    return float(-beta[-1, 0] / beta[-1, 1])


def subsample_impacts(
    months: np.ndarray,
    X: np.ndarray,
    yp0: np.ndarray,
    yq0: np.ndarray,
    *,
    years: int = YEARS,
    min_years: int = MIN_YEARS,
    n_boot: int = BOOT,
    seed: int = 20261206,
) -> list[dict]:
    """The impact multiplier and its bootstrap variance on each subsample of the fit's rows.

    Parameters
    ----------
    months : ndarray (n,)
        Month index of each regression row (consecutive months differ by one).
    X : ndarray (n, k)
        The fit's regressors, the instrument last.
    yp0, yq0 : ndarray (n,)
        Month-0 log changes of price and production [log points].

    Returns
    -------
    list of dict
        ``first``, ``last`` (row positions), ``impact`` [% per 1% of supply], ``variance``.
    """
    rng = np.random.default_rng(seed)
    span = years * 12
    out = []
    start = int(months[0])
    while True:
        rows = np.flatnonzero((months >= start) & (months < start + span))
        if rows.size == 0 or (months[rows[-1]] - start + 1) < min_years * 12:
            break
        n = rows.size
        if n >= 3 * BLOCK:
            Xs, ps, qs = X[rows], yp0[rows], yq0[rows]
            boot = np.empty(n_boot)
            for b in range(n_boot):
                starts = rng.integers(0, n - BLOCK + 1, size=int(np.ceil(n / BLOCK)))
                idx = (starts[:, None] + np.arange(BLOCK)[None, :]).ravel()[:n]
                boot[b] = _impact(Xs[idx], ps[idx], qs[idx])
            out.append(
                {
                    "first": int(rows[0]),
                    "last": int(rows[-1]),
                    "impact": _impact(Xs, ps, qs),
                    "variance": float(np.var(boot, ddof=1)),
                }
            )
        start += span
    return out


def between_period_sd(subsamples: list[dict]) -> float:
    """τ, the DerSimonian–Laird between-subsample standard deviation of the impact multiplier
    [% per 1% of supply]; 0 with fewer than :data:`MIN_SUBSAMPLES` subsamples."""
    if len(subsamples) < MIN_SUBSAMPLES:
        return 0.0
    m = np.array([s["impact"] for s in subsamples])
    v = np.array([s["variance"] for s in subsamples])
    if not np.all(np.isfinite(m)) or not np.all(np.isfinite(v)) or np.any(v <= 0):
        return 0.0
    w = 1.0 / v
    mean = np.sum(w * m) / np.sum(w)
    q = float(np.sum(w * (m - mean) ** 2))
    denom = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return float(np.sqrt(max(0.0, (q - (len(m) - 1)) / denom))) if denom > 0 else 0.0


def regime_factors(tau: float, impact_point: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Each draw's factor on its multiplier profile, :math:`\\max(0, 1 + \\tau z / \\hat M(0))` (n,)."""
    if tau <= 0 or impact_point <= 0:
        return np.ones(n)
    return np.maximum(0.0, 1.0 + tau * rng.standard_normal(n) / impact_point)
