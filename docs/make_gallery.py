"""Regenerate docs/gallery.md and its images: one PNG of every chart kind, from the committed snapshot.

Usage (from the repository root, in the project's virtual environment)::

    python docs/make_gallery.py                  # writes docs/img/gallery-*.png and docs/gallery.md
    python docs/make_gallery.py --out /tmp/g --draws 300   # elsewhere, faster (the test does this)

Every chart is drawn by the same library call as ``oilshock chart KIND`` (``oilshock.report.make``).
Every kind is drawn at the snapshot's newest data (the present: a closure under way in the committed
snapshot); the path and backtest charts again as of 2026-02-27, the day before the 2026 Hormuz
closure, so they can be read against what happened.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 2, 27)  # the eve of the 2026 closure

# (kind, scenarios, options, what it shows): drawn at the newest data
CHARTS = [
    (
        "path",
        ["hormuz-partial"],
        {},
        "Weekly gasoline and Brent: central path, 90% band, the no-disruption path, the status quo "
        "(the closure under way persists) and the observed weeks since before the onset.",
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
        "IMF PortWatch daily tanker transits with a 7-day mean, the scenario window shaded, up to the "
        "as-of date.",
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
]
# Drawn as of the eve of the closure (AS_OF): the estimate then, against what happened.
EVE = [
    (
        "path",
        ["hormuz-partial"],
        {},
        "The estimate as of 27 Feb 2026 with data known that day, what happened afterwards (black) "
        "and EIA's Short-Term Energy Outlook of February 2026 (green).",
    ),
    (
        "backtest",
        [],
        {"episodes": ["2026-hormuz"]},
        "Predicted against observed: the 2026 episode's estimate as of 27 Feb 2026 and the weekly "
        "prices that followed.",
    ),
]


def entries() -> list[tuple]:
    """(image name, kind, scenarios, options, as_of or None for the newest data, what it shows)."""
    return [(f"gallery-{k}.png", k, s, o, None, w) for k, s, o, w in CHARTS] + [
        (f"gallery-{k}-eve.png", k, s, o, None if k == "backtest" else AS_OF, w)
        for k, s, o, w in EVE
    ]


def build(out_dir: Path, *, draws: int | None = None) -> list[Path]:
    """Write one PNG per entry (:func:`entries`) into ``out_dir``; returns the files in order."""
    from oilshock.report.export import to_png
    from oilshock.report.make import KINDS, make_chart

    missing = set(KINDS) - {e[1] for e in entries()}
    if missing:
        raise SystemExit(
            f"docs/make_gallery.py: no gallery entry for chart kind(s) {', '.join(sorted(missing))}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, kind, scenarios, options, as_of, _ in entries():
        chart = make_chart(kind, scenarios, as_of=as_of, draws=draws, **options)
        path = out_dir / name
        path.write_bytes(to_png(chart, scale=1))  # scale 1 keeps the committed images small
        written.append(path)
    return written


def page(image_dir: str) -> str:
    """The gallery page, its images under ``image_dir`` (relative to the page)."""
    from oilshock.data.manifest import read_manifest

    newest = read_manifest(ROOT / "data").datasets["brent_daily"]["last"]
    lines = [
        "# Chart gallery",
        "",
        "Every chart kind of `oilshock chart KIND`, drawn from the committed snapshot at its newest "
        f"data ({newest}), with the Strait of Hormuz closure of 2026 under way;",
        "then the path and backtest charts as of 27 Feb 2026, the eve of the closure, against what "
        "happened. Regenerate with `python docs/make_gallery.py`; the commands below draw the same "
        "charts.",
        "",
        "## At the newest data",
        "",
    ]
    eve_started = False
    for name, kind, scenarios, options, as_of, what in entries():
        if name.endswith("-eve.png") and not eve_started:
            lines += ["## On the eve of the closure (27 Feb 2026)", ""]
            eve_started = True
        args = " ".join(f"-s {s}" for s in scenarios) + (f" --as-of {as_of}" if as_of else "")
        args += "".join(f" --episode {e}" for e in options.get("episodes", []))
        lines += [
            f"### {kind}",
            "",
            what,
            "",
            f"`oilshock chart {kind} {args.strip()} -o {kind}.png`",
            "",
            f"![{kind} chart]({image_dir}/{name})",
            "",
        ]
    lines += [
        "### explore",
        "",
        "`oilshock explore -o explorer.html`: an interactive page (sliders over a precomputed grid; "
        "the share runs from 0, the strait open, to 1, closed, so a reopening of a strait shut now "
        "shows as an easing; the observed weekly prices of the months before, a line at today and at "
        "election day, axes fixed per chokepoint); it has no static image here — open the file.",
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
    print(f"wrote {args.out / 'gallery.md'} and {len(entries())} images")


if __name__ == "__main__":
    main()
