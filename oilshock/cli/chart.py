"""``oilshock chart`` and ``oilshock brief``: charts and briefings as files."""

from __future__ import annotations

from pathlib import Path

import click

from oilshock.cli.options import (
    as_of_option,
    chokepoints_option,
    election_date_option,
    monte_carlo_options,
    output_option,
    scenarios_option,
)
from oilshock.cli.render import progress_bar
from oilshock.report.kinds import KINDS


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@scenarios_option("A preset or scenario TOML file; repeat for several (compare).")
@as_of_option()
@chokepoints_option("transits: chokepoints shown; sensitivity: the one varied.")
@click.option(
    "--episode",
    "episodes",
    multiple=True,
    help="backtest: a catalog event (oilshock evaluate); repeat, or omit for every event.",
)
@election_date_option()
@monte_carlo_options()
@output_option("Output file: .html, .png, .svg or .json.")
def chart(
    kind, scenarios, as_of, chokepoints, episodes, election_date, seed, draws, output: Path
) -> None:
    """Draw one chart; the output file's extension picks the format.

    \b
    KIND: one of those in the usage line. backtest draws predicted against observed
    (--episode NAME, every episode, or -s with a past --as-of).
    .html is self-contained (works offline); .png and .svg are images; .json is the Vega-Lite spec.

    \b
    Examples:
      oilshock chart path -s hormuz-partial --as-of 2026-02-27 -o path.png
      oilshock chart compare -s hormuz-partial -s red-sea -o compare.html
      oilshock chart transits -c hormuz -c bab_el_mandeb -o transits.svg
      oilshock chart sensitivity -s hormuz-partial -o grid.png
      oilshock chart backtest --episode 2026-hormuz -o hormuz-2026.png
      oilshock chart backtest -o every-episode.html
    """
    from oilshock.report.export import check_format, save
    from oilshock.report.make import chart_steps, make_chart
    from oilshock.report.output import check_output_path

    check_format(
        output
    )  # before any work: a wrong extension or an unwritable path is a usage error (exit 2)
    check_output_path(output)
    if episodes and kind != "backtest":
        raise click.UsageError("--episode is for 'oilshock chart backtest'")
    bar, step = progress_bar("chart", chart_steps(kind, scenarios, episodes) + 1)
    with bar:
        c = make_chart(
            kind,
            scenarios,
            as_of=as_of,
            chokepoints=chokepoints,
            seed=seed,
            draws=draws,
            episodes=episodes,
            progress=step,
            election_date=election_date,
        )
        save(c, output)
        step("saved")
    click.echo(f"wrote {output}", err=True)


@click.command()
@scenarios_option("A preset or scenario TOML file; repeat for several.", required=True)
@as_of_option()
@election_date_option()
@monte_carlo_options()
@click.option(
    "--images",
    type=click.Choice(["png", "svg"]),
    default="png",
    show_default=True,
    help="Markdown only: image format written beside the file.",
)
@output_option("brief.html (self-contained) or brief.md.")
def brief(scenarios, as_of, election_date, seed, draws, images, output: Path) -> None:
    """Write a briefing: summary, key table, charts, method, limits and provenance.

    \b
    .html: one self-contained file (all JavaScript inlined; opens with no network).
    .md:   Markdown with the charts as PNG (or SVG) files beside it.

    \b
    Examples:
      oilshock brief -s hormuz-partial -s red-sea --as-of 2026-02-27 -o brief.html
      oilshock brief -s hormuz-partial -o memo/brief.md
    """
    from oilshock.report.brief import BRIEF_STEPS, write_brief

    bar, step = progress_bar("brief", len(BRIEF_STEPS))
    with bar:
        written = write_brief(
            list(scenarios),
            output,
            as_of=as_of,
            seed=seed,
            draws=draws,
            images=images,
            progress=step,
            election_date=election_date,
        )
    for p in written:
        click.echo(f"wrote {p}", err=True)
