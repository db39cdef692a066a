"""``oilshock chart`` and ``oilshock brief``: charts and briefings as files."""

from __future__ import annotations

from pathlib import Path

import click

from oilshock.cli.estimate import SEED, parse_date

KINDS = (
    "path",
    "compare",
    "gallon",
    "transits",
    "sensitivity",
    "regions",
    "backtest",
)  # == oilshock.report.make.KINDS (no altair import here)


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--scenario",
    "-s",
    "scenarios",
    multiple=True,
    help="A preset or scenario TOML file; repeat for several (compare).",
)
@click.option(
    "--as-of",
    callback=parse_date,
    default=None,
    help="Use only data on or before this date [YYYY-MM-DD].",
)
@click.option(
    "--chokepoint",
    "-c",
    "chokepoints",
    multiple=True,
    help="transits: chokepoints shown; sensitivity: the one varied.",
)
@click.option(
    "--episode",
    "episodes",
    multiple=True,
    help="backtest: a catalog event (oilshock evaluate); repeat, or omit for every event.",
)
@click.option("--seed", type=SEED, default=None, help="Monte Carlo seed (default fixed).")
@click.option("--draws", type=click.IntRange(100, 100_000), default=None, help="Monte Carlo draws.")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file: .html, .png, .svg or .json.",
)
def chart(kind, scenarios, as_of, chokepoints, episodes, seed, draws, output: Path) -> None:
    """Draw one chart; the output file's extension picks the format.

    \b
    KIND is one of: path, compare, gallon, transits, sensitivity, regions, backtest
    (predicted against observed: --episode NAME, every episode, or -s with a past --as-of).
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
    from oilshock.output import check_output_path
    from oilshock.report.export import check_format, save
    from oilshock.report.make import make_chart

    check_format(
        output
    )  # before any work: a wrong extension or an unwritable path is a usage error (exit 2)
    check_output_path(output)
    if episodes and kind != "backtest":
        raise click.UsageError("--episode is for 'oilshock chart backtest'")
    c = make_chart(
        kind,
        scenarios,
        as_of=as_of,
        chokepoints=chokepoints,
        seed=seed,
        draws=draws,
        episodes=episodes,
    )
    save(c, output)
    click.echo(f"wrote {output}", err=True)


@click.command()
@click.option(
    "--scenario",
    "-s",
    "scenarios",
    multiple=True,
    required=True,
    help="A preset or scenario TOML file; repeat for several.",
)
@click.option(
    "--as-of",
    callback=parse_date,
    default=None,
    help="Use only data on or before this date [YYYY-MM-DD].",
)
@click.option("--seed", type=SEED, default=None, help="Monte Carlo seed (default fixed).")
@click.option("--draws", type=click.IntRange(100, 100_000), default=None, help="Monte Carlo draws.")
@click.option(
    "--images",
    type=click.Choice(["png", "svg"]),
    default="png",
    show_default=True,
    help="Markdown only: image format written beside the file.",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="brief.html (self-contained) or brief.md.",
)
def brief(scenarios, as_of, seed, draws, images, output: Path) -> None:
    """Write a briefing: summary, key table, charts, method, limits and provenance.

    \b
    .html: one self-contained file (all JavaScript inlined; opens with no network).
    .md:   Markdown with the charts as PNG (or SVG) files beside it.

    \b
    Examples:
      oilshock brief -s hormuz-partial -s red-sea --as-of 2026-02-27 -o brief.html
      oilshock brief -s hormuz-partial -o memo/brief.md
    """
    from oilshock.cli.render import progress_bar
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
        )
    for p in written:
        click.echo(f"wrote {p}", err=True)
