"""Charts and the brief at the shipped as_of (Hormuz shut): an easing reads as an easing."""

from __future__ import annotations

import datetime as dt

import pytest

from oilshock.forecast.simulate import estimate
from oilshock.report import brief as rb
from oilshock.report import charts

NOW = dt.date(2026, 8, 18)


@pytest.fixture(scope="module")
def easing(params_now):
    return estimate("hormuz-partial", as_of=NOW, params=params_now, draws=400).to_dict()


@pytest.fixture(scope="module")
def red_sea(params_now):
    return estimate("red-sea", as_of=NOW, params=params_now, draws=400).to_dict()


def test_path_and_regions_titles_follow_the_sign(easing, red_sea):
    title = charts.path(easing).to_dict()["title"]["text"]
    assert title.startswith("Pump prices fall to $") and "peak" not in title
    regions = charts.regions(easing).to_dict()["title"]["text"]
    assert "fall most in" in regions and "saves $" in regions and "more" not in regions
    assert "−$" in regions and "-$" not in regions
    assert charts.path(red_sea).to_dict()["title"]["text"].startswith("Pump prices peak at $")
    gallon = charts.gallon(easing).to_dict()["title"]["text"]
    assert gallon.startswith("At the low a gallon costs")


def test_brief_says_save_and_counts_only_what_the_scenario_adds(easing, red_sea):
    text = rb.scenario_paragraph(easing)
    assert "would fall to about $" in text and "would peak" not in text
    assert "save about $" in text and "more on gasoline" not in text
    assert "−$" not in text.split("save about")[1][:6]
    rs = rb.scenario_paragraph(red_sea)
    assert (
        "this scenario stops 2.6 mb/d more than the 15.5 mb/d (crude-equivalent barrels) already "
        "stopped" in rs
    )
    assert "23.3 mb/d is stopped" not in rs


def test_charts_and_brief_look_ahead_to_the_coming_election(params_now, monkeypatch):
    from oilshock import periods
    from oilshock.report.make import run_estimates

    monkeypatch.setattr(periods, "today", lambda: dt.date(2026, 12, 6))
    (d,) = run_estimates(["hormuz-partial"], as_of=NOW, draws=200)
    assert d["election"]["date"] == "2028-11-07" and not d["election"]["retrospective"]
    assert "already past" not in " ".join(x for x in d["context"].values() if x)


def test_path_chart_draws_the_baseline_its_title_measures_from(easing):
    from oilshock.report import data as rd

    spec = charts.path(easing).to_dict()
    rows = rd.no_disruption_rows(easing)
    assert rows[0]["value"] == easing["baseline"]["retail_gasoline_usd_per_gal"]
    assert rows[-1]["value"] == easing["baseline"]["retail_gasoline_no_disruption_end_usd_per_gal"]
    text = str(spec)
    assert "no-disruption path" in text and "price before the shock" not in text


def test_brief_and_chart_label_a_past_election_a_retrospective(params_now, monkeypatch):
    import json

    from oilshock import periods
    from oilshock.report.brief_words import election_sentence

    monkeypatch.setattr(periods, "today", lambda: dt.date(2026, 12, 6))
    d = estimate(
        "hormuz-partial",
        as_of=NOW,
        params=params_now,
        draws=200,
        election_date=dt.date(2026, 11, 3),
    ).to_dict()
    s = election_sentence(d)
    assert "(3 Nov 2026; a retrospective: this election has taken place)" in s
    assert "What happened: the outcome of the 2026 midterm is not in the data yet" in s
    spec = json.dumps(charts.path(d).to_dict())
    assert "Election day 03 Nov 2026 (retrospective: has taken place)" in spec
    # The coming presidential election: no label; what the seat model does not cover.
    d = estimate(
        "hormuz-partial", as_of=NOW, params=params_now, draws=200, election_after=periods.today()
    ).to_dict()
    s = election_sentence(d)
    assert "retrospective" not in s and "does not cover the presidential vote itself" in s
