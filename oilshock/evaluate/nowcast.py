"""Rolling nowcast: the ``now`` forecast from weekly origins through past episodes, against no change.

For each episode in :data:`EPISODES` (scenario files in ``oilshock/evaluate/episodes/``)
and each Monday origin from the episode's onset for :data:`ORIGIN_WEEKS`
weeks, the ``now`` preset is estimated with data up to the origin only
(fits, baseline and observed chokepoint state all point in time). Its
predictive bands (scenario effect plus market noise) give weekly-mean Brent
[USD/bbl] and US regular gasoline [USD/gal] 4, 8 and 12 weeks ahead, which
are compared with what was observed and with the no-change forecast (the
last observed week: the baseline Brent and retail price at the origin).

Scores per episode, series and horizon: mean absolute error of the central
forecast (p50) and of no change, the ratio of mean squared prediction errors
(model / no change; below 1 beats no change) and the share of outcomes
inside the p05–p95 predictive band. The rule was fixed before any score was
seen: every origin that has an observed outcome is scored, none is dropped.

Week convention: the EIA Monday survey. The observed Brent of survey Monday
``d`` is the mean of the trading days of the seven days before it (as in
:func:`oilshock.model.pump.weekly_inputs`).

Benchmark: the EIA Short-Term Energy Outlook (dataset
``steo_price_forecasts_monthly``). At each origin the STEO vintage in use is
the newest one known by then (``known_from``, the 15th of its release month,
on or before the origin); its value for the calendar month containing the
target survey Monday is the forecast (a step function, no interpolation). An
origin from the first day of the month after the newest vintage in the data
has no STEO forecast: a later STEO, absent from the data, may have been
published by then, and scoring a stale vintage would misstate EIA's record.
A vintage is *after the onset* only if its release month begins on or after
the episode's onset (so it surely knew of the disruption); the others are
scored in a separate sample. STEO gives no band, so it has no coverage.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

# Every catalog episode with a loss under way that the data can see at its origins: the 2011 and 2022
# supply losses, and the chokepoint disruptions inside the PortWatch transits (from 2019).
EPISODES = (
    "2011-libya",
    "2019-gulf-of-oman",
    "2022-russia",
    "2023-red-sea",
    "2025-israel-iran",
    "2026-hormuz",
)
# The calm sample: the first Monday of each quarter over the transits' years, more than
# ORIGIN_WEEKS weeks from any catalog onset, kept only where nothing is under way at the origin.
CALM = "calm"
CALM_YEARS = (2019, 2025)
HORIZONS = (4, 8, 12)
ORIGIN_WEEKS = 26
DRAWS = 2000
# STEO mnemonic of each forecast series (dataset steo_price_forecasts_monthly).
STEO_SERIES = {"brent": "BREPUUS", "retail": "MGRARUS_$"}


def episode_onset(name: str) -> dt.date:
    """The earliest disruption start of an episode file in ``oilshock/evaluate/episodes/``."""
    from pathlib import Path

    from oilshock.errors import ScenarioError
    from oilshock.evaluate.catalog import load_event

    folder = Path(__file__).resolve().parent / "episodes"
    path = folder / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
        raise ScenarioError(f"--episode {name!r}: no such episode; known: {known}")
    sc = load_event(path).scenario
    return min(d.start or sc.as_of for d in sc.disruptions)


def origins(onset: dt.date, last_outcome: dt.date, weeks: int | None = None) -> list[dt.date]:
    """Mondays from the first one on or after ``onset``, ``weeks`` of them (default
    :data:`ORIGIN_WEEKS`), with a 4-week outcome by ``last_outcome``."""
    first = onset + dt.timedelta(days=(7 - onset.weekday()) % 7)
    out = [first + dt.timedelta(weeks=k) for k in range(ORIGIN_WEEKS if weeks is None else weeks)]
    return [o for o in out if o + dt.timedelta(weeks=HORIZONS[0]) <= last_outcome]


def observed_weekly(directory=None) -> tuple[dict, dict]:
    """Observed weekly Brent [USD/bbl] and US regular gasoline [USD/gal], keyed by survey Monday."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    brent = load_dataset("brent_daily", directory=directory)
    b = (
        brent.with_columns(
            (pl.col("date") + pl.duration(days=8 - pl.col("date").dt.weekday())).alias("survey")
        )
        .group_by("survey")
        .agg(pl.col("brent_usd_per_bbl").mean())
    )
    r = load_dataset("retail_gasoline_weekly", directory=directory).filter(
        (pl.col("area") == "us") & (pl.col("grade") == "regular")
    )
    return (
        dict(zip(b["survey"].to_list(), b["brent_usd_per_bbl"].to_list())),
        {
            d: v
            for d, v in zip(r["date"].to_list(), r["retail_usd_per_gal"].to_list())
            if v is not None
        },
    )


def read_steo_paths(directory=None) -> dict:
    """STEO paths by vintage: ``{vintage: {"known_from": date, "brent"|"retail": {month: value}}}``."""
    from oilshock.data.datasets import load_dataset

    frame = load_dataset("steo_price_forecasts_monthly", directory=directory)
    names = {sid: name for name, sid in STEO_SERIES.items()}
    out: dict = {}
    for sid, vintage, known, month, value in frame.select(
        "series_id", "vintage", "known_from", "date", "value"
    ).iter_rows():
        v = out.setdefault(vintage, {"known_from": known})
        v.setdefault(names[sid], {})[month] = value
    return out


def steo_vintage(paths: dict, origin: dt.date) -> dt.date | None:
    """The STEO vintage in use at ``origin``: the newest with ``known_from`` on or before it.

    None when no vintage is known yet, or when ``origin`` is on or after the
    first day of the month after the newest vintage's release month (a newer
    STEO, not in the data, may have been published by then).
    """
    if not paths:
        return None
    newest = max(paths)
    if origin >= dt.date(newest.year + newest.month // 12, newest.month % 12 + 1, 1):
        return None
    known = [v for v, p in paths.items() if p["known_from"] <= origin]
    return max(known) if known else None


def calm_origins(last_outcome: dt.date) -> list[dt.date]:
    """The calm sample's candidate origins (:data:`CALM`): quarter-start Mondays in
    :data:`CALM_YEARS` more than :data:`ORIGIN_WEEKS` weeks from any catalog episode's onset."""
    from oilshock.evaluate.catalog import list_events

    onsets = [episode_onset(e) for e in list_events()]
    out = []
    for year in range(CALM_YEARS[0], CALM_YEARS[1] + 1):
        for month in (1, 4, 7, 10):
            d = dt.date(year, month, 1)
            d += dt.timedelta(days=(7 - d.weekday()) % 7)
            far = all(abs((d - o).days) > 7 * ORIGIN_WEEKS for o in onsets)
            if far and d + dt.timedelta(weeks=HORIZONS[0]) <= last_outcome:
                out.append(d)
    return out


def episode_origins(name: str, last_outcome: dt.date) -> list[dt.date]:
    """An episode's origins (:func:`origins` from its onset), or the calm sample's candidates."""
    if name == CALM:
        return calm_origins(last_outcome)
    return origins(episode_onset(name), last_outcome)


def nowcast_steps(episodes=None, directory=None, max_origins: int | None = None) -> int:
    """The number of origins :func:`run_nowcast` forecasts from (its progress steps)."""
    brent_obs, retail_obs = observed_weekly(directory)
    last = min(max(brent_obs), max(retail_obs))
    return sum(
        len(episode_origins(ep, last)[:max_origins]) for ep in (episodes or (*EPISODES, CALM))
    )


def forecast(origin: dt.date, *, draws: int = DRAWS, seed: int = 20260301, directory=None) -> dict:
    """The ``now`` forecast made at ``origin``: predictive bands per survey week, and the no-change values."""
    from oilshock.forecast.params import get_params
    from oilshock.forecast.simulate import run_draws
    from oilshock.scenario.spec import load_scenario

    p = get_params(origin, directory)
    sim = run_draws(load_scenario("now"), p, origin, draws, seed, None)
    b0, r0 = p["baseline"]["brent_usd_per_bbl"], p["baseline"]["retail"]["usd_per_gal"]
    out = {"origin": origin, "weeks": sim["weeks"], "brent_now": b0, "retail_now": r0}
    brent = b0 * (1 + sim["brent_change_pct_predictive"] / 100)
    out["brent"] = np.percentile(brent, (5, 50, 95), axis=0)
    if sim["retail_change_predictive"] is not None:
        out["retail"] = np.percentile(
            r0 + sim["retail_change_predictive"] + sim["retail_flat"], (5, 50, 95), axis=0
        )
    out["under_way"] = sorted(
        k for k, v in (sim["provenance"].get("observed") or {}).items() if not v.get("delivered")
    )
    return out


def run_nowcast(
    episodes=None,
    *,
    draws: int = DRAWS,
    seed: int = 20260301,
    directory=None,
    max_origins: int | None = None,
    progress=None,
) -> dict:
    """Score the rolling nowcast; returns ``rows`` (one per episode, series and horizon, plus pooled) and ``forecasts``.

    Parameters
    ----------
    episodes : list of str, optional
        Episode names (default :data:`EPISODES`).
    max_origins : int, optional
        Use only the first origins of each episode (for tests).
    progress : callable, optional
        Called with ``"<episode> <origin>"`` before each origin's forecast
        (:func:`nowcast_steps` calls in all).
    """
    brent_obs, retail_obs = observed_weekly(directory)
    steo = read_steo_paths(directory)
    last = min(max(brent_obs), max(retail_obs))
    errors: dict = {}
    forecasts = []
    for ep in episodes or (*EPISODES, CALM):
        onset = None if ep == CALM else episode_onset(ep)
        for origin in episode_origins(ep, last)[:max_origins]:
            if progress is not None:
                progress(f"{ep} {origin}")  # one step per origin (see nowcast_steps)
            f = forecast(origin, draws=draws, seed=seed, directory=directory)
            if ep == CALM and f["under_way"]:
                continue  # not calm: a disruption is under way at the origin
            vintage = steo_vintage(steo, origin)
            for series, obs, now in (
                ("brent", brent_obs, f["brent_now"]),
                ("retail", retail_obs, f["retail_now"]),
            ):
                if series not in f:
                    continue
                for h in HORIZONS:
                    week = f["weeks"][h - 1]
                    if week not in obs:
                        continue
                    lo, mid, hi = (float(f[series][q, h - 1]) for q in range(3))
                    actual = float(obs[week])
                    row = {
                        "episode": ep,
                        "origin": origin.isoformat(),
                        "series": series,
                        "horizon_weeks": h,
                        "target_week": week.isoformat(),
                        "p05": lo,
                        "p50": mid,
                        "p95": hi,
                        "no_change": now,
                        "actual": actual,
                        "under_way": f["under_way"],
                        "steo": None,
                        "steo_vintage": None,
                        "steo_sample": None,
                    }
                    # The month containing the target survey Monday (a step function over the month).
                    value = (
                        steo[vintage][series].get(week.replace(day=1))
                        if vintage is not None
                        else None
                    )
                    if value is not None and onset is not None:  # the calm sample has no onset
                        row["steo"] = value
                        row["steo_vintage"] = f"{vintage:%Y-%m}"
                        row["steo_sample"] = (
                            "steo-after-onset" if vintage >= onset else "steo-before-onset"
                        )
                    forecasts.append(row)
                    errors.setdefault((ep, series, h), []).append(row)
    rows = [_score(ep, series, h, rs) for (ep, series, h), rs in errors.items()]
    for series in ("brent", "retail"):
        for h in HORIZONS:
            # Pooled over the disruptions; the calm sample is scored on its own.
            pooled = [
                r
                for (ep, s, hh), rs in errors.items()
                if s == series and hh == h and ep != CALM
                for r in rs
            ]
            if pooled:
                rows.append(_score("all", series, h, pooled))
    rows += steo_rows(errors)
    return {"rows": rows, "forecasts": forecasts}


def steo_rows(errors: dict) -> list[dict]:
    """The model and STEO scored on the same origins: those with a STEO vintage in use, by sample.

    ``errors`` maps (episode, series, horizon) to forecast rows; samples are
    ``steo-after-onset`` (vintages released after the onset) and
    ``steo-before-onset`` (vintages that did not know the disruption).
    """
    out = []
    for sample in ("steo-after-onset", "steo-before-onset"):
        for (ep, series, h), rs in errors.items():
            sub = [r for r in rs if r["steo_sample"] == sample]
            if sub:
                out.append(_score(ep, series, h, sub, sample=sample))
                out.append(_score(ep, series, h, sub, sample=sample, forecaster="steo"))
    return out


def _score(
    episode: str, series: str, h: int, rows: list, *, sample: str = "all", forecaster: str = "model"
) -> dict:
    """MAE, MSPE ratio against no change and (model only) p05–p95 coverage of one group of forecasts."""
    key = "p50" if forecaster == "model" else forecaster
    err = np.array([r[key] - r["actual"] for r in rows])
    naive = np.array([r["no_change"] - r["actual"] for r in rows])
    inside = np.array([r["p05"] <= r["actual"] <= r["p95"] for r in rows])
    digits = 2 if series == "brent" else 3
    mspe_naive = float(np.mean(naive**2))
    return {
        "episode": episode,
        "sample": sample,
        "forecaster": forecaster,
        "series": series,
        "unit": "USD/bbl" if series == "brent" else "USD/gal",
        "horizon_weeks": h,
        "n": len(rows),
        "mae": round(float(np.mean(np.abs(err))), digits),
        "mae_no_change": round(float(np.mean(np.abs(naive))), digits),
        "mspe_ratio": None if mspe_naive == 0 else round(float(np.mean(err**2)) / mspe_naive, 3),
        # STEO publishes no band: no coverage.
        "coverage_p05_p95": round(float(inside.mean()), 3) if forecaster == "model" else None,
        "origins": f"{rows[0]['origin']}..{rows[-1]['origin']}",
        "steo_vintages": sorted({r["steo_vintage"] for r in rows if r["steo_vintage"]})
        if sample != "all"
        else None,
    }
