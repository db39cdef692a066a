"""``oilshock backtest``: historical episodes, predicted vs actual peaks."""

from __future__ import annotations

import click

from oilshock.cli import render
from oilshock.cli.estimate import SEED

COLUMNS = [
    "episode", "as_of",
    "brent_pred_p05", "brent_pred_p50", "brent_pred_p95", "brent_actual", "brent_error", "brent_in_band",
    "retail_pred_p05", "retail_pred_p50", "retail_pred_p95", "retail_actual", "retail_error", "retail_in_band",
]


@click.command()
@click.option("--episode", "episodes", multiple=True, help="Only these episodes (default: all).")
@click.option("--seed", type=SEED, default=None)
@click.option("--draws", type=click.IntRange(100, 100_000), default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def backtest(episodes, seed, draws, fmt: str) -> None:
    """Estimate historical episodes point in time and compare with what happened.

    Brent columns are peak change in percent; retail columns are peak change
    in USD per gallon. "in_band" says whether the actual lies in p05–p95.

    \b
    Example:
      oilshock backtest --format csv > backtest.csv
    """
    from oilshock.backtest import run_backtest

    rows = run_backtest(list(episodes) or None, seed=seed, draws=draws)
    if fmt == "json":
        click.echo(render.to_json(rows))
    elif fmt == "csv":
        click.echo(render.to_csv(rows, COLUMNS), nl=False)
    else:
        click.echo(render.table(rows, COLUMNS))
