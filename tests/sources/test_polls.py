"""Readers of poll tables: Ruffino approval compilation, APP Gallup table, ElectIndex poll lists."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from oilshock.errors import SourceError
from oilshock.sources.polls import (
    parse_app_gallup_csv,
    parse_electindex_approval_csv,
    parse_electindex_generic_ballot_csv,
    parse_ruffino_approval_csv,
    read_app_gallup_csv,
    read_electindex_approval_csv,
    read_electindex_generic_ballot_csv,
    read_ruffino_approval_csv,
)


@pytest.fixture
def approval_dir(fixtures_dir):
    return fixtures_dir / "us_presidential_approval"


def test_ruffino_parses_types_and_missing_markers(approval_dir):
    frame, meta = read_ruffino_approval_csv(approval_dir / "historical_approval_polls.csv")
    assert meta["layout"] == "ruffino historical_approval_polls"
    assert frame.height == 11
    assert frame.schema["poll_end"] == pl.Date and frame.schema["term_number"] == pl.Int64
    assert "president_number" not in frame.columns
    first = frame.row(0, named=True)
    assert first["president"] == "Richard Nixon"
    assert first["poll_end"] == dt.date(1974, 8, 5)
    assert first["approval"] == 24.0 and first["disapproval"] == 66.0
    # 'NA' is the compiler's missing marker; a blank institute is a missing name.
    biden_dec = frame.filter(pl.col("poll_end") == dt.date(2024, 12, 18)).row(0, named=True)
    assert biden_dec["no_opinion"] is None and biden_dec["sample_size"] is None
    assert frame.filter(pl.col("polling_institute").is_null()).height == 1


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        (",24,66,10,1500", ",2 4,66,10,1500", "approval"),
        (",24,66,10,1500", ",24,sixty,10,1500", "disapproval"),
        ("1974-08-02,1974-08-05", "1974-08-02,1974-13-05", "poll_end"),
        ('37,"Richard Nixon",2,', '37,"Richard Nixon",2.5,', "term_number"),
        (",24,66,10,1500", ",24,66,NaN?,1500", "no_opinion"),
    ],
)
def test_ruffino_bad_value_raises_naming_column(approval_dir, old, new, column):
    text = (approval_dir / "historical_approval_polls.csv").read_text()
    assert old in text
    with pytest.raises(SourceError, match=rf"polls\.csv: column '{column}'.*rows \[0\]"):
        parse_ruffino_approval_csv(text.replace(old, new, 1), "polls.csv")


def test_ruffino_missing_column_raises(approval_dir):
    text = (
        (approval_dir / "historical_approval_polls.csv")
        .read_text()
        .replace('"disapproval"', '"disapprove"', 1)
    )
    with pytest.raises(SourceError, match="disapproval"):
        parse_ruffino_approval_csv(text, "polls.csv")


def test_app_gallup_parses_us_dates_newest_first(approval_dir):
    frame, meta = read_app_gallup_csv(approval_dir / "gallup_approval_polls_app_ucsb.csv")
    assert meta["layout"] == "app gallup approval"
    assert frame["date"].to_list()[0] == dt.date(2017, 12, 12)
    assert frame["date"].to_list()[-1] == dt.date(1941, 7, 22)
    ford = frame.filter(pl.col("date") == dt.date(1974, 8, 19)).row(0, named=True)
    assert (
        ford["president"],
        ford["approve"],
        ford["disapprove"],
        ford["inauguration"],
        ford["days"],
    ) == (
        "Ford",
        71.0,
        3.0,
        dt.date(1974, 8, 9),
        10.0,
    )


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("Trump,12/12/2017,36", "Trump,2017-12-12,36", "Date"),
        ("Trump,12/12/2017,36,59", "Trump,12/12/2017,36,n/a", "Disapprove"),
        ("1/20/2017,326", "13/20/2017,326", "Inaug"),
    ],
)
def test_app_gallup_bad_value_raises(approval_dir, old, new, column):
    text = (approval_dir / "gallup_approval_polls_app_ucsb.csv").read_text()
    with pytest.raises(SourceError, match=rf"column '{column}'.*rows \[0\]"):
        parse_app_gallup_csv(text.replace(old, new, 1), "app.csv")


def test_electindex_approval_keeps_sentinels_and_blank_lean(approval_dir):
    frame, meta = read_electindex_approval_csv(approval_dir / "trump_term2_approval_polls.csv")
    assert meta["banned_rating"] == 0.0 and meta["missing_sample_size"] == 0.0
    assert (
        frame.height == 8
    )  # duplicates and the banned pollster are kept: dropping is the recipe's decision
    assert frame["lean"].to_list()[:2] == ["R", None]
    assert frame.filter(pl.col("rating") == 0.0)["pollster"].to_list() == [
        "The Public Sentiment Institute"
    ]
    assert frame.filter(pl.col("pollster") == "Public Policy Polling")["n"].item() == 0.0


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("InsiderAdvantage,2025-01-20,56.0", "InsiderAdvantage,2025-01-20,56%", "approve"),
        ("InsiderAdvantage,2025-01-20", "InsiderAdvantage,20/01/2025", "end_date"),
        ("800,1.0,R", "800,A+,R", "rating"),
        ("InsiderAdvantage,2025", ",2025", "pollster"),
    ],
)
def test_electindex_approval_bad_value_raises(approval_dir, old, new, column):
    text = (approval_dir / "trump_term2_approval_polls.csv").read_text()
    with pytest.raises(SourceError, match=rf"column '{column}'.*rows \[0\]"):
        parse_electindex_approval_csv(text.replace(old, new, 1), "t2.csv")


def test_electindex_generic_ballot(fixtures_dir):
    frame, meta = read_electindex_generic_ballot_csv(
        fixtures_dir / "us_midterms" / "generic_ballot_polls.csv"
    )
    assert meta["layout"] == "electindex gcb_polls"
    assert frame.columns == ["pollster", "end_date", "dem", "rep", "n", "rating", "lean"]
    assert frame.row(0) == ("Cygnal Political", dt.date(2025, 1, 12), 44.6, 46.8, 1500.0, 1.4, "R")


def test_electindex_generic_ballot_bad_value_and_wrong_layout(fixtures_dir, approval_dir):
    text = (fixtures_dir / "us_midterms" / "generic_ballot_polls.csv").read_text()
    with pytest.raises(SourceError, match=r"column 'dem'.*rows \[0\]"):
        parse_electindex_generic_ballot_csv(text.replace("44.6,46.8", '"44,6",46.8', 1), "gcb.csv")
    # An approval list is not a generic-ballot list.
    with pytest.raises(SourceError, match="dem"):
        parse_electindex_generic_ballot_csv(
            (approval_dir / "trump_term2_approval_polls.csv").read_bytes(), "t2.csv"
        )
