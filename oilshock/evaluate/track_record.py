"""The default model's track record, as a small generated file the brief reads.

Scoring the catalog takes tens of seconds, too slow for every brief, so the
figures the brief's "track record" box needs are kept in ``track_record.json``
beside this module. ``docs/make_evaluation.py`` rewrites it from the same
:func:`oilshock.evaluate.run.evaluate` result it writes the documentation
from; ``python -m oilshock.evaluate.track_record`` rewrites it alone. A test
checks that the file describes :data:`oilshock.model.crude_paths.DEFAULT_MODEL`.
"""

from __future__ import annotations

import json
from pathlib import Path

from oilshock.forecast.record import NOWCAST_PATH, load_nowcast  # noqa: F401 (the record's home)

PATH = Path(__file__).resolve().parent / "track_record.json"
TARGETS = ("brent", "retail")


def summarize(result: dict, model: str) -> dict:
    """The box's figures for ``model`` from an :func:`~oilshock.evaluate.run.evaluate` result.

    Returns
    -------
    dict
        ``model``; ``before_2026`` (``events`` and, per target, ``mean_skill_no_change``,
        ``positive_skill_no_change``, ``scored_no_change`` and ``coverage_90`` as ``hits``,
        ``n``, ``share``); ``held_out`` (one entry per held-out event: ``event`` and, per
        target, ``title``, ``skill_no_change``, ``peak_change_p50``, ``peak_actual_change``,
        ``peak_error``, ``inside_90``, ``weeks_observed``).
    """
    rows = [r for r in result["events"] if r["model"] == model and not r["held_out"]]
    s = result["summary"][model]
    before: dict = {"events": len({r["event"] for r in rows})}
    for t in TARGETS:
        if t not in s:
            continue
        sk = [
            r[t]["skill_no_change"] for r in rows if (r[t] or {}).get("skill_no_change") is not None
        ]
        c = s[t]["coverage_90"]
        before[t] = {
            "mean_skill_no_change": round(sum(sk) / len(sk), 4) if sk else None,
            "positive_skill_no_change": s[t].get("positive_skill_no_change"),
            "scored_no_change": s[t].get("scored_no_change"),
            "coverage_90": {"hits": c["hits"], "n": c["n"], "share": round(c["share"], 4)},
        }
    from oilshock.evaluate.catalog import load_catalog

    held = []
    for r in result["held_out"]:
        if r["model"] != model:
            continue
        e = {"event": r["event"], "title": load_catalog([r["event"]])[0].scenario.title}
        for t in TARGETS:
            x = r.get(t) or {}
            if not x.get("weeks_observed"):
                continue
            e[t] = {
                k: (round(x[k], 4) if isinstance(x.get(k), float) else x.get(k))
                for k in (
                    "skill_no_change",
                    "peak_change_p50",
                    "peak_actual_change",
                    "peak_error",
                    "inside_90",
                    "weeks_observed",
                )
            }
        held.append(e)
    return {"model": model, "before_2026": before, "held_out": held}


def write(result: dict, model: str | None = None, path: Path = PATH) -> Path:
    """Write the track record of ``model`` (default: the estimate's default model) from ``result``."""
    from oilshock.model.crude_paths import DEFAULT_MODEL

    path.write_text(
        json.dumps(summarize(result, model or DEFAULT_MODEL), indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return path


def load(path: Path = PATH) -> dict | None:
    """The stored track record, or None when there is none."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def main() -> None:
    """Score the catalog with the default model (no calm origins) and rewrite the file."""
    from oilshock.evaluate.run import evaluate
    from oilshock.model.crude_paths import DEFAULT_MODEL

    print(write(evaluate(models=(DEFAULT_MODEL,), calm=False)))


def summarize_nowcast(rows: list[dict], through: str | None = None) -> dict:
    """The rolling nowcast's pooled scores against no change, from
    :func:`oilshock.evaluate.nowcast.run_nowcast`'s ``rows``.

    Returns
    -------
    dict
        ``episodes`` (the episodes pooled), ``through`` (the newest data of the snapshot scored) and, per
        series (``brent``, ``retail``), one entry per
        horizon: ``horizon_weeks``, ``n``, ``mspe_ratio`` (the model's mean squared error over
        no change's: below 1 beats no change) and ``coverage_p05_p95``.
    """
    eps = sorted(
        {r["episode"] for r in rows if r["episode"] not in ("all", "calm") and r["sample"] == "all"}
    )
    # The newest data the outcomes could use: an estimate quotes the record only from then on.
    out: dict = {"episodes": eps, "through": through}
    for series in TARGETS:
        out[series] = [
            {k: r[k] for k in ("horizon_weeks", "n", "mspe_ratio", "coverage_p05_p95")}
            for r in sorted(rows, key=lambda r: r["horizon_weeks"])
            if r["episode"] == "all"
            and r["series"] == series
            and r["sample"] == "all"
            and r["forecaster"] == "model"
        ]
    return out


def write_nowcast(rows: list[dict], path: Path = NOWCAST_PATH, directory=None) -> Path:
    """Write :func:`summarize_nowcast` of ``rows``, with the snapshot's newest date as ``through``
    (``docs/make_nowcast.py`` calls this)."""
    from oilshock.forecast.prepare import default_as_of

    record = summarize_nowcast(rows, through=default_as_of(directory).isoformat())
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    main()
