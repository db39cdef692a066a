"""Regenerate the known-truth bench tables in docs/evaluation.md.

Usage (from the repository root, in the project's virtual environment)::

    python docs/make_bench.py            # oilshock.evaluate.bench.run_bench at its defaults (about a minute)

The tables sit between ``<!-- bench:begin -->`` and ``<!-- bench:end -->``; the text around them is
written by hand and must be reread after a rerun.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from oilshock.evaluate.bench import bench_markdown, mixture_components, run_bench
    from oilshock.model.crude_paths import MIXTURE_COMPONENTS

    t = time.perf_counter()
    result = run_bench(progress=lambda name: print(".", end="", flush=True, file=sys.stderr))
    seconds = time.perf_counter() - t
    found = mixture_components(result.rows)
    if set(found) != set(MIXTURE_COMPONENTS):
        # The mixture is defined by the bench (docs/evaluation.md, amendment 3b): a stale set is a defect.
        raise SystemExit(
            f"the bench's closest shapes are {found}, crude_paths.MIXTURE_COMPONENTS is "
            f"{MIXTURE_COMPONENTS}: update the constant, then rerun"
        )
    block = bench_markdown(result) + f"\n\n(Run time {seconds:.0f} s on the 2-core machine.)"
    path = ROOT / "docs" / "evaluation.md"
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(
        r"(<!-- bench:begin -->\n).*?(<!-- bench:end -->)",
        lambda m: m.group(1) + block + "\n" + m.group(2),
        text,
        flags=re.S,
    )
    if n != 1:
        raise SystemExit(f"{path}: no <!-- bench:begin/end --> block")
    path.write_text(new, encoding="utf-8")
    print(f"\nwrote {path} ({seconds:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
