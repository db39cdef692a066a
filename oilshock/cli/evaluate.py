"""``oilshock evaluate``: out-of-sample scores on the event catalog and on calm weeks."""

from __future__ import annotations

import click

from oilshock.cli import render
from oilshock.cli.options import FORMATS, SEED, format_option, monte_carlo_options
from oilshock.evaluate.run import ALL_MODELS


@click.command()
@click.option("--event", "events", multiple=True, help="Only these catalog events (default: all).")
@monte_carlo_options("Monte Carlo draws per origin [default: 1000].", upper=10_000)
@click.option(
    "--model",
    "models",
    multiple=True,
    type=click.Choice(ALL_MODELS),
    help="Crude-response variants to score (repeatable; default: all).",
)
@click.option(
    "--calm/--no-calm",
    default=None,
    help="Also score calm origins (no disruption); default: yes, unless --event names events.",
)
@format_option((*FORMATS, "markdown"))
def evaluate(events, draws, seed, models, calm, fmt: str) -> None:
    """Score the model point in time on historical events and calm weeks.

    CRPS of weekly-mean Brent and US regular gasoline over weeks 1-20 and of
    their peak, coverage of the 50% and 90% bands, and skill against the
    no-change (seasonal) and barrel-rule baselines. 2026 is the held-out test.

    \b
    Example:
      oilshock evaluate --format markdown > scores.md
      oilshock evaluate --event 2022-russia --model superposition
      oilshock evaluate --event 2022-russia --calm
    """
    from oilshock.evaluate.report import COLUMNS, flat_rows, to_markdown, to_text
    from oilshock.evaluate.run import DEFAULT_EVAL_DRAWS, origin_count
    from oilshock.evaluate.run import evaluate as run

    calm = not events if calm is None else calm
    bar, step = render.progress_bar("evaluate", origin_count(list(events) or None, calm=calm))
    with bar:
        result = run(
            list(events) or None,
            draws=draws or DEFAULT_EVAL_DRAWS,
            seed=seed,
            calm=calm,
            models=tuple(models) or ALL_MODELS,
            progress=step,
        )
    if fmt == "json":
        click.echo(render.to_json(result))
    elif fmt == "markdown":
        click.echo(to_markdown(result), nl=False)
    elif fmt == "table":
        click.echo(to_text(result), nl=False)
    else:
        render.echo_rows(flat_rows(result, include_calm=True), fmt, COLUMNS)


@click.command()
@click.option(
    "--samples",
    type=click.IntRange(2, 200),
    default=None,
    help="Simulated histories per market [default: 20].",
)
@click.option(
    "--boot",
    type=click.IntRange(20, 2000),
    default=None,
    help="Bootstrap replicates of each fit [default: 200].",
)
@click.option("--seed", type=SEED, default=None, help="Seed of the histories [default: 20261206].")
@format_option((*FORMATS, "markdown"))
def bench(samples, boot, seed, fmt: str) -> None:
    """Score every crude response on simulated markets whose truth is known.

    Each market (a flow market whose elasticities grow with time; competitive-storage markets with
    persistent or transitory shocks) is simulated for 600 months, fitted with the model's own fit,
    and every crude response predicts four scenarios (2% or 11% of world supply lost for one or four
    months). Peak ratio: median predicted peak over the true peak; coverage: true monthly points
    inside the 90% band.

    \b
    Example:
      oilshock bench
      oilshock bench --samples 5 --format markdown
    """
    from oilshock.evaluate.bench import (
        DEFAULT_BOOT,
        DEFAULT_SAMPLES,
        DEFAULT_SEED,
        bench_markdown,
        bench_text,
        load_markets,
        run_bench,
    )

    markets = load_markets()
    samples = samples or DEFAULT_SAMPLES
    bar, step = render.progress_bar("bench", samples * len(markets))
    with bar:
        result = run_bench(
            samples=samples,
            n_boot=boot or DEFAULT_BOOT,
            seed=DEFAULT_SEED if seed is None else seed,
            markets=markets,
            progress=lambda _name: step(None),
        )
    if fmt == "json":
        click.echo(render.to_json({"rows": result.rows, "summary": result.summary()}))
    elif fmt == "markdown":
        click.echo(bench_markdown(result))
    elif fmt == "table":
        click.echo(bench_text(result), nl=False)
    else:
        render.echo_rows(result.rows, fmt)


@click.command("large-events")
@monte_carlo_options("Predictive paths per event [default: 1000].", upper=10_000)
@click.option(
    "--boot",
    type=click.IntRange(20, 2000),
    default=None,
    help="Bootstrap replicates of each fit [default: 200].",
)
@format_option((*FORMATS, "markdown"))
def large_events(draws, seed, boot, fmt: str) -> None:
    """Score every crude response on the large past losses, leaving each event out of the fit.

    The 1978-79 Iranian revolution, the 1980 Iran-Iraq war and the 1990 invasion of Kuwait, on the
    monthly refiners' acquisition cost of imported crude, months 0-4 after onset: CRPS against no
    change, months inside the 90% and 50% bands, median predicted peak against the actual. Not point
    in time: each fit uses every year but the event's (docs/evaluation.md).

    \b
    Example:
      oilshock large-events
      oilshock large-events --format markdown
    """
    from oilshock.evaluate.large_events import (
        DEFAULT_BOOT,
        DEFAULT_DRAWS,
        DEFAULT_SEED,
        large_events_markdown,
        run_large_events,
    )

    result = run_large_events(
        draws=draws or DEFAULT_DRAWS,
        n_boot=boot or DEFAULT_BOOT,
        seed=DEFAULT_SEED if seed is None else seed,
    )
    if fmt == "json":
        click.echo(render.to_json({"rows": result.rows, "pooled": result.pooled()}))
    elif fmt == "markdown":
        click.echo(large_events_markdown(result))
    elif fmt == "table":
        from oilshock.text import fit

        legend = (
            "CRPS of the monthly RAC [USD/bbl], months 0-4 after onset; skill against no change; "
            "in90/in50: months inside the band, of 5 per event and 15 pooled; peaks [%] from the "
            "month before onset."
        )
        click.echo(render.table(result.rows + result.pooled(), list(_SHORT), _SHORT))
        click.echo(fit([legend]))
    else:
        render.echo_rows(result.rows + result.pooled(), fmt, list(_SHORT))


_SHORT = {  # the large-events table's columns and their short headings
    "event": "event",
    "candidate": "candidate",
    "crps_usd_per_bbl": "CRPS",
    "crps_no_change_usd_per_bbl": "no chg",
    "skill": "skill",
    "inside90": "in90",
    "inside50": "in50",
    "peak_p50_pct": "peak p50",
    "peak_actual_pct": "actual",
}
