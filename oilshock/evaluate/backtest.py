"""Backtest: historical episodes as scenario files → predicted vs actual peaks.

Each episode in ``oilshock/evaluate/episodes/*.toml`` is an event of the evaluation
catalog (:mod:`oilshock.evaluate.catalog`): a scenario whose ``as_of`` lies
just before the event, with every input cited and dated in its
``[catalog]`` table — never the price outcome. ``oilshock evaluate`` scores
the same events properly (CRPS, coverage, baselines); this table is the
quick look at peaks. The
estimate is made point in time (every fit and baseline uses data dated on
or before ``as_of``); the *actual* peak is then read from the full snapshot
over the same horizon:

* Brent: the highest weekly mean (trading days d−7..d−3 of each survey Monday
  d, the week the pump fit pairs with d and the model simulates) over the
  ``horizon_weeks`` survey Mondays after ``as_of``,
  against the baseline the estimate used (mean of the last five trading
  days) — measured as the prediction is, not as a daily maximum;
* retail gasoline: the highest weekly US regular price over the horizon,
  against the last weekly price on or before ``as_of``.

The table reports the error (predicted p50 of the scenario effect minus the
actual) and whether the actual lies inside the p05–p95 *predictive* band (the
effect plus the market's ordinary week-to-week noise): an observed peak is
one noisy path, and comparing it with a band of smooth effect paths alone
would call the model wrong whenever prices merely moved as they usually do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def episodes_dir() -> Path:
    return Path(__file__).resolve().parent / "episodes"


def list_episodes() -> list[str]:
    from oilshock.evaluate.catalog import list_events

    return list_events()


def weekly_brent(brent_daily, as_of: dt.date, end: dt.date):
    """Mean Brent [USD/bbl] of each survey Monday ``date`` in (``as_of``, ``end``] over its trading days d−7..d−3.

    Each trading day belongs to the survey Monday after it
    (:func:`oilshock.model.pump.survey_of_trading_day`), as in the pump fit
    and the simulated week.
    """
    import polars as pl

    from oilshock.model.pump import survey_of_trading_day

    return (
        brent_daily.with_columns(survey_of_trading_day(pl.col("date")).alias("survey"))
        .filter((pl.col("survey") > as_of) & (pl.col("survey") <= end))
        .group_by("survey")
        .agg(pl.col("brent_usd_per_bbl").mean())
        .rename({"survey": "date"})
        .sort("date")
    )


def weekly_us_regular(after: dt.date, through: dt.date, directory=None):
    """Observed weekly US regular retail prices [USD/gal] dated in (``after``, ``through``]."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    return (
        load_dataset("retail_gasoline_weekly", directory=directory)
        .filter(
            (pl.col("area") == "us")
            & (pl.col("grade") == "regular")
            & (pl.col("date") > after)
            & (pl.col("date") <= through)
        )
        .drop_nulls("retail_usd_per_gal")
    )


def actual_peaks(
    as_of: dt.date, weeks: int, brent_baseline: float, retail_baseline: float | None, directory=None
) -> dict:
    """Observed peak changes over ``weeks`` after ``as_of`` from the full snapshot."""

    from oilshock.data.datasets import load_dataset

    end = as_of + dt.timedelta(weeks=weeks)
    brent = weekly_brent(load_dataset("brent_daily", directory=directory), as_of, end)
    out: dict = {
        "window_end": end.isoformat(),
        "brent_peak_change_pct": None,
        "retail_peak_change_usd_per_gal": None,
    }
    if brent.height:
        i = int(brent["brent_usd_per_bbl"].arg_max())
        out["brent_peak_change_pct"] = 100 * (brent["brent_usd_per_bbl"][i] / brent_baseline - 1)
        out["brent_peak_date"] = brent["date"][i].isoformat()
    if retail_baseline is not None:
        retail = weekly_us_regular(as_of, end, directory)
        if retail.height:
            i = int(retail["retail_usd_per_gal"].arg_max())
            out["retail_peak_change_usd_per_gal"] = (
                retail["retail_usd_per_gal"][i] - retail_baseline
            )
            out["retail_peak_date"] = retail["date"][i].isoformat()
    return out


def run_backtest(
    episodes: list[str] | None = None,
    *,
    seed: int | None = None,
    draws: int | None = None,
    directory=None,
    progress=None,
) -> list[dict]:
    """Estimate every episode point in time and compare with what happened.

    Returns
    -------
    list of dict
        One row per episode: predicted p05/p50/p95 of the effect, the 90% band with
        market noise (``*_band_p05/p95``, the band ``*_in_band`` judges by) and the
        actual peak for Brent [%] and retail gasoline [USD/gal], and errors.
    """
    from oilshock.evaluate.catalog import load_catalog
    from oilshock.forecast.simulate import estimate

    rows = []
    for event in load_catalog(episodes):
        name, sc = event.name, event.scenario
        res = estimate(
            sc,
            seed=seed,
            draws=draws,
            directory=directory,
        ).to_dict()
        as_of = dt.date.fromisoformat(res["as_of"])
        base = res["baseline"]
        act = actual_peaks(
            as_of,
            sc.horizon_weeks,
            base["brent_usd_per_bbl"],
            base["retail_gasoline_usd_per_gal"],
            directory,
        )
        b = res["brent"]["peak_change_pct"]
        row = {
            "episode": name,
            "as_of": res["as_of"],
            "brent_pred_p05": b["p05"],
            "brent_pred_p50": b["p50"],
            "brent_pred_p95": b["p95"],
            "brent_actual": _r(act["brent_peak_change_pct"], 2),
            "brent_error": _r(
                None
                if act["brent_peak_change_pct"] is None
                else b["p50"] - act["brent_peak_change_pct"],
                2,
            ),
            # The band an observed peak is judged by: the effect plus the market's ordinary noise.
            "brent_band_p05": res["brent"]["predictive_peak_change_pct"]["p05"],
            "brent_band_p95": res["brent"]["predictive_peak_change_pct"]["p95"],
            "brent_in_band": _inside(
                act["brent_peak_change_pct"], res["brent"]["predictive_peak_change_pct"]
            ),
        }
        r = res["retail_gasoline"]
        rp = r["peak_change_usd_per_gal"] if r else None
        ra = act["retail_peak_change_usd_per_gal"]
        row |= {
            "retail_pred_p05": rp["p05"] if rp else None,
            "retail_pred_p50": rp["p50"] if rp else None,
            "retail_pred_p95": rp["p95"] if rp else None,
            "retail_actual": _r(ra, 3),
            "retail_error": _r(None if (rp is None or ra is None) else rp["p50"] - ra, 3),
            "retail_band_p05": r["predictive_peak_change_usd_per_gal"]["p05"] if rp else None,
            "retail_band_p95": r["predictive_peak_change_usd_per_gal"]["p95"] if rp else None,
            "retail_in_band": _inside(ra, r["predictive_peak_change_usd_per_gal"]) if rp else None,
        }
        rows.append(row)
        if progress:
            progress(name)
    return rows


def _r(v, digits):
    return None if v is None else round(float(v), digits)


def _inside(actual, band) -> bool | None:
    if actual is None or band is None:
        return None
    return bool(band["p05"] <= actual <= band["p95"])
