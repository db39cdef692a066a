"""Bands: the p05 / p50 / p95 of Monte Carlo draws, rounded so that output bytes are stable.

Every band an estimate reports is made here, from the draws the simulation returns.
"""

from __future__ import annotations

import numpy as np

QUANTILES = (5, 50, 95)


def band(a: np.ndarray, digits: int) -> dict:
    """p05/p50/p95 of a 1-D array of draws, rounded to ``digits`` decimals."""
    qs = np.percentile(a, QUANTILES)
    return {f"p{q:02d}": round(float(v), digits) for q, v in zip(QUANTILES, qs)}


def bands_by_week(a: np.ndarray, digits: int) -> list[dict]:
    """One :func:`band` per week of a (n_draws, n_weeks) array."""
    qs = np.percentile(a, QUANTILES, axis=0)
    return [
        {f"p{q:02d}": round(float(qs[i, w]), digits) for i, q in enumerate(QUANTILES)}
        for w in range(a.shape[1])
    ]


def weekly_quantiles(a: np.ndarray, digits: int) -> dict:
    """p05/p50/p95 of a (n_weeks, n_draws) array, week by week, as three lists."""
    qs = np.percentile(a, QUANTILES, axis=1)
    return {f"p{q:02d}": [round(float(v), digits) for v in qs[j]] for j, q in enumerate(QUANTILES)}
