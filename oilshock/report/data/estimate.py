"""Figures of one estimate: its turning points, weekly rows, status quo, election day and windows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oilshock.report.data.common import _date, _mid

# The turning point's name in a label, per direction of the change.
POINT_LABEL = {"rise": "At the peak", "fall": "At the low", "flat": "At its largest change"}


def peak(d: dict) -> dict[str, Any]:
    """The headline figures of one result: each series at its turning point against the
    no-disruption path (:func:`oilshock.forecast.result.headline`): the peak of a rise, the low of
    a fall.

    Returns
    -------
    dict
        ``retail_before`` [USD/gal], ``retail_peak`` (the level at the turning week, seasonal drift
        included), ``retail_change`` (against the no-disruption path; p05/p50/p95 [USD/gal]),
        ``retail_base`` (the no-disruption level that week), ``retail_direction`` (``rise``,
        ``fall`` or ``flat``), ``weeks`` to the turning point and its ``peak_week``;
        ``brent_before`` [USD/bbl], ``brent_peak`` [USD/bbl], ``brent_change_pct`` [%]
        (p05/p50/p95), ``brent_weeks`` and ``brent_direction``. Retail entries are None when the
        result has no pump-price estimate.
    """
    from oilshock.forecast.result import headline

    h = headline(d)
    b, g = h["brent"], h["gasoline"]
    out = {
        "brent_before": d["baseline"]["brent_usd_per_bbl"],
        "brent_peak": b["level"],
        "brent_change_pct": b["change"],
        "brent_weeks": b["week"],
        "brent_direction": b["direction"],
        "retail_before": d["baseline"].get("retail_gasoline_usd_per_gal"),
        "retail_change": None,
        "retail_peak": None,
        "retail_base": None,
        "retail_direction": None,
        "weeks": None,
        "peak_week": None,
    }
    if g is not None:
        out.update(
            retail_change=g["change"],
            retail_peak={q: round(v, 4) for q, v in g["level"].items()},
            retail_base=g["base"],
            retail_direction=g["direction"],
            weeks=g["week"],
            peak_week=g["week_ending"],
        )
    return out


def context_lines(d: dict) -> list[str]:
    """The estimate's state line and its warnings (data age, a past election), one string each."""
    c = d.get("context") or {}
    return [x for x in (c.get("state_line"), c.get("data_warning"), c.get("election_note")) if x]


def status_quo_rows(d: dict) -> dict[str, list[dict]]:
    """The status-quo path (central), per series: ``week``, ``value``; empty when the status quo is today's price."""
    if (d.get("status_quo") or {}).get("status_quo_is_today", True):
        return {"gasoline": [], "brent": []}
    out: dict[str, list[dict]] = {"gasoline": [], "brent": []}
    for w in d["weekly"]:
        for series, key in (
            ("gasoline", "retail_gasoline_status_quo_usd_per_gal_p50"),
            ("brent", "brent_status_quo_usd_per_bbl_p50"),
        ):
            if w.get(key) is not None:
                out[series].append({"week": w["week_ending"], "value": w[key]})
    return out


def no_disruption_rows(d: dict) -> list[dict]:
    """The pump price's no-disruption path (its price at as_of plus its normal seasonal drift):
    ``week``, ``value`` [USD/gal], from the newest observed week on; empty without a drift (the
    path is then the flat price at as_of)."""
    rows = [
        {"week": w["week_ending"], "value": w["retail_gasoline_no_disruption_usd_per_gal"]}
        for w in d["weekly"]
        if w.get("retail_gasoline_no_disruption_usd_per_gal") is not None
    ]
    base = d["baseline"]
    if rows and base.get("retail_gasoline_date") and base.get("retail_gasoline_usd_per_gal"):
        rows.insert(
            0, {"week": base["retail_gasoline_date"], "value": base["retail_gasoline_usd_per_gal"]}
        )
    return rows


def weekly_rows(d: dict) -> list[dict]:
    """One row per week and series (``gasoline``, ``brent``): ``week``, ``p05``, ``p50``, ``p95``.

    Units: gasoline [USD/gal], Brent [USD/bbl].
    """
    rows = []
    for w in d["weekly"]:
        for series, key in (
            ("gasoline", "retail_gasoline_usd_per_gal"),
            ("brent", "brent_usd_per_bbl"),
        ):
            band = w.get(key)
            if band:
                rows.append({"series": series, "week": w["week_ending"], **band})
    return rows


def election_date(d: dict) -> dt.date | None:
    """The election day if the result carries one inside its horizon, else None."""
    e = d.get("election") or {}
    if not e.get("date") or not d.get("weekly"):
        return None
    day = _date(e["date"])
    first = _date(d["as_of"])
    last = _date(d["weekly"][-1]["week_ending"])
    return day if first <= day <= last else None


def election_label(d: dict) -> str | None:
    """The election-day rule's label on a chart; a retrospective says the election has taken place."""
    day = election_date(d)
    if day is None:
        return None
    if (d.get("election") or {}).get("retrospective"):
        return f"Election day {day:%d %b %Y} (retrospective: has taken place)"
    return f"Election day {day:%d %b}"


def scenario_windows(d: dict) -> list[dict]:
    """The disruption windows of a result: chokepoint, ``start``, ``end`` (of full disruption) and
    ``recovered`` (end of the recovery), as ISO dates, using the midpoint of ranged durations."""
    resolved = (d.get("resolved") or {}).get("disruptions") or []
    if resolved and all("key" in r for r in resolved):
        # One window per resolved piece ("*" expands to every chokepoint under way; a disruption
        # under way starts at its onset and its duration counts from there).
        items = [
            (
                r,
                {
                    **d["scenario"]["disruptions"][int(r["key"][12:-1])],
                    **{k: r[k] for k in ("chokepoint", "duration_days", "recovery_days") if k in r},
                },
            )
            for r in resolved
        ]
    else:
        items = [
            (resolved[i] if i < len(resolved) else {}, dis)
            for i, dis in enumerate(d["scenario"]["disruptions"])
        ]
    out = []
    for r, dis in items:
        start = r.get("start") or dis.get("start") or d["as_of"]
        s = _date(start)
        end = s + dt.timedelta(days=round(_mid(dis["duration_days"])))
        rec = end + dt.timedelta(days=round(_mid(dis.get("recovery_days") or 0)))
        share = dis.get("share")
        out.append(
            {
                "chokepoint": dis.get("chokepoint"),
                "share": share,
                "start": s.isoformat(),
                "end": end.isoformat(),
                "recovered": rec.isoformat(),
            }
        )
    return out
