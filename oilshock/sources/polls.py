"""Opinion-poll tables: presidential job approval and the generic congressional ballot.

Three layouts, one reader each:

* the poll-by-poll approval compilation of L. Ruffino
  (``historical_approval_polls.csv``: every pollster, 1937–2025);
* the American Presidency Project's Gallup approval table as re-published in a
  course repository (``President,Date,Approve,Disapprove,Inaug,Days``; US
  ``M/D/YYYY`` dates, newest first);
* the ElectIndex poll lists (``pollster,end_date,<a>,<b>,n,rating,lean``), of
  which the approval list has ``approve,disapprove`` and the generic-ballot
  list ``dem,rep``.

Percentages stay in the publisher's units (percent of respondents). Rows
stay in file order; nothing is de-duplicated here (that is a recipe's
documented decision, not a parser's).
"""

from __future__ import annotations

from pathlib import Path

from oilshock.sources._parse import (
    _read_csv_text,
    _read_file,
    _require,
    _strict_date,
    _strict_float,
    _strict_int,
    _strict_text,
)

RUFFINO_COLUMNS = [
    "president_number",
    "president",
    "term_number",
    "term_start",
    "term_end",
    "poll_start",
    "poll_end",
    "polling_institute",
    "approval",
    "disapproval",
    "no_opinion",
    "sample_size",
]
APP_GALLUP_COLUMNS = ["President", "Date", "Approve", "Disapprove", "Inaug", "Days"]
ELECTINDEX_APPROVAL = ["pollster", "end_date", "approve", "disapprove", "n", "rating", "lean"]
ELECTINDEX_GENERIC_BALLOT = ["pollster", "end_date", "dem", "rep", "n", "rating", "lean"]


def parse_ruffino_approval_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse L. Ruffino's poll-by-poll presidential approval compilation.

    Parameters
    ----------
    data : bytes or str
        File content (``historical_approval_polls.csv``).
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        The source's columns in file order: ``president``, ``term_number``
        [int], ``term_start``, ``term_end``, ``poll_start``, ``poll_end``
        [date], ``polling_institute`` (null where the cell is blank),
        ``approval``, ``disapproval``, ``no_opinion`` [%], ``sample_size``
        [respondents]; ``no_opinion`` and ``sample_size`` are null where the
        compiler wrote ``NA``. ``president_number`` is dropped: it is wrong
        for Trump's first term (46, not 45) and the name identifies the
        president.
    meta : dict
        ``{"layout": "ruffino historical_approval_polls"}``.

    Raises
    ------
    SourceError
        A column is missing, or a value does not parse.
    """
    raw = _read_csv_text(data, source)
    _require(raw, RUFFINO_COLUMNS, source)
    frame = raw.select(
        _strict_text(raw, "president", source).alias("president"),
        _strict_int(raw, "term_number", source).alias("term_number"),
        *(
            _strict_date(raw, c, source).alias(c)
            for c in ("term_start", "term_end", "poll_start", "poll_end")
        ),
        _strict_text(raw, "polling_institute", source, missing=("",)).alias("polling_institute"),
        _strict_float(raw, "approval", source).alias("approval"),
        _strict_float(raw, "disapproval", source).alias("disapproval"),
        _strict_float(raw, "no_opinion", source, missing=("NA",)).alias("no_opinion"),
        _strict_float(raw, "sample_size", source, missing=("NA",)).alias("sample_size"),
    )
    return frame, {"layout": "ruffino historical_approval_polls"}


def read_ruffino_approval_csv(path: Path):
    """Read the Ruffino approval compilation from disk; see :func:`parse_ruffino_approval_csv`."""
    return _read_file(parse_ruffino_approval_csv, path)


def parse_app_gallup_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse the American Presidency Project Gallup approval table (``President,Date,...``).

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``president`` (the table's short names, e.g. ``"Bush 2"``), ``date``
        [date, poll end], ``approve``, ``disapprove`` [%], ``inauguration``
        [date], ``days`` [days since inauguration], in file order (newest first).
    meta : dict
        ``{"layout": "app gallup approval"}``.
    """
    raw = _read_csv_text(data, source)
    _require(raw, APP_GALLUP_COLUMNS, source)
    frame = raw.select(
        _strict_text(raw, "President", source).alias("president"),
        _strict_date(raw, "Date", source, "%m/%d/%Y").alias("date"),
        _strict_float(raw, "Approve", source).alias("approve"),
        _strict_float(raw, "Disapprove", source).alias("disapprove"),
        _strict_date(raw, "Inaug", source, "%m/%d/%Y").alias("inauguration"),
        _strict_float(raw, "Days", source).alias("days"),
    )
    return frame, {"layout": "app gallup approval"}


def read_app_gallup_csv(path: Path):
    """Read the APP Gallup approval table from disk; see :func:`parse_app_gallup_csv`."""
    return _read_file(parse_app_gallup_csv, path)


def _parse_electindex(data: bytes | str, source: str, columns: list[str], layout: str):
    raw = _read_csv_text(data, source)
    _require(raw, columns, source)
    a, b = columns[2], columns[3]
    frame = raw.select(
        _strict_text(raw, "pollster", source).alias("pollster"),
        _strict_date(raw, "end_date", source).alias("end_date"),
        _strict_float(raw, a, source).alias(a),
        _strict_float(raw, b, source).alias(b),
        _strict_float(raw, "n", source).alias("n"),
        _strict_float(raw, "rating", source).alias("rating"),
        # Blank lean means a non-partisan sponsor, so it is a value, not an error.
        _strict_text(raw, "lean", source, missing=("",)).alias("lean"),
    )
    return frame, {"layout": layout, "missing_sample_size": 0.0, "banned_rating": 0.0}


def parse_electindex_approval_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse an ElectIndex presidential approval poll list (``approval_polls.csv``).

    Parameters
    ----------
    data : bytes or str
        File content.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``pollster``, ``end_date`` [date], ``approve``, ``disapprove`` [%],
        ``n`` [respondents; 0 = not reported], ``rating`` [ElectIndex
        pollster rating; 0 = banned pollster], ``lean`` (``"R"``/``"D"``
        for a partisan sponsor, else null), in file order.
    meta : dict
        ``layout`` and the publisher's sentinel values ``missing_sample_size``
        and ``banned_rating`` (kept as values in the frame, not nulled).
    """
    return _parse_electindex(data, source, ELECTINDEX_APPROVAL, "electindex approval_polls")


def read_electindex_approval_csv(path: Path):
    """Read an ElectIndex approval poll list from disk; see :func:`parse_electindex_approval_csv`."""
    return _read_file(parse_electindex_approval_csv, path)


def parse_electindex_generic_ballot_csv(data: bytes | str, source: str = "<bytes>"):
    """Parse an ElectIndex generic congressional ballot poll list (``gcb_polls.csv``).

    Same layout as :func:`parse_electindex_approval_csv` with ``dem`` and
    ``rep`` [% intending to vote for each party's House candidate] in place
    of ``approve`` and ``disapprove``.
    """
    return _parse_electindex(data, source, ELECTINDEX_GENERIC_BALLOT, "electindex gcb_polls")


def read_electindex_generic_ballot_csv(path: Path):
    """Read an ElectIndex generic-ballot poll list from disk; see :func:`parse_electindex_generic_ballot_csv`."""
    return _read_file(parse_electindex_generic_ballot_csv, path)
