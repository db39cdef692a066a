"""EIA price tables in the layouts the raw folder (and EIA's own downloads) use."""

from __future__ import annotations

import io
from pathlib import Path

from oilshock.errors import SourceError


def _read_csv_text(data: bytes | str, source: str):
    import polars as pl

    try:
        return pl.read_csv(io.BytesIO(data if isinstance(data, bytes) else data.encode()), infer_schema=False)
    except Exception as exc:  # polars raises several error types for malformed CSV
        raise SourceError(f"{source}: not a readable CSV ({exc})") from None


def _require(frame, columns: list[str], source: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SourceError(f"{source}: expected column(s) {missing}, found {frame.columns}")


def _strict_float(frame, column: str, source: str, missing: tuple[str, ...] = ("",)):
    """Parse ``column`` as float; the publisher's missing markers become null, anything else unparsable is an error."""
    import polars as pl

    s = pl.col(column).str.strip_chars()
    is_missing = s.is_null() | s.is_in(list(missing))
    parsed = pl.when(is_missing).then(None).otherwise(s).cast(pl.Float64, strict=False)
    bad = frame.with_row_index("_row").filter(~is_missing & parsed.is_null())
    if bad.height:
        rows = bad["_row"].to_list()[:5]
        vals = bad[column].to_list()[:5]
        raise SourceError(f"{source}: column '{column}' has non-numeric values {vals} at data rows {rows}")
    return parsed


def _strict_date(frame, column: str, source: str, fmt: str = "%Y-%m-%d"):
    import polars as pl

    parsed = pl.col(column).str.strip_chars().str.to_date(fmt, strict=False)
    bad = frame.with_row_index("_row").filter(parsed.is_null())
    if bad.height:
        raise SourceError(
            f"{source}: column '{column}' has values that are not dates ({fmt}): "
            f"{bad[column].to_list()[:5]} at data rows {bad['_row'].to_list()[:5]}"
        )
    return parsed


def parse_datahub_price_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse a datahub ``oil-prices`` CSV (``Date,Price``): EIA spot series re-published as CSV.

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        Columns ``date`` [date] and ``price`` [USD/bbl], in file order.
    meta : dict
        ``{"layout": "datahub oil-prices"}``.
    """
    import polars as pl

    raw = _read_csv_text(data, source)
    _require(raw, ["Date", "Price"], source)
    frame = raw.select(
        _strict_date(raw, "Date", source).alias("date"),
        _strict_float(raw, "Price", source).alias("price"),
    )
    return frame, {"layout": "datahub oil-prices"}


def read_datahub_price_csv(path: Path):
    """Read a datahub ``oil-prices`` CSV from disk; see :func:`parse_datahub_price_csv`."""
    path = Path(path)
    return parse_datahub_price_csv(path.read_bytes(), str(path))
