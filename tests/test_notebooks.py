"""Every notebook in notebooks/ runs top to bottom in a real Jupyter kernel and displays its charts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook():
    assert NOTEBOOKS


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_displays_its_charts(path, tmp_path, params_2026):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit notebooks without outputs"
    )
    # The kernel of the test extra (ipykernel), started in tmp_path: files the notebook writes land there.
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
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
