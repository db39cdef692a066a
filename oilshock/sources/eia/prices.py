"""EIA price tables in the layouts the raw folder (and EIA's own downloads) use."""

from __future__ import annotations

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


def _long_meta(frame, layout: str) -> dict:
    """The ``meta`` of a long (one row per series and period) table: its layout and the series found.

    Parameters
    ----------
    frame : polars.DataFrame
        Parsed table with a ``series_id`` column.
    layout : str
        Name of the file layout.

    Returns
    -------
    meta : dict
        ``layout`` and ``series_ids`` (in file order, each once).
    """
    return {
        "layout": layout,
        "series_ids": frame["series_id"].unique(maintain_order=True).to_list(),
    }


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
    raw = _read_csv_text(data, source)
    _require(raw, ["Date", "Price"], source)
    frame = raw.select(
        _strict_date(raw, "Date", source).alias("date"),
        _strict_float(raw, "Price", source).alias("price"),
    )
    return frame, {"layout": "datahub oil-prices"}


def read_datahub_price_csv(path: Path):
    """Read a datahub ``oil-prices`` CSV from disk; see :func:`parse_datahub_price_csv`."""
    return _read_file(parse_datahub_price_csv, path)


def parse_weekly_retail_gasoline_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse EIA weekly retail gasoline prices in long layout (``week_ending,series,dollars_per_gallon``).

    This is the layout of ``us_retail_gasoline_weekly/eia_weekly_retail_gasoline_us.csv``
    (EIA *Gasoline and Diesel Fuel Update*, one row per series and survey Monday).

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        Columns ``date`` [date, the EIA survey Monday], ``series_id`` (EIA
        source key) and ``usd_per_gal`` [USD/gal, retail incl. taxes], in file
        order. A blank price cell is EIA's "no survey that week" and becomes null.
    meta : dict
        ``layout`` and the ``series_ids`` found, in order of appearance.
    """
    raw = _read_csv_text(data, source)
    _require(raw, ["week_ending", "series", "dollars_per_gallon"], source)
    frame = raw.select(
        _strict_date(raw, "week_ending", source).alias("date"),
        _strict_text(raw, "series", source).alias("series_id"),
        _strict_float(raw, "dollars_per_gallon", source).alias("usd_per_gal"),
    )
    return frame, _long_meta(frame, "eia weekly retail long")


def read_weekly_retail_gasoline_csv(path: Path):
    """Read an EIA weekly retail gasoline CSV from disk; see :func:`parse_weekly_retail_gasoline_csv`."""
    return _read_file(parse_weekly_retail_gasoline_csv, path)


def parse_monthly_retail_long_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse EIA monthly retail prices by region, long layout (``date,file_region,sourcekey,dollars_per_gallon``).

    The layout of ``eia_retail_gasoline_regional_monthly/*_long.csv``: the EIA
    "Download Series History" workbooks ``pet_pri_gnd_dcus_*_m.xls`` stacked
    into one table, one row per series and month (a monthly average).

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        Columns ``date`` [date, first day of the month], ``file_region``,
        ``series_id`` (EIA source key) and ``usd_per_gal`` [USD/gal], in file order.
    meta : dict
        ``layout`` and the ``series_ids`` found.
    """
    raw = _read_csv_text(data, source)
    _require(raw, ["date", "file_region", "sourcekey", "dollars_per_gallon"], source)
    frame = raw.select(
        _strict_date(raw, "date", source, fmt="%Y-%m").alias("date"),
        _strict_text(raw, "file_region", source).alias("file_region"),
        _strict_text(raw, "sourcekey", source).alias("series_id"),
        _strict_float(raw, "dollars_per_gallon", source).alias("usd_per_gal"),
    )
    return frame, _long_meta(frame, "eia monthly retail long")


def read_monthly_retail_long_csv(path: Path):
    """Read an EIA monthly regional retail CSV from disk; see :func:`parse_monthly_retail_long_csv`."""
    return _read_file(parse_monthly_retail_long_csv, path)


def parse_series_catalog_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse a series catalog (``file_region,eia_file,release_date,sourcekey,series_name``).

    Returns
    -------
    frame : polars.DataFrame
        Columns ``file_region``, ``eia_file``, ``release_date`` [date, EIA
        release of the workbook], ``series_id`` and ``series_name`` (EIA's
        full name, which ends with the unit, e.g. "(Dollars per Gallon)").
    meta : dict
        ``{"layout": "series catalog"}``.
    """
    raw = _read_csv_text(data, source)
    _require(raw, ["file_region", "eia_file", "release_date", "sourcekey", "series_name"], source)
    frame = raw.select(
        _strict_text(raw, "file_region", source).alias("file_region"),
        _strict_text(raw, "eia_file", source).alias("eia_file"),
        _strict_date(raw, "release_date", source, fmt="%m/%d/%Y").alias("release_date"),
        _strict_text(raw, "sourcekey", source).alias("series_id"),
        _strict_text(raw, "series_name", source).alias("series_name"),
    )
    return frame, {"layout": "series catalog"}


def read_series_catalog_csv(path: Path):
    """Read a series catalog CSV from disk; see :func:`parse_series_catalog_csv`."""
    return _read_file(parse_series_catalog_csv, path)


def parse_wide_daily_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse an EIA daily workbook sheet converted to CSV: ``date`` then one column per EIA series.

    The layout of ``eia_spot_prices_petroleum_daily/*.csv`` (``pet_pri_spt_s1_d.xls``)
    and ``eia_futures_prices_daily/*.csv`` (``pet_pri_fut_s1_d.xls``). EIA
    leaves a cell blank when a series has no quote that day; blanks become null.

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``date`` [date, trading day] and one float column per series, named
        by its EIA source key, in the series' own unit (``_DPG`` keys are
        USD/gal, crude keys such as ``RWTC`` are USD/bbl).
    meta : dict
        ``layout`` and ``series_ids`` (the column names after ``date``).
    """
    raw = _read_csv_text(data, source)
    _require(raw, ["date"], source)
    series = [c for c in raw.columns if c != "date"]
    if not series:
        raise SourceError(f"{source}: no series columns after 'date'")
    frame = raw.select(
        _strict_date(raw, "date", source).alias("date"),
        *[_strict_float(raw, c, source).alias(c) for c in series],
    )
    return frame, {"layout": "eia wide daily", "series_ids": series}


def read_wide_daily_csv(path: Path):
    """Read an EIA wide daily CSV from disk; see :func:`parse_wide_daily_csv`."""
    return _read_file(parse_wide_daily_csv, path)
