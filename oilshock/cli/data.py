"""``oilshock data``: list, show and validate the datasets."""

from __future__ import annotations

from pathlib import Path

import click

from oilshock.cli import render
from oilshock.cli.options import format_option


@click.group()
def data() -> None:
    """Inspect and check the validated datasets in the data directory."""


@data.command("list")
@format_option()
def list_(fmt: str) -> None:
    """One row per dataset: name, rows, first and last date, source.

    \b
    Example:
      oilshock data list --format json
    """
    from oilshock.data.datasets import list_datasets

    render.echo_rows(list_datasets(), fmt)


@data.command()
@click.argument("name")
@click.option("--tail", type=click.IntRange(min=1), default=None, help="Only the last N rows.")
@format_option()
def show(name: str, tail: int | None, fmt: str) -> None:
    """Print dataset NAME (all rows, or the last N with --tail).

    \b
    Example:
      oilshock data show brent_daily --tail 5
    """
    from oilshock.data.datasets import load_dataset

    frame = load_dataset(name)
    if tail:
        # Any whole number is a sane request: more rows than the dataset has means all of them
        # (polars cannot take a count beyond 64 bits).
        frame = frame.tail(min(tail, frame.height))
    render.echo_rows(frame.to_dicts(), fmt, frame.columns)


@data.command()
@click.option(
    "--dataset", default=None, help="Check the given files against this dataset's contract."
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(dataset: str | None, paths: tuple[Path, ...]) -> None:
    """Check the snapshot (default), or CSV/Parquet PATHS against --dataset's contract.

    Exits 1 naming the file, column, rule and first offending rows when a
    rule fails.

    \b
    Examples:
      oilshock data validate
      oilshock data validate --dataset brent_daily my_brent.csv
    """
    from oilshock.data.datasets import validate_files, validate_snapshot

    if paths and not dataset:
        raise click.UsageError("give --dataset NAME to check files against a contract")
    if dataset and not paths:
        raise click.UsageError("give the file(s) to check against --dataset")
    rows = validate_files(dataset, list(paths)) if dataset else validate_snapshot()
    click.echo(render.table(rows))
    click.echo(f"{len(rows)} checked, all valid")


@data.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to FILE instead of stdout.",
)
def dictionary(output: Path | None) -> None:
    """Print the data dictionary (Markdown) generated from schemas/*.toml."""
    from oilshock.data.dictionary import render_data_dictionary
    from oilshock.report.output import check_output_path, write_atomic

    if output:
        check_output_path(output)
    text = render_data_dictionary()
    if output:
        write_atomic(output, text)
    else:
        click.echo(text, nl=False)
