"""The brief's track record: a generated file that must describe the estimate's default model."""

from __future__ import annotations

from oilshock.evaluate import track_record


def test_the_stored_track_record_is_the_default_models():
    """A changed default without regenerated figures fails here: run ``docs/make_evaluation.py``
    (or ``python -m oilshock.evaluate.track_record``)."""
    from oilshock.model.crude_paths import DEFAULT_MODEL

    tr = track_record.load()
    assert tr is not None and tr["model"] == DEFAULT_MODEL
    b = tr["before_2026"]
    assert b["events"] > 0
    for t in ("brent", "retail"):
        assert 0 <= b[t]["coverage_90"]["share"] <= 1
        assert b[t]["mean_skill_no_change"] is not None
    (h,) = [h for h in tr["held_out"] if h["event"].startswith("2026")]
    assert h["retail"]["peak_error"] is not None and h["title"]


def test_summarize_reads_an_evaluate_result():
    cov = {"hits": 9, "n": 10, "share": 0.9, "low": 0.7, "high": 0.97}
    row = {"crps": 1.0, "skill_no_change": 0.2, "weeks_observed": 10}
    held = {
        "skill_no_change": 0.5,
        "peak_change_p50": 1.0,
        "peak_actual_change": 1.5,
        "peak_error": -0.5,
        "inside_90": 9,
        "weeks_observed": 10,
    }
    result = {
        "events": [
            {"event": "a", "model": "m", "held_out": False, "brent": row, "retail": row},
            {
                "event": "b",
                "model": "m",
                "held_out": False,
                "brent": dict(row, skill_no_change=-0.4),
                "retail": row,
            },
            {"event": "2026-hormuz", "model": "m", "held_out": True, "brent": held, "retail": held},
        ],
        "summary": {
            "m": {
                t: {"coverage_90": cov, "positive_skill_no_change": 1, "scored_no_change": 2}
                for t in ("brent", "retail")
            }
        },
    }
    result["held_out"] = [result["events"][2]]
    s = track_record.summarize(result, "m")
    assert s["model"] == "m" and s["before_2026"]["events"] == 2
    assert s["before_2026"]["brent"]["mean_skill_no_change"] == -0.1
    assert s["held_out"][0]["retail"]["peak_error"] == -0.5
