"""Time made explicit: dated prices, the coming election by default (today injected), --election for
another, a past one labelled a retrospective; no internal notes in user text."""

from __future__ import annotations

import datetime as dt

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
    assert "Election day 2026-11-03 (midterm, a retrospective: already past)" in res.output
    assert "the next one is" not in res.output


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
