"""US Bureau of Labor Statistics series tables.

The layout is the flattened BLS Public Data API v2 response: one row per
series and period, ``series_id,year,period,value,footnotes``. ``period`` is
``M01`` … ``M12`` for monthly data; BLS writes ``-`` for a value it did not
publish (October 2025, for instance: "Data unavailable due to the 2025
lapse in appropriations"), and that is the only value read as missing.
"""

from __future__ import annotations

from pathlib import Path

from oilshock.errors import SourceError
from oilshock.sources._parse import _read_csv_text, _read_file, _require, _strict_float

BLS_MISSING = ("-",)


def parse_bls_series_csv(
    data: bytes | str, source: str = "<bytes>", series_ids: list[str] | None = None
):
    """Parse a BLS series table (``series_id,year,period,value,footnotes``).

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.
    series_ids : list of str, optional
        Keep only these series; each must be present.

    Returns
    -------
    frame : polars.DataFrame
        ``series_id`` [str], ``date`` [date, first of the month], ``value``
        [the series' unit; null where BLS wrote ``-``], ``footnotes`` [str,
        null if none], sorted by series and date.
    meta : dict
        ``series_ids`` present, ``missing``: number of ``-`` values.

    Raises
    ------
    SourceError
        A period other than M01–M12 (annual averages ``M13`` and semi-annual
        ``S0x`` rows are a different frequency and are refused rather than
        dropped), a year that is not an integer, a non-numeric value.
    """
    import polars as pl

    raw = _read_csv_text(data, source)
    _require(raw, ["series_id", "year", "period", "value", "footnotes"], source)
    if series_ids is not None:
        absent = sorted(set(series_ids) - set(raw["series_id"].unique().to_list()))
        if absent:
            raise SourceError(f"{source}: series {absent} not in the file")
        raw = raw.filter(pl.col("series_id").is_in(list(series_ids)))
    period = pl.col("period").str.strip_chars()
    monthly = period.str.contains(r"^M(0[1-9]|1[0-2])$")
    bad = raw.with_row_index("_row").filter(~monthly.fill_null(False))
    if bad.height:
        raise SourceError(
            f"{source}: column 'period' has non-monthly periods {bad['period'].to_list()[:5]} "
            f"at data rows {bad['_row'].to_list()[:5]}"
        )
    year = pl.col("year").str.strip_chars().cast(pl.Int32, strict=False)
    bad = raw.with_row_index("_row").filter(year.is_null())
    if bad.height:
        raise SourceError(
            f"{source}: column 'year' has non-integer values {bad['year'].to_list()[:5]} "
            f"at data rows {bad['_row'].to_list()[:5]}"
        )
    value = _strict_float(raw, "value", source, missing=BLS_MISSING)
    frame = raw.select(
        pl.col("series_id").str.strip_chars(),
        pl.date(year, period.str.slice(1).cast(pl.Int32), 1).alias("date"),
        value.alias("value"),
        pl.when(pl.col("footnotes").str.strip_chars() == "")
        .then(None)
        .otherwise(pl.col("footnotes"))
        .alias("footnotes"),
    ).sort("series_id", "date")
    meta = {
        "series_ids": sorted(frame["series_id"].unique().to_list()),
        "missing": int(frame["value"].null_count()),
        "layout": "bls api v2 table",
    }
    return frame, meta


def read_bls_series_csv(path: Path, series_ids: list[str] | None = None):
    """Read a BLS series table from disk; see :func:`parse_bls_series_csv`."""
    return _read_file(parse_bls_series_csv, path, series_ids=series_ids)
