"""``oilshock estimate``: a scenario's crude and pump-price paths with bands."""

from __future__ import annotations

import datetime as dt

import click

from oilshock.cli import render

# Seeds are non-negative (numpy's SeedSequence); the bound keeps them exact in JSON readers that use int64.
SEED = click.IntRange(0, 2**63 - 1)


def parse_date(ctx, param, value):
    from oilshock.scenario import ScenarioError, check_date

    if value is None:
        return None
    try:
        return check_date(dt.date.fromisoformat(value))
    except ValueError:
        raise click.BadParameter(f"expected a date like 2026-02-27, got {value[:40]!r}") from None
    except ScenarioError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.option("--scenario", "-s", required=True, help="A preset name (oilshock scenarios list) or a scenario TOML file.")
@click.option("--as-of", callback=parse_date, default=None, help="Use only data on or before this date [YYYY-MM-DD].")
@click.option("--seed", type=SEED, default=None, help="Monte Carlo seed (default fixed: same input, same output).")
@click.option("--draws", type=click.IntRange(100, 100_000), default=None, help="Monte Carlo draws.")
@click.option("--election-date", callback=parse_date, default=None, help="Override the next federal election [YYYY-MM-DD].")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def estimate(scenario: str, as_of, seed, draws, election_date, fmt: str) -> None:
    """Estimate how far and how fast Brent and US gasoline move in a disruption scenario.

    \b
    Examples:
      oilshock estimate --scenario hormuz-partial
      oilshock estimate --scenario my-case.toml --as-of 2026-02-27 --format json
    """
    from oilshock.simulate import DEFAULT_DRAWS, DEFAULT_SEED
    from oilshock.simulate import estimate as run

    result = run(
        scenario, as_of=as_of, seed=DEFAULT_SEED if seed is None else seed, draws=draws or DEFAULT_DRAWS, election_date=election_date
    )
    if fmt == "json":
        click.echo(result.to_json())
    elif fmt == "csv":
        frame = result.to_frame()
        click.echo(render.to_csv(frame.to_dicts(), frame.columns), nl=False)
    else:
        click.echo(result.summary)


@click.command()
@click.option("--scenario", "-s", required=True, help="A preset name or a scenario TOML file.")
@click.option("--as-of", callback=parse_date, default=None, help="Use only data on or before this date [YYYY-MM-DD].")
@click.option("--election-date", callback=parse_date, default=None, help="Override the next federal election [YYYY-MM-DD].")
@click.option("--seed", type=SEED, default=None)
@click.option("--draws", type=click.IntRange(100, 100_000), default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def election(scenario: str, as_of, election_date, seed, draws, fmt: str) -> None:
    """Election-day exposure of a scenario: pump price, approval and House seats, with bands and caveats.

    \b
    Example:
      oilshock election --scenario hormuz-full --as-of 2026-02-27
    """
    from oilshock.simulate import DEFAULT_DRAWS, DEFAULT_SEED
    from oilshock.simulate import estimate as run

    result = run(
        scenario, as_of=as_of, seed=DEFAULT_SEED if seed is None else seed, draws=draws or DEFAULT_DRAWS, election_date=election_date
    )
    if fmt == "json":
        click.echo(render.to_json(result.election))
    else:
        head = f"oilshock election: {result.data['scenario']['title']} · as of {result.data['as_of']}"
        click.echo("\n".join([head] + result.context_lines() + result._election_lines()[1:] + ["", result.data["disclaimer"]]))
