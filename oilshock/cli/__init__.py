"""The ``oilshock`` command: a thin click layer over the library.

Each command parses its options, calls one library function and renders the
result. Library errors (:class:`oilshock.errors.OilshockError`) become one
line on stderr and the error's exit code — never a traceback:

====  =====================================================================
code  meaning
====  =====================================================================
0     success
1     data problem: a file breaks its contract, a source is missing or
      unreadable, the snapshot does not match its manifest
2     usage problem: unknown name, bad option or scenario (click's own
      usage errors also exit 2)
3     ``refresh``/``update`` only: the data are older than ``--max-age``
      (see :mod:`oilshock.cli.refresh`)
====  =====================================================================
"""

from __future__ import annotations

import sys

import click

from oilshock._version import __version__
from oilshock.errors import OilshockError
from oilshock.text import strip_userinfo


class _Group(click.Group):
    """A group that turns library errors into a clear message and exit code."""

    def invoke(self, ctx: click.Context):
        from oilshock.data.location import pinned

        try:
            # One snapshot per command: a refresh switching the data directory
            # meanwhile cannot make a command read two snapshots.
            with pinned():
                return super().invoke(ctx)
        except OilshockError as exc:
            # The last guard: no URL's user:password@ reaches the terminal, whatever raised.
            click.echo(f"Error: {strip_userinfo(str(exc))}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="oilshock")
def main() -> None:
    """oilshock: what an oil chokepoint disruption does to US gasoline prices.

    \b
    Examples:
      oilshock estimate --scenario hormuz-partial
      oilshock election --scenario hormuz-full
      oilshock brief -s hormuz-partial -s red-sea -o brief.html
      oilshock data list
      oilshock update
    """


def _register() -> None:
    from oilshock.cli import (
        backtest,
        chart,
        data,
        diff,
        estimate,
        evaluate,
        explore,
        refresh,
        scenarios,
        status,
    )

    data.data.add_command(diff.diff)

    for command in (
        data.data,
        estimate.estimate,
        estimate.election,
        scenarios.scenarios,
        backtest.backtest,
        evaluate.evaluate,
        evaluate.bench,
        evaluate.large_events,
        explore.explore,
        refresh.refresh,
        refresh.recompute,
        refresh.update,
        chart.chart,
        chart.brief,
        status.status,
    ):
        main.add_command(command)


_register()
