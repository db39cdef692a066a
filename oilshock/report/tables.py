"""An estimate as tables: every part of the result, for CSV and for an Excel workbook
(:mod:`oilshock.report.workbook`).

One function turns the estimate's dict (:meth:`oilshock.forecast.result.EstimateResult.to_dict`) into
named parts, so the CSV and the workbook say the same figures as the JSON and the printed
summary:

=========  ==================================================================================
part       rows
=========  ==================================================================================
summary    the baseline, the Brent and gasoline peaks, the status quo comparison
drivers    what the peak is made of: gross loss, bypass, stocks, spare capacity, net loss,
           the multiplier at the peak week
household  cost per household per month and over the horizon, national total, the bases
election   election-day price change, approval and House seats, the models' figures, caveats
regions    one row per PADD, region and state: price change and household cost with bands
weekly     one row per survey week: Brent and gasoline bands, with market noise, net loss
=========  ==================================================================================

A figure's name carries its unit (``peak_change_pct``, ``usd_per_month``); bands are the
p05 / p50 / p95 columns, a single number the ``value`` column, and anything else (dates,
flags, names, bases and caveats) the ``text`` column.
"""

from __future__ import annotations

import re
from typing import Any

PARTS = ("summary", "drivers", "household", "election", "regions", "weekly")
LONG_COLUMNS = ["part", "figure", "week_ending", "p05", "p50", "p95", "value", "text"]
BAND = ("p05", "p50", "p95")

# The summary part: these top-level sections of the estimate, in this order.
_SUMMARY_SECTIONS = ("baseline", "brent", "retail_gasoline", "status_quo")


def _is_band(v) -> bool:
    return isinstance(v, dict) and set(BAND) <= set(v) and len(v) <= 4


def _flatten(obj, prefix: str = "") -> list[dict]:
    """Rows ``{figure, p05, p50, p95, value, text}`` for a nested section; lists indexed
    ``name[i]``."""
    rows = []
    if _is_band(obj):
        return [{"figure": prefix, **{q: obj[q] for q in BAND}, "value": None, "text": None}]
    if isinstance(obj, dict):
        for k, v in obj.items():
            rows += _flatten(v, f"{prefix}.{k}" if prefix else str(k))
        return rows
    if isinstance(obj, list) and any(isinstance(x, (dict, list)) for x in obj):
        for i, v in enumerate(obj):
            rows += _flatten(v, f"{prefix}[{i}]")
        return rows
    return [_scalar(prefix, obj)]


def _scalar(figure: str, v) -> dict:
    if isinstance(v, list):
        v = "; ".join(str(x) for x in v)
    number = isinstance(v, (int, float)) and not isinstance(v, bool)
    text = None if v is None or number else str(v).lower() if isinstance(v, bool) else str(v)
    return {"figure": figure, **dict.fromkeys(BAND), "value": v if number else None, "text": text}


def _regions(regions: list[dict] | None) -> list[dict]:
    rows = []
    for r in regions or []:
        row = {k: r.get(k) for k in ("area", "name", "group", "parent", "baseline_usd_per_gal")}
        for key in ("price_change_usd_per_gal", "household_usd_total"):
            band = r.get(key) or {}
            row.update({f"{key}_{q}": band.get(q) for q in BAND})
        row["election_in_horizon"] = r.get("election_in_horizon")
        rows.append(row)
    return rows


def _weekly(weekly: list[dict]) -> list[dict]:
    rows = []
    for w in weekly:
        row = {"week_ending": w["week_ending"]}
        for k, v in w.items():
            if k == "week_ending":
                continue
            if isinstance(v, dict):
                row.update({f"{k}_{q}": v.get(q) for q in BAND})
            else:
                row[k] = v
        rows.append(row)
    return rows


def estimate_parts(d: dict) -> dict[str, list[dict]]:
    """The estimate's figures as named tables (see the module docstring for the parts).

    Parameters
    ----------
    d : dict
        :meth:`oilshock.forecast.result.EstimateResult.to_dict` (or its JSON read back).

    Returns
    -------
    dict of str to list of dict
        One entry per name in :data:`PARTS`, in that order; a part the estimate does not have
        (no household data at the as-of date, say) is an empty list.
    """
    summary = [_scalar("scenario", d["scenario"]["title"]), _scalar("as_of", d["as_of"])]
    from oilshock.forecast.result import model_of

    if model_of(d):
        summary.append(_scalar("model", model_of(d)["name"]))
    for section in _SUMMARY_SECTIONS:
        summary += _flatten(d.get(section), section)
    return {
        "summary": summary,
        "drivers": _flatten(d.get("drivers")) if d.get("drivers") else [],
        "household": _flatten(d.get("household")) if d.get("household") else [],
        "election": _flatten(d.get("election")) if d.get("election") else [],
        "regions": _regions(d.get("regions")),
        "weekly": _weekly(d.get("weekly") or []),
    }


def long_rows(parts: dict[str, list[dict]]) -> list[dict]:
    """Every part in one tidy table with :data:`LONG_COLUMNS`: the estimate's CSV.

    Region and weekly rows become one row per figure, named ``<area>.<figure>`` and dated by
    ``week_ending`` respectively, so the file holds one kind of row and filters by ``part``.
    """
    out = []
    for part in PARTS:
        for r in parts.get(part, []):
            if part in ("regions", "weekly"):
                out += _wide_to_long(part, r)
            else:
                out.append({"part": part, "week_ending": None, **r})
    return out


def _wide_to_long(part: str, row: dict) -> list[dict]:
    key = "area" if part == "regions" else "week_ending"
    head = {"part": part, "week_ending": row["week_ending"] if part == "weekly" else None}
    name = f"{row['area']}." if part == "regions" else ""
    out, seen = [], set()
    for k, v in row.items():
        if k == key or k in seen:
            continue
        stem = k[: -len("_p05")] if k.endswith(BAND) else None
        if stem and all(f"{stem}_{q}" in row for q in BAND):
            seen.update(f"{stem}_{q}" for q in BAND)
            band = {q: row[f"{stem}_{q}"] for q in BAND}
            out.append({**head, "figure": name + stem, **band, "value": None, "text": None})
        else:
            out.append({**head, **_scalar(name + k, v)})
    return out


def format_cell(v: Any) -> str:
    """One value as table text: empty for None, floats to six significant digits."""
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


# A spreadsheet runs a cell beginning with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text that is a plain number (a spreadsheet reads it as one, never as a formula).
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:inf|nan)")


def csv_cell(v: Any) -> str:
    """One value as a CSV cell that a spreadsheet shows as data, never runs as a formula.

    Parameters
    ----------
    v : Any
        A cell value: None, a number, or text (a scenario's title may be anything).

    Returns
    -------
    str
        Floats exactly (``repr``, so a reader gets the JSON's numbers); other values as
        :func:`format_cell`. Text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return gets a leading ``'`` (the OWASP rule), unless it is a plain
        number: ``-1.5`` stays a number.
    """
    if isinstance(v, float):
        return repr(v)
    text = format_cell(v)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(rows: list[dict], columns: list[str] | None = None) -> str:
    """Rows as CSV text, every cell through :func:`csv_cell` (exact floats, no formulas)."""
    columns = columns or (list(rows[0]) if rows else [])
    lines = [",".join(_quoted(csv_cell(c)) for c in columns)]
    lines += [",".join(_quoted(csv_cell(r.get(c))) for c in columns) for r in rows]
    return "".join(line + "\n" for line in lines)


def _quoted(cell: str) -> str:
    """``cell`` quoted as RFC 4180 asks when it holds a comma, a quote or a line break.

    Python's csv writer leaves a bare carriage return unquoted when the line ends in
    ``\n`` alone, and most readers then split the row there: quoted by hand instead.
    """
    if any(ch in cell for ch in ',"\n\r'):
        return '"' + cell.replace('"', '""') + '"'
    return cell
