"""Shared options are defined once (oilshock.cli.options) and mean the same in every command."""

import click

from oilshock.cli import main, options
from oilshock.report.kinds import KINDS


def _commands(group: click.Group, prefix=""):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", cmd


def _params(name: str):
    return [(c, p) for c, cmd in _commands(main) for p in cmd.params if p.name == name]


def test_seed_is_the_same_type_everywhere():
    seeds = _params("seed")
    assert len(seeds) >= 6
    for cmd, p in seeds:
        assert p.type is options.SEED, cmd


def test_draws_bounds_agree():
    draws = _params("draws")
    assert len(draws) >= 7
    for cmd, p in draws:
        assert isinstance(p.type, click.IntRange) and p.type.min == 100, cmd
        assert p.type.max in (10_000, 100_000), cmd


def test_as_of_and_election_date_parse_dates_the_same_way():
    for name in ("as_of", "election_date", "start"):
        for cmd, p in _params(name):
            assert p.callback is options.parse_date, (cmd, name)


def test_format_offers_table_and_json_everywhere():
    fmts = _params("fmt")
    assert len(fmts) >= 10
    for cmd, p in fmts:
        assert {"table", "json"} <= set(p.type.choices), cmd
        assert p.default == "table", cmd


def test_chart_kinds_come_from_the_report_package():
    from oilshock.report import make

    (kind,) = [p for p in main.commands["chart"].params if p.name == "kind"]
    assert tuple(kind.type.choices) == KINDS
    assert make.KINDS is KINDS


def test_compose_keeps_the_listed_order():
    @click.command()
    @options.compose(options.seed_option(), options.draws_option())
    def cmd(seed, draws):
        pass

    assert [p.name for p in cmd.params] == ["seed", "draws"]
