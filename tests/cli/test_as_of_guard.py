"""One date guard for every command with ``--as-of``: a date outside the data fails in one line, exit 2.

The commands are found from the click group, so a new command with ``--as-of`` is covered at once.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from oilshock.cli import main


def commands_with_as_of(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            yield from commands_with_as_of(cmd, (*prefix, name))
        elif any("--as-of" in getattr(p, "opts", ()) for p in cmd.params):
            yield (*prefix, name), cmd


COMMANDS = list(commands_with_as_of(main))


def required_args(cmd: click.Command, tmp_path) -> list[str]:
    """Plausible values for a command's required arguments and options."""
    out: list[str] = []
    for p in cmd.params:
        if not p.required:
            continue
        if isinstance(p.type, click.Choice):
            value = p.type.choices[0]
        elif p.name in ("output",):
            value = str(tmp_path / "out.html")
        else:
            value = "red-sea"
        out += [value] if isinstance(p, click.Argument) else [p.opts[0], value]
    return out


def test_the_commands_are_found():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {
        "estimate",
        "election",
        "chart",
        "brief",
        "explore",
        "status",
        "scenarios show",
    } <= names


@pytest.mark.parametrize(
    ("as_of", "says"),
    [("2150-01-01", "after the newest data"), ("2026-12-01", "after the newest data")],
)
@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_an_as_of_after_the_data_is_refused_in_one_line(tmp_path, path, cmd, as_of, says):
    args = [*path, "--as-of", as_of, *required_args(cmd, tmp_path)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, (args, res.output)
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.output
    assert says in lines[0] and as_of in lines[0], lines[0]
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_an_as_of_before_the_data_is_refused_in_one_line(tmp_path, path, cmd):
    args = [*path, "--as-of", "1950-01-02", *required_args(cmd, tmp_path)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, (args, res.output)
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "before the Brent data begin" in lines[0], res.output


def one_error_line(res) -> str:
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.output
    return lines[0]


def test_estimate_on_the_first_day_of_the_data_is_one_line():
    # The margin link used to index with an empty float array (IndexError) when no crack
    # week precedes the date; now it is left out and the scenario's own data rule answers.
    res = CliRunner().invoke(main, ["estimate", "-s", "red-sea", "--as-of", "1987-05-20"])
    assert "no published oil flow as of 1987-05-20" in one_error_line(res)


def test_explore_before_any_chokepoint_flow_is_one_line(tmp_path):
    res = CliRunner().invoke(
        main, ["explore", "--as-of", "1990-01-02", "-o", str(tmp_path / "x.html")]
    )
    assert "no chokepoint has a published oil flow as of 1990-01-02" in one_error_line(res)
    assert not list(tmp_path.iterdir())


def test_margin_fit_without_weeks_is_unavailable():
    import datetime as dt

    import polars as pl

    from oilshock.model import margin

    empty = pl.DataFrame(
        {"survey_date": [], "crack_usd_per_gal": [], "brent_usd_per_bbl": []},
        schema={
            "survey_date": pl.Date,
            "crack_usd_per_gal": pl.Float64,
            "brent_usd_per_bbl": pl.Float64,
        },
    )
    fit = margin.fit_margin_response(empty, as_of=dt.date(1987, 5, 20))
    assert not any(v == v for v in fit["coef_usd_per_gal_per_dlog"])  # all NaN
