"""A past election is a retrospective set beside what happened; a presidential year says what the
seat model does not cover (oilshock.forecast.election)."""

from __future__ import annotations

import datetime as dt

import pytest

from oilshock.data.datasets import load_dataset
from oilshock.forecast import election as el


def _block(date: str, midterm: bool, **extra) -> dict:
    return {
        "date": date,
        "is_midterm": midterm,
        "retail_gasoline_change_on_election_day_usd_per_gal": None,
        "note": "not estimated",
        **el.coverage(dt.date.fromisoformat(date)),
        **extra,
    }


@pytest.mark.parametrize("year", [2010, 2018, 2022])
def test_the_outcome_is_the_datasets_value(year):
    w = el.election_outcome(dt.date(year, 11, 1) + dt.timedelta(days=7))
    table = load_dataset("midterms")
    assert w["house_seats_change"] == table.filter(table["year"] == year)["house_seat_change"][0]
    assert w["source"] == "UCSB American Presidency Project" and w["citation"]
    n = w["house_seats_change"]
    assert (f"lost {-n} House seats" if n < 0 else f"gained {n} House seats") in w["text"]


def test_an_outcome_not_in_the_data_is_said_plainly():
    w = el.election_outcome(dt.date(2026, 11, 3))
    assert w["house_seats_change"] is None
    assert w["text"] == (
        "the outcome of the 2026 midterm is not in the data yet (the midterm table ends with 2022)"
    )
    w = el.election_outcome(dt.date(2024, 11, 5))
    assert w["house_seats_change"] is None and "midterms only" in w["text"]


def test_words_follow_the_sign_of_the_outcome_against_the_range():
    p = {"p05": -68.0, "p50": -41.0, "p95": -12.0}
    for n, side in ((-9, "above"), (-70, "below"), (-30, "inside")):
        e = {"house_seats_predictive": p, "what_happened": {"house_seats_change": n}}
        assert el.beside_model(e).startswith(
            f"{side} the model's 90% predictive range (−68 to −12)"
        )
    assert el._seats_words(-1) == "lost 1 House seat"
    assert el._seats_words(5) == "gained 5 House seats"
    assert el._seats_words(0) == "kept the same number of House seats"


def test_a_retrospective_is_labelled_in_text_and_json():
    e = el.retrospective(_block("2022-11-08", True))
    assert e["retrospective"] is True and e["what_happened"]["house_seats_change"] is not None
    text = " ".join(el.election_lines(e))
    assert (
        "Election day 2022-11-08 (midterm; retrospective: this election has taken place):" in text
    )
    assert "What happened: the president's party (D, Joe Biden) lost" in text
    # An election not yet held: no label, no outcome.
    text = " ".join(el.election_lines(_block("2028-11-07", False, retrospective=False)))
    assert "retrospective" not in text and "What happened" not in text


def test_a_presidential_year_says_what_is_not_covered():
    c = el.coverage(dt.date(2028, 11, 7))
    assert "presidential vote itself" in c["not_covered"] and "coattails" in c["not_covered"]
    text = " ".join(el.election_lines(_block("2028-11-07", False)))
    assert "Not covered in a presidential year (the seat model is fitted on midterms)" in text
    midterm = " ".join(el.election_lines(_block("2026-11-03", True)))
    assert "Not covered" not in midterm
    assert "coattails" not in el.coverage(dt.date(2026, 11, 3))["not_covered"]
