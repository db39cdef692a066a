"""Large past losses of supply (1978–79, 1980, 1990) scored leave one event out on monthly targets.

Why
---
The point-in-time catalog (:mod:`oilshock.evaluate.catalog`) scores weekly Brent from 1987 on, and
holds one large loss (1990). The losses that resemble a long closure — the Iranian revolution, the
outbreak of the Iran–Iraq war, the invasion of Kuwait, each 6–9% of world crude — are older than
Brent's daily record, but the crude fit's own monthly price (the US refiners' acquisition cost of
imported crude, RAC, 1974 on) covers them. This module scores every crude-response candidate of the
known-truth bench (:data:`oilshock.evaluate.bench.CANDIDATES`) on them.

Protocol (``docs/evaluation.md``, "Large past losses, leave one event out")
----------------------------------------------------------------------------
* **Leave one event out, not point in time.** For each event the instrument (the preferred published
  supply-shock series, :data:`oilshock.model.crude.INSTRUMENT`) is set missing from
  :data:`BLANK_BEFORE_MONTHS` months before the onset month to :data:`BLANK_AFTER_MONTHS` after, so
  no regression row whose price change reaches into the event (h = 0..12) identifies the multiplier;
  :func:`oilshock.model.crude.fit_crude_response` is then fitted on the whole remaining sample,
  later years included. The instrument itself is a two-sided estimate published in 2019.
* **Inputs.** The loss [mb/d] of a retrospective table (``large_events.toml``, every figure with its
  source) over the snapshot's world crude production in the month before onset; the duration drawn
  uniformly from the catalog's wide range, 30–365 days (nothing was published at the onset).
* **Forecast.** Each draw takes a bootstrap replicate of the fit, a loss and a duration, and the
  candidate's monthly path (:func:`oilshock.evaluate.bench.predicted_paths`, the bench's own
  machinery: weekly rows averaged within months), plus the market's ordinary noise: a random walk in
  the monthly log price with the standard deviation of the :data:`VOLATILITY_MONTHS` monthly log
  changes before onset (the monthly analogue of the estimate's Brent noise). Levels are the RAC of
  the month before onset times the exponential of the path.
* **No change.** That level times the same random walk (the same numbers: common random numbers).
* **Targets and scores.** The monthly RAC of months :data:`WINDOW_MONTHS` (the onset month is 0; five
  months ≈ the catalog's weeks 1–20). CRPS per month [USD/bbl] averaged over the window, months inside
  the 90% and 50% bands, and the median predicted peak (the highest month of each draw) against the
  actual peak, both as changes from the month before onset [%].
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from oilshock.errors import CatalogError
from oilshock.evaluate.bench import CANDIDATES, DEFAULT_BOOT, predicted_paths
from oilshock.evaluate.catalog import _TAG, UNKNOWN_DURATION_DAYS
from oilshock.evaluate.scores import crps_ensemble, inside_band, skill

EVENTS_FILE = Path(__file__).resolve().parent / "large_events.toml"
BLANK_BEFORE_MONTHS = 13  # instrument missing from 13 months before the onset month...
BLANK_AFTER_MONTHS = 24  # ...to 24 months after it
WINDOW_MONTHS = (0, 4)  # months scored, the onset month being 0
LOOKAHEAD_MONTHS = 6  # simulated beyond the window, so forward-6m sees the loss ahead
VOLATILITY_MONTHS = 48  # monthly log changes before onset behind the noise (1978: from Oct 1974)
DAYS_PER_MONTH = 365.25 / 12
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 20260301
BASES = ("retrospective", "no_figure")
_FIGURES = ("onset_month", "lost_mbd", "duration_days")


@dataclass(frozen=True)
class LargeEvent:
    """One large past loss: name, onset month, loss range [mb/d] and duration range [day]."""

    name: str
    title: str
    onset_month: dt.date
    lost_mbd: tuple[float, float]
    duration_days: tuple[float, float]


def _as_range(value) -> tuple[float, float] | None:
    """``value`` as (low, high): a finite positive number or an ordered pair of them; None if not."""
    pair = value if isinstance(value, list) else [value, value]
    ok = len(pair) == 2 and all(
        isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v) and v > 0
        for v in pair
    )
    return (float(pair[0]), float(pair[1])) if ok and pair[0] <= pair[1] else None


def _check_inputs(src: str, where: str, ev: dict) -> None:
    """Every figure of ``ev`` cited once, with its value, a source tag, a basis and a note."""
    cited: dict[str, dict] = {}
    for j, inp in enumerate(ev.get("inputs", [])):
        key = inp.get("key")
        at = f"{where}.inputs[{j}]"
        if key not in _FIGURES or key in cited:
            raise CatalogError(f"{src}: key '{at}.key': {key!r} is not an uncited figure")
        cited[key] = inp
        if inp.get("value") != ev.get(key):
            raise CatalogError(f"{src}: key '{at}.value': differs from {where}.{key}")
        if not isinstance(inp.get("source"), str) or not _TAG.search(inp["source"]):
            raise CatalogError(f"{src}: key '{at}.source': cite a literature.md tag or a URL")
        if inp.get("basis") not in BASES or not inp.get("note"):
            raise CatalogError(f"{src}: key '{at}': basis one of {', '.join(BASES)}, and a note")
    for key in _FIGURES:
        if key not in cited:
            raise CatalogError(f"{src}: key '{where}.{key}': no [[event.inputs]] row cites it")
    if cited["duration_days"]["basis"] != "no_figure":
        raise CatalogError(f"{src}: key '{where}.duration_days': basis must be no_figure")


def load_large_events(path: Path = EVENTS_FILE) -> list[LargeEvent]:
    """The large past losses of ``path``, each checked (see the file's header for the rules).

    Raises
    ------
    oilshock.errors.CatalogError
        One line naming the file, the key and the rule broken.
    """
    src = str(path)
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{src}: TOML syntax error: {exc}") from None
    events = doc.get("event")
    if not isinstance(events, list) or not events:
        raise CatalogError(f"{src}: key 'event': no [[event]] table")
    out = []
    for i, ev in enumerate(events):
        where = f"event[{i}]"
        if not isinstance(ev.get("name"), str) or not isinstance(ev.get("title"), str):
            raise CatalogError(f"{src}: key '{where}.name': a name and a title are required")
        onset = ev.get("onset_month")
        if not isinstance(onset, dt.date) or isinstance(onset, dt.datetime) or onset.day != 1:
            raise CatalogError(f"{src}: key '{where}.onset_month': the first day of a month")
        lost, days = _as_range(ev.get("lost_mbd")), _as_range(ev.get("duration_days"))
        if lost is None:
            raise CatalogError(f"{src}: key '{where}.lost_mbd': a positive number or [low, high]")
        if ev.get("duration_days") != UNKNOWN_DURATION_DAYS:
            raise CatalogError(
                f"{src}: key '{where}.duration_days': the catalog's wide range {UNKNOWN_DURATION_DAYS}"
            )
        _check_inputs(src, where, ev)
        out.append(LargeEvent(ev["name"], ev["title"], onset, lost, days))
    return out


def load_monthly_series(directory: Path | None = None):
    """The crude fit's monthly frames from the snapshot, whole (not point in time).

    Returns
    -------
    tuple of polars.DataFrame
        ``date``/``price_usd_per_bbl`` (RAC of imported crude [USD/bbl]), ``date``/``value_kbd``
        (world crude production [kb/d], the fit's series) and ``date``/``value`` (the instrument).
    """
    import polars as pl

    from oilshock.data.datasets import load_dataset
    from oilshock.model.crude_inputs import INSTRUMENT, PRODUCTION_SERIES

    price = load_dataset("crude_acquisition_cost_monthly", directory=directory).select(
        "date", pl.col("rac_imported_usd_per_bbl").alias("price_usd_per_bbl")
    )
    prod = load_dataset("world_oil_supply_monthly", directory=directory).filter(
        pl.col("series") == PRODUCTION_SERIES
    )
    shock = load_dataset("oil_supply_shocks_monthly", directory=directory).filter(
        pl.col("series") == INSTRUMENT
    )
    return price, prod.select("date", "value_kbd"), shock.select("date", "value")


def add_months(month: dt.date, n: int) -> dt.date:
    """The first day of the month ``n`` months after ``month`` (negative: before)."""
    k = month.year * 12 + month.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


def blank_instrument(shock, onset_month: dt.date):
    """``shock`` with ``value`` missing from :data:`BLANK_BEFORE_MONTHS` before ``onset_month`` to
    :data:`BLANK_AFTER_MONTHS` after it (both ends included): the event left out of the fit."""
    import polars as pl

    first = add_months(onset_month, -BLANK_BEFORE_MONTHS)
    last = add_months(onset_month, BLANK_AFTER_MONTHS)
    inside = pl.col("date").is_between(first, last)
    return shock.with_columns(pl.when(inside).then(None).otherwise(pl.col("value")).alias("value"))


def _value_at(frame, column: str, month: dt.date) -> float:
    import polars as pl

    row = frame.filter(pl.col("date") == month)
    if row.height != 1:
        raise ValueError(f"no {column} for {month:%Y-%m} in the snapshot")
    return float(row[column][0])


@dataclass(frozen=True)
class EventDraws:
    """The random inputs of one event's forecast, shared by every candidate (common random numbers).

    ``pick`` (n,) bootstrap replicate; ``share`` (n,) share of world crude production lost
    [fraction]; ``duration_months`` (n,) [month]; ``noise`` (n, n_months) the random walk in the
    monthly log price [log points]; ``n_months`` months simulated from the onset month.
    """

    pick: np.ndarray
    share: np.ndarray
    duration_months: np.ndarray
    noise: np.ndarray
    n_months: int


def draw_event_inputs(
    event: LargeEvent,
    world_kbd: float,
    log_sd_per_month: float,
    *,
    n_boot: int,
    draws: int,
    rng: np.random.Generator,
) -> EventDraws:
    """Draw replicate, loss share, duration and market noise for ``draws`` paths.

    Parameters
    ----------
    world_kbd : float
        World crude production in the month before onset [kb/d], the share's denominator.
    log_sd_per_month : float
        Standard deviation of the monthly log price change [log points].
    """
    n_months = WINDOW_MONTHS[1] + 1 + LOOKAHEAD_MONTHS
    pick = rng.integers(0, n_boot, size=draws)
    lost_mbd = rng.uniform(*event.lost_mbd, size=draws)
    days = rng.uniform(*event.duration_days, size=draws)
    noise = np.cumsum(rng.standard_normal((draws, n_months)) * log_sd_per_month, axis=1)
    return EventDraws(pick, 1000.0 * lost_mbd / world_kbd, days / DAYS_PER_MONTH, noise, n_months)


def predictive_log_change(fit: dict, candidate: str, d: EventDraws) -> np.ndarray:
    """Log change of the monthly price from the month before onset, per draw (n, n_months) [log points]:
    the candidate's path for each draw's loss plus the market noise."""
    path = predicted_paths(fit, candidate, d.share, d.duration_months, d.n_months, pick=d.pick)
    return path + d.noise


def _scores(levels: np.ndarray, actual: np.ndarray, p0: float) -> dict:
    """CRPS [USD/bbl], band hits and the median peak [%] of predictive levels (n, months) in the window."""
    return {
        "crps_usd_per_bbl": float(crps_ensemble(levels, actual).mean()),
        "inside90": int(inside_band(levels, actual, 0.90).sum()),
        "inside50": int(inside_band(levels, actual, 0.50).sum()),
        "peak_p50_pct": round(float(100 * (np.median(levels.max(axis=1)) / p0 - 1)), 1),
    }


def score_event(
    event: LargeEvent,
    frames: tuple,
    *,
    draws: int = DEFAULT_DRAWS,
    n_boot: int = DEFAULT_BOOT,
    seed: int = DEFAULT_SEED,
) -> list[dict]:
    """Fit without the event and score every candidate on its monthly RAC path.

    Parameters
    ----------
    frames : tuple of polars.DataFrame
        Price, production and instrument, as :func:`load_monthly_series` returns them (whole).
    draws : int
        Predictive paths per candidate.
    n_boot : int
        Bootstrap replicates of the fit.
    seed : int
        Seed of the fit's bootstrap and of the draws.

    Returns
    -------
    list of dict
        One row per candidate: ``event``, ``candidate``, ``share_pct`` (the loss's share of world
        production, low–high [%]), ``crps_usd_per_bbl``, ``crps_no_change_usd_per_bbl``, ``skill``
        (1 − CRPS/CRPS of no change), ``inside90``/``inside50`` (months inside the band), ``months``,
        ``peak_p50_pct``, ``peak_actual_pct``, the no-change forecast's ``no_change_inside90``,
        ``no_change_inside50`` and ``no_change_peak_p50_pct``, and ``fit_sample``.
    """
    import polars as pl

    from oilshock.forecast.params import quiet_fits
    from oilshock.model.crude import INSTRUMENT, fit_crude_response

    price, prod, shock = frames
    with quiet_fits():
        fit = fit_crude_response(
            price,
            prod,
            blank_instrument(shock, event.onset_month),
            n_boot=n_boot,
            seed=seed,
            instrument=INSTRUMENT,
        )
    before = add_months(event.onset_month, -1)
    p0 = _value_at(price, "price_usd_per_bbl", before)
    world_kbd = _value_at(prod, "value_kbd", before)
    history = price.filter(
        pl.col("date").is_between(add_months(before, -VOLATILITY_MONTHS), before)
    ).sort("date")
    log_sd = float(np.diff(np.log(history["price_usd_per_bbl"].to_numpy())).std(ddof=1))
    months = [
        add_months(event.onset_month, k) for k in range(WINDOW_MONTHS[0], WINDOW_MONTHS[1] + 1)
    ]
    actual = np.array([_value_at(price, "price_usd_per_bbl", m) for m in months])
    rng = np.random.default_rng(np.random.SeedSequence([seed, event.onset_month.toordinal()]))
    d = draw_event_inputs(event, world_kbd, log_sd, n_boot=n_boot, draws=draws, rng=rng)
    cols = slice(WINDOW_MONTHS[0], WINDOW_MONTHS[1] + 1)
    no_change = _scores(p0 * np.exp(d.noise[:, cols]), actual, p0)
    rows = []
    for cand in CANDIDATES:
        s = _scores(p0 * np.exp(predictive_log_change(fit, cand, d)[:, cols]), actual, p0)
        rows.append(
            {
                "event": event.name,
                "candidate": cand,
                "share_pct": [round(100 * 1000 * v / world_kbd, 2) for v in event.lost_mbd],
                **{k: round(v, 3) if isinstance(v, float) else v for k, v in s.items()},
                "crps_no_change_usd_per_bbl": round(no_change["crps_usd_per_bbl"], 3),
                "skill": round(skill(s["crps_usd_per_bbl"], no_change["crps_usd_per_bbl"]), 3),
                "months": actual.size,
                "peak_actual_pct": round(float(100 * (actual.max() / p0 - 1)), 1),
                "no_change_inside90": no_change["inside90"],
                "no_change_inside50": no_change["inside50"],
                "no_change_peak_p50_pct": no_change["peak_p50_pct"],
                "fit_sample": f"{fit['sample_first'][:7]} to {fit['sample_last'][:7]}",
            }
        )
    return rows


@dataclass
class LargeEventsResult:
    """Rows per event × candidate (:func:`score_event`) and the settings that made them."""

    rows: list[dict]
    draws: int
    n_boot: int
    seed: int

    def pooled(self) -> list[dict]:
        """Per candidate: mean CRPS over events [USD/bbl], skill of that mean against no change's,
        months inside the 90% and 50% bands over all events."""
        out = []
        for cand in CANDIDATES:
            rs = [r for r in self.rows if r["candidate"] == cand]
            crps = float(np.mean([r["crps_usd_per_bbl"] for r in rs]))
            ref = float(np.mean([r["crps_no_change_usd_per_bbl"] for r in rs]))
            out.append(
                {
                    "event": "pooled",
                    "candidate": cand,
                    "crps_usd_per_bbl": round(crps, 3),
                    "crps_no_change_usd_per_bbl": round(ref, 3),
                    "skill": round(skill(crps, ref), 3),
                    "inside90": sum(r["inside90"] for r in rs),
                    "inside50": sum(r["inside50"] for r in rs),
                    "months": sum(r["months"] for r in rs),
                }
            )
        return out


def run_large_events(
    *,
    draws: int = DEFAULT_DRAWS,
    n_boot: int = DEFAULT_BOOT,
    seed: int = DEFAULT_SEED,
    events: list[LargeEvent] | None = None,
    directory: Path | None = None,
) -> LargeEventsResult:
    """Score every event of ``large_events.toml`` (or ``events``) leave one event out.

    Parameters
    ----------
    draws : int
        Predictive paths per event and candidate.
    n_boot : int
        Bootstrap replicates of each fit.
    seed : int
        Seed of the fits and the draws (the same result for the same seed).
    directory : Path, optional
        Data directory (default: the active snapshot).
    """
    frames = load_monthly_series(directory)
    rows = []
    for event in events if events is not None else load_large_events():
        rows += score_event(event, frames, draws=draws, n_boot=n_boot, seed=seed)
    return LargeEventsResult(rows=rows, draws=draws, n_boot=n_boot, seed=seed)


def large_events_markdown(result: LargeEventsResult) -> str:
    """The scores as Markdown: one row per event × candidate, then the pooled rows per candidate."""
    first, last = WINDOW_MONTHS
    lines = [
        f"{result.draws} draws per event, {result.n_boot} bootstrap replicates per fit, seed "
        f"{result.seed}; months {first}–{last} after onset (onset month = 0). CRPS of the monthly RAC "
        "[USD/bbl]; skill = 1 − CRPS / CRPS of no change; peaks are changes from the month before "
        "onset.",
        "",
        "| event | loss (share of world) | candidate | CRPS | no change | skill | in 90% band "
        "| in 50% band | peak p50 | actual peak |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(result.rows):
        lo, hi = r["share_pct"]
        share = f"{lo:.1f}%" if lo == hi else f"{lo:.1f}–{hi:.1f}%"
        lines.append(
            f"| {r['event']} | {share} | {r['candidate']} | {r['crps_usd_per_bbl']:.2f} "
            f"| {r['crps_no_change_usd_per_bbl']:.2f} | {r['skill']:+.2f} | {r['inside90']}/{r['months']} "
            f"| {r['inside50']}/{r['months']} | {r['peak_p50_pct']:+.0f}% | {r['peak_actual_pct']:+.0f}% |"
        )
        if i + 1 == len(result.rows) or result.rows[i + 1]["event"] != r["event"]:
            lines.append(
                f"| {r['event']} | {share} | *no change* | {r['crps_no_change_usd_per_bbl']:.2f} | – | – "
                f"| {r['no_change_inside90']}/{r['months']} | {r['no_change_inside50']}/{r['months']} "
                f"| {r['no_change_peak_p50_pct']:+.0f}% | {r['peak_actual_pct']:+.0f}% |"
            )
    n_events = len({r["event"] for r in result.rows})
    lines += [
        "",
        f"| pooled ({n_events} events) | mean CRPS | no change | skill | in 90% band | in 50% band |",
        "|---|---|---|---|---|---|",
    ]
    pooled = result.pooled()
    nc90, nc50 = (
        sum(r[f"no_change_inside{b}"] for r in result.rows if r["candidate"] == CANDIDATES[0])
        for b in (90, 50)
    )
    for p in pooled:
        lines.append(
            f"| {p['candidate']} | {p['crps_usd_per_bbl']:.2f} | {p['crps_no_change_usd_per_bbl']:.2f} "
            f"| {p['skill']:+.2f} | {p['inside90']}/{p['months']} | {p['inside50']}/{p['months']} |"
        )
    ref, n = pooled[0]["crps_no_change_usd_per_bbl"], pooled[0]["months"]
    lines.append(f"| *no change* | {ref:.2f} | – | – | {nc90}/{n} | {nc50}/{n} |")
    return "\n".join(lines)
