"""Golden estimates on the committed snapshot; regenerate with tests/golden/make_golden.py."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
spec = __import__("importlib.util").util.spec_from_file_location(
    "make_golden", GOLDEN / "make_golden.py"
)
make_golden = __import__("importlib.util").util.module_from_spec(spec)
spec.loader.exec_module(make_golden)


def close(a, b, path=""):
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6), (path, a, b)
    else:
        assert a == b, (path, a, b)


@pytest.mark.parametrize("name", sorted(make_golden.CASES))
def test_golden(name):
    expected = json.loads((GOLDEN / f"{name}.json").read_text())
    scenario, as_of = make_golden.CASES[name]
    close(make_golden.golden(scenario, as_of), expected)
