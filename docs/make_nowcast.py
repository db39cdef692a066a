"""Regenerate the rolling-nowcast tables in docs/nowcast.md and README.md.

Usage (from the repository root, in the project's virtual environment)::

    python docs/make_nowcast.py              # runs oilshock.evaluate.nowcast.run_nowcast (a few minutes cold)
    python docs/make_nowcast.py --from rows.json   # rows from `oilshock backtest --nowcast --format json`

Each table sits between ``<!-- nowcast-NAME:begin -->`` and ``<!-- nowcast-NAME:end -->``
markers; the text around them is written by hand and must be reread after a rerun.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNIT = {"brent": "Brent [USD/bbl]", "retail": "gasoline [USD/gal]"}


def _num(v, series: str) -> str:
    return "–" if v is None else f"{v:.2f}" if series == "brent" else f"{v:.3f}"


def _pct(v) -> str:
    return "–" if v is None else f"{100 * v:.0f}%"


def _ratio(v) -> str:
    return "–" if v is None else f"{v:.2f}"


def results_table(rows: list[dict], episodes: set[str] | None = None) -> str:
    """Model against no change, per episode and pooled (sample ``all``)."""
    head = (
        "| episode | series | weeks ahead | origins | MAE | MAE no change | MSPE ratio | "
        "p05–p95 coverage |\n|---|---|---|---|---|---|---|---|"
    )
    body = [
        f"| {r['episode']} | {UNIT[r['series']]} | {r['horizon_weeks']} | {r['n']} | {_num(r['mae'], r['series'])} | "
        f"{_num(r['mae_no_change'], r['series'])} | {_ratio(r['mspe_ratio'])} | {_pct(r['coverage_p05_p95'])} |"
        for r in rows
        if r["sample"] == "all"
        and r["forecaster"] == "model"
        and (episodes is None or r["episode"] in episodes)
    ]
    return "\n".join([head, *body])


def steo_table(rows: list[dict], sample: str) -> str:
    """The model and the STEO on the same origins."""
    head = (
        "| series | weeks ahead | origins | MAE model | MAE STEO | MAE no change | MSPE ratio "
        "model | MSPE ratio STEO | "
        "p05–p95 coverage model | STEO coverage |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    model = {
        (r["series"], r["horizon_weeks"]): r
        for r in rows
        if r["sample"] == sample and r["forecaster"] == "model"
    }
    steo = {
        (r["series"], r["horizon_weeks"]): r
        for r in rows
        if r["sample"] == sample and r["forecaster"] == "steo"
    }
    body = []
    for key, m in model.items():
        s = steo[key]
        body.append(
            f"| {UNIT[m['series']]} | {m['horizon_weeks']} | {m['n']} | "
            f"{_num(m['mae'], m['series'])} | {_num(s['mae'], m['series'])} | "
            f"{_num(m['mae_no_change'], m['series'])} | {_ratio(m['mspe_ratio'])} | "
            f"{_ratio(s['mspe_ratio'])} | {_pct(m['coverage_p05_p95'])} | – |"
        )
    return "\n".join([head, *body])


def futures_table(rows: list[dict]) -> str:
    """The futures curve against no change (:func:`oilshock.evaluate.futures.score`)."""
    head = (
        "| sample | weeks ahead | origins | RMSE futures curve [USD/bbl] | RMSE no change [USD/bbl] "
        "| MSPE ratio |\n|---|---|---|---|---|---|"
    )
    body = [
        f"| {r['sample']} | {r['horizon_weeks']} | {r['n']} | {r['rmse_futures_usd_per_bbl']:.2f} | "
        f"{r['rmse_no_change_usd_per_bbl']:.2f} | {_ratio(r['mspe_ratio'])} |"
        for r in rows
    ]
    return "\n".join([head, *body])


def fill(path: Path, blocks: dict[str, str]) -> None:
    """Replace each marked block of ``path``; a missing marker is an error."""
    text = path.read_text(encoding="utf-8")
    for name, table in blocks.items():
        pattern = re.compile(
            rf"(<!-- nowcast-{name}:begin -->\n).*?(\n<!-- nowcast-{name}:end -->)", re.S
        )
        if not pattern.search(text):
            raise SystemExit(f"{path}: no <!-- nowcast-{name}:begin/end --> markers")
        text = pattern.sub(lambda m, t=table: m.group(1) + t + m.group(2), text)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=None,
        help="rows as JSON (oilshock backtest --nowcast --format json)",
    )
    ap.add_argument(
        "--futures-only",
        action="store_true",
        help="only the futures curve's table (seconds; the nowcast itself takes minutes)",
    )
    args = ap.parse_args()
    from oilshock.evaluate.futures import score

    fill(ROOT / "docs" / "nowcast.md", {"futures": futures_table(score())})
    if args.futures_only:
        print("wrote docs/nowcast.md (futures)")
        return
    if args.source:
        rows = json.loads(args.source.read_text(encoding="utf-8"))
    else:
        from oilshock.evaluate.nowcast import run_nowcast

        rows = run_nowcast()["rows"]
    after, before = steo_table(rows, "steo-after-onset"), steo_table(rows, "steo-before-onset")
    fill(
        ROOT / "docs" / "nowcast.md",
        {"results": results_table(rows), "steo-after": after, "steo-before": before},
    )
    fill(
        ROOT / "README.md",
        {"results": results_table(rows, {"2026-hormuz", "all"}), "steo-after": after},
    )
    from oilshock.evaluate.track_record import write_nowcast

    write_nowcast(rows)  # the brief's statement of how the weeks ahead compare with no change
    print("wrote docs/nowcast.md, README.md and oilshock/forecast/nowcast_record.json")


if __name__ == "__main__":
    main()
