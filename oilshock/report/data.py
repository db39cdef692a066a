"""The numbers behind the charts, as plain rows (lists of dicts).

Charts (:mod:`oilshock.report.charts`) only draw; everything they state is
computed here from an estimate's result dict (:meth:`EstimateResult.to_dict`)
or from snapshot datasets, so the briefing's text and tables quote exactly
the figures the charts show, and tests can check the figures without parsing
a chart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oilshock.errors import (
    ReportError,
)
from oilshock.text import direction
from oilshock.units import GAL_PER_BBL


def as_dict(result) -> dict:
    """An :class:`~oilshock.forecast.result.EstimateResult` or its dict, as the dict."""
    return result.to_dict() if hasattr(result, "to_dict") else result


def snapshot_of(d: dict) -> str | None:
    return (d.get("provenance") or {}).get("snapshot_sha256")


def scenario_label(d: dict) -> str:
    return d["scenario"]["name"]


def _date(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _mid(v) -> float:
    """A scenario value: a point, or the midpoint of a ``[low, high]`` range."""
    return (v[0] + v[1]) / 2 if isinstance(v, list) else float(v)


# --------------------------------------------------------------------------- peak figures


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


# --------------------------------------------------------------------------- gallon


def latest_taxes(as_of: dt.date, directory=None) -> dict[str, Any]:
    """Federal plus average state gasoline tax known on ``as_of`` [USD/gal], with the rows used."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    t = load_dataset("gasoline_taxes", as_of=as_of, directory=directory).filter(
        pl.col("fuel") == "gasoline"
    )
    parts = {}
    for j in ("federal", "state_average"):
        rows = t.filter(pl.col("jurisdiction") == j).sort("as_of")
        if rows.height == 0:
            raise ReportError(
                f"gasoline_taxes: no '{j}' gasoline tax known on {as_of}; cannot split a gallon"
            )
        parts[j] = rows.row(-1, named=True)
    return {
        "usd_per_gal": round(sum(p["tax_cents_per_gal"] for p in parts.values()) / 100, 4),
        "federal_cents": parts["federal"]["tax_cents_per_gal"],
        "state_average_cents": parts["state_average"]["tax_cents_per_gal"],
        "as_of": max(p["as_of"] for p in parts.values()).isoformat(),
        "citations": sorted({p["citation"] for p in parts.values()}),
    }


def latest_component_shares(as_of: dt.date, directory=None) -> dict[str, Any]:
    """EIA's latest breakdown known on ``as_of`` that gives both refining and distribution shares."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    c = (
        load_dataset("gasoline_price_components", as_of=as_of, directory=directory)
        .filter(pl.col("refining_pct").is_not_null() & pl.col("distribution_pct").is_not_null())
        .sort("period_last")
    )
    if c.height == 0:
        raise ReportError(f"gasoline_price_components: no breakdown known on {as_of}")
    row = c.row(-1, named=True)
    return {
        "period_first": row["period_first"].isoformat(),
        "period_last": row["period_last"].isoformat(),
        "refining_pct": row["refining_pct"],
        "distribution_pct": row["distribution_pct"],
        "citation": row["citation"],
    }


COMPONENTS = ("Crude oil", "Refining and margin", "Distribution and marketing", "Taxes")


def gallon_rows(d: dict, directory=None) -> list[dict]:
    """What is in a gallon before the shock and in the central path's peak week [USD/gal].

    Crude is Brent / 42; taxes are federal plus average state tax (latest known on
    ``as_of``); the rest of the retail price is split into refining versus distribution
    in the proportion of EIA's latest breakdown known on ``as_of`` (the split is fixed,
    so only its total moves). "At the peak" is the headline peak price (the
    median of the draws' peaks, as in the text and the path chart) in the week
    the central gasoline path peaks; Brent is that week's p50.

    Returns
    -------
    list of dict
        ``when`` (label), ``order``, ``component``, ``usd_per_gal``, ``retail_usd_per_gal``,
        plus ``basis`` on the first row (taxes, shares and dates used).
    """
    as_of = _date(d["as_of"])
    p = peak(d)
    if p["retail_before"] is None or p["peak_week"] is None:
        raise ReportError(
            f"{scenario_label(d)}: the result has no pump-price estimate, so no gallon breakdown"
        )
    taxes = latest_taxes(as_of, directory)
    shares = latest_component_shares(as_of, directory)
    week = next(w for w in d["weekly"] if w["week_ending"] == p["peak_week"])
    states = [
        (
            f"Before ({d['baseline']['retail_gasoline_date']})",
            p["retail_before"],
            d["baseline"]["brent_usd_per_bbl"],
        ),
        # The headline peak (median of the draws' peaks), so the gallon chart, the path chart and
        # the text quote one number.
        (
            f"{POINT_LABEL[p['retail_direction']]} (week of {p['peak_week']})",
            p["retail_peak"]["p50"],
            week["brent_usd_per_bbl"]["p50"],
        ),
    ]
    split = shares["refining_pct"] / (shares["refining_pct"] + shares["distribution_pct"])
    rows = []
    for k, (label, retail, brent) in enumerate(states):
        crude = brent / GAL_PER_BBL
        rest = retail - crude - taxes["usd_per_gal"]
        values = (crude, rest * split, rest * (1 - split), taxes["usd_per_gal"])
        for i, (name, v) in enumerate(zip(COMPONENTS, values)):
            rows.append(
                {
                    "when": label,
                    "state": k,
                    "order": i,
                    "component": name,
                    "usd_per_gal": round(v, 4),
                    "retail_usd_per_gal": round(retail, 4),
                }
            )
    rows[0]["basis"] = {"taxes": taxes, "shares": shares}
    return rows


# --------------------------------------------------------------------------- transits


def chokepoint_names(directory=None) -> dict[str, str]:
    from oilshock.data.datasets import load_dataset

    t = load_dataset("chokepoints", directory=directory)
    return dict(zip(t["chokepoint"].to_list(), t["name"].to_list()))


def transit_chokepoints(through: dt.date | None = None, directory=None) -> set[str]:
    """Chokepoints with PortWatch transits dated on or before ``through``."""
    from oilshock.data.datasets import load_dataset

    return set(
        load_dataset("chokepoint_transits_daily", as_of=through, directory=directory)["chokepoint"]
        .unique()
        .to_list()
    )


def transit_rows(
    chokepoints: list[str], *, since: dt.date, through: dt.date | None = None, directory=None
) -> list[dict]:
    """Daily tanker transits and their trailing 7-day mean per chokepoint (IMF PortWatch).

    Parameters
    ----------
    chokepoints : list of str
        Chokepoint ids (see the ``chokepoints`` dataset).
    since, through : datetime.date
        First and last day shown; ``through`` None: the snapshot's last day. ``through``
        is also the point-in-time cut: nothing dated later is read.

    Returns
    -------
    list of dict
        ``chokepoint``, ``name``, ``date``, ``tankers`` [tankers/day], ``mean7`` [tankers/day,
        trailing 7-day mean, null until 7 days are available].
    """
    import polars as pl

    from oilshock.data.datasets import load_dataset
    from oilshock.errors import UnknownNameError

    names = chokepoint_names(directory)
    t = load_dataset("chokepoint_transits_daily", as_of=through, directory=directory)
    have = set(t["chokepoint"].unique().to_list())
    for c in chokepoints:
        if c not in have:
            raise UnknownNameError("chokepoint with PortWatch transits", c, sorted(have))
    # The mean is computed before cutting at `since`, so the first days shown already have one.
    t = (
        t.filter(pl.col("chokepoint").is_in(chokepoints))
        .sort("chokepoint", "date")
        .with_columns(
            pl.col("n_tanker").cast(pl.Float64).rolling_mean(7).over("chokepoint").alias("mean7")
        )
        .filter(pl.col("date") >= since)
    )
    return [
        {
            "chokepoint": r["chokepoint"],
            "name": names.get(r["chokepoint"], r["chokepoint"]),
            "date": r["date"].isoformat(),
            "tankers": r["n_tanker"],
            "mean7": None if r["mean7"] is None else round(r["mean7"], 2),
        }
        for r in t.iter_rows(named=True)
    ]


def transit_finding(
    chokepoint: str, start: dt.date, *, through: dt.date | None = None, directory=None
) -> dict[str, Any]:
    """How traffic through one chokepoint compares with the year before ``start``.

    Returns
    -------
    dict
        ``reference`` mean tankers/day over the 365 days before ``start``; ``low`` the lowest
        7-day mean from ``start`` on and its ``low_date``; ``change_pct`` of ``low`` against
        ``reference`` [%]; ``latest`` 7-day mean on ``latest_date``. ``low`` is None when
        there is no data from ``start`` on.
    """
    rows = transit_rows(
        [chokepoint], since=start - dt.timedelta(days=365), through=through, directory=directory
    )
    before = [
        r["tankers"] for r in rows if r["date"] < start.isoformat() and r["tankers"] is not None
    ]
    after = [r for r in rows if r["date"] >= start.isoformat() and r["mean7"] is not None]
    ref = sum(before) / len(before) if before else None
    out = {
        "chokepoint": chokepoint,
        "name": rows[0]["name"] if rows else chokepoint,
        "reference": ref,
        "low": None,
    }
    if after:
        low = min(after, key=lambda r: r["mean7"])
        out |= {
            "low": low["mean7"],
            "low_date": low["date"],
            "latest": after[-1]["mean7"],
            "latest_date": after[-1]["date"],
            "change_pct": None if not ref else 100 * (low["mean7"] / ref - 1),
        }
    elif rows:
        last = [r for r in rows if r["mean7"] is not None][-1]
        out |= {"latest": last["mean7"], "latest_date": last["date"]}
    return out


# --------------------------------------------------------------------------- sensitivity


def sensitivity_grid(
    scenario,
    *,
    as_of: dt.date,
    params: dict,
    chokepoint: str | None = None,
    shares=(0.1, 0.25, 0.5, 0.75, 1.0),
    durations=(14, 30, 60, 90, 120),
    draws: int = 300,
    seed: int | None = None,
) -> list[dict]:
    """p50 peak pump-price change over share blocked × duration for one disrupted flow.

    The first disruption of ``scenario`` is varied (its chokepoint replaced by
    ``chokepoint`` if given); its recovery, its start, the other disruptions and the
    response are kept, so the base scenario is one cell of the grid (its midpoints are
    added to the axes if missing). All cells share ``params`` and ``seed``, so they
    differ only by share and duration (common random numbers).

    Returns
    -------
    list of dict
        ``share`` [fraction], ``duration_days`` [days], ``p50`` the central change [USD/gal] at
        the peak of a rise or the low of an easing (the estimate's reading,
        :func:`oilshock.forecast.result.headline`), ``base`` (True for the base scenario's cell).
    """
    from oilshock.forecast.sweep import sweep
    from oilshock.scenario.parse import Scenario
    from oilshock.scenario.spec import load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    first = sc.disruptions[0]
    cp = chokepoint or first.chokepoint
    if cp is None or cp == "*":
        raise ReportError(
            f"{sc.name}: its first disruption names no single chokepoint; pass a chokepoint to vary the share blocked"
        )
    observed = isinstance(first.share, str)  # share = "observed": no base share to mark
    base_share = (
        (first.share[0] + first.share[1]) / 2
        if first.share and not observed and cp == first.chokepoint
        else None
    )
    base_dur = (first.duration_days[0] + first.duration_days[1]) / 2
    shares = sorted(set(shares) | ({round(base_share, 4)} if base_share is not None else set()))
    durations = sorted(set(durations) | {round(base_dur, 1)})
    cells = sweep(
        sc,
        shares,
        durations,
        as_of=as_of,
        chokepoint=cp,
        params=params,
        draws=draws,
        seed=seed,
    )
    rows = []
    for c in cells:
        r = c["retail_peak_change_usd_per_gal"]
        if r is None:
            raise ReportError(
                f"{sc.name}: no pump-price estimate as of {as_of}, so no sensitivity grid"
            )
        # One reading of a cell's change, the estimate's: a rise at its peak, an easing at its low.
        low = c.get("retail_low_change_usd_per_gal_p50")
        p50 = (
            low
            if low is not None
            and direction(low, 3) == "fall"
            and (direction(r["p50"], 3) != "rise" or abs(low) > abs(r["p50"]))
            else r["p50"]
        )
        rows.append(
            {
                "share": c["share"],
                "duration_days": c["duration_days"],
                "p50": p50,
                "base": base_share is not None
                and c["share"] == round(base_share, 4)
                and c["duration_days"] == round(base_dur, 1),
            }
        )
    point = (
        base_share is not None
        and first.share[0] == first.share[1]
        and first.duration_days[0] == first.duration_days[1]
    )
    if point and any(r["base"] for r in rows):
        # The outlined cell quotes the estimate itself (default draws and seed), so the grid and
        # `oilshock estimate` print one number for the scenario as written.
        from oilshock.forecast.simulate import DEFAULT_DRAWS, estimate

        est = estimate(
            sc,
            as_of=as_of,
            params=params,
            seed=seed,
            draws=DEFAULT_DRAWS,
        )
        from oilshock.forecast.result import headline

        quoted = headline(est.data)["gasoline"]["change"]["p50"]
        for r in rows:
            if r["base"]:
                r["p50"], r["draws"] = quoted, DEFAULT_DRAWS
    return rows


# --------------------------------------------------------------------------- regions


# Sections of the regions chart, in order: (group key of the result's regions, label).
REGION_GROUPS = (
    ("padd", "PADDs (petroleum districts)"),
    ("sub_padd", "Sub-PADD regions"),
    ("state", "States"),
)


def region_rows(d: dict) -> list[dict]:
    """Regional price change and household cost, one row per region.

    Raises
    ------
    ReportError
        When the result has no ``regions`` (they come with the household layer).
    """
    regions = d.get("regions")
    if not regions:
        raise ReportError(
            f"{scenario_label(d)}: the result has no 'regions' (price change and household cost by region "
            "come with the household layer); the regions chart needs them"
        )
    rows = []
    for r in regions:
        pc, hh = r["price_change_usd_per_gal"], r["household_usd_total"]
        rows.append(
            {
                "area": r["area"],
                "name": r.get("name") or r["area"],
                # Results from before the grouping carry no group: PADD areas are named padd_<n>.
                "group": r.get("group")
                or (
                    "padd"
                    if r["area"] in {f"padd_{i}" for i in range(1, 6)}
                    else "sub_padd"
                    if r["area"].startswith("padd_")
                    else "state"
                ),
                "baseline": r.get("baseline_usd_per_gal"),
                **{f"price_{q}": pc[q] for q in ("p05", "p50", "p95")},
                # No household cost when the snapshot has no household count for as_of.
                **{f"household_{q}": None if hh is None else hh[q] for q in ("p05", "p50", "p95")},
            }
        )
    return rows
