"""Time made explicit: dated prices, the coming election by default (today injected), --election for
another, a past one labelled a retrospective; no internal notes in user text."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from oilshock import periods
from oilshock.cli import main


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def on(monkeypatch):
    def set_today(day: dt.date):
        monkeypatch.setattr(periods, "today", lambda: day)

    return set_today


def test_election_defaults_to_the_next_after_today(on, params_now):
    on(dt.date(2026, 12, 6))
    res = invoke("election", "-s", "hormuz-partial", "--draws", "200")
    assert res.exit_code == 0
    assert "Election day 2028-11-07 (presidential)" in res.output
    assert "already past" not in res.output and "retrospective" not in res.output
    on(dt.date(2026, 9, 1))
    res = invoke("election", "-s", "hormuz-partial", "--draws", "200")
    assert "Election day 2026-11-03 (midterm)" in res.output


def test_a_chosen_past_election_is_a_retrospective(on, params_now):
    on(dt.date(2026, 12, 6))
    res = invoke("election", "-s", "hormuz-partial", "--draws", "200", "--election", "2026-11-03")
    assert res.exit_code == 0
    out = " ".join(res.output.split())
    assert "Election day 2026-11-03 (midterm; retrospective: this election has taken place)" in out
    assert "the next one is" not in out
    # The 2026 midterm is after the data: said plainly, next to the model's seat figures.
    assert (
        "What happened: the outcome of the 2026 midterm is not in the data yet (the midterm table "
        "ends with 2022)." in out
    )


def test_a_past_election_in_json_is_flagged_and_set_beside_the_outcome(on, params_now):
    on(dt.date(2026, 12, 6))
    res = invoke(
        "election",
        "-s",
        "hormuz-partial",
        "--draws",
        "200",
        "--election",
        "2026-11-03",
        "--format",
        "json",
    )
    e = json.loads(res.output)
    assert e["retrospective"] is True
    assert e["retrospective_label"] == "retrospective: this election has taken place"
    assert e["what_happened"]["house_seats_change"] is None
    assert "not in the data yet" in e["what_happened"]["text"]
    # The coming election is no retrospective and carries no outcome.
    e = json.loads(
        invoke("election", "-s", "hormuz-partial", "--draws", "200", "--format", "json").output
    )
    assert e["retrospective"] is False and "what_happened" not in e


def test_a_past_midterm_in_the_data_shows_what_happened(on):
    from oilshock.data.datasets import load_dataset

    on(dt.date(2026, 12, 6))
    args = ("election", "-s", "hormuz-partial", "--draws", "200", "--as-of", "2022-06-01")
    e = json.loads(invoke(*args, "--election", "2022-11-08", "--format", "json").output)
    table = load_dataset("midterms")
    actual = table.filter(table["year"] == 2022)["house_seat_change"][0]
    w = e["retrospective"] and e["what_happened"]
    assert w["house_seats_change"] == actual
    assert w["source"] and w["citation"] and w["dataset"] == "midterms_app_table"
    p = e["house_seats_predictive"]
    side = "below" if actual < p["p05"] else "above" if actual > p["p95"] else "inside"
    assert w["versus_model"].startswith(f"{side} the model's 90% predictive range")
    out = " ".join(invoke(*args, "--election", "2022-11-08").output.split())
    assert "Election day 2022-11-08 (midterm; retrospective: this election has taken place)" in out
    verb = "lost" if actual < 0 else "gained"
    assert (
        f"What happened: the president's party (D, Joe Biden) {verb} {abs(actual)} House seats"
        in out
    )
    assert f"{side} the model's 90% predictive range" in out


def test_a_presidential_year_says_what_the_seat_model_does_not_cover(on, params_now):
    on(dt.date(2026, 12, 6))
    out = " ".join(invoke("election", "-s", "hormuz-partial", "--draws", "200").output.split())
    assert "Election day 2028-11-07 (presidential)" in out
    assert "Not covered in a presidential year (the seat model is fitted on midterms)" in out
    assert "the presidential vote itself" in out and "coattails" in out
    e = json.loads(
        invoke("election", "-s", "hormuz-partial", "--draws", "200", "--format", "json").output
    )
    assert "presidential vote itself" in e["not_covered"] and "coattails" in e["not_covered"]
    assert "fitted on midterms" in e["covers"]
    # A midterm carries no presidential-year caveat.
    out = invoke(
        "election", "-s", "hormuz-partial", "--draws", "200", "--election", "2026-11-03"
    ).output
    assert "Not covered in a presidential year" not in out and "coattails" not in out


def test_calm_as_of_still_looks_ahead_of_today(on, params_calm):
    on(dt.date(2026, 12, 6))
    res = invoke("estimate", "-s", "hormuz-partial", "--as-of", "2025-06-02", "--draws", "200")
    assert res.exit_code == 0
    out = " ".join(res.output.split())
    assert "Election day 2028-11-07" in out and "already past" not in out
    assert "more than 156 weeks after as_of" in out and "choose another with --election" in out
    assert "Brent on 2 Jun 2025 [$/bbl]" in out or "Brent on 30 May 2025 [$/bbl]" in out


def test_status_names_the_coming_election(on, params_now):
    on(dt.date(2026, 12, 6))
    res = invoke("status")
    assert "Next federal election: 2028-11-07" in res.output


def test_no_internal_notes_in_user_text(on, params_now):
    on(dt.date(2026, 12, 6))
    for args in (
        ("estimate", "-s", "hormuz-partial", "--draws", "200", "--format", "json"),
        ("estimate", "-s", "now", "--draws", "200"),
        ("election", "-s", "hormuz-partial", "--draws", "200"),
    ):
        out = invoke(*args).output
        assert "issue #" not in out and "issue-#" not in out and "being reworked" not in out


def test_brief_and_chart_take_the_election_too(on, params_now, tmp_path):
    on(dt.date(2026, 12, 6))
    out = tmp_path / "brief.md"
    res = invoke(
        "brief",
        "-s",
        "hormuz-partial",
        "--draws",
        "200",
        "--election",
        "2026-11-03",
        "-o",
        str(out),
    )
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "3 Nov 2026; a retrospective" in page
    # The chart marks the chosen election day, inside the horizon; without it, 2028 is beyond it.
    chart = tmp_path / "path.json"
    res = invoke(
        "chart",
        "path",
        "-s",
        "hormuz-partial",
        "--draws",
        "200",
        "--election",
        "2026-11-03",
        "-o",
        str(chart),
    )
    assert res.exit_code == 0, res.output
    assert "2026-11-03" in chart.read_text(encoding="utf-8")
    invoke("chart", "path", "-s", "hormuz-partial", "--draws", "200", "-o", str(chart))
    assert "Election day" not in chart.read_text(encoding="utf-8")
