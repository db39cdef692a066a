"""Strict parsing helpers shared by every reader in :mod:`oilshock.sources`.

Each takes the raw string column of a frame read with ``infer_schema=False``
and returns a polars expression, raising :class:`~oilshock.errors.SourceError`
naming the source, the column and the first offending data rows when a value
does not parse. Only the publisher's own missing markers become null.
"""

from __future__ import annotations

import io
import json
import re

from oilshock.errors import SourceError

# The publishers' JSON is a few levels deep (EIA: 4, ArcGIS: 4); far deeper is hostile, and
# json.loads would recurse into it until RecursionError.
MAX_JSON_DEPTH = 64
# A JSON string (skipped whole: brackets inside it do not nest) or one bracket.
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text ``data`` nests arrays and objects more than ``limit`` deep.

    Counted by a scan over the text before any parsing, so a hostile body cannot make the
    parser recurse.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    for m in _JSON_TOKENS.finditer(data):
        c = m.group()[0]
        if c in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif c in b"]}":
            depth -= 1
    return False


def _load_json(data: bytes | str, source: str, what: str = "not valid JSON"):
    """``json.loads(data)``, its nesting checked first; any failure a one-line :class:`SourceError`."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if json_too_deep(raw):
        raise SourceError(
            f"{source}: JSON nested more than {MAX_JSON_DEPTH} levels deep; refused before parsing"
        )
    try:
        return json.loads(raw)
    except (ValueError, TypeError, RecursionError) as exc:
        raise SourceError(f"{source}: {what} ({exc})") from None


def _read_file(parse, path, **kwargs):
    """Read a file from disk and hand it to ``parse`` with the path as its name: every ``read_*`` reader."""
    from pathlib import Path

    path = Path(path)
    return parse(path.read_bytes(), str(path), **kwargs)


def _read_csv_text(data: bytes | str, source: str):
    import polars as pl

    try:
        return pl.read_csv(
            io.BytesIO(data if isinstance(data, bytes) else data.encode()), infer_schema=False
        )
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
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
        raise SourceError(
            f"{source}: column '{column}' has non-numeric values {vals} at data rows {rows}"
        )
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


def _strict_text(frame, column: str, source: str, missing: tuple[str, ...] = ()):
    """Trimmed text; an empty cell is an error unless ``""`` is one of the publisher's ``missing`` markers."""
    import polars as pl

    s = pl.col(column).str.strip_chars()
    is_missing = s.is_null() | s.is_in(list(missing)) | (s == "")
    if "" not in missing:
        bad = frame.with_row_index("_row").filter(is_missing)
        if bad.height:
            raise SourceError(
                f"{source}: column '{column}' is empty at data rows {bad['_row'].to_list()[:5]}"
            )
    return pl.when(is_missing).then(None).otherwise(s)


def _strict_int(frame, column: str, source: str, missing: tuple[str, ...] = ("",)):
    """Parse ``column`` as a whole number; a fractional value is an error, never truncated."""
    import polars as pl

    parsed = _strict_float(frame, column, source, missing)
    bad = frame.with_row_index("_row").filter(parsed.is_not_null() & (parsed.round(0) != parsed))
    if bad.height:
        raise SourceError(
            f"{source}: column '{column}' has non-integer values {bad[column].to_list()[:5]} "
            f"at data rows {bad['_row'].to_list()[:5]}"
        )
    return parsed.cast(pl.Int64)
