"""Research replication data: monthly tables dated ``YYYYMmm`` (Känzig and the SVAR literature).

All of these are sheets of Excel workbooks from replication packages, saved
as CSV with their own headers:

* Känzig (2021) ``rawDataM`` (``Date,WTISPLC,EIA1955,...``, 1973M12–2017M12);
* Känzig's appendix ``shockseries`` sheet ``M`` (``Date,Hamilton,...,BHsupply,
  KilianAERSupply,...``), with each series blank outside its own sample;
* Känzig's ``oilSupplyNewsShocks`` sheet ``Monthly``
  (``Date,Oil supply surprise series,Oil supply news shock``).

A blank cell is a month the authors give no value for; anything else that
is not a number is an error.
"""

from __future__ import annotations

from pathlib import Path

from oilshock.sources._parse import (
    _read_csv_text,
    _read_file,
    _require,
    _strict_date,
    _strict_float,
)

MONTH_FORMAT = "%YM%m"  # 1975M01


def parse_research_monthly_csv(
    data: bytes | str, source: str = "<bytes>", columns: list[str] | None = None
):
    """Parse a replication-package monthly table with a ``Date`` column like ``1975M01``.

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.
    columns : list of str, optional
        Columns to return (default: all but ``Date``); each must exist.

    Returns
    -------
    frame : polars.DataFrame
        ``date`` [date, first of month] then one float column per series, in
        the units the authors use; blank cells are null. File order.
    meta : dict
        ``columns`` returned, ``layout``.

    Raises
    ------
    SourceError
        No ``Date`` column, a date not in ``YYYYMmm`` form, a non-numeric value.
    """
    raw = _read_csv_text(data, source)
    _require(raw, ["Date"], source)
    cols = [c for c in raw.columns if c != "Date"] if columns is None else list(columns)
    _require(raw, cols, source)
    frame = raw.select(
        _strict_date(raw, "Date", source, fmt=MONTH_FORMAT).alias("date"),
        *[_strict_float(raw, c, source).alias(c) for c in cols],
    )
    return frame, {"columns": cols, "layout": "replication monthly YYYYMmm"}


def read_research_monthly_csv(path: Path, columns: list[str] | None = None):
    """Read a replication-package monthly table from disk; see :func:`parse_research_monthly_csv`."""
    return _read_file(parse_research_monthly_csv, path, columns=columns)
