"""EIA Short-Term Energy Outlook (STEO) vintages in the wide layout of ``eia_steo_vintages/``."""

from __future__ import annotations

import re
from pathlib import Path

from oilshock.errors import SourceError
from oilshock.sources._parse import (
    _read_csv_text,
    _read_file,
    _require,
    _strict_date,
    _strict_float,
    _strict_text,
)

_MONTH = re.compile(r"^\d{4}-\d{2}$")


def parse_steo_vintages_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse STEO vintages, wide by month (``id,name,release_date,uom,2021-01,...``).

    One row per STEO mnemonic and vintage (``release_date``, the month the
    STEO was published), one column per calendar month. The file does not
    say which months are history and which are forecasts: for a given
    vintage, months before ``release_date`` are history or estimates and
    months from ``release_date`` on are forecasts. Callers must make that cut.

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        Long: ``series_id`` (STEO mnemonic), ``name``, ``vintage`` [date,
        first day of the release month], ``uom`` (STEO unit code, e.g.
        ``usd/gal``), ``date`` [date, first day of the month the value is
        for] and ``value`` [uom]. A blank cell (a month outside the vintage's
        window) is null.
    meta : dict
        ``layout``, ``vintages`` (sorted dates) and ``months`` (first, last).
    """
    import polars as pl

    raw = _read_csv_text(data, source)
    _require(raw, ["id", "name", "release_date", "uom"], source)
    months = [c for c in raw.columns if c not in ("id", "name", "release_date", "uom")]
    odd = [c for c in months if not _MONTH.match(c)]
    if odd or not months:
        raise SourceError(
            f"{source}: expected month columns named YYYY-MM after 'uom', found {odd or 'none'}"
        )
    wide = raw.select(
        _strict_text(raw, "id", source).alias("series_id"),
        pl.col("name"),
        _strict_date(raw, "release_date", source, fmt="%Y-%m").alias("vintage"),
        _strict_text(raw, "uom", source).alias("uom"),
        *[_strict_float(raw, m, source).alias(m) for m in months],
    )
    dup = wide.filter(pl.struct("series_id", "vintage").is_duplicated())
    if dup.height:
        raise SourceError(
            f"{source}: (id, release_date) repeated: {dup.select('series_id', 'vintage').rows()[:5]}"
        )
    frame = wide.unpivot(
        index=["series_id", "name", "vintage", "uom"], on=months, variable_name="month"
    ).select(
        "series_id",
        "name",
        "vintage",
        "uom",
        pl.col("month").str.to_date("%Y-%m").alias("date"),
        "value",
    )
    meta = {
        "layout": "steo vintages wide",
        "vintages": wide["vintage"].unique().sort().to_list(),
        "months": (months[0], months[-1]),
    }
    return frame, meta


def read_steo_vintages_csv(path: Path):
    """Read a STEO vintages CSV from disk; see :func:`parse_steo_vintages_csv`."""
    return _read_file(parse_steo_vintages_csv, path)


def select_steo_history(frame):
    """Keep, per STEO series and month, the latest vintage's value when that month is history in it.

    A month is history in a vintage only when it is strictly before the
    vintage's release month (the release month and later are forecasts)
    and the vintage has a value for it. Of the vintages that hold a month as
    history the latest wins, since EIA revises recent months between releases.

    Parameters
    ----------
    frame : polars.DataFrame
        Output of :func:`parse_steo_vintages_csv` (or a filtered part of it).

    Returns
    -------
    polars.DataFrame
        The same columns, one row per (``series_id``, ``date``), sorted by them;
        ``vintage`` is the vintage used. Forecast months never appear.
    """
    import polars as pl

    history = frame.filter((pl.col("date") < pl.col("vintage")) & pl.col("value").is_not_null())
    latest = history.sort("vintage").group_by("series_id", "date", maintain_order=True).last()
    return latest.sort("series_id", "date").select(frame.columns)
