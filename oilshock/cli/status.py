"""``oilshock status``: data age, latest prices, chokepoint states and the next election."""

from __future__ import annotations

import click

from oilshock.cli import render
from oilshock.cli.options import as_of_option, format_option


@click.command()
@as_of_option("Judge the states at this date [YYYY-MM-DD]; default: the newest data.")
@format_option(help="csv: one key/value row per figure.")
def status(as_of, fmt: str) -> None:
    """The world the estimate runs in: how old the data are, prices now, disruptions under way.

    \b
    Examples:
      oilshock status
      oilshock status --as-of 2026-05-15 --format json
    """
    from oilshock.forecast.status import format_status, get_status

    s = get_status(as_of=as_of)
    click.echo(format_status(s) if fmt == "table" else render.key_values(s, fmt), nl=fmt != "csv")
