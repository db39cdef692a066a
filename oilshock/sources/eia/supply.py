"""EIA supply and demand tables: history workbooks as CSV, world production, STEO history.

Layouts handled:

* *wide series tables*: a date column then one column per EIA series id, as
  EIA's "Download Series History" workbooks (``pet_cons_psup_dc_nus_mbblpd_m``,
  ``pet_stoc_wstk_dcu_nus_w``) and the Weekly Petroleum Status Report pivot
  are laid out. Monthly dates are ``YYYY-MM``; weekly dates are the
  week-ending Friday ``YYYY-MM-DD``. Blank cells are weeks or months a series
  does not cover.
* the world crude production table converted from the EIA API v1 series
  ``INTL.57-1-WORL-TBPD.M`` (``month,world_crude_incl_lease_condensate_kbd``).

STEO vintages are parsed by :mod:`oilshock.sources.eia.steo`; this module
only cuts their history and converts volumes to kb/d (:func:`steo_history_kbd`).
"""

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
)

# EIA series ids are upper-case mnemonics (WCSSTUS1, M_EPL2_VPP_NUS_MBBLD,
# WDIIM_R10-Z00_2); the WPSR pivot also carries a republisher's own camelCase
# measures (gasolineYieldUS), which are not EIA data and must not be read as such.
EIA_SERIES_ID = re.compile(r"^[A-Z0-9][A-Z0-9_\-]*$")
_DATE_FORMATS = {"monthly": "%Y-%m", "weekly": "%Y-%m-%d"}
STEO_UNITS = {"mbd": 1000.0}  # STEO unit → factor to kb/d


def parse_eia_wide_csv(
    data: bytes | str,
    source: str = "<bytes>",
    *,
    series: list[str],
    frequency: str,
    date_column: str = "date",
):
    """Parse a wide EIA series table (date column + one column per series id).

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.
    series : list of str
        EIA series ids to read; each must be an EIA-style id and present.
    frequency : {"monthly", "weekly"}
        ``monthly``: dates ``YYYY-MM`` (returned as the first of the month);
        ``weekly``: dates ``YYYY-MM-DD`` that must all be Fridays (EIA's
        week-ending day).
    date_column : str
        Header of the date column (``date``; the WPSR pivot uses ``period``).

    Returns
    -------
    frame : polars.DataFrame
        ``date`` [date] then one float column per series, in the series'
        own unit (kb, kb/d); null where the cell was blank. File order.
    meta : dict
        ``series``, ``frequency``, ``layout``.

    Raises
    ------
    SourceError
        A non-EIA id, a missing column, an unparsable date, a weekly date
        that is not a Friday, a non-numeric value.
    """
    import polars as pl

    if frequency not in _DATE_FORMATS:
        raise ValueError(f"frequency must be one of {list(_DATE_FORMATS)}")
    not_eia = [s for s in series if not EIA_SERIES_ID.match(s)]
    if not_eia:
        raise SourceError(
            f"{source}: {not_eia} are not EIA series ids; refusing to read them as EIA data"
        )
    raw = _read_csv_text(data, source)
    _require(raw, [date_column, *series], source)
    frame = raw.select(
        _strict_date(raw, date_column, source, fmt=_DATE_FORMATS[frequency]).alias("date"),
        *[_strict_float(raw, s, source).alias(s) for s in series],
    )
    if frequency == "weekly":
        not_friday = frame.with_row_index("_row").filter(pl.col("date").dt.weekday() != 5)
        if not_friday.height:
            raise SourceError(
                f"{source}: column '{date_column}' has dates that are not Fridays "
                f"{[str(d) for d in not_friday['date'].to_list()[:5]]} at data rows {not_friday['_row'].to_list()[:5]}"
            )
    return frame, {
        "series": list(series),
        "frequency": frequency,
        "layout": "eia wide series table",
    }


def read_eia_wide_csv(path: Path, *, series: list[str], frequency: str, date_column: str = "date"):
    """Read a wide EIA series table from disk; see :func:`parse_eia_wide_csv`."""
    return _read_file(
        parse_eia_wide_csv, path, series=series, frequency=frequency, date_column=date_column
    )


def parse_world_production_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse the CSV conversion of EIA ``INTL.57-1-WORL-TBPD.M``.

    Parameters
    ----------
    data : bytes or str
        File content, header ``month,world_crude_incl_lease_condensate_kbd``.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``date`` [date, first of month], ``value_kbd`` [kb/d]: world crude
        oil including lease condensate production. File order.
    meta : dict
        ``series_id``: ``INTL.57-1-WORL-TBPD.M``.
    """
    raw = _read_csv_text(data, source)
    _require(raw, ["month", "world_crude_incl_lease_condensate_kbd"], source)
    frame = raw.select(
        _strict_date(raw, "month", source, fmt="%Y-%m").alias("date"),
        _strict_float(raw, "world_crude_incl_lease_condensate_kbd", source).alias("value_kbd"),
    )
    return frame, {"series_id": "INTL.57-1-WORL-TBPD.M", "layout": "eia intl production csv"}


def read_world_production_csv(path: Path):
    """Read the world crude production CSV from disk; see :func:`parse_world_production_csv`."""
    return _read_file(parse_world_production_csv, path)


def steo_history_kbd(frame, source: str = "<steo>"):
    """Latest-vintage history of each STEO series, converted to kb/d.

    A month counts as history in a vintage when it is strictly before the
    vintage's release month (the release month itself and later are EIA
    estimates or forecasts) and the vintage has a value for it (later
    vintages start later, so a blank means "not covered", not "missing");
    for each month the latest such vintage wins.

    Parameters
    ----------
    frame : polars.DataFrame
        Output of :func:`oilshock.sources.eia.steo.parse_steo_vintages_csv`
        (``series_id``, ``vintage``, ``uom``, ``date``, ``value``).
    source : str
        Name used in error messages.

    Returns
    -------
    polars.DataFrame
        ``series_id``, ``date``, ``vintage`` (the one used) and ``value_kbd``
        [kb/d] = published value × factor of its unit (``mbd`` × 1000).

    Raises
    ------
    SourceError
        A unit with no known conversion to kb/d.
    """
    import polars as pl

    units = sorted(set(frame["uom"].unique().to_list()) - set(STEO_UNITS))
    if units:
        raise SourceError(f"{source}: STEO unit(s) {units} have no conversion to kb/d")
    hist = frame.filter((pl.col("date") < pl.col("vintage")) & pl.col("value").is_not_null())
    latest = hist.group_by("series_id", "date").agg(pl.col("vintage").max())
    return (
        hist.join(latest, on=["series_id", "date", "vintage"], how="inner")
        .with_columns(
            (
                pl.col("value") * pl.col("uom").replace_strict(STEO_UNITS, return_dtype=pl.Float64)
            ).alias("value_kbd")
        )
        .select("series_id", "date", "vintage", "value_kbd")
        .sort("series_id", "date")
    )
