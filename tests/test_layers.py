"""The package's layers: nothing below ``oilshock/cli/`` imports the CLI (issue #16 item 4)."""

import ast
from pathlib import Path

import oilshock

PACKAGE = Path(oilshock.__file__).parent


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_library_never_imports_the_cli():
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(n for n in _imports(p) if n.startswith("oilshock.cli"))
        for p in PACKAGE.rglob("*.py")
        if "cli" not in p.relative_to(PACKAGE).parts and p.name != "__main__.py"
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_sees_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from oilshock.cli import render\n")
    assert "oilshock.cli" in _imports(bad)
