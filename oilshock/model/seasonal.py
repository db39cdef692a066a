"""The no-disruption path of the pump price: its normal seasonal drift (issue #12 (d)).

From late February US gasoline rises in a normal year by a median of about
$0.40/gal over 20 weeks, most of it not explained by crude (issue #12,
finding 3). The drift is measured point in time, by analogs: for each of
the :data:`ANALOG_YEARS` most recent years whose same calendar weeks had
ended by ``as_of``, the retail change from that year's origin minus the
long-run pass-through times its crude change; the median across years.

It shifts the *levels* of the scenario and of the no-disruption path alike
and never the change against the no-disruption path: with no disruption the
change stays exactly zero. One implementation serves the estimate (through
the fitted parameters, :func:`seasonal_drift`) and the evaluation harness
(:func:`seasonal_profile`).

This module imports numpy only (the fit passes arrays).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from oilshock.model.pump import FIT_CRUDE_DAYS, GAL_PER_BBL

ANALOG_YEARS = 15
MIN_ANALOGS = 5
WEEKS_PER_YEAR = 52  # an analog year is 52 weeks back, so the weekday of every date is kept
BRENT_BASELINE_DAYS = 5  # the model's Brent baseline: mean of the last five trading days


class PriceHistory:
    """Daily Brent [USD/bbl] and weekly US regular retail gasoline [USD/gal] as sorted arrays.

    Parameters
    ----------
    brent : polars.DataFrame
        ``date``, ``brent_usd_per_bbl``.
    retail : polars.DataFrame
        ``date``, ``area``, ``grade``, ``retail_usd_per_gal``; the US regular rows are kept.
    """

    def __init__(self, brent, retail):
        import polars as pl

        b = brent.sort("date")
        self.brent_dates = np.array(b["date"].to_list(), dtype="datetime64[D]")
        self.brent = b["brent_usd_per_bbl"].to_numpy().astype(float)
        r = (
            retail.filter((pl.col("area") == "us") & (pl.col("grade") == "regular"))
            .drop_nulls("retail_usd_per_gal")
            .sort("date")
        )
        self.retail_dates = np.array(r["date"].to_list(), dtype="datetime64[D]")
        self.retail = r["retail_usd_per_gal"].to_numpy().astype(float)
        self.last_date = min(b["date"].max(), r["date"].max()) if b.height and r.height else None

    def brent_week(self, survey: dt.date) -> float:
        """Mean Brent over days d−7..d−3 of survey Monday d (the fit's and the model's week)
        [USD/bbl]; NaN if none traded."""
        d = np.datetime64(survey, "D")
        first, last = FIT_CRUDE_DAYS
        lo, hi = np.searchsorted(self.brent_dates, [d + first, d + last + 1])
        return float(self.brent[lo:hi].mean()) if hi > lo else np.nan

    def retail_on(self, survey: dt.date) -> float:
        """The retail price of survey day ``survey`` [USD/gal]; NaN if none was published that day."""
        i = np.searchsorted(self.retail_dates, np.datetime64(survey, "D"))
        return (
            float(self.retail[i])
            if i < self.retail.size and self.retail_dates[i] == np.datetime64(survey, "D")
            else np.nan
        )

    def brent_baseline(self, day: dt.date) -> float:
        """Mean of the last five trading days on or before ``day`` (the model's Brent baseline rule)."""
        i = np.searchsorted(self.brent_dates, np.datetime64(day, "D"), side="right")
        return float(self.brent[max(0, i - BRENT_BASELINE_DAYS) : i].mean()) if i else np.nan

    def retail_last(self, day: dt.date) -> float:
        """The last retail price on or before ``day`` [USD/gal]."""
        i = np.searchsorted(self.retail_dates, np.datetime64(day, "D"), side="right")
        return float(self.retail[i - 1]) if i else np.nan


def analog_years(
    history: PriceHistory,
    as_of: dt.date,
    weeks: list[dt.date],
    first: int = 1,
    years: int = ANALOG_YEARS,
):
    """Per analog year k = ``first`` .. ``first + years − 1`` (origin ``52k`` weeks before ``as_of``, weekday kept):
    Brent and retail levels at its origin and over its weeks (NaN where unobserved)."""
    for k in range(first, first + years):
        shift = dt.timedelta(weeks=WEEKS_PER_YEAR * k)
        o = as_of - shift
        bw = np.array([history.brent_week(w - shift) for w in weeks])
        rw = np.array([history.retail_on(w - shift) for w in weeks])
        yield history.brent_baseline(o), history.retail_last(o), bw, rw


def seasonal_profile(
    history: PriceHistory, as_of: dt.date, weeks: list[dt.date], beta: float, first: int = 1
) -> np.ndarray | None:
    r"""Normal change of the pump price not explained by crude, by week ahead [USD/gal] (W,).

    .. math::  S_h = \mathrm{median}_k \left[ (R_{k,h} - R_{k,0}) - \beta\,(B_{k,h} - B_{k,0}) / 42 \right]

    over the analog years :math:`k` of :func:`analog_years` (from ``first``)
    complete over ``weeks``: :math:`R` the retail price of the survey day,
    :math:`B` the mean Brent of its trading week (d−7..d−3), :math:`R_{k,0}`
    and :math:`B_{k,0}` the levels at that year's origin, :math:`\beta` the
    long-run pass-through [USD/gal per USD/gal] (``pump.fit_passthrough``).
    The analog ensemble of the harness's no-change baseline
    (``docs/evaluation.md``), less crude's part; the long-run :math:`\beta`
    over-states how much of an early crude move has reached the pump, so the
    first weeks' profile is approximate. None with fewer than
    :data:`MIN_ANALOGS` complete years.
    """
    out = []
    for b0, r0, bw, rw in analog_years(history, as_of, weeks, first):
        if (
            np.isfinite(b0)
            and np.isfinite(r0)
            and np.all(np.isfinite(bw))
            and np.all(np.isfinite(rw))
        ):
            out.append((rw - r0) - beta * (bw - b0) / GAL_PER_BBL)
    return np.median(np.array(out), axis=0) if len(out) >= MIN_ANALOGS else None


def seasonal_drift(
    history: PriceHistory, as_of: dt.date, weeks: list[dt.date], beta: float
) -> dict | None:
    """The no-disruption drift of the pump price over ``weeks`` for the estimate (plain JSON), or None.

    Each week uses the :data:`ANALOG_YEARS` most recent analog years whose
    same week had ended by ``as_of`` (a week more than a year ahead starts
    its analogs a year further back), so nothing after ``as_of`` is read.
    Where fewer than :data:`MIN_ANALOGS` years are complete the drift stops:
    ``usd_per_gal`` is as long as the weeks covered.

    Returns
    -------
    dict or None
        ``usd_per_gal`` (list by week), ``first_week`` and ``basis`` (one
        sentence); None when not even the first week has enough years.
    """
    lag = np.array([(w - as_of).days for w in weeks])
    first = np.maximum(
        1, -(-lag // (7 * WEEKS_PER_YEAR))
    )  # the smallest k with w − 52k weeks ≤ as_of
    drift: list[float] = []
    for k in np.unique(first):
        part = [w for w, f in zip(weeks, first) if f == k]
        prof = seasonal_profile(history, as_of, part, beta, first=int(k))
        if prof is None:
            break
        drift += [float(v) for v in prof]
    if not drift:
        return None
    covered = len(drift)
    return {
        "usd_per_gal": [round(v, 5) for v in drift],
        "first_week": weeks[0].isoformat(),
        "basis": (
            f"median over the {ANALOG_YEARS} most recent years before {as_of} of the US regular "
            "retail change over the same calendar weeks, "
            f"less the long-run pass-through ({beta:.2f}) times that year's Brent change; "
            + (
                "all weeks covered"
                if covered == len(weeks)
                else f"weeks after {weeks[covered - 1]} have fewer than {MIN_ANALOGS} complete years: "
                "held at the last value"
            )
        ),
    }
