"""Every command is documented: help text, and a mention in the README."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from oilshock.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def walk(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from walk(cmd, prefix + (name,))


def test_every_command_has_help_and_is_in_the_readme():
    names = []
    for path, cmd in walk(main):
        res = CliRunner().invoke(main, [*path, "--help"])
        assert res.exit_code == 0, path
        assert cmd.help and len(cmd.help.strip()) > 20, path
        names.append(" ".join(path))
        assert f"oilshock {' '.join(path)}" in README, (
            f"README does not document 'oilshock {' '.join(path)}'"
        )
    assert {
        "estimate",
        "election",
        "backtest",
        "brief",
        "chart",
        "refresh",
        "recompute",
        "update",
        "data diff",
    } <= set(names)
