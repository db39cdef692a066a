"""Regenerate docs/gallery.md and its images: one PNG of every chart kind, from the committed snapshot.

Usage (from the repository root, in the project's virtual environment)::

    python docs/make_gallery.py                  # writes docs/img/gallery-*.png and docs/gallery.md
    python docs/make_gallery.py --out /tmp/g --draws 300   # elsewhere, faster (the test does this)

Every chart is drawn by the same library call as ``oilshock chart KIND`` (``oilshock.report.make``),
as of 2026-02-27, the day before the 2026 Hormuz closure, so the backtest panel has weeks to compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 2, 27)

# (kind, scenarios, options, what it shows)
CHARTS = [
    (
        "path",
        ["hormuz-partial"],
        {},
        "Weekly gasoline and Brent: central path, 90% band, the price before the shock, observed weeks before it.",
    ),
    (
        "compare",
        ["hormuz-partial", "hormuz-full", "red-sea"],
        {},
        "Peak changes of several scenarios side by side, with their bands.",
    ),
    (
        "gallon",
        ["hormuz-partial"],
        {},
        "What is in a gallon before the shock and at the peak: crude, refining, distribution, taxes.",
    ),
    (
        "transits",
        ["hormuz-partial"],
        {},
        "IMF PortWatch daily tanker transits with a 7-day mean, the scenario window shaded, up to the as-of date.",
    ),
    (
        "sensitivity",
        ["hormuz-partial"],
        {},
        "Central peak pump-price change over share blocked × duration; the outlined cell is the estimate.",
    ),
    (
        "regions",
        ["hormuz-partial"],
        {},
        "Peak pump-price change and household cost by PADD, sub-PADD region and state.",
    ),
    (
        "backtest",
        [],
        {"episodes": ["2026-hormuz"]},
        "Predicted against observed: the 2026 episode's estimate as of 27 Feb 2026 and the weekly "
        "prices that followed.",
    ),
]


def build(out_dir: Path, *, draws: int | None = None) -> list[Path]:
    """Write one PNG per chart kind into ``out_dir``; returns the files in :data:`CHARTS` order."""
    from oilshock.report.export import to_png
    from oilshock.report.make import KINDS, make_chart

    missing = set(KINDS) - {k for k, *_ in CHARTS}
    if missing:
        raise SystemExit(
            f"docs/make_gallery.py: no gallery entry for chart kind(s) {', '.join(sorted(missing))}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, scenarios, options, _ in CHARTS:
        as_of = None if kind == "backtest" else AS_OF
        chart = make_chart(kind, scenarios, as_of=as_of, draws=draws, **options)
        path = out_dir / f"gallery-{kind}.png"
        path.write_bytes(to_png(chart, scale=1))  # scale 1 keeps the committed images small
        written.append(path)
    return written


def page(image_dir: str) -> str:
    """The gallery page, its images under ``image_dir`` (relative to the page)."""
    lines = [
        "# Chart gallery",
        "",
        "Every chart kind of `oilshock chart KIND`, drawn from the committed snapshot as of 27 Feb 2026.",
        "Regenerate with `python docs/make_gallery.py`; the commands below draw the same charts.",
        "",
    ]
    for kind, scenarios, options, what in CHARTS:
        args = " ".join(f"-s {s}" for s in scenarios) + (
            f" --as-of {AS_OF}" if kind != "backtest" else ""
        )
        args += "".join(f" --episode {e}" for e in options.get("episodes", []))
        lines += [
            f"## {kind}",
            "",
            what,
            "",
            f"`oilshock chart {kind} {args.strip()} -o {kind}.png`",
            "",
            f"![{kind} chart]({image_dir}/gallery-{kind}.png)",
            "",
        ]
    lines += [
        "## explore",
        "",
        "`oilshock explore -o explorer.html`: an interactive page (sliders over a precomputed grid); "
        "it has no static image here — open the file.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out",
        type=Path,
        default=ROOT / "docs",
        help="folder for gallery.md (images go to OUT/img)",
    )
    ap.add_argument(
        "--draws", type=int, default=None, help="Monte Carlo draws (default: the estimate's)"
    )
    args = ap.parse_args()
    build(args.out / "img", draws=args.draws)
    (args.out / "gallery.md").write_text(page("img"), encoding="utf-8")
    print(f"wrote {args.out / 'gallery.md'} and {len(CHARTS)} images")


if __name__ == "__main__":
    main()
