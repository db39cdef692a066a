"""``oilshock data diff``: what changed between two snapshots."""

from __future__ import annotations

from pathlib import Path

import click

from oilshock.cli import render
from oilshock.cli.options import format_option


@click.command("diff")
@click.argument(
    "old", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True)
)
@click.argument(
    "new", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True)
)
@click.option("--all", "show_all", is_flag=True, help="List unchanged datasets too.")
@format_option(("table", "json"))
def diff(old: Path | None, new: Path | None, show_all: bool, fmt: str) -> None:
    """Rows added, removed and revised per dataset between snapshots OLD and NEW.

    Rows are matched on each dataset's primary key. Without arguments,
    compares the previous kept snapshot with the current one.

    \b
    Examples:
      oilshock data diff
      oilshock data diff ~/.local/share/oilshock.history/2026-11-19-0123456789ab ~/.local/share/oilshock
    """
    from oilshock.data.diff import default_pair, diff_snapshots
    from oilshock.data.location import configured_data_dir

    if (old is None) != (new is None):
        raise click.UsageError(
            "give both OLD and NEW, or neither (previous kept snapshot vs current)"
        )
    if old is None:
        old, new = default_pair(configured_data_dir())
    rows = diff_snapshots(old, new)
    if not show_all:
        rows = [r for r in rows if r["status"] != "unchanged"]
    if fmt == "json":
        click.echo(render.to_json(rows))
        return
    for r in rows:  # one example, shortened, keeps the table readable; --format json has them all
        first = r["examples"].split(" | ")[0]
        r["examples"] = first if len(first) <= 100 else first[:99] + "…"
    click.echo(f"{old} -> {new}")
    click.echo(render.table(rows) if rows else "no dataset changed")
