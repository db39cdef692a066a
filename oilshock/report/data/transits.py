"""Chokepoint transits from the snapshot: names, rows and the finding a chart states."""

from __future__ import annotations

import datetime as dt
from typing import Any


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
