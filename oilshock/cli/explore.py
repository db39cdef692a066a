"""``oilshock explore``: the interactive explorer page."""

from __future__ import annotations

from pathlib import Path

import click

from oilshock.cli.options import (
    as_of_option,
    chokepoints_option,
    monte_carlo_options,
    output_option,
)


@click.command()
@output_option("The page to write (.html).")
@as_of_option()
@chokepoints_option("Chokepoints offered (default: hormuz and bab_el_mandeb).")
@monte_carlo_options("Monte Carlo draws per grid cell (default 1000).", upper=10_000)
def explore(output: Path, as_of, chokepoints, seed, draws) -> None:
    """Write an interactive page: sliders for share stopped and duration, a chokepoint selector.

    One self-contained HTML file (works offline, can be emailed) over a grid estimated
    beforehand: weekly gasoline and Brent with their 90% bands after the observed weekly prices,
    the peak (for an easing, the low) and the household cost of the cell chosen. The share runs
    from 0 (open) to 1 (closed): below the share stopped now it is a reopening. A link can carry
    a setting: explorer.html#chokepoint=hormuz&share=0.7&days=60

    \b
    Example:
      oilshock explore -o explorer.html --as-of 2026-02-27
    """
    from oilshock.cli import render
    from oilshock.report.explore import DRAWS, explorer_steps, write_explorer
    from oilshock.report.output import check_output_path

    check_output_path(output)
    bar, step = render.progress_bar("explore", explorer_steps(chokepoints))
    with bar:
        info = write_explorer(
            output,
            as_of=as_of,
            chokepoints=list(chokepoints) or None,
            draws=draws or DRAWS,
            seed=seed,
            progress=step,
        )
    click.echo(
        f"wrote {output}: {info['cells']} cells ({', '.join(info['chokepoints'])}) as of {info['as_of']}",
        err=True,
    )
