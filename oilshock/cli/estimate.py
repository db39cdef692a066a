"""``oilshock estimate``: a scenario's crude and pump-price paths with bands."""

from __future__ import annotations

from pathlib import Path

import click

from oilshock import periods
from oilshock.cli import render
from oilshock.cli.options import (
    FORMATS,
    SEED,  # noqa: F401 (re-exported for older imports)
    as_of_option,
    election_date_option,
    format_option,
    monte_carlo_options,
    parse_date,
    parse_number_or_range,
    parse_share,
    scenarios_option,
)

WHATIF = ("chokepoint", "share", "days", "recovery_days", "start", "name")


def today():
    """Today's date (:func:`oilshock.periods.today`, which tests replace)."""
    return periods.today()


@click.command()
@scenarios_option(
    "A preset name (oilshock scenarios list) or a scenario TOML file; "
    "repeat it, or give 'all', for a comparison table."
)
@click.option(
    "--chokepoint",
    default=None,
    help="Quick what-if without a file: the chokepoint id (with --share and --days).",
)
@click.option(
    "--share",
    callback=parse_share,
    default=None,
    help="What-if: share of normal flow stopped, 0..1 or a percentage (0.5 or 50%), or a range "
    "LOW,HIGH.",
)
@click.option(
    "--days",
    callback=parse_number_or_range,
    default=None,
    help="What-if: days at full strength, or a range LOW,HIGH.",
)
@click.option(
    "--recovery-days",
    callback=parse_number_or_range,
    default=None,
    help="What-if: days of linear return to normal afterwards.",
)
@click.option(
    "--start",
    callback=parse_date,
    default=None,
    help="What-if: first day of the disruption [YYYY-MM-DD]; default: as-of.",
)
@click.option(
    "--name",
    default=None,
    help="What-if: a name for the scenario (letters, digits, '.', '_', '-').",
)
@click.option(
    "--horizon-weeks",
    type=int,
    default=None,
    help="Weeks to simulate, 4..156 (also for presets and files).",
)
@as_of_option()
@monte_carlo_options()
@election_date_option()
@format_option(
    (*FORMATS, "xlsx"),
    help="csv: every part of the estimate (summary, drivers, household, election, regions, "
    "weekly) as one tidy table; xlsx: a workbook with an About sheet, a sheet per part and "
    "monthly and quarterly averages (needs --output).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of stdout.",
)
@click.option(
    "--model",
    default=None,
    help="A variant scored in docs/evaluation.md instead of the default: a crude response "
    "(v1, superposition, forward-1m, forward-3m, forward-6m), optionally +seasonal; superposition "
    "also with +news, +margin or +news+margin before it.",
)
def estimate(
    scenarios,
    chokepoint,
    share,
    days,
    recovery_days,
    start,
    name,
    horizon_weeks,
    as_of,
    seed,
    draws,
    election_date,
    fmt: str,
    output: Path | None,
    model: str | None,
) -> None:
    """Estimate how far and how fast Brent and US gasoline move in a disruption scenario.

    \b
    Examples:
      oilshock estimate --scenario hormuz-partial
      oilshock estimate --scenario my-case.toml --as-of 2026-02-27 --format json
      oilshock estimate --chokepoint hormuz --share 0.7 --days 45 --recovery-days 30
      oilshock estimate --scenario hormuz-full --horizon-weeks 52
      oilshock estimate --scenario all --as-of 2026-02-27
      oilshock estimate --scenario hormuz-partial -o hormuz.xlsx    (the extension picks the format)
      oilshock estimate --scenario hormuz-partial --model forward-3m+seasonal
    """
    from oilshock.forecast.simulate import DEFAULT_DRAWS, resolve_seed

    whatif = {
        k: v
        for k, v in zip(WHATIF, (chokepoint, share, days, recovery_days, start, name))
        if v is not None
    }
    if whatif and scenarios:
        raise click.UsageError(
            "give either --scenario or a quick what-if (--chokepoint, --share, --days), not both"
        )
    if not whatif and not scenarios:
        raise click.UsageError(
            "give --scenario NAME|FILE|all, or a quick what-if: --chokepoint ID --share X --days N"
        )
    if output is not None and (
        click.get_current_context().get_parameter_source("fmt")
        == click.core.ParameterSource.DEFAULT
    ):
        # No --format: the output file's extension chooses it (-o hormuz.xlsx writes a workbook).
        fmt = {".json": "json", ".csv": "csv", ".xlsx": "xlsx"}.get(
            Path(output).suffix.lower(), fmt
        )
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give --output FILE.xlsx")
    if output is not None:
        from oilshock.report.output import check_output_path

        check_output_path(output)
    seed = resolve_seed(seed)
    draws = draws or DEFAULT_DRAWS
    if whatif:
        missing = [f"--{k}" for k in ("chokepoint", "share", "days") if k not in whatif]
        if missing:
            raise click.UsageError(f"a quick what-if needs {', '.join(missing)} as well")
        from oilshock.scenario.spec import build_scenario

        scenarios = (
            build_scenario(
                chokepoint,
                share,
                days,
                recovery_days=recovery_days or 0.0,
                start=start,
                horizon_weeks=horizon_weeks,
                name=name,
            ),
        )
    if "all" in scenarios:
        from oilshock.scenario.spec import list_presets

        scenarios = tuple(
            dict.fromkeys([x for s in scenarios for x in (list_presets() if s == "all" else [s])])
        )
    if len(scenarios) > 1:
        from oilshock.forecast.compare import COLUMNS, compare_scenarios

        cmp = compare_scenarios(
            list(scenarios),
            as_of=as_of,
            seed=seed,
            draws=draws,
            horizon_weeks=horizon_weeks,
            election_date=election_date,
            model=model,
            election_after=today(),
        )
        if fmt == "xlsx":
            from oilshock.report.workbook import write_comparison_workbook

            write_comparison_workbook(
                cmp.to_dicts(),
                output,
                context=cmp.context,
                seed=cmp.seed,
                draws=cmp.draws,
                model=cmp.model,
            )
            click.echo(f"wrote {output}", err=True)
            return
        if fmt == "json":
            doc = {"context": cmp.context, "seed": seed, "draws": draws, "model": cmp.model}
            text = render.to_json({**doc, "scenarios": cmp.to_dicts()}) + "\n"
        elif fmt == "csv":
            text = render.to_csv(cmp.to_dicts(), COLUMNS)
        else:
            text = cmp.summary + "\n"
        _emit(text, output)
        return
    from oilshock.forecast.simulate import estimate as run
    from oilshock.scenario.parse import Scenario
    from oilshock.scenario.spec import load_scenario, with_horizon

    sc = scenarios[0]
    sc = with_horizon(sc if isinstance(sc, Scenario) else load_scenario(sc), horizon_weeks)
    result = run(
        sc,
        as_of=as_of,
        seed=seed,
        draws=draws,
        election_date=election_date,
        model=model,
        election_after=today(),
    )
    if fmt == "xlsx":
        from oilshock.report.workbook import write_estimate_workbook

        write_estimate_workbook(result.to_dict(), output)
        click.echo(f"wrote {output}", err=True)
    elif fmt == "csv":
        from oilshock.report.tables import LONG_COLUMNS, estimate_parts, long_rows

        parts = estimate_parts(result.to_dict())
        _emit(render.to_csv(long_rows(parts), LONG_COLUMNS), output)
    else:
        _emit((result.to_json() if fmt == "json" else result.summary) + "\n", output)


def _emit(out: str, output: Path | None) -> None:
    """Text to stdout or to ``output``."""
    if output is None:
        click.echo(out, nl=False)
    else:
        from oilshock.report.output import write_atomic

        write_atomic(output, out)
    if output is not None:
        click.echo(f"wrote {output}", err=True)


@click.command()
@click.option("--scenario", "-s", required=True, help="A preset name or a scenario TOML file.")
@as_of_option()
@election_date_option()
@monte_carlo_options()
@format_option(help="csv: one key/value row per figure (bands as .p05/.p50/.p95).")
def election(scenario: str, as_of, election_date, seed, draws, fmt: str) -> None:
    """Election-day exposure of a scenario: pump price, approval and House seats, with bands and caveats.

    \b
    Example:
      oilshock election --scenario hormuz-full --as-of 2026-02-27
    """
    from oilshock.forecast.simulate import estimate as run

    result = run(
        scenario,
        as_of=as_of,
        seed=seed,
        draws=draws,
        election_date=election_date,
        election_after=today(),
    )
    if fmt in ("json", "csv"):
        click.echo(render.key_values(result.election, fmt), nl=fmt == "json")
    else:
        head = (
            f"oilshock election: {result.data['scenario']['title']} · as of {result.data['as_of']}"
        )
        from oilshock.text import fit

        click.echo(
            fit(
                [head]
                + result.context_lines()
                + result.election_lines()[1:]
                + ["", result.data["disclaimer"]]
            )
        )
