"""Options shared by several commands, each defined once.

A command composes them as decorators (``@as_of_option()``, ``@monte_carlo_options()``);
the names, types, bounds and help texts live here only. *As in*: sqlite-utils
``cli.py`` (``output_options``, ``insert_upsert_options``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import click

# Seeds are non-negative (numpy's SeedSequence); the bound keeps them exact in JSON readers that use int64.
SEED = click.IntRange(0, 2**63 - 1)
FORMATS = ("table", "json", "csv")


def parse_date(ctx, param, value):
    """``YYYY-MM-DD`` → a date inside the range scenarios accept; a bad value is a usage error.

    ``--as-of`` is also held to the data by the estimate's own guard
    (:func:`oilshock.forecast.prepare.check_as_of`): every command with ``--as-of`` takes it
    through here, so none can draw weeks after the newest data or fit on none. A date
    outside the Brent series fails in one line, exit 2, before any work starts.
    """
    from oilshock.errors import ScenarioError
    from oilshock.scenario.parse import check_date

    if value is None:
        return None
    try:
        date = check_date(dt.date.fromisoformat(value))
    except ValueError:
        raise click.BadParameter(f"expected a date like 2026-02-27, got {value[:40]!r}") from None
    except ScenarioError as exc:
        raise click.BadParameter(str(exc)) from None
    if param is not None and param.name == "as_of":
        from oilshock.forecast.prepare import check_as_of

        return check_as_of(date)
    return date


def parse_number_or_range(ctx, param, value):
    """``0.7`` → 0.7, ``0.6,0.8`` → (0.6, 0.8); anything else is passed on as text for the
    scenario rules to judge."""
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return value
    return nums[0] if len(nums) == 1 else tuple(nums) if len(nums) == 2 else value


def parse_share(ctx, param, value):
    """A share of normal flow: ``0.5`` or ``50%`` → 0.5, ``40%,60%`` → (0.4, 0.6); anything else
    is passed on for the scenario rules to refuse in one line."""
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    if any(p.endswith("%") for p in parts):
        try:
            parts = [str(float(p[:-1]) / 100) if p.endswith("%") else p for p in parts]
        except ValueError:
            return value
    return parse_number_or_range(ctx, param, ",".join(parts))


def compose(*decorators: Callable) -> Callable:
    """One decorator applying ``decorators`` in the order listed (top one outermost)."""

    def deco(fn):
        for d in reversed(decorators):
            fn = d(fn)
        return fn

    return deco


def as_of_option(help: str = "Use only data on or before this date [YYYY-MM-DD].") -> Callable:
    return click.option("--as-of", callback=parse_date, default=None, help=help)


def election_date_option() -> Callable:
    return click.option(
        "--election",
        "--election-date",
        "election_date",
        callback=parse_date,
        default=None,
        help="Election day [YYYY-MM-DD]; default: the next federal election after the later of "
        "--as-of and today (a past date gives a retrospective).",
    )


def seed_option() -> Callable:
    return click.option(
        "--seed",
        type=SEED,
        default=None,
        help="Monte Carlo seed (default fixed: same input, same output).",
    )


def draws_option(help: str = "Monte Carlo draws.", upper: int = 100_000) -> Callable:
    return click.option("--draws", type=click.IntRange(100, upper), default=None, help=help)


def monte_carlo_options(draws_help: str = "Monte Carlo draws.", upper: int = 100_000) -> Callable:
    """``--seed`` and ``--draws``."""
    return compose(seed_option(), draws_option(draws_help, upper))


def format_option(choices: tuple[str, ...] = FORMATS, help: str | None = None) -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="table",
        show_default=True,
        help=help,
    )


def scenarios_option(help: str, required: bool = False) -> Callable:
    return click.option(
        "--scenario", "-s", "scenarios", multiple=True, required=required, help=help
    )


def chokepoints_option(help: str) -> Callable:
    return click.option("--chokepoint", "-c", "chokepoints", multiple=True, help=help)


def output_option(help: str) -> Callable:
    return click.option(
        "--output",
        "-o",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help=help,
    )
