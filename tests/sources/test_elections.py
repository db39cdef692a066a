"""Readers of House election tables: House Historian party divisions, GOVT6139 midterms."""

from __future__ import annotations

import pytest

from oilshock.errors import SourceError
from oilshock.sources.elections import (
    parse_govt6139_midterms_csv,
    parse_house_party_divisions_csv,
    read_govt6139_midterms_csv,
    read_house_party_divisions_csv,
)


@pytest.fixture
def midterms_dir(fixtures_dir):
    return fixtures_dir / "us_midterms"


def test_house_divisions_parse_as_integers(midterms_dir):
    frame, meta = read_house_party_divisions_csv(midterms_dir / "house_party_divisions.csv")
    assert meta["layout"] == "openintro house"
    assert frame.height == 7
    row = frame.filter(frame["congress"] == 80).row(0, named=True)
    assert (row["year_start"], row["p1"], row["np1"], row["p2"], row["np2"]) == (
        1947,
        "Democrats",
        188,
        "Republicans",
        246,
    )
    assert frame.schema["np1"].is_integer()


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("34,1855,1857,234,Democrats,83", "34,1855,1857,234,Democrats,83.5", "np1"),
        ("34,1855,1857,234", "34,1855,1857,two hundred", "seats"),
        ("Democrats,83,Oppositions", "Democrats,83,", "p2"),
    ],
)
def test_house_divisions_bad_value_raises(midterms_dir, old, new, column):
    text = (midterms_dir / "house_party_divisions.csv").read_text()
    with pytest.raises(SourceError, match=rf"house\.csv: column '{column}'.*rows \[0\]"):
        parse_house_party_divisions_csv(text.replace(old, new, 1), "house.csv")


def test_govt6139_reads_bom_file_and_blank_cells(midterms_dir):
    assert (midterms_dir / "midterms_govt6139.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    frame, _ = read_govt6139_midterms_csv(midterms_dir / "midterms_govt6139.csv")
    assert frame.columns == ["year", "president", "party", "approval", "seat_change", "rdi_change"]
    assert frame.row(0) == (1946, "Truman", "D", 33.0, -55, None)
    assert frame.row(-1) == (2018, "Trump", "R", 38.0, None, 4.1)  # the last of 19 midterms


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("1946,Truman,D,33", "1946,Truman,D,33?", "approval"),
        ("1946,Truman,D,33,-55,", "1946,Truman,D,33,-55,n.a.", "rdi.change"),
        ("1946,Truman", "'46,Truman", "year"),
    ],
)
def test_govt6139_bad_value_raises(midterms_dir, old, new, column):
    data = (
        (midterms_dir / "midterms_govt6139.csv").read_bytes().replace(old.encode(), new.encode(), 1)
    )
    with pytest.raises(SourceError, match=rf"column '{column}'.*rows \[0\]"):
        parse_govt6139_midterms_csv(data, "govt.csv")
