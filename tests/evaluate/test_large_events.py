"""Large past losses scored leave one event out: the data file, the blanking, the scores."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import polars as pl
import pytest

from oilshock.errors import CatalogError
from oilshock.evaluate import large_events as le
from oilshock.evaluate.bench import CANDIDATES

FAST = {"draws": 200, "n_boot": 30}


@pytest.fixture(scope="module")
def frames():
    return le.load_monthly_series()


@pytest.fixture(scope="module")
def events():
    return {e.name: e for e in le.load_large_events()}


def test_the_data_file_loads_every_event(events):
    assert set(events) == {"1978-iranian-revolution", "1980-iran-iraq-war", "1990-iraq-kuwait"}
    assert events["1990-iraq-kuwait"].lost_mbd == (3.7, 4.3)
    assert events["1978-iranian-revolution"].onset_month == dt.date(1978, 11, 1)
    assert all(e.duration_days == (30.0, 365.0) for e in events.values())


SOURCE = 'source = "literature.md §4a [IEA-via-GovExec-2006]"\nnote = "Gross'
WIDE = "lost_mbd = 5.6\nduration_days = [30.0, 365.0]"
BROKEN = [  # (text, replacement, the key the message must name)
    (SOURCE, SOURCE.replace("literature.md §4a [IEA-via-GovExec-2006]", "a memo"), "event[1].inputs[1].source"),
    ("lost_mbd = 4.1\n", "lost_mbd = -4.1\n", "event[1].lost_mbd"),
    ("onset_month = 1980-10-01\nlost", "onset_month = 1980-10-15\nlost", "event[1].onset_month"),
    (WIDE, WIDE.replace("365.0", "100.0"), "event[0].duration_days"),
    ('key = "lost_mbd"\nvalue = 5.6', 'key = "lost_mbd"\nvalue = 5.0', "event[0].inputs[1].value"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "key"), BROKEN)
def test_a_malformed_file_fails_with_one_line_naming_the_key(tmp_path, old, new, key):
    text = le.EVENTS_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "events.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        le.load_large_events(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and f"key '{key}" in message


def test_an_uncited_figure_fails(tmp_path):
    text = le.EVENTS_FILE.read_text(encoding="utf-8")
    cut = text.index('[[event.inputs]]\nkey = "lost_mbd"\nvalue = 4.1')
    end = text.index("[[event.inputs]]", cut + 10)
    path = tmp_path / "events.toml"
    path.write_text(text[:cut] + text[end:], encoding="utf-8")
    with pytest.raises(CatalogError, match=r"key 'event\[1\]\.lost_mbd': no \[\[event.inputs\]\]"):
        le.load_large_events(path)


def test_the_instrument_is_blanked_in_the_window_only(frames):
    shock = frames[2]
    onset = dt.date(1990, 8, 1)
    out = le.blank_instrument(shock, onset).join(shock, on="date", suffix="_raw")
    inside = pl.col("date").is_between(dt.date(1989, 7, 1), dt.date(1992, 8, 1))
    assert out.filter(inside)["value"].null_count() == out.filter(inside).height == 13 + 1 + 24
    kept = out.filter(~inside)
    assert kept["value"].to_list() == kept["value_raw"].to_list()


def _scramble(shock, first, last, seed):
    """The instrument with random values in [first, last]."""
    rng = np.random.default_rng(seed)
    junk = pl.Series(rng.standard_normal(shock.height) * 10)
    inside = pl.col("date").is_between(first, last)
    return shock.with_columns(pl.when(inside).then(junk).otherwise(pl.col("value")).alias("value"))


def test_the_left_out_window_does_not_reach_the_fit(frames, events):
    """Junk in the instrument's window leaves every score unchanged; junk just outside it does not."""
    event = events["1990-iraq-kuwait"]
    price, prod, shock = frames
    base = le.score_event(event, frames, **FAST)
    junk_inside = _scramble(shock, dt.date(1989, 7, 1), dt.date(1992, 8, 1), 1)
    assert le.score_event(event, (price, prod, junk_inside), **FAST) == base
    junk_outside = _scramble(shock, dt.date(1992, 9, 1), dt.date(1995, 8, 1), 1)
    assert le.score_event(event, (price, prod, junk_outside), **FAST) != base


def test_same_seed_same_numbers_and_every_event_by_candidate():
    a = le.run_large_events(**FAST)
    b = le.run_large_events(**FAST)
    assert a.rows == b.rows and a.pooled() == b.pooled()
    assert {(r["event"], r["candidate"]) for r in a.rows} == {
        (e, c)
        for e in ("1978-iranian-revolution", "1980-iran-iraq-war", "1990-iraq-kuwait")
        for c in CANDIDATES
    }
    assert len(a.rows) == 3 * len(CANDIDATES)
    assert all(0 <= r["inside50"] <= r["inside90"] <= r["months"] == 5 for r in a.rows)
    assert le.run_large_events(**FAST, seed=1).rows != a.rows
    table = le.large_events_markdown(a)
    assert table.count("\n| 1990-iraq-kuwait |") == len(CANDIDATES) + 1  # and no change
    assert "| pooled (3 events) |" in table


@pytest.mark.parametrize("candidate", [c for c in CANDIDATES if c != "superposition-raw"])
def test_a_bigger_loss_never_lowers_the_median_predicted_peak(frames, events, candidate):
    """With the same draws, more lost supply gives a higher median peak (monotone responses; the raw
    superposition can fall after a loss ends, so it is not held to it)."""
    from oilshock.model.crude import fit_crude_response

    event = events["1990-iraq-kuwait"]
    fit = fit_crude_response(*frames, n_boot=30, seed=3)
    d = le.draw_event_inputs(
        event, 60_000.0, 0.05, n_boot=30, draws=300, rng=np.random.default_rng(5)
    )
    peaks = []
    for scale in (0.0, 0.5, 1.0, 2.0):
        bigger = dataclasses.replace(d, share=d.share * scale)
        peaks.append(np.median(le.predictive_log_change(fit, candidate, bigger)[:, :5].max(axis=1)))
    assert np.all(np.diff(peaks) > 0), peaks
