"""EIA *World Oil Transit Chokepoints* Table 1, in the transcribed wide-by-year CSV layout.

The table ("Volume of crude oil and petroleum liquids transported through
world chokepoints and the Cape of Good Hope") is published only as an HTML
table; the raw folder holds a hand transcription with one row per location,
one column per year and a ``note`` column carrying the table's footnotes.
Values are already in million barrels per day [mb/d]; nothing is converted.
"""

from __future__ import annotations

import re
from pathlib import Path

from oilshock.errors import SourceError
from oilshock.sources._parse import _read_csv_text, _read_file, _require, _strict_float

# Rows of the table that are world aggregates rather than places; the recipe
# turns them into denominators instead of treating them as chokepoints.
TOTAL_ROWS = {
    "World maritime oil trade": "world_maritime_trade",
    "World total oil supply": "world_supply",
}


def parse_eia_chokepoint_table_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse the transcribed EIA chokepoint table (``location,<year>...,note``) into long form.

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``location`` (EIA's row label, verbatim), ``year`` [Int64],
        ``flow_mbd`` [mb/d] and ``note`` (footnote, null when none); one row
        per location and year, locations in table order, years ascending.
    meta : dict
        ``layout``, ``unit`` and ``years``.
    """
    import polars as pl

    raw = _read_csv_text(data, source)
    _require(raw, ["location", "note"], source)
    years = [c for c in raw.columns if re.fullmatch(r"\d{4}", c)]
    other = [c for c in raw.columns if c not in years and c not in ("location", "note")]
    if other or not years:
        raise SourceError(
            f"{source}: expected location, four-digit year columns and note; found {raw.columns}"
        )
    loc = pl.col("location").str.strip_chars()
    blank = raw.with_row_index("_row").filter(loc.is_null() | (loc == ""))
    if blank.height:
        raise SourceError(
            f"{source}: column 'location' is empty at data rows {blank['_row'].to_list()[:5]}"
        )
    dup = raw.select(loc).filter(loc.is_duplicated())
    if dup.height:
        raise SourceError(
            f"{source}: location(s) {sorted(set(dup['location']))} appear more than once"
        )
    wide = raw.select(
        loc.alias("location"),
        *[_strict_float(raw, y, source).alias(y) for y in sorted(years)],
        pl.col("note").str.strip_chars().replace("", None).alias("note"),
    )
    frame = (
        wide.with_row_index("_order")
        .unpivot(
            index=["_order", "location", "note"],
            on=sorted(years),
            variable_name="year",
            value_name="flow_mbd",
        )
        .with_columns(pl.col("year").cast(pl.Int64))
        .sort("_order", "year")
        .select("location", "year", "flow_mbd", "note")
    )
    meta = {
        "layout": "EIA World Oil Transit Chokepoints Table 1 (transcribed)",
        "unit": "mb/d",
        "years": [int(y) for y in sorted(years)],
    }
    return frame, meta


def read_eia_chokepoint_table_csv(path: Path):
    """Read the transcribed EIA chokepoint table from disk; see :func:`parse_eia_chokepoint_table_csv`."""
    return _read_file(parse_eia_chokepoint_table_csv, path)
