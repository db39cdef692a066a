"""IMF PortWatch daily chokepoint transits: two CSV layouts and the live ArcGIS query JSON.

PortWatch (IMF with the University of Oxford) counts AIS-observed vessel
passages per chokepoint and day in the ArcGIS service
``Daily_Chokepoints_Data``. Every parser here returns the service's own field
names (``portid`` or the CSV's ``chokepoint``, ``n_tanker``, ``n_cargo``,
``n_total``, ``capacity_tanker``, ``capacity``), counts as Int64 [vessels/day]
and deadweight capacities as Float64 [t DWT, metric tons], so a recipe can
treat a raw file and a live response alike.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from oilshock.errors import SourceError
from oilshock.sources._parse import (
    _load_json,
    _read_csv_text,
    _read_file,
    _require,
    _strict_date,
    _strict_float,
    _strict_int,
)
from oilshock.text import strip_userinfo

QUERY_URL = "https://services9.arcgis.com/weJ1QsnbMYJlCHdG/arcgis/rest/services/Daily_Chokepoints_Data/FeatureServer/0/query"

LONG_COLUMNS = ["date", "chokepoint", "n_total", "n_tanker", "n_cargo", "capacity"]

# Wide layout: cpN_<suffix>, where N is the PortWatch portid number.
_WIDE_FIELD = re.compile(r"^cp(\d+)_(tanker|total|cap_tanker|cap_total)$")
_WIDE_SUFFIX = {
    "tanker": "n_tanker",
    "total": "n_total",
    "cap_tanker": "capacity_tanker",
    "cap_total": "capacity",
}
# Computed by the author of the wide file (rolling means, z-scores, flags), not by
# IMF; they are recognised so they can be refused explicitly rather than imported.
WIDE_DERIVED_COLUMNS = (
    "hormuz_tanker_ma7",
    "hormuz_tanker_zscore",
    "hormuz_blocked",
    "mandeb_tanker_ma7",
    "mandeb_blocked",
    "cape_reroute_signal",
)

ARCGIS_COUNT_FIELDS = (
    "n_container",
    "n_dry_bulk",
    "n_general_cargo",
    "n_roro",
    "n_tanker",
    "n_cargo",
    "n_total",
)
ARCGIS_CAPACITY_FIELDS = (
    "capacity_container",
    "capacity_dry_bulk",
    "capacity_general_cargo",
    "capacity_roro",
    "capacity_tanker",
    "capacity_cargo",
    "capacity",
)
ARCGIS_REQUIRED = (
    "date",
    "portid",
    "portname",
    "n_tanker",
    "n_cargo",
    "n_total",
    "capacity_tanker",
    "capacity",
)


def parse_portwatch_long_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse the long PortWatch CSV (``date,chokepoint,n_total,n_tanker,n_cargo,capacity``).

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``date`` [date, UTC day], ``chokepoint`` [id as written in the file],
        ``n_total``, ``n_tanker``, ``n_cargo`` [vessels/day, Int64],
        ``capacity`` [t DWT, all vessels], in file order.
    meta : dict
        ``layout`` and the ``chokepoints`` found.
    """
    import polars as pl

    raw = _read_csv_text(data, source)
    _require(raw, LONG_COLUMNS, source)
    extra = [c for c in raw.columns if c not in LONG_COLUMNS]
    if extra:
        raise SourceError(f"{source}: unexpected column(s) {extra} in the long PortWatch layout")
    _no_blanks(raw, LONG_COLUMNS, source)
    frame = raw.select(
        _strict_date(raw, "date", source).alias("date"),
        pl.col("chokepoint").str.strip_chars(),
        *[_strict_int(raw, c, source).alias(c) for c in ("n_total", "n_tanker", "n_cargo")],
        _strict_float(raw, "capacity", source).alias("capacity"),
    )
    return frame, {
        "layout": "PortWatch daily chokepoints, long",
        "chokepoints": sorted(frame["chokepoint"].unique()),
    }


def read_portwatch_long_csv(path: Path):
    """Read the long PortWatch CSV from disk; see :func:`parse_portwatch_long_csv`."""
    return _read_file(parse_portwatch_long_csv, path)


def parse_portwatch_wide_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse the wide PortWatch CSV (``date``, then ``cpN_tanker``, ``cpN_total``,
    ``cpN_cap_tanker``, ``cpN_cap_total``).

    The columns derived by the file's author (:data:`WIDE_DERIVED_COLUMNS`)
    are skipped and listed in ``meta["ignored_columns"]``; any other unknown
    column is an error. The frame is reshaped to one row per portid and day.

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``date`` [date], ``portid`` (``chokepointN``), ``n_tanker``, ``n_total``
        [vessels/day, Int64], ``capacity_tanker``, ``capacity`` [t DWT].
        Sorted by portid number, then file order.
    meta : dict
        ``layout``, ``portids`` and ``ignored_columns``.
    """
    import polars as pl

    raw = _read_csv_text(data, source)
    _require(raw, ["date"], source)
    fields: dict[int, dict[str, str]] = {}
    ignored, unknown = [], []
    for col in raw.columns:
        m = _WIDE_FIELD.match(col)
        if m:
            fields.setdefault(int(m.group(1)), {})[_WIDE_SUFFIX[m.group(2)]] = col
        elif col in WIDE_DERIVED_COLUMNS:
            ignored.append(col)
        elif col != "date":
            unknown.append(col)
    if unknown:
        raise SourceError(f"{source}: unexpected column(s) {unknown} in the wide PortWatch layout")
    if not fields:
        raise SourceError(f"{source}: no cpN_* columns; not the wide PortWatch layout")
    for n, have in sorted(fields.items()):
        missing = [f"cp{n}_{s}" for s, name in _WIDE_SUFFIX.items() if name not in have]
        if missing:
            raise SourceError(f"{source}: expected column(s) {missing} for chokepoint{n}")
    _no_blanks(raw, ["date"] + [c for have in fields.values() for c in have.values()], source)
    dates = _strict_date(raw, "date", source)
    parts = []
    for n, have in sorted(fields.items()):
        parts.append(
            raw.select(
                dates.alias("date"),
                pl.lit(f"chokepoint{n}").alias("portid"),
                *[_strict_int(raw, have[c], source).alias(c) for c in ("n_tanker", "n_total")],
                *[
                    _strict_float(raw, have[c], source).alias(c)
                    for c in ("capacity_tanker", "capacity")
                ],
            )
        )
    frame = pl.concat(parts)
    meta = {
        "layout": "PortWatch daily chokepoints, wide (cpN_*)",
        "portids": [f"chokepoint{n}" for n in sorted(fields)],
        "ignored_columns": ignored,
    }
    return frame, meta


def read_portwatch_wide_csv(path: Path):
    """Read the wide PortWatch CSV from disk; see :func:`parse_portwatch_wide_csv`."""
    return _read_file(parse_portwatch_wide_csv, path)


def parse_portwatch_arcgis_json(data: bytes | str, source: str = "<bytes>"):
    """Parse one page of an ArcGIS REST ``query`` response of ``Daily_Chokepoints_Data`` (``f=json``).

    ``date`` may come as epoch milliseconds (esriFieldTypeDate, always 00:00
    UTC for this daily service) or as a ``YYYY-MM-DD`` string
    (esriFieldTypeDateOnly); both give the UTC calendar day. JSON ``null`` in
    a count or capacity is the service's missing marker and stays null.

    Parameters
    ----------
    data : bytes or str
        Response body.
    source : str
        URL or file name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``date`` [date], ``portid``, ``portname``, every count field present
        [vessels/day, Int64] and every capacity field present [t DWT,
        Float64], in response order.
    meta : dict
        ``objectIdFieldName``, ``exceededTransferLimit`` (True means more pages
        exist: repeat with ``resultOffset``), ``fields`` (names the service
        declared) and ``date_encoding`` (``epoch_ms``, ``string`` or ``none``).

    Raises
    ------
    SourceError
        On an ArcGIS ``{"error": ...}`` payload, malformed JSON, a missing
        required field, or a value of the wrong type.
    """
    import polars as pl

    doc = _load_json(data, source, "not JSON")
    if not isinstance(doc, dict):
        raise SourceError(f"{source}: expected a JSON object, got {type(doc).__name__}")
    if "error" in doc:
        err = doc["error"] if isinstance(doc["error"], dict) else {"message": doc["error"]}
        details = "; ".join(str(d) for d in err.get("details", []) or [])
        raise SourceError(
            f"{source}: ArcGIS error {err.get('code', '?')}: {err.get('message', '')}"
            + (f" ({details})" if details else "")
        )
    if not isinstance(doc.get("features"), list):
        raise SourceError(f"{source}: no 'features' list in the ArcGIS response")
    rows = []
    for i, feat in enumerate(doc["features"]):
        attrs = feat.get("attributes") if isinstance(feat, dict) else None
        if not isinstance(attrs, dict):
            raise SourceError(f"{source}: feature {i} has no 'attributes' object")
        rows.append(attrs)
    present = set().union(*(r.keys() for r in rows)) if rows else set(ARCGIS_REQUIRED)
    missing = [f for f in ARCGIS_REQUIRED if f not in present or any(f not in r for r in rows)]
    if missing:
        raise SourceError(
            f"{source}: field(s) {missing} missing from the ArcGIS features (request them in outFields)"
        )

    dates, encodings = [], set()
    for i, r in enumerate(rows):
        d, enc = _arcgis_date(r["date"], source, i)
        dates.append(d)
        encodings.add(enc)
    columns: dict[str, pl.Series] = {"date": pl.Series("date", dates, dtype=pl.Date)}
    for f in ("portid", "portname"):
        vals = [r[f] for r in rows]
        bad = [i for i, v in enumerate(vals) if not isinstance(v, str) or not v.strip()]
        if bad:
            raise SourceError(
                f"{source}: field '{f}' is not a non-empty string at features {bad[:5]}"
            )
        columns[f] = pl.Series(f, [v.strip() for v in vals], dtype=pl.String)
    for f in ARCGIS_COUNT_FIELDS + ARCGIS_CAPACITY_FIELDS:
        if f not in present:
            continue
        vals = [r.get(f) for r in rows]
        is_count = f in ARCGIS_COUNT_FIELDS
        bad = [
            i
            for i, v in enumerate(vals)
            if v is not None
            and (
                isinstance(v, bool)
                or not isinstance(v, int | float)
                or not math.isfinite(v)  # JSON's NaN/Infinity: neither a count nor a capacity
                or (is_count and float(v) != int(v))
            )
        ]
        if bad:
            kind = "whole numbers" if is_count else "numbers"
            raise SourceError(
                f"{source}: field '{f}' must hold {kind}; got {[vals[i] for i in bad[:5]]} at features {bad[:5]}"
            )
        columns[f] = pl.Series(
            f,
            [None if v is None else (int(v) if is_count else float(v)) for v in vals],
            dtype=pl.Int64 if is_count else pl.Float64,
        )
    _check_ymd(rows, dates, source)
    meta = {
        "layout": "PortWatch Daily_Chokepoints_Data ArcGIS query JSON",
        "objectIdFieldName": doc.get("objectIdFieldName"),
        "exceededTransferLimit": bool(doc.get("exceededTransferLimit", False)),
        "fields": [f.get("name") for f in doc.get("fields", []) if isinstance(f, dict)],
        "date_encoding": encodings.pop()
        if len(encodings) == 1
        else ("none" if not encodings else "mixed"),
    }
    return pl.DataFrame(columns), meta


def read_portwatch_arcgis_json(path: Path):
    """Read a saved ArcGIS query response from disk; see :func:`parse_portwatch_arcgis_json`."""
    return _read_file(parse_portwatch_arcgis_json, path)


def _arcgis_date(value, source: str, i: int) -> tuple[dt.date, str]:
    if isinstance(value, int) and not isinstance(value, bool):
        stamp = dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
        # A daily series stamped off midnight UTC means a time-zone shift somewhere
        # upstream; taking .date() would silently move rows to the wrong day.
        if stamp.time() != dt.time(0):
            raise SourceError(
                f"{source}: field 'date' at feature {i} is {value} ms = {stamp.isoformat()}, not 00:00 UTC"
            )
        return stamp.date(), "epoch_ms"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()), "string"
        except ValueError:
            pass
    raise SourceError(
        f"{source}: field 'date' at feature {i} is {value!r}, neither epoch ms nor YYYY-MM-DD"
    )


def _check_ymd(rows: list[dict], dates: list[dt.date], source: str) -> None:
    """The service repeats the day as year/month/day; a disagreement means the date was misread."""
    keys = ("year", "month", "day")
    bad = [
        i
        for i, (r, d) in enumerate(zip(rows, dates))
        if all(r.get(k) is not None for k in keys)
        and tuple(r[k] for k in keys) != (d.year, d.month, d.day)
    ]
    if bad:
        raise SourceError(f"{source}: 'date' disagrees with year/month/day at features {bad[:5]}")


def _no_blanks(raw, columns: list[str], source: str) -> None:
    # Neither CSV layout has a missing-value marker: an empty cell is a defect.
    import polars as pl

    for col in columns:
        s = pl.col(col).str.strip_chars()
        bad = raw.with_row_index("_row").filter(s.is_null() | (s == ""))
        if bad.height:
            raise SourceError(
                f"{source}: column '{col}' is empty at data rows {bad['_row'].to_list()[:5]}"
            )


PORTWATCH_URL_ENV = "OILSHOCK_PORTWATCH_URL"
# Rows per request; ArcGIS caps it at the layer's maxRecordCount and then sets exceededTransferLimit.
PORTWATCH_PAGE_SIZE = 2000


def get_portwatch_chokepoints(
    portids: list[str] | None = None,
    *,
    start: str | None = None,
    page_size: int = PORTWATCH_PAGE_SIZE,
    config=None,
    client=None,
):
    """Fetch ``Daily_Chokepoints_Data`` from the ArcGIS REST ``query`` endpoint, every page.

    Pages are requested with ``resultOffset`` (ordered by date, then portid,
    so paging is stable) until the response's ``exceededTransferLimit`` is
    false. Each page is parsed with :func:`parse_portwatch_arcgis_json`.

    Parameters
    ----------
    portids : list of str, optional
        Only these ``portid`` values (``chokepoint6`` …); default all.
    start : str, optional
        First day, ``YYYY-MM-DD``.
    page_size : int
        ``resultRecordCount`` asked for.
    config : oilshock.sources.http.HttpConfig, optional
    client : httpx.Client, optional

    Returns
    -------
    frame : polars.DataFrame
        All pages, in the parser's layout.
    meta : dict
        ``pages``, ``fields``, ``date_encoding`` and ``raw`` (one ``{"url", "sha256"}`` per page).

    Raises
    ------
    SourceError
        An HTTP failure, a page the parser refuses, a page with no features
        while the service says more exist, or no features at all.
    """
    import hashlib

    import polars as pl

    from oilshock.sources.http import HttpConfig, base_url, fetch

    config = config or HttpConfig.from_env()
    clauses = []
    if portids:
        for p in portids:
            if not re.fullmatch(r"[A-Za-z0-9_]+", p):
                raise SourceError(f"PortWatch: portid {p!r} is not a plain identifier")
        clauses.append("portid IN (" + ", ".join(f"'{p}'" for p in portids) + ")")
    if start:
        clauses.append(f"date >= DATE '{dt.date.fromisoformat(start).isoformat()}'")
    url = base_url(PORTWATCH_URL_ENV, QUERY_URL)
    frames, raw, fields, encodings = [], [], None, set()
    offset = 0
    while True:
        if len(frames) >= config.max_pages:
            raise SourceError(
                f"PortWatch Daily_Chokepoints_Data: {offset} features after {len(frames)} pages and the service "
                "still reports exceededTransferLimit; more pages than "
                f"OILSHOCK_HTTP_MAX_PAGES={config.max_pages} allows"
            )
        params = [
            ("where", " AND ".join(clauses) or "1=1"),
            ("outFields", "*"),
            ("orderByFields", "date ASC, portid ASC"),
            ("returnGeometry", "false"),
            ("resultOffset", str(offset)),
            ("resultRecordCount", str(page_size)),
            ("f", "json"),
        ]
        body, shown = fetch(
            url, params, source="PortWatch Daily_Chokepoints_Data", config=config, client=client
        )
        frame, meta = parse_portwatch_arcgis_json(body, shown)
        frames.append(frame)
        raw.append({"url": shown, "sha256": hashlib.sha256(body).hexdigest()})
        fields = fields or meta["fields"]
        encodings.add(meta["date_encoding"])
        offset += frame.height
        if not meta["exceededTransferLimit"]:
            break
        if frame.height == 0:
            raise SourceError(
                f"{shown}: no features although exceededTransferLimit is true; the response is incomplete"
            )
    out = pl.concat(frames, how="diagonal")
    if out.height == 0:
        raise SourceError(
            f"PortWatch Daily_Chokepoints_Data: {strip_userinfo(url)} returned no features"
        )
    return out, {
        "pages": len(frames),
        "fields": fields,
        "date_encoding": sorted(encodings),
        "raw": raw,
    }
