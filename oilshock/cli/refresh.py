"""``oilshock refresh``: rebuild the snapshot from the sources."""

from __future__ import annotations

from pathlib import Path

import click

from oilshock.cli import render


@click.command()
@click.option(
    "--from",
    "from_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Read the sources from DIR, laid out like shared/data/raw (the live fetch comes later).",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write here (default: OILSHOCK_DATA_DIR, else the user data directory).",
)
def refresh(from_dir: Path, data_dir: Path | None) -> None:
    """Rebuild every dataset, validate it, and replace the snapshot only if all pass.

    \b
    Example:
      OILSHOCK_DATA_DIR=./data oilshock refresh --from ../shared/data/raw
    """
    import os

    from oilshock.datasets import user_data_dir
    from oilshock.ingest import build_snapshot

    target = data_dir or (Path(os.environ["OILSHOCK_DATA_DIR"]) if os.environ.get("OILSHOCK_DATA_DIR") else user_data_dir())
    manifest = build_snapshot(from_dir, target)
    rows = [
        {"name": k, "rows": v["rows"], "first": v["first"], "last": v["last"]}
        for k, v in sorted(manifest["datasets"].items())
    ]
    click.echo(render.table(rows))
    click.echo(f"snapshot {manifest['snapshot_sha256'][:12]} written to {target}")
