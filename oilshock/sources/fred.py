"""FRED and FRED-MD (Federal Reserve Bank of St. Louis) CSV layouts.

Two formats:

* the single-series graph download
  ``https://fred.stlouisfed.org/graph/fredgraph.csv?id=<SERIES>``: a date
  column then one value column named by the series id. The date header is
  ``observation_date`` in the current format and ``DATE`` in the older one;
  re-saved copies often read ``date,value``. FRED marks a missing
  observation with ``.``; an empty cell is read as missing too, because
  that is how current graph downloads leave a gap.
* the FRED-MD monthly database (McCracken & Ng): ``sasdate`` in M/D/YYYY,
  one column per series, and a second row ``Transform:`` that holds each
  series' transformation code rather than data. Blank cells are months a
  series does not cover.
"""

from __future__ import annotations

from pathlib import Path

from oilshock.errors import SourceError
from oilshock.sources._parse import (
    _read_csv_text,
    _read_file,
    _require,
    _strict_date,
    _strict_float,
)

FRED_MISSING = (".", "")
FRED_DATE_HEADERS = ("observation_date", "DATE", "date")


def parse_fred_csv(data: bytes | str, source: str = "<bytes>", series_id: str | None = None):
    """Parse a single-series FRED CSV (graph download or a saved copy).

    Parameters
    ----------
    data : bytes or str
        File content: ``observation_date,<ID>``, ``DATE,<ID>`` or ``date,value``.
    source : str
        Name used in error messages.
    series_id : str, optional
        The series expected. When the file names its series (the current and
        older download formats do), a different name is an error; a
        ``date,value`` copy does not, and takes this id.

    Returns
    -------
    frame : polars.DataFrame
        ``date`` [date] and ``value`` [the series' own unit; null where FRED
        marks the observation missing], in file order.
    meta : dict
        ``series_id`` (from the header, else the argument, else None) and
        ``date_header`` (which of the layouts it was).

    Raises
    ------
    SourceError
        Not two columns, an unknown date header, another series than
        ``series_id``, a date that is not YYYY-MM-DD or a value that is
        neither a number nor a missing marker.
    """
    raw = _read_csv_text(data, source)
    if raw.width != 2 or raw.columns[0] not in FRED_DATE_HEADERS:
        raise SourceError(
            f"{source}: expected a FRED CSV with header '<date>,<series>' where <date> is one of "
            f"{list(FRED_DATE_HEADERS)}; found {raw.columns}"
        )
    date_col, value_col = raw.columns
    named = value_col if value_col != "value" else None
    if named is not None and series_id is not None and named != series_id:
        raise SourceError(f"{source}: holds series '{named}', expected '{series_id}'")
    frame = raw.select(
        _strict_date(raw, date_col, source).alias("date"),
        _strict_float(raw, value_col, source, missing=FRED_MISSING).alias("value"),
    )
    return frame, {"series_id": named or series_id, "date_header": date_col, "layout": "fred csv"}


def read_fred_csv(path: Path, series_id: str | None = None):
    """Read a single-series FRED CSV from disk; see :func:`parse_fred_csv`."""
    return _read_file(parse_fred_csv, path, series_id=series_id)


def parse_fred_md_csv(data: bytes | str, source: str = "<bytes>", columns: list[str] | None = None):
    """Parse a FRED-MD monthly database CSV.

    The row whose date cell is ``Transform:`` is skipped by design: it holds
    the transformation code of each series (1 = level … 7 = change of
    growth rate), not an observation; the codes are returned in ``meta``.

    Parameters
    ----------
    data : bytes or str
        File content (header ``sasdate,...``).
    source : str
        Name used in error messages.
    columns : list of str, optional
        Series to return (default: all). Each must exist.

    Returns
    -------
    frame : polars.DataFrame
        ``date`` [date, first of month] then one float column per series, in
        the series' own units; blank cells are null.
    meta : dict
        ``transform``: series → transformation code (str), ``layout``.

    Raises
    ------
    SourceError
        No ``Transform:`` row, a date that is not M/D/YYYY, a non-numeric value.
    """
    import polars as pl

    raw = _read_csv_text(data, source)
    _require(raw, ["sasdate"], source)
    series = [c for c in raw.columns if c != "sasdate"]
    if columns is not None:
        _require(raw, list(columns), source)
        series = list(columns)
    is_transform = pl.col("sasdate").str.strip_chars() == "Transform:"
    transform_rows = raw.filter(is_transform)
    if transform_rows.height != 1:
        raise SourceError(
            f"{source}: expected exactly one 'Transform:' row, found {transform_rows.height}"
        )
    transform = {c: transform_rows[c][0] for c in series}
    body = raw.filter(~is_transform)
    frame = body.select(
        _strict_date(body, "sasdate", source, fmt="%m/%d/%Y").alias("date"),
        *[_strict_float(body, c, source).alias(c) for c in series],
    )
    return frame, {"transform": transform, "layout": "fred-md"}


def read_fred_md_csv(path: Path, columns: list[str] | None = None):
    """Read a FRED-MD CSV from disk; see :func:`parse_fred_md_csv`."""
    return _read_file(parse_fred_md_csv, path, columns=columns)


FRED_URL_ENV = "OILSHOCK_FRED_URL"
FRED_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"


def get_fred_csv(series_id: str, *, start: str | None = None, config=None, client=None):
    """Fetch one series as a FRED graph CSV and parse it with :func:`parse_fred_csv`.

    Parameters
    ----------
    series_id : str
        FRED series id, e.g. ``"CPIAUCSL"``.
    start : str, optional
        First observation date (``YYYY-MM-DD``; FRED's ``cosd``).
    config : oilshock.sources.http.HttpConfig, optional
    client : httpx.Client, optional

    Returns
    -------
    frame, meta
        As :func:`parse_fred_csv`, plus ``meta["raw"]``: ``[{"url", "sha256"}]``.

    Raises
    ------
    SourceError
        An HTTP failure, a body that is not the FRED CSV of ``series_id``, or no rows.
    """
    import hashlib

    from oilshock.sources.http import base_url, fetch

    params = [("id", series_id)] + ([("cosd", start)] if start else [])
    body, shown = fetch(
        base_url(FRED_URL_ENV, FRED_URL),
        params,
        source=f"FRED ({series_id})",
        config=config,
        client=client,
    )
    if not body.strip():
        raise SourceError(f"FRED ({series_id}): {shown} returned an empty body")
    frame, meta = parse_fred_csv(body, shown, series_id=series_id)
    if frame.height == 0:
        raise SourceError(f"FRED ({series_id}): {shown} returned no observations")
    meta["raw"] = [{"url": shown, "sha256": hashlib.sha256(body).hexdigest()}]
    return frame, meta
