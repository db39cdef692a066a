"""``oilshock evaluate`` through CliRunner, on one small event."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from oilshock.cli import main
from oilshock.evaluate.bench import CANDIDATES


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_evaluate_json_one_event():
    res = invoke(
        "evaluate",
        "--event",
        "2019-gulf-of-oman",
        "--no-calm",
        "--draws",
        "200",
        "--model",
        "v1",
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    (row,) = out["events"]
    assert row["model"] == "v1" and out["preferred_model"] == "v1"
    assert row["event"] == "2019-gulf-of-oman" and row["kind"] == "threat"
    for target in ("brent", "retail"):
        t = row[target]
        assert t["weeks_observed"] == 20 and 0 <= t["inside_50"] <= t["inside_90"] <= 20
        assert t["crps"] > 0 and "skill_no_change" in t
    assert "barrel_rule" in json.dumps(row["retail"]) and out["held_out"] == []


def test_evaluate_markdown_and_table():
    md = invoke(
        "evaluate",
        "--event",
        "2019-gulf-of-oman",
        "--no-calm",
        "--draws",
        "200",
        "--format",
        "markdown",
    )
    assert (
        md.exit_code == 0
        and "### Held-out test (2026)" in md.output
        and "| 2019-gulf-of-oman | threat |" in md.output
    )
    tab = invoke("evaluate", "--event", "2019-gulf-of-oman", "--no-calm", "--draws", "200")
    assert tab.exit_code == 0 and "Preferred by the rule" in tab.output
    # Every model name whole (the longest is 34 characters), every line within 100 columns.
    assert "superposition+news+margin+seasonal " in tab.output
    assert max(len(x) for x in tab.output.splitlines()) <= 100
    csv_out = invoke(
        "evaluate", "--event", "2019-gulf-of-oman", "--no-calm", "--draws", "200", "--format", "csv"
    )
    assert csv_out.output.splitlines()[0].startswith("event,kind,model,as_of,target")


def test_evaluate_text_shows_the_held_out_test_apart():
    res = invoke(
        "evaluate", "--event", "2026-hormuz", "--no-calm", "--draws", "200", "--model", "v1"
    )
    assert res.exit_code == 0, res.output
    out = res.output
    assert "Held-out test (reported, never used to choose)" in out
    assert re.search(r"2026-hormuz\s+v1\s+[+-]\d+\.\d vs \+53\.2", out), out


def test_evaluate_unknown_event_is_a_clear_error():
    res = invoke("evaluate", "--event", "2019-gulf-of-omen", "--no-calm")
    assert res.exit_code == 2
    assert "2019-gulf-of-oman" in res.output and "Traceback" not in res.output


def test_evaluate_variants_share_draws_and_are_scored_against_v1():
    res = invoke(
        "evaluate", "--event", "2005-katrina", "--no-calm", "--draws", "200", "--format", "json"
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    rows = {r["model"]: r for r in out["events"]}
    crude = {
        "v1",
        "superposition",
        "superposition-raw",
        "superposition-irf",
        "forward-1m",
        "forward-3m",
        "forward-6m",
        "mixture",
    }
    channels = {
        r + s
        for r in ("superposition", "forward-1m", "mixture")
        for s in ("+news", "+margin", "+news+margin")
    }
    singles = crude | channels
    from oilshock.model.crude_paths import REGIME_MODELS

    regimes = {m for m in REGIME_MODELS}
    assert "forward-1m+regimes+margin+seasonal" in regimes and "mixture+regimes" in regimes
    assert (
        set(rows) == singles | {m + "+seasonal" for m in singles} | regimes == set(out["summary"])
    )
    # Katrina (2005) predates the news series' publication (2021): the news variant is its base.
    assert rows["superposition+news"]["brent"] == rows["superposition"]["brent"]
    # A "+seasonal" variant is its crude variant plus a drift of the pump price: same Brent, different gasoline.
    assert rows["forward-3m+seasonal"]["brent"]["crps"] == rows["forward-3m"]["brent"]["crps"]
    assert rows["v1+seasonal"]["retail"]["crps"] != rows["v1"]["retail"]["crps"]
    assert "skill_v1" in rows["superposition"]["brent"] and "skill_v1" not in rows["v1"]["brent"]
    # Same fits and random numbers: the two differ only through the crude response after the loss changes.
    assert rows["v1"]["brent"]["crps"] != rows["superposition"]["brent"]["crps"]
    assert out["preferred_model"] in rows


def test_evaluate_reports_progress_once_per_origin(isolated_cache):
    from oilshock.evaluate.run import evaluate, origin_count

    steps = []
    evaluate(["2019-gulf-of-oman", "2023-red-sea"], draws=200, calm=False, progress=steps.append)
    assert (
        steps
        == ["2019-gulf-of-oman", "2023-red-sea"]
        == steps[: origin_count(["2019-gulf-of-oman", "2023-red-sea"], calm=False)]
    )


def test_one_event_scores_only_that_event_and_prefers_nothing_over_an_empty_table():
    res = invoke("evaluate", "--event", "2026-hormuz", "--draws", "100", "--model", "v1")
    assert res.exit_code == 0, res.output
    assert "Calm origins" not in res.output  # no calm origins unless --calm is given
    assert "Preferred by the rule" not in res.output
    assert "none among those scored, so no model is preferred" in res.output
    js = invoke(
        "evaluate", "--event", "2026-hormuz", "--draws", "100", "--model", "v1", "--format", "json"
    )
    assert "calm" not in json.loads(js.output)


def test_no_library_warnings_on_the_terminal(tmp_path):
    # A fresh fit at a date whose design is rank-deficient (statsmodels warns there: a calm origin
    # of the evaluation).
    import os
    import subprocess
    import sys

    env = dict(os.environ, OILSHOCK_CACHE_DIR=str(tmp_path))
    res = subprocess.run(
        [sys.executable, "-m", "oilshock", "estimate", "-s", "now", "--as-of", "1996-08-09"]
        + ["--draws", "200"],
        capture_output=True,
        text=True,
        env=env,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    assert "Warning" not in res.stderr and res.stderr.strip() == "", res.stderr


def test_bench_prints_every_response_within_100_columns():
    res = invoke("bench", "--samples", "2", "--boot", "20")
    assert res.exit_code == 0, res.output
    assert all(len(line) <= 100 for line in res.output.splitlines())
    for name in (
        "forward-1m",
        "forward-3m",
        "forward-6m",
        "sup.",
        "sup.raw",
        "sup.irf",
        "mixture",
        "f1m+reg",
    ):
        assert name in res.output
    assert "storage-persistent, 11%, 1" in res.output
    rows = invoke("bench", "--samples", "2", "--boot", "20", "--format", "json")
    doc = json.loads(rows.output)
    assert len(doc["rows"]) == 3 * 4 * len(CANDIDATES) and {
        s["candidate"] for s in doc["summary"]
    } >= {
        "forward-1m",
        "superposition",
    }
    bad = invoke("bench", "--samples", "1")
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_large_events_prints_every_event_and_response_within_100_columns():
    res = invoke("large-events", "--draws", "100", "--boot", "20")
    assert res.exit_code == 0, res.output
    assert all(len(line) <= 100 for line in res.output.splitlines())
    for name in ("1978-iranian-revolution", "1990-iraq-kuwait", "superposition-raw", "pooled"):
        assert name in res.output
    doc = json.loads(
        invoke("large-events", "--draws", "100", "--boot", "20", "--format", "json").output
    )
    assert len(doc["rows"]) == 3 * len(CANDIDATES) and len(doc["pooled"]) == len(CANDIDATES)
    bad = invoke("large-events", "--boot", "1")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
