"""``oilshock backtest``: historical episodes, predicted vs actual peaks."""

from __future__ import annotations

import click

from oilshock.cli import render
from oilshock.cli.options import format_option, monte_carlo_options

COLUMNS = [
    "episode",
    "as_of",
    "brent_pred_p05",
    "brent_pred_p50",
    "brent_pred_p95",
    "brent_band_p05",
    "brent_band_p95",
    "brent_actual",
    "brent_error",
    "brent_in_band",
    "retail_pred_p05",
    "retail_pred_p50",
    "retail_pred_p95",
    "retail_band_p05",
    "retail_band_p95",
    "retail_actual",
    "retail_error",
    "retail_in_band",
]


def table_rows(rows: list[dict]) -> list[dict]:
    """The printed table: central effect, the band judged by (with market noise), the actual
    and the verdict (within 100 columns)."""

    def band(r, k, fmt):
        return (
            ""
            if r[f"{k}_band_p05"] is None
            else f"{r[f'{k}_band_p05']:{fmt}}..{r[f'{k}_band_p95']:{fmt}}"
        )

    def yn(v):
        return "" if v is None else "yes" if v else "no"

    return [
        {
            "episode": r["episode"],
            "Brent %": r["brent_pred_p50"],
            "90% band": band(r, "brent", "+.0f"),
            "actual": r["brent_actual"],
            "in": yn(r["brent_in_band"]),
            "gas $/gal": r["retail_pred_p50"],
            "90% band ": band(r, "retail", "+.2f"),
            "actual ": r["retail_actual"],
            "in ": yn(r["retail_in_band"]),
        }
        for r in rows
    ]


# The nowcast table's short headings in text (csv and json keep the names), with their legend.
NOWCAST_HEADERS = {
    "forecaster": "by",
    "horizon_weeks": "wk",
    "mae_no_change": "mae nc",
    "mspe_ratio": "mspe",
    "coverage_p05_p95": "cov90",
}
NOWCAST_LEGEND = (
    "by: forecaster; wk: weeks ahead; mae nc: MAE of no change; mspe: MSPE ratio to no change "
    "(below 1 beats it); cov90: share of outcomes inside p05–p95."
)
NOWCAST_COLUMNS = [
    "episode",
    "sample",
    "forecaster",
    "series",
    "unit",
    "horizon_weeks",
    "n",
    "mae",
    "mae_no_change",
    "mspe_ratio",
    "coverage_p05_p95",
]


@click.command()
@click.option("--episode", "episodes", multiple=True, help="Only these episodes (default: all).")
@click.option(
    "--nowcast",
    is_flag=True,
    help=(
        "The rolling nowcast: the 'now' forecast from weekly origins, 4/8/12 weeks ahead, against "
        "no change and the EIA STEO."
    ),
)
@monte_carlo_options()
@format_option()
def backtest(episodes, nowcast: bool, seed, draws, fmt: str) -> None:
    """Estimate historical episodes point in time and compare with what happened.

    Brent columns are peak change in percent; retail columns are peak change
    in USD per gallon. "in_band" says whether the actual lies in p05–p95.

    With --nowcast: mean absolute errors of the central forecast and of no
    change, their MSPE ratio (below 1 beats no change) and p05–p95 coverage,
    per episode, series and horizon (one fit per weekly origin: minutes).
    Rows with sample steo-after-onset / steo-before-onset score the model
    and the EIA STEO vintage in use at each origin on the same origins
    (STEO has no band: coverage "–").

    \b
    Example:
      oilshock backtest --format csv > backtest.csv
      oilshock backtest --nowcast --episode 2026-hormuz
    """
    if nowcast:
        from oilshock.evaluate.nowcast import DRAWS, nowcast_steps, run_nowcast
        from oilshock.forecast.simulate import resolve_seed

        bar, step = render.progress_bar("nowcast", nowcast_steps(list(episodes) or None))
        with bar:
            rows = run_nowcast(
                list(episodes) or None,
                seed=resolve_seed(seed),
                draws=draws or DRAWS,
                progress=step,
            )["rows"]
        columns = NOWCAST_COLUMNS
    else:
        from oilshock.evaluate.backtest import run_backtest
        from oilshock.evaluate.catalog import list_events

        bar, step = render.progress_bar("backtest", len(list(episodes) or list_events()))
        with bar:
            rows, columns = (
                run_backtest(list(episodes) or None, seed=seed, draws=draws, progress=step),
                COLUMNS,
            )
    if fmt != "table":
        render.echo_rows(rows, fmt, columns)
    elif nowcast:
        # STEO publishes no band: its coverage reads "–", not blank.
        click.echo(
            render.table(
                [
                    r if r["coverage_p05_p95"] is not None else {**r, "coverage_p05_p95": "–"}
                    for r in rows
                ],
                columns,
                NOWCAST_HEADERS,
            )
        )
        from oilshock.text import fit

        click.echo(fit(NOWCAST_LEGEND))
    else:
        click.echo(render.table(table_rows(rows)))
        click.echo(
            "Brent %, gas $/gal: central peak change; 90% band: with market noise (the band 'in' judges by)."
        )
