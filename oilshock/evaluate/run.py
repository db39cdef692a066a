"""``oilshock evaluate``: score the model out of sample on the event catalog and on calm weeks.

Protocol (``docs/evaluation.md``)
---------------------------------
* **Rolling origin.** Each event is forecast from its ``as_of`` with
  parameters fitted by :func:`oilshock.forecast.params.get_params` on data dated on
  or before ``as_of`` (every fit, baseline, default and the instrument
  choice; see :func:`oilshock.model.crude_inputs.choose_instrument`).
* **Targets.** Weeks 1–20 after ``as_of`` (survey Mondays): the weekly-mean
  Brent spot [USD/bbl] over the trading days d−7..d−3 of survey Monday d —
  the days the pump fit pairs with d (``pump.FIT_CRUDE_DAYS``) and the
  model's week integrates the loss over (``supply.WEEK_WINDOW_DAYS``) — and
  the EIA US regular retail price [USD/gal] of that Monday. The peak is the
  maximum of those weekly values over the weeks observed, taken the same way
  draw by draw on the forecast side.
* **Forecast.** The model's predictive paths (the scenario's effect plus
  the market's ordinary week-to-week noise), as levels.
* **Baselines.** (1) *no-change*: the last observed level plus the h-week
  changes seen from the same calendar week in each of the 15 years before
  ``as_of`` (an analog ensemble); for gasoline those changes carry its
  seasonal profile, for Brent they are centred (no drift). (2) *barrel
  rule* (gasoline only): the model's own Brent paths passed to the pump at
  the barrel-to-gallon identity, 100/42 = 2.38 ¢/gal per $/bbl
  (literature.md §3a), at once — it isolates the pump link. (3) *v1*: for
  every other variant, the v1 model's paths from the same draws.
* **Variants.** ``models`` selects crude-response variants
  (:data:`oilshock.model.crude_paths.MODELS`) and the channels of
  :data:`oilshock.model.crude_paths.CHANNEL_MODELS`; :func:`preferred_model` picks the
  one with the lowest mean gasoline CRPS over the events before the held-out
  ones (Brent breaks a tie; v1 if none is better).
* **Scores.** CRPS (:mod:`oilshock.evaluate.scores`) averaged over weeks and
  of the peak; whether each weekly actual lies in the 50% and 90% bands;
  skill :math:`1 - \\mathrm{CRPS}/\\mathrm{CRPS}_{ref}`.
* **Calm weeks.** Origins in ordinary times (no catalog event within 20
  weeks before or 26 after), forecast with no disruption: they check the
  no-disruption path and the noise bands.
* **Held out.** Events marked ``held_out`` (2026) are scored but reported
  apart and never enter the summary used to choose a model.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from oilshock.model.crude_paths import SCORED_MODELS, SEASONAL
from oilshock.model.seasonal import (
    ANALOG_YEARS,
    MIN_ANALOGS,
    PriceHistory,
    analog_years,
    seasonal_profile,
)

WEEKS = 20
LOOKAHEAD_WEEKS = (
    26  # simulated beyond the scored weeks, so a forward-looking variant sees the loss ahead
)
DEFAULT_EVAL_DRAWS = 1000
CENTS_PER_USD_PER_BBL = 100.0 / 42.0  # barrel-to-gallon identity (literature.md §3a)
CALM_FIRST_YEAR = 1992
# Variants scored by the harness (issue #12): oilshock.model.crude_paths.SCORED_MODELS — the crude responses (a),
# (b); the news premium and the refinery margin (c), (d) on the superposition response; each also
# "+seasonal", the pump price's normal seasonal drift (oilshock.model.seasonal, shared with the estimate).
ALL_MODELS = SCORED_MODELS
CALM_EXCLUDE_WEEKS = (20, 26)  # no event within 20 weeks before or 26 weeks after a calm origin


def evaluate(
    events: list[str] | None = None,
    *,
    draws: int = DEFAULT_EVAL_DRAWS,
    seed: int | None = None,
    calm: bool = True,
    models: tuple[str, ...] = ("v1",),
    directory=None,
    progress=None,
) -> dict:
    """Score every catalog event (or the named ones) and, optionally, the calm origins.

    Parameters
    ----------
    models : tuple of str
        Variants to score (:data:`ALL_MODELS`: the crude-response variants
        of :data:`oilshock.model.crude_paths.MODELS` and the harness's ``seasonal``),
        each from the same fits and the same random numbers; every variant
        other than ``v1`` is also scored against ``v1`` (``skill_v1``).
    progress : callable, optional
        Called with each origin's name once it is scored (events, then calm origins).

    Returns
    -------
    dict
        ``events`` (one dict per event and model, per target), ``calm`` (rows
        and pooled summaries), ``summary`` (per model, events before the
        held-out ones) and ``held_out``; plain JSON.
    """
    from oilshock.errors import UnknownNameError

    for m in models:
        if m not in ALL_MODELS:
            raise UnknownNameError("model", m, list(ALL_MODELS))
    from oilshock.data.datasets import load_dataset
    from oilshock.evaluate.catalog import load_catalog
    from oilshock.forecast.streams import resolve_seed

    seed = resolve_seed(seed)
    catalog = load_catalog(events)
    data = _Actuals(
        load_dataset("brent_daily", directory=directory),
        load_dataset("retail_gasoline_weekly", directory=directory),
    )
    step = progress or (lambda name: None)
    rows = []
    for e in catalog:
        rows += _score_origin(
            e.name, e.kind, e.scenario, e.as_of, e.held_out, data, draws, seed, models, directory
        )
        step(e.name)
    out = {
        "protocol": {
            "weeks": WEEKS,
            "draws": draws,
            "seed": seed,
            "analog_years": ANALOG_YEARS,
            "models": list(models),
        },
        "events": rows,
        "summary": {
            m: summarise([r for r in rows if not r["held_out"] and r["model"] == m]) for m in models
        },
        "held_out": [r for r in rows if r["held_out"]],
    }
    out["preferred_model"] = preferred_model(out["summary"])
    if calm:
        from oilshock.evaluate.catalog import load_catalog as _all

        calm_rows = []
        for d in calm_origins(_all(), data.last_date):
            calm_rows += _score_origin(
                f"calm-{d}",
                "calm",
                _calm_scenario(d),
                d,
                False,
                data,
                draws,
                seed,
                models,
                directory,
            )
            step(f"calm-{d}")
        out["calm"] = {
            "rows": calm_rows,
            "summary": {m: summarise([r for r in calm_rows if r["model"] == m]) for m in models},
        }
    return out


def origin_count(events: list[str] | None = None, *, calm: bool = True, directory=None) -> int:
    """How many origins :func:`evaluate` scores (for a progress bar): the events, plus the calm origins."""
    from oilshock.data.datasets import load_dataset
    from oilshock.evaluate.catalog import load_catalog

    n = len(load_catalog(events))
    if calm:
        data = _Actuals(
            load_dataset("brent_daily", directory=directory),
            load_dataset("retail_gasoline_weekly", directory=directory),
        )
        n += len(calm_origins(load_catalog(), data.last_date))
    return n


def calm_origins(catalog, last_date: dt.date) -> list[dt.date]:
    """One Friday a year, mid-February in odd years and mid-August in even ones, away from every event."""
    out = []
    for year in range(CALM_FIRST_YEAR, last_date.year + 1):
        d = dt.date(year, 2 if year % 2 else 8, 15)
        d -= dt.timedelta(days=(d.weekday() - 4) % 7)  # the Friday on or before
        if d + dt.timedelta(weeks=WEEKS) > last_date:
            continue
        before, after = CALM_EXCLUDE_WEEKS
        if any(-before * 7 <= (e.as_of - d).days <= after * 7 for e in catalog):
            continue
        out.append(d)
    return out


def _calm_scenario(as_of: dt.date):
    from oilshock.scenario.spec import parse_scenario

    text = (
        f'name = "calm"\nas_of = {as_of.isoformat()}\nhorizon_weeks = '
        f"{WEEKS}\n[[disruptions]]\nlost_mbd = 0\nduration_days = 1\n"
    )
    return parse_scenario(text, source=f"calm origin {as_of}")


class _Actuals(PriceHistory):
    """Observed weekly targets from the full snapshot (read once): :class:`oilshock.model.seasonal.PriceHistory`."""


def _analog_years(data: _Actuals, as_of: dt.date, weeks: list[dt.date]):
    """Per earlier year k = 1..ANALOG_YEARS: levels at its origin and over its weeks
    (:func:`oilshock.model.seasonal.analog_years`)."""
    return analog_years(data, as_of, weeks)


def analog_changes(
    data: _Actuals, as_of: dt.date, weeks: list[dt.date]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Brent log changes and retail changes [USD/gal] from the same calendar weeks of earlier years (Y, W).

    Member ``k`` starts ``52k`` weeks before ``as_of`` (the weekday is kept),
    so every value it uses is dated before ``as_of``. Members with a missing
    week are dropped; fewer than :data:`MIN_ANALOGS` members gives None.
    """
    b, r = [], []
    for b0, r0, bw, rw in _analog_years(data, as_of, weeks):
        if np.isfinite(b0) and np.all(np.isfinite(bw)):
            b.append(np.log(bw / b0))
        if np.isfinite(r0) and np.all(np.isfinite(rw)):
            r.append(rw - r0)
    brent = np.array(b) if len(b) >= MIN_ANALOGS else None
    if brent is not None:
        brent = brent - brent.mean(axis=0)  # no-change: the spread of past years, not their drift
    return brent, (np.array(r) if len(r) >= MIN_ANALOGS else None)


def _score_origin(
    name, kind, scenario, as_of, held_out, data, draws, seed, models, directory
) -> list[dict]:
    """One row per model for one origin; every model shares the fits and the random numbers."""
    from dataclasses import replace

    from oilshock.forecast.params import get_params
    from oilshock.forecast.simulate import run_draws

    p = get_params(as_of, directory)
    sc = replace(scenario, horizon_weeks=WEEKS + LOOKAHEAD_WEEKS)
    b0 = p["baseline"]["brent_usd_per_bbl"]
    r0 = p["baseline"]["retail"]["usd_per_gal"]
    weeks = None
    rows, v1 = [], {}
    crude_models = [m.removesuffix(SEASONAL) for m in models]
    season = None
    paths = {}
    order = (
        ["v1"]
        + [m for m in dict.fromkeys(crude_models) if m != "v1"]
        + [m for m in models if m.endswith(SEASONAL)]
    )
    for model in order:
        if model.endswith(
            SEASONAL
        ):  # a crude variant's paths plus the normal seasonal drift of the pump price
            brent, retail = paths[model.removesuffix(SEASONAL)]
            if season is None and retail is not None:
                season = seasonal_profile(data, as_of, weeks, p["pump"]["beta"])
            retail = None if retail is None or season is None else retail + season[None, :]
        else:
            sim = run_draws(sc, dict(p, crude_model=model), as_of, draws, seed)
            if weeks is None:
                weeks = sim["weeks"][:WEEKS]
                actual_b = np.array([data.brent_week(w) for w in weeks])
                actual_r = np.array([data.retail_on(w) for w in weeks])
                analog_b, analog_r = analog_changes(data, as_of, weeks)
            brent = b0 * (1 + sim["brent_change_pct_predictive"][:, :WEEKS] / 100)
            retail = (
                None
                if sim["retail_change_predictive"] is None
                else r0 + sim["retail_change_predictive"][:, :WEEKS]
            )
            paths[model] = (brent, retail)
        if model not in models and model != "v1":
            continue
        if model == "v1":
            v1 = {"brent": brent, "retail": retail}
            if "v1" not in models:
                continue
        row = {
            "event": name,
            "kind": kind,
            "model": model,
            "as_of": as_of.isoformat(),
            "held_out": bool(held_out),
            "instrument": p["crude"].get("instrument"),
            # The crude fit's shock months, e.g. "1975-02 – 2022-10" (point in time: they end before as_of).
            "crude_sample": f"{p['crude']['sample_first'][:7]} – {p['crude']['sample_last'][:7]}",
            "brent": score_target(
                brent,
                actual_b,
                {
                    "no_change": None if analog_b is None else b0 * np.exp(analog_b),
                    "v1": None if model == "v1" else v1["brent"],
                },
                b0,
            ),
            "retail": None,
        }
        if retail is not None:
            refs = {
                "no_change": None if analog_r is None else r0 + analog_r,
                "barrel_rule": r0 + (brent - b0) * CENTS_PER_USD_PER_BBL / 100,
                "v1": None if model == "v1" else v1["retail"],
            }
            row["retail"] = score_target(retail, actual_r, refs, r0)
        rows.append(row)
    return rows


def score_target(model: np.ndarray, actual: np.ndarray, refs: dict, base: float) -> dict:
    """CRPS over weeks and of the peak, band coverage, and skill against each reference ensemble.

    Parameters
    ----------
    model : ndarray (n_draws, W)
        Predictive levels.
    actual : ndarray (W,)
        Observed levels (NaN where unobserved).
    refs : dict of name -> ndarray (m, W) or None
        Baseline ensembles in the same unit.
    base : float
        The level at ``as_of``, for the peak change.
    """
    from oilshock.evaluate import scores

    seen = np.isfinite(actual)
    out: dict = {"weeks_observed": int(seen.sum())}
    if not seen.any():
        return out
    a = actual[seen]
    peak_actual = float(a.max())

    def crps(ens):
        e = ens[:, seen]
        return float(scores.crps_ensemble(e, a).mean()), float(
            scores.crps_ensemble(e.max(axis=1)[:, None], np.array([peak_actual]))[0]
        )

    out["crps"], out["crps_peak"] = crps(model)
    out["inside_50"] = int(scores.inside_band(model[:, seen], a, 0.50).sum())
    out["inside_90"] = int(scores.inside_band(model[:, seen], a, 0.90).sum())
    peak = model[:, seen].max(axis=1)
    out["peak_actual_change"] = peak_actual - base
    out["peak_change_p05"], out["peak_change_p50"], out["peak_change_p95"] = (
        float(v) - base for v in np.percentile(peak, [5, 50, 95])
    )
    out["peak_error"] = out["peak_change_p50"] - out["peak_actual_change"]
    out["peak_inside_90"] = bool(
        out["peak_change_p05"] <= out["peak_actual_change"] <= out["peak_change_p95"]
    )
    for name, ens in refs.items():
        if ens is None:
            continue
        c, cp = crps(ens)
        out[f"crps_{name}"], out[f"crps_peak_{name}"] = c, cp
        out[f"skill_{name}"] = scores.skill(out["crps"], c)
        out[f"skill_peak_{name}"] = scores.skill(out["crps_peak"], cp)
    return out


def preferred_model(summary: dict) -> str:
    """The variant with the lowest mean gasoline CRPS (then Brent) on events before the held-out ones."""

    def key(m):
        s = summary[m]
        return (
            s.get("retail", {}).get("mean_crps", np.inf),
            s.get("brent", {}).get("mean_crps", np.inf),
            m != "v1",
        )

    return min(summary, key=key)


def summarise(rows: list[dict]) -> dict:
    """Pooled coverage (Wilson intervals) and skill counts over rows, per target."""
    from oilshock.evaluate import scores

    out = {}
    for target in ("brent", "retail"):
        ts = [r[target] for r in rows if r[target] and r[target].get("weeks_observed")]
        if not ts:
            continue
        n = sum(t["weeks_observed"] for t in ts)
        s = {
            "mean_crps_peak": float(np.mean([t["crps_peak"] for t in ts])),
            "origins": len(ts),
            "weeks": n,
            "coverage_50": scores.coverage(sum(t["inside_50"] for t in ts), n),
            "coverage_90": scores.coverage(sum(t["inside_90"] for t in ts), n),
            "mean_crps": float(np.mean([t["crps"] for t in ts])),
            "peak_inside_90": sum(t["peak_inside_90"] for t in ts),
        }
        for ref in ("no_change", "barrel_rule", "v1"):
            sk = [t[f"skill_{ref}"] for t in ts if t.get(f"skill_{ref}") is not None]
            if sk:
                s[f"worse_than_10pct_{ref}"] = sum(v < -0.10 for v in sk)
                s[f"positive_skill_{ref}"] = sum(v > 0 for v in sk)
                s[f"scored_{ref}"] = len(sk)
                s[f"median_skill_{ref}"] = float(np.median(sk))
        out[target] = s
    return out
