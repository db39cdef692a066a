"""The package's stages: layers checked by import-linter, and no import cycle anywhere.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``); CI runs ``lint-imports`` too.
The cycle check reads every ``import`` with the standard library's :mod:`ast`, including imports
inside functions (a lazy import is still a dependency), so a cycle that import-linter's layers
would allow inside one stage is caught as well.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

import oilshock

PACKAGE = Path(oilshock.__file__).resolve().parent
REPO = PACKAGE.parent
LINT = shutil.which("lint-imports")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Module → the package modules it imports (at any depth of the file), by ``ast``.

    ``from a import b`` counts as importing ``a.b`` when that is a module, else ``a``; the
    implicit import of a parent package is not counted (Python makes it for every submodule).
    """
    root = package_dir.parent
    files = {_module_name(p, root): p for p in package_dir.rglob("*.py")}

    def resolve(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for mod, path in files.items():
        is_pkg = path.name == "__init__.py"
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
                    base = base[: len(base) - node.level + 1]
                    src = ".".join(base + ([node.module] if node.module else []))
                else:
                    src = node.module or ""
                targets = [
                    f"{src}.{a.name}" if f"{src}.{a.name}" in files else src for a in node.names
                ]
            else:
                continue
            out |= {r for t in targets if (r := resolve(t)) and r != mod}
        graph[mod] = out
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in graph:
                    continue
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        found.append(sorted(comp))
    return found


def test_no_import_cycle_anywhere():
    assert cycles(import_graph(PACKAGE)) == []


def test_the_cycle_check_sees_a_cycle(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import c\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    assert cycles(import_graph(pkg)) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


def test_the_top_of_the_package_shows_the_stages():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert folders == {
        "sources",
        "ingest",
        "data",
        "scenario",
        "model",
        "forecast",
        "evaluate",
        "report",
        "schedule",
        "cli",
    }
    assert modules <= {"__init__", "__main__", "_version", "errors", "periods", "units", "text"}


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT, "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(LINT is None, reason="import-linter comes with the test extra")
def test_import_linter_contracts_are_kept():
    res = _lint(REPO)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout


@pytest.mark.skipif(LINT is None, reason="import-linter comes with the test extra")
def test_import_linter_sees_a_lower_stage_importing_a_higher_one(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "oilshock", ignore=shutil.ignore_patterns("__pycache__"))
    diff = tmp_path / "oilshock" / "data" / "diff.py"
    diff.write_text(diff.read_text() + "\n\ndef _bad():\n    from oilshock.cli import render\n")
    res = _lint(tmp_path)
    assert res.returncode != 0
    assert "oilshock.data.diff -> oilshock.cli.render" in res.stdout
