"""A status quo that follows the futures curve, scored against one that holds today's price.

While a disruption is under way, does the market's own forecast — the futures curve — predict the
spot price weeks ahead better than no change? The curve's forecast of WTI ``h`` weeks after a survey
Monday ``d`` is the spot price times the curve's slope to that horizon,

.. math::  \\hat S_{d+h} = S_d \\, F_d(1 + h/m) / F_d(1),

with :math:`F_d(c)` the settlement of contract :math:`c` (linear between contracts; contract
:math:`c` delivers about :math:`c - 1` months after the front one, :math:`m` = 52/12 weeks a month)
and :math:`S_d` the spot. No change forecasts :math:`S_d`. Both are scored by their mean squared
error at 4, 8 and 12 weeks (Alquist & Kilian 2010, "What do we learn from the price of crude oil
futures?", J. Applied Econometrics 25(4): the futures-based forecast and no change, scored by
MSPE ratio). Prices are those of the last trading day before the survey week's Monday-to-Friday
window ends, ``d - 3``, so a forecast uses nothing after its origin.

Origins: the Mondays of the first 26 weeks of each catalog episode whose onset is inside the futures
data (1983–2022: :data:`EPISODES`, the loss under way), and a calm sample — the first Monday of every
quarter from 1987 to 2021 more than 26 weeks away from any episode's onset.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

HORIZONS = (4, 8, 12)  # [weeks]
WEEKS_PER_MONTH = 52 / 12
ORIGIN_WEEKS = 26
EPISODES = (
    "1990-iraq-kuwait",
    "2001-iraq-suspension",
    "2002-venezuela-strike",
    "2003-iraq-war",
    "2005-katrina",
    "2011-libya",
    "2019-gulf-of-oman",
    "2019-abqaiq",
)


def _last_on_or_before(dates: np.ndarray, values: np.ndarray, day: dt.date) -> float | None:
    """The value of the last date on or before ``day`` (at most 7 days before it), else None."""
    i = int(np.searchsorted(dates, np.datetime64(day), side="right")) - 1
    if i < 0 or (np.datetime64(day) - dates[i]).astype(int) > 7:
        return None
    return float(values[i])


def read_prices(directory=None) -> dict:
    """WTI spot and futures contracts 1–4 as sorted ``(dates, values)`` arrays [USD/bbl]."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    spot = load_dataset("wti_daily", directory=directory).sort("date")
    fut = load_dataset("crude_futures_daily", directory=directory)
    out = {"spot": (spot["date"].to_numpy(), spot["wti_usd_per_bbl"].to_numpy())}
    for c in (1, 2, 3, 4):
        f = fut.filter(pl.col("contract") == c).sort("date")
        out[c] = (f["date"].to_numpy(), f["wti_futures_usd_per_bbl"].to_numpy())
    return out


def curve_forecast(curve: dict[int, float], spot: float, weeks: int) -> float | None:
    """The futures curve's forecast of spot ``weeks`` ahead: spot times the curve's slope."""
    c = 1 + weeks / WEEKS_PER_MONTH
    lo, hi = int(np.floor(c)), int(np.ceil(c))
    if any(curve.get(k) is None for k in (1, lo, hi)) or curve[1] <= 0:
        return None
    f = curve[lo] + (c - lo) * (curve[hi] - curve[lo])
    return spot * f / curve[1]


def origins() -> dict[str, list[dt.date]]:
    """Survey Mondays by sample: each episode's first :data:`ORIGIN_WEEKS`, and ``calm``."""
    from oilshock.evaluate.catalog import list_events
    from oilshock.evaluate.nowcast import episode_onset

    out: dict[str, list[dt.date]] = {}
    for e in EPISODES:
        onset = episode_onset(e)
        first = onset + dt.timedelta(days=(7 - onset.weekday()) % 7)
        out[e] = [first + dt.timedelta(weeks=k) for k in range(ORIGIN_WEEKS)]
    every = [episode_onset(e) for e in list_events()]
    calm = []
    for year in range(1987, 2022):
        for month in (1, 4, 7, 10):
            d = dt.date(year, month, 1)
            d += dt.timedelta(days=(7 - d.weekday()) % 7)
            if all(abs((d - o).days) > 7 * ORIGIN_WEEKS for o in every):
                calm.append(d)
    out["calm"] = calm
    return out


def score(directory=None) -> list[dict]:
    """MSPE of the curve's forecast over no change's, per sample and horizon (and pooled
    over the episodes: ``all-episodes``); rows with ``n`` origins scored."""
    prices = read_prices(directory)
    errs: dict = {}
    for sample, days in origins().items():
        for d in days:
            at = d - dt.timedelta(days=3)
            spot = _last_on_or_before(*prices["spot"], at)
            curve = {c: _last_on_or_before(*prices[c], at) for c in (1, 2, 3, 4)}
            if spot is None or curve[1] is None:
                continue
            for h in HORIZONS:
                actual = _last_on_or_before(*prices["spot"], at + dt.timedelta(weeks=h))
                f = curve_forecast(curve, spot, h)
                if actual is None or f is None:
                    continue
                errs.setdefault((sample, h), []).append((f - actual, spot - actual))
    rows = []
    pooled: dict = {}
    for (sample, h), e in sorted(errs.items(), key=lambda kv: (kv[0][0] == "calm", kv[0])):
        rows.append(_row(sample, h, e))
        if sample != "calm":
            pooled.setdefault(h, []).extend(e)
    rows += [_row("all-episodes", h, pooled[h]) for h in sorted(pooled)]
    return rows


def _row(sample: str, h: int, e: list) -> dict:
    a = np.array(e)
    naive = float(np.mean(a[:, 1] ** 2))
    return {
        "sample": sample,
        "horizon_weeks": h,
        "n": len(e),
        "rmse_futures_usd_per_bbl": round(float(np.sqrt(np.mean(a[:, 0] ** 2))), 2),
        "rmse_no_change_usd_per_bbl": round(float(np.sqrt(naive)), 2),
        "mspe_ratio": None if naive == 0 else round(float(np.mean(a[:, 0] ** 2)) / naive, 3),
    }
