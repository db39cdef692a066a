"""The world the estimate runs in: data age, latest prices, chokepoint states, the next election.

:func:`get_status` is ``oilshock status``; :func:`state_line` is the one
line every estimate, election table, chart footer and brief carries, and
:func:`annotate` adds it (with the data-age warning and a note on a past
election) to an :class:`~oilshock.forecast.result.EstimateResult`. Both read only the
manifest and the cached parameters, so a warm estimate stays light.
"""

from __future__ import annotations

import datetime as dt

from oilshock import periods
from oilshock.model.chokepoint_state import AIS_NOTE, state_label
from oilshock.model.chokepoint_state import state_line as chokepoint_line

# The datasets an estimate reads, in data-flow order.
ESTIMATE_DATASETS = (
    "brent_daily",
    "retail_gasoline_weekly",
    "chokepoint_transits_daily",
    "chokepoint_flows_supplement",
    "bypass_routes",
    "oil_buffers",
    "world_oil_supply_monthly",
    "crude_acquisition_cost_monthly",
    "oil_supply_shocks_monthly",
    "approval_monthly",
)
PRICE_DATASETS = ("brent_daily", "retail_gasoline_weekly")
STALE_DAYS = 14


def _newest(manifest, name: str) -> dt.date | None:
    last = manifest.datasets.get(name, {}).get("last")
    try:
        return dt.date.fromisoformat(str(last)) if last and len(str(last)) == 10 else None
    except ValueError:
        return None


def state_line(supply_ctx: dict) -> str:
    """One line: every chokepoint with a disruption under way, or that none is; AIS caveat."""
    lines = [
        chokepoint_line(cid, c.get("state"))
        for cid, c in sorted(supply_ctx["chokepoints"].items())
        if (c.get("state") or {}).get("under_way")
    ]
    body = (
        "; ".join(lines)
        if lines
        else "no chokepoint disrupted (tanker transits above half of normal everywhere)"
    )
    return f"{body}; {AIS_NOTE}"


def data_warning(manifest, today: dt.date) -> str | None:
    """A warning when the newest price is more than 14 days older than ``today``."""
    dates = [d for d in (_newest(manifest, n) for n in PRICE_DATASETS) if d]
    if not dates:
        return None
    newest = max(dates)
    age = (today - newest).days
    if age <= STALE_DAYS:
        return None
    return (
        f"WARNING: the newest price is from {newest}, {age} days before today ({today}); "
        "run 'oilshock update' for newer data"
    )


def election_note(
    as_of: dt.date, election: dt.date, today: dt.date, chosen: bool = False
) -> str | None:
    """A note when election day is already past on ``today``: a chosen election is a
    retrospective; a default one names the election after it."""
    from oilshock.model.politics import next_federal_election

    if election >= today:
        return None
    if chosen:
        return (
            f"Election day {election} has taken place (today is {today}): the election figures are "
            "a retrospective, what the model gives for it from the data at as_of, set beside what "
            "happened where the data hold it."
        )
    following = next_federal_election(max(election, today - dt.timedelta(days=1)))
    return (
        f"The election after as_of ({election}) is already past on today's date ({today}); "
        f"the next one is {following}."
    )


def annotate(
    result,
    params: dict,
    as_of: dt.date,
    *,
    today: dt.date | None = None,
    directory=None,
    election_overridden: bool = False,
):
    """Add the state line, the data-age warning, a past-election note and the market-implied loss
    (:func:`oilshock.forecast.implied.market_implied_loss`) to an estimate (in place)."""
    from oilshock.data.manifest import read_manifest
    from oilshock.forecast.implied import market_implied_loss

    today = today or periods.today()
    manifest = read_manifest(directory)
    election = dt.date.fromisoformat(result.data["election"]["date"])
    result.data["context"] = {
        "state_line": f"State at {as_of}: " + state_line(params["supply"]),
        "data_warning": data_warning(manifest, today),
        "election_note": election_note(as_of, election, today, chosen=election_overridden),
        "today": today.isoformat(),
    }
    result.data["market_implied"] = market_implied_loss(params, as_of)
    result.data["election"]["retrospective"] = election < today
    if election < today:
        from oilshock.forecast.election import retrospective

        retrospective(result.data["election"], directory)
    result.__dict__.pop("summary", None)  # the summary is cached: rebuild it with the context
    return result


def get_status(
    *, as_of: dt.date | None = None, today: dt.date | None = None, directory=None
) -> dict:
    """What ``oilshock status`` shows, as plain JSON.

    Parameters
    ----------
    as_of : datetime.date, optional
        The date the states and the next election are judged at (default: the newest Brent date).
    today : datetime.date, optional
        Today's date for the ages (default: the clock).
    directory : Path, optional
        Data directory.

    Returns
    -------
    dict
        ``datasets`` (newest date and age in days of each dataset the estimate
        uses), ``latest`` (Brent [USD/bbl] and US regular gasoline [USD/gal]
        with their dates), ``chokepoints`` (state per chokepoint with its line
        in words), ``state_line``, ``market_implied`` (the net loss today's Brent implies beside
        the tanker counts', :func:`oilshock.forecast.implied.market_implied_loss`; None when
        calm), ``election`` and ``warnings``.
    """
    from oilshock.data.manifest import read_manifest
    from oilshock.forecast.implied import market_implied_loss
    from oilshock.forecast.params import get_params
    from oilshock.forecast.prepare import check_as_of
    from oilshock.model.politics import next_federal_election

    today = today or periods.today()
    manifest = read_manifest(directory)
    as_of = check_as_of(as_of, directory)
    p = get_params(as_of, directory)
    datasets = []
    for name in ESTIMATE_DATASETS:
        newest = _newest(manifest, name)
        last = manifest.datasets.get(name, {}).get("last")
        datasets.append(
            {
                "dataset": name,
                "newest": str(last) if last else None,
                "age_days": None if newest is None else (today - newest).days,
            }
        )
    chokepoints = {}
    for cid, c in sorted(p["supply"]["chokepoints"].items()):
        st = c.get("state")
        if not st:
            continue
        chokepoints[cid] = {
            "state": state_label(st),
            "under_way": st["under_way"],
            "onset": st["onset"],
            "level_last_28d": None if st["level"] is None else round(st["level"], 4),
            "observed_share_stopped": round(st["observed_share"], 4),
            "normal_tankers_per_day": None
            if st["normal_tankers_per_day"] is None
            else round(st["normal_tankers_per_day"], 2),
            "normal_flow_mbd": None if c["flow"] is None else round(c["flow"]["normal_mbd"], 3),
            "transits_to": st["last_day"],
            "line": chokepoint_line(cid, st) + "; " + AIS_NOTE,
        }
    election = next_federal_election(as_of)
    base = p["baseline"]
    warnings = [
        w for w in (data_warning(manifest, today), election_note(as_of, election, today)) if w
    ]
    return {
        "today": today.isoformat(),
        "as_of": as_of.isoformat(),
        "snapshot_sha256": manifest.snapshot_sha256,
        "datasets": datasets,
        "latest": {
            "brent_usd_per_bbl": round(base["brent_usd_per_bbl"], 2),
            "brent_basis": base["brent_basis"],
            "retail_gasoline_usd_per_gal": None
            if base["retail"]["usd_per_gal"] is None
            else round(base["retail"]["usd_per_gal"], 3),
            "retail_gasoline_date": base["retail"]["date"],
        },
        "chokepoints": chokepoints,
        "state_line": state_line(p["supply"]),
        "market_implied": market_implied_loss(p, as_of),
        "election": {"next_after_as_of": election.isoformat(), "past_on_today": election < today},
        "warnings": warnings,
    }


def format_status(s: dict) -> str:
    """The status as a plain table."""
    lines = [
        f"oilshock status · today {s['today']} · as of {s['as_of']} · snapshot {s['snapshot_sha256'][:12]}",
        "",
        "Data (newest date, age in days):",
    ]
    for d in s["datasets"]:
        if d["age_days"] is None:
            age = ""
        elif d["age_days"] < 0:
            # Reference tables may hold rows dated ahead (announced or projected figures); an
            # estimate uses only rows up to as_of.
            age = "  ahead of today (announced figures)"
        else:
            age = f"{d['age_days']:>6d}"
        lines.append(f"  {d['dataset']:34}{d['newest']!s:>12}{age}")
    lt = s["latest"]
    lines += ["", f"Brent: ${lt['brent_usd_per_bbl']:.2f}/bbl ({lt['brent_basis']})"]
    if lt["retail_gasoline_usd_per_gal"] is not None:
        lines.append(
            f"US regular gasoline: ${lt['retail_gasoline_usd_per_gal']:.3f}/gal (week of {lt['retail_gasoline_date']})"
        )
    lines += ["", "Chokepoints (tanker transits, IMF PortWatch):"]
    lines += [f"  {c['line']}" for c in s["chokepoints"].values()]
    if s.get("market_implied"):
        from oilshock.forecast.implied import implied_line

        lines += ["", implied_line(s["market_implied"])]
    e = s["election"]
    if e["past_on_today"]:
        from oilshock.model.politics import next_federal_election

        coming = next_federal_election(dt.date.fromisoformat(s["today"]))
        lines += [
            "",
            f"Next federal election: {coming} (the one after as_of, {e['next_after_as_of']}, "
            f"is already past on {s['today']})",
        ]
    else:
        lines += ["", f"Next federal election after as_of: {e['next_after_as_of']}"]
    lines += [""] + s["warnings"] if s["warnings"] else []
    from oilshock.text import fit

    return fit(lines)
