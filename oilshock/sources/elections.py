"""US House election tables: party divisions per Congress and a midterm teaching dataset.

* ``house_party_divisions``: the House Office of the Historian's "Party
  Divisions of the House of Representatives" as converted from OpenIntro's
  ``house.rda`` (one row per Congress, seats at its start);
* ``midterms`` of the GOVT6139 course repository: president's party, Gallup
  approval and real disposable income change at each midterm, 1946–2018.
  Its ``seat.change`` column disagrees with the Historian in several years,
  so callers should take seat changes from the Historian table instead.
"""

from __future__ import annotations

from pathlib import Path

from oilshock.sources._parse import (
    _read_csv_text,
    _read_file,
    _require,
    _strict_float,
    _strict_int,
    _strict_text,
)

HOUSE_DIVISION_COLUMNS = [
    "congress",
    "year_start",
    "year_end",
    "seats",
    "p1",
    "np1",
    "p2",
    "np2",
    "other",
    "vac",
    "del",
    "res",
]
GOVT6139_COLUMNS = ["year", "president", "party", "approval", "seat.change", "rdi.change"]


def parse_house_party_divisions_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse the House Historian party-division table (OpenIntro ``house`` layout).

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``congress``, ``year_start``, ``year_end``, ``seats`` [int],
        ``p1``/``p2`` (party names; ``"Democrats"``/``"Republicans"`` since
        the 35th Congress) with their seats ``np1``/``np2`` [int], and
        ``other``, ``vac`` (vacancies), ``del`` (delegates), ``res``
        (resident commissioner) [int], in file order.
    meta : dict
        ``{"layout": "openintro house"}``.

    Raises
    ------
    SourceError
        A column is missing, or a count is not a whole number.
    """
    raw = _read_csv_text(data, source)
    _require(raw, HOUSE_DIVISION_COLUMNS, source)
    frame = raw.select(
        *(
            _strict_text(raw, c, source).alias(c)
            if c in ("p1", "p2")
            else _strict_int(raw, c, source).alias(c)
            for c in HOUSE_DIVISION_COLUMNS
        )
    )
    return frame, {"layout": "openintro house"}


def read_house_party_divisions_csv(path: Path):
    """Read the House party-division table from disk; see :func:`parse_house_party_divisions_csv`."""
    return _read_file(parse_house_party_divisions_csv, path)


def parse_govt6139_midterms_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse the GOVT6139 ``midterms.csv`` teaching table (``year,president,party,approval,seat.change,rdi.change``).

    Parameters
    ----------
    data : bytes or str
        File content; the real file starts with a UTF-8 byte-order mark, which
        the CSV reader drops.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``year`` [int], ``president`` (short names), ``party`` (``D``/``R``),
        ``approval`` [%], ``seat_change`` [House seats, int], ``rdi_change``
        [%], in file order; a blank cell (2018 ``seat.change``, 1946
        ``rdi.change``) is null.
    meta : dict
        ``{"layout": "govt6139 midterms"}``.
    """
    raw = _read_csv_text(data, source)
    _require(raw, GOVT6139_COLUMNS, source)
    frame = raw.select(
        _strict_int(raw, "year", source).alias("year"),
        _strict_text(raw, "president", source).alias("president"),
        _strict_text(raw, "party", source).alias("party"),
        _strict_float(raw, "approval", source).alias("approval"),
        _strict_int(raw, "seat.change", source).alias("seat_change"),
        _strict_float(raw, "rdi.change", source).alias("rdi_change"),
    )
    return frame, {"layout": "govt6139 midterms"}


def read_govt6139_midterms_csv(path: Path):
    """Read the GOVT6139 midterm table from disk; see :func:`parse_govt6139_midterms_csv`."""
    return _read_file(parse_govt6139_midterms_csv, path)
