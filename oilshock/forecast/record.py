"""How the model's forecasts of the weeks ahead have fared against no change, for the estimate to say.

The rolling nowcast (:mod:`oilshock.evaluate.nowcast`) scores the model's weekly forecasts during
past disruptions under way against holding the price of the day; scoring takes minutes, so its
pooled figures are kept in ``nowcast_record.json`` beside this module, written by
``docs/make_nowcast.py`` (:func:`oilshock.evaluate.track_record.write_nowcast`). Where the model
does not beat no change, every estimate with a disruption under way says so, and how to read it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

NOWCAST_PATH = Path(__file__).resolve().parent / "nowcast_record.json"


@functools.lru_cache(maxsize=4)
def load_nowcast(path: Path = NOWCAST_PATH) -> dict | None:
    """The nowcast record (``episodes``; per series, one entry per horizon with ``mspe_ratio``
    and ``coverage_p05_p95``), or None if the file is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def not_beaten(nr: dict | None, series: str = "brent", as_of: dt.date | None = None) -> dict | None:
    """The record of ``series`` where the model does not beat no change at some horizon
    (``episodes``, ``horizon_weeks``, ``mspe_ratio``), else None.

    With ``as_of``, None also when the data the record scored (to ``through``) run past it: an
    estimate says nothing drawn from outcomes it could not have seen.
    """
    through = (nr or {}).get("through")
    if as_of is not None and (not through or dt.date.fromisoformat(through) > as_of):
        return None
    rows = [r for r in (nr or {}).get(series) or [] if r.get("mspe_ratio") is not None]
    if not rows or all(r["mspe_ratio"] < 1 for r in rows):
        return None
    return {
        "episodes": list(nr.get("episodes") or []),
        "horizon_weeks": [r["horizon_weeks"] for r in rows],
        "mspe_ratio": [r["mspe_ratio"] for r in rows],
    }
