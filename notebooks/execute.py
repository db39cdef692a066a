"""Run every notebook in this folder top to bottom and save it with its outputs.

Usage (from the repository root, with the test extra installed)::

    python notebooks/execute.py            # rewrite every notebook with fresh outputs
    python notebooks/execute.py --check    # exit 1 if a committed notebook's outputs are stale

The notebooks are committed with their outputs so a reader sees the charts and figures on
GitHub without running anything. ``tests/test_notebooks.py`` runs each notebook in a real kernel
and compares its text outputs with the committed ones (:func:`text_outputs`), so outputs that no
longer match the code fail the suite. Files a notebook writes (the briefing, a PNG) go to a
temporary folder, not into the repository.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The data's age ("… 110 days before today (2026-12-06)") changes every day; it is not compared.
_AGE = re.compile(r"\d+ days? before today \(\d{4}-\d{2}-\d{2}\)")


def notebooks() -> list[Path]:
    return sorted(HERE.glob("*.ipynb"))


def execute(path: Path, workdir: Path):
    """The notebook at ``path`` executed in a fresh kernel started in ``workdir``."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    ).execute()
    for cell in nb.cells:  # run times and kernel ids change on every run: not kept
        cell.metadata.pop("execution", None)
    return nb


def text_outputs(nb) -> list[list[str]]:
    """Each code cell's text outputs (printed text and plain-text results), the data's age masked;
    images are represented by their kind only (their bytes depend on the machine's fonts)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                parts.append(_AGE.sub("<age>", o.get("text", "")))
            elif o.get("output_type") in ("execute_result", "display_data"):
                data = o.get("data", {})
                if "image/png" in data:
                    parts.append("<image/png>")
                elif "text/plain" in data:
                    parts.append(_AGE.sub("<age>", "".join(data["text/plain"])))
            elif o.get("output_type") == "error":
                parts.append(f"error: {o.get('ename')}")
        out.append(parts)
    return out


def main(argv: list[str] | None = None) -> int:
    import nbformat

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = ap.parse_args(argv)
    stale = []
    for path in notebooks():
        with tempfile.TemporaryDirectory() as tmp:
            fresh = execute(path, Path(tmp))
        if args.check:
            if text_outputs(fresh) != text_outputs(nbformat.read(path, as_version=4)):
                stale.append(path.name)
        else:
            nbformat.write(fresh, path)
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print(
            f"stale outputs: {', '.join(stale)}; run python notebooks/execute.py", file=sys.stderr
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
