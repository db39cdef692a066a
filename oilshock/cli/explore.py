"""``oilshock explore``: the interactive explorer page."""

from __future__ import annotations

from pathlib import Path

import click

from oilshock.cli.estimate import SEED, parse_date


@click.command()
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The page to write (.html).",
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
    help="Chokepoints offered (default: hormuz and bab_el_mandeb).",
)
@click.option("--seed", type=SEED, default=None, help="Monte Carlo seed (default fixed).")
@click.option(
    "--draws",
    type=click.IntRange(100, 10_000),
    default=None,
    help="Monte Carlo draws per grid cell (default 1000).",
)
def explore(output: Path, as_of, chokepoints, seed, draws) -> None:
    """Write an interactive page: sliders for share stopped and duration, a chokepoint selector.

    One self-contained HTML file (works offline, can be emailed) over a grid estimated
    beforehand: weekly gasoline and Brent with their 90% bands, the peak and the household
    cost of the cell chosen. A link can carry a setting: explorer.html#chokepoint=hormuz&share=0.7&days=60

    \b
    Example:
      oilshock explore -o explorer.html --as-of 2026-02-27
    """
    from oilshock.output import check_output_path
    from oilshock.report.explore import DRAWS, write_explorer

    check_output_path(output)
    info = write_explorer(
        output, as_of=as_of, chokepoints=list(chokepoints) or None, draws=draws or DRAWS, seed=seed
    )
    click.echo(
        f"wrote {output}: {info['cells']} cells ({', '.join(info['chokepoints'])}) as of {info['as_of']}",
        err=True,
    )
