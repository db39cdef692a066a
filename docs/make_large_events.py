"""Regenerate the large-past-losses tables in docs/evaluation.md.

Usage (from the repository root, in the project's virtual environment)::

    python docs/make_large_events.py     # oilshock.evaluate.large_events.run_large_events at its defaults (seconds)

The tables sit between ``<!-- large-events:begin -->`` and ``<!-- large-events:end -->``; the text
around them is written by hand and must be reread after a rerun.
"""

from __future__ import annotations

import time
from pathlib import Path

from make_evaluation import replace_block  # docs/ is the script's directory, first on sys.path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from oilshock.evaluate.large_events import large_events_markdown, run_large_events

    t = time.perf_counter()
    result = run_large_events()
    seconds = time.perf_counter() - t
    block = large_events_markdown(result) + f"\n\n(Run time {seconds:.1f} s on the 2-core machine.)"
    path = ROOT / "docs" / "evaluation.md"
    path.write_text(
        replace_block(path.read_text(encoding="utf-8"), "large-events", block), encoding="utf-8"
    )
    print(f"wrote {path} ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
