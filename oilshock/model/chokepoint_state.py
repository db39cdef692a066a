"""Normal flow and observed state of a chokepoint, from daily tanker transits.

The rule was fixed before looking at how any estimate comes out, and is the
same for every chokepoint and date. It uses only transits dated on or
before ``as_of`` (IMF PortWatch daily tanker counts).

Rule
----
* **Signal**: the centred 7-day mean of daily tanker transits (days ``d-3``
  to ``d+3``, over the days observed; the window is cut at ``as_of``, so the
  last three days use fewer days).
* **Normal** [tankers/day] on day ``d``: the mean of the most recent
  :data:`NORMAL_DAYS` (365) *undisrupted* observed days before ``d``. Days
  inside a disruption never enter it, so a long closure does not lower its
  own benchmark. A year smooths seasonality and AIS artefacts. With fewer
  than :data:`MIN_NORMAL_DAYS` undisrupted days before ``d`` there is no
  normal and nothing is detected.
* **Disruption**: a run of at least :data:`MIN_RUN_DAYS` (7) consecutive
  days whose signal is below :data:`THRESHOLD` (half) of normal. Its
  **onset** is the first day of the run; it ends on the first day the
  signal is back at or above half of normal. A run shorter than 7 days is
  not a disruption (its days count as undisrupted): an AIS outage of a few
  days of zero counts (up to six) makes fewer than seven low centred means.
* **Current level**: the mean of the last :data:`LEVEL_DAYS` (28) days of
  transits divided by normal at ``as_of``. A disruption is *under way* when
  ``as_of``'s run has lasted at least 7 days; its observed share of normal
  flow stopped is ``max(0, 1 - level)``, otherwise 0 — so a calm chokepoint
  contributes exactly nothing, whatever the noise in its counts.

AIS counts are a lower bound on traffic: vessels that switch off their
transponders are not counted, so a closure looks at least as deep as it is.
Scenarios can override the observed share (``[observed]``).
"""

from __future__ import annotations

import datetime as dt
from collections import deque

import numpy as np

NORMAL_DAYS = 365
MIN_NORMAL_DAYS = 90
MIN_RUN_DAYS = 7
THRESHOLD = 0.5
# The three states a reader sees (state_line): "disrupted" is a run of days below THRESHOLD (half
# of normal), the state the estimate models as a disruption under way; "reduced" is a 28-day level
# below REDUCED_BELOW of normal that is not a disruption: tanker counts of an open chokepoint stay
# within about a fifth of normal over 28 days (Bosporus, Malacca, Taiwan Strait 89-93% on the
# shipped snapshot), so a level under 80% is a lasting fall worth naming (Bab el-Mandeb at 69%
# with the Red Sea diversion) though the estimate does not treat it as a loss; "normal" otherwise.
REDUCED_BELOW = 0.8
LEVEL_DAYS = 28
HALF_WINDOW = 3
AIS_NOTE = "AIS counts are a lower bound (vessels run dark)"


def centred_mean(counts: np.ndarray) -> np.ndarray:
    """Centred 7-day mean over observed (non-NaN) days, cut at both ends of the series."""
    obs = ~np.isnan(counts)
    vals = np.where(obs, counts, 0.0)
    csum = np.concatenate([[0.0], np.cumsum(vals)])
    cnt = np.concatenate([[0], np.cumsum(obs)])
    n = counts.size
    lo = np.clip(np.arange(n) - HALF_WINDOW, 0, n)
    hi = np.clip(np.arange(n) + HALF_WINDOW + 1, 0, n)
    k = cnt[hi] - cnt[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(k > 0, (csum[hi] - csum[lo]) / np.maximum(k, 1), np.nan)


def detect_state(first_day: dt.date, counts, as_of: dt.date) -> dict:
    """Normal level, disruptions and the current level of one chokepoint's daily tanker transits.

    Parameters
    ----------
    first_day : datetime.date
        Date of ``counts[0]``.
    counts : array_like
        Daily tanker transits [vessels/day], one per calendar day from
        ``first_day`` (NaN where a day is missing), ending on or before ``as_of``.
    as_of : datetime.date

    Returns
    -------
    dict
        ``normal_tankers_per_day`` (None without enough undisrupted days),
        ``normal_days`` (undisrupted days in it), ``level`` (last 28 days /
        normal), ``under_way`` (bool), ``onset`` (ISO date or None),
        ``observed_share`` (share of normal flow stopped, 0 unless under way),
        ``disruptions`` (list of ``[onset, last day]`` ISO pairs, the last
        open one included) and ``last_day``.
    """
    counts = np.asarray(counts, dtype=float)
    last = min(counts.size, (as_of - first_day).days + 1)
    counts = counts[: max(last, 0)]
    signal = centred_mean(counts)
    window: deque = deque(maxlen=NORMAL_DAYS)
    pending: list[int] = []  # days of a run not yet 7 days long
    runs: list[list[int]] = []
    run_start = None
    for i in range(counts.size):
        base = sum(window) / len(window) if len(window) >= MIN_NORMAL_DAYS else None
        below = base is not None and not np.isnan(signal[i]) and signal[i] < THRESHOLD * base
        if below:
            if run_start is None:
                run_start = i
            length = i - run_start + 1
            if length < MIN_RUN_DAYS:
                pending.append(i)
            elif length == MIN_RUN_DAYS:
                runs.append([run_start, i])
                pending = []
            else:
                runs[-1][1] = i
            continue
        if run_start is not None and pending:  # a short run: its days were not a disruption
            window.extend(counts[j] for j in pending if not np.isnan(counts[j]))
        run_start, pending = None, []
        if not np.isnan(counts[i]):
            window.append(counts[i])
    window.extend(counts[j] for j in pending if not np.isnan(counts[j]))
    normal = sum(window) / len(window) if len(window) >= MIN_NORMAL_DAYS else None
    under_way = bool(runs) and run_start is not None and runs[-1][0] == run_start
    recent = counts[-LEVEL_DAYS:]
    recent = recent[~np.isnan(recent)]
    level = float(recent.mean() / normal) if normal and recent.size else None
    share = max(0.0, 1.0 - level) if under_way and level is not None else 0.0

    def day(i):
        return (first_day + dt.timedelta(days=int(i))).isoformat()

    return {
        "normal_tankers_per_day": normal,
        "normal_days": len(window),
        "level": level,
        "under_way": under_way,
        "onset": day(runs[-1][0]) if under_way else None,
        "observed_share": min(share, 1.0),
        "disruptions": [[day(a), day(b)] for a, b in runs],
        "last_day": day(counts.size - 1) if counts.size else None,
    }


def undisrupted_mean(
    first_day: dt.date, counts, disruptions: list, start: dt.date, end: dt.date
) -> tuple[float, int] | None:
    """Mean transits [vessels/day] and number of observed undisrupted days in ``[start, end]``."""
    counts = np.asarray(counts, dtype=float)
    keep = np.zeros(counts.size, dtype=bool)
    a, b = (start - first_day).days, (end - first_day).days + 1
    keep[max(a, 0) : max(min(b, counts.size), 0)] = True
    for on, off in disruptions:
        keep[
            max((dt.date.fromisoformat(on) - first_day).days, 0) : (
                dt.date.fromisoformat(off) - first_day
            ).days
            + 1
        ] = False
    keep &= ~np.isnan(counts)
    if not keep.any():
        return None
    return float(counts[keep].mean()), int(keep.sum())


def state_label(state: dict | None) -> str | None:
    """``disrupted``, ``reduced`` or ``normal`` (None without transit data): the rule of
    :data:`THRESHOLD` and :data:`REDUCED_BELOW`."""
    if not state or state.get("level") is None:
        return None
    if state.get("under_way"):
        return "disrupted"
    return "reduced" if state["level"] < REDUCED_BELOW else "normal"


def state_line(cid: str, state: dict | None) -> str:
    """One line in words: ``hormuz: disrupted since 2026-03-01, tankers at 2% of normal over the last 28 days``;
    a chokepoint is disrupted, reduced or normal (:data:`THRESHOLD`, :data:`REDUCED_BELOW`)."""
    if not state or state.get("level") is None:
        return f"{cid}: no transit data to judge"
    pct = 100 * state["level"]
    if state.get("under_way"):
        return (
            f"{cid}: disrupted since {state['onset']}, tankers at {pct:.0f}% of normal "
            f"over the last {LEVEL_DAYS} days"
        )
    if state_label(state) == "reduced":
        return (
            f"{cid}: reduced, tankers at {pct:.0f}% of normal over the last {LEVEL_DAYS} days "
            f"(under {100 * REDUCED_BELOW:.0f}% but above the half that marks a disruption: "
            "not counted as a loss)"
        )
    return f"{cid}: normal, tankers at {pct:.0f}% of normal over the last {LEVEL_DAYS} days"


def transit_states(transits, as_of: dt.date) -> dict:
    """:func:`detect_state` for every chokepoint in a ``chokepoint_transits_daily`` frame, with the daily series.

    Returns
    -------
    dict
        chokepoint id → (first day, daily tanker counts with NaN for missing days, state).
    """
    import polars as pl

    out = {}
    t = transits.filter(pl.col("date") <= as_of)
    for cid in sorted(set(t["chokepoint"].to_list())):
        s = t.filter(pl.col("chokepoint") == cid).sort("date")
        dates, vals = (
            s["date"].to_list(),
            s["n_tanker"].cast(pl.Float64).fill_null(np.nan).to_numpy(),
        )
        first = dates[0]
        counts = np.full((dates[-1] - first).days + 1, np.nan)
        counts[[(d - first).days for d in dates]] = vals
        out[cid] = (first, counts, detect_state(first, counts, as_of))
    return out


def reference_scaling(series, start: dt.date, end: dt.date) -> dict | None:
    """Normal transits relative to a reference figure's period, over its undisrupted days.

    ``None`` (do not scale) when the period is not mostly observed and
    undisrupted: fewer than 80% of its days observed, or fewer than half of
    them outside a detected disruption — a figure measured during a
    disruption is not a normal flow.
    """
    if series is None:
        return None
    first, counts, state = series
    days = (end - start).days + 1
    a, b = max((start - first).days, 0), max(min((end - first).days + 1, counts.size), 0)
    observed = int((~np.isnan(counts[a:b])).sum()) if b > a else 0
    ref = undisrupted_mean(first, counts, state["disruptions"], start, end)
    normal = state["normal_tankers_per_day"]
    if observed < 0.8 * days or ref is None or ref[1] < 0.5 * days or ref[0] <= 0 or not normal:
        return None
    return {
        "tankers_per_day_reference": ref[0],
        "tankers_per_day_normal": normal,
        "ratio": normal / ref[0],
        "citation": "IMF PortWatch (portwatch.imf.org), Daily_Chokepoints_Data",
    }


def figure_is_disrupted(series, start: dt.date, end: dt.date) -> bool:
    """Whether most observed days of a figure's period lie inside detected disruptions."""
    if series is None:
        return False
    first, counts, state = series
    days = (end - start).days + 1
    ref = undisrupted_mean(first, counts, state["disruptions"], start, end)
    a, b = max((start - first).days, 0), max(min((end - first).days + 1, counts.size), 0)
    observed = int((~np.isnan(counts[a:b])).sum()) if b > a else 0
    return observed >= 0.5 * days and (ref is None or ref[1] < 0.5 * observed)


def with_prices_before_onset(ctx: dict, brent) -> dict:
    """Add to each disruption under way the mean Brent of the 5 trading days before its onset [USD/bbl] (in place).

    The observed price change since the onset tells how much of the crude
    model's effect of the observed state the market has shown
    (:func:`oilshock.forecast.simulate.estimate`).
    """
    import polars as pl

    for c in ctx["chokepoints"].values():
        st = c.get("state")
        if st and st.get("under_way"):
            before = brent.filter(pl.col("date") < dt.date.fromisoformat(st["onset"])).tail(5)
            st["brent_before_onset_usd_per_bbl"] = (
                float(before["brent_usd_per_bbl"].mean()) if before.height else None
            )
    return ctx
