"""``oilshock scenarios``: the shipped presets and every resolved parameter."""

from __future__ import annotations

import click

from oilshock.cli import render
from oilshock.cli.options import as_of_option, format_option


@click.group()
def scenarios() -> None:
    """List and inspect scenario presets."""


@scenarios.command("list")
@format_option()
def list_(fmt: str) -> None:
    """One row per preset: name and title."""
    from oilshock.scenario.spec import list_presets, load_scenario

    render.echo_rows([{"name": n, "title": load_scenario(n).title} for n in list_presets()], fmt)


@scenarios.command()
@click.argument("name")
@as_of_option("Resolve defaults from data on or before this date.")
@format_option(help="table and csv: one key/value row per resolved parameter; json: nested.")
def show(name: str, as_of, fmt: str) -> None:
    """Print scenario NAME (preset or file) with every resolved parameter and where its default comes from."""
    from oilshock.forecast.prepare import default_as_of, describe_scenario
    from oilshock.scenario.spec import check_as_of_known, load_scenario

    sc = load_scenario(name)
    newest = default_as_of()
    check_as_of_known(
        as_of or sc.as_of or newest, newest, "--as-of" if as_of else f"{sc.source}: key 'as_of':"
    )
    click.echo(render.key_values(describe_scenario(sc, as_of=as_of), fmt), nl=fmt != "csv")
