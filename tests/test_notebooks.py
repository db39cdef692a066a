"""Every notebook in notebooks/ runs top to bottom in a real Jupyter kernel, displays its charts,
and is committed with the outputs it gives today (``python notebooks/execute.py`` rewrites them)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))


def _execute_module():
    spec = importlib.util.spec_from_file_location("notebook_execute", FOLDER / "execute.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_is_a_notebook():
    assert NOTEBOOKS


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_displays_its_charts(path, tmp_path, params_2026):
    import nbformat

    execute = _execute_module()
    committed = nbformat.read(path, as_version=4)
    # The kernel of the test extra (ipykernel), started in tmp_path: files the notebook writes land there.
    nb = execute.execute(path, tmp_path)
    # Committed with its outputs, and they are the ones the code gives now (text compared; the
    # images by count, as their bytes depend on the machine's fonts).
    assert execute.text_outputs(committed) == execute.text_outputs(nb), (
        f"{path.name}: the committed outputs are stale; run python notebooks/execute.py"
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [
        o
        for o in outputs
        if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {})
    ]
    assert len(charts) >= 6, json.dumps([list(o.get("data", {})) for o in outputs])[:500]
    assert (tmp_path / "hormuz-brief.html").is_file() and (
        tmp_path / "hormuz-transits.png"
    ).is_file()
