"""Helpers every figure module shares: an estimate as its dict, its snapshot and dates."""

from __future__ import annotations

import datetime as dt

from oilshock.errors import ReportError  # noqa: F401 (the report's error, raised by every module)


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
