"""Scenario files: the public TOML format and every kind of bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from oilshock.cli import main
from oilshock.errors import ScenarioError, UnknownNameError
from oilshock.scenario.spec import list_presets, load_scenario, parse_scenario

GOOD = """
name = "my-case"
title = "Free text"
as_of = 2026-02-27
horizon_weeks = 26

[[disruptions]]
chokepoint = "hormuz"
share = 0.9
start = 2026-03-01
duration_days = 105
recovery_days = 30
"""


def test_good_file_parses():
    sc = parse_scenario(GOOD)
    assert sc.name == "my-case" and sc.as_of == dt.date(2026, 2, 27)
    d = sc.disruptions[0]
    assert d.chokepoint == "hormuz" and d.share == (0.9, 0.9) and d.duration_days == (105.0, 105.0)
    assert d.recovery_days == (30.0, 30.0) and d.start == dt.date(2026, 3, 1)


def test_defaults_and_ranges():
    sc = parse_scenario(
        "[[disruptions]]\nlost_mbd = [1, 3]\nduration_days = 10\n", default_name="x"
    )
    assert sc.name == "x" and sc.horizon_weeks == 26 and sc.as_of is None
    assert sc.disruptions[0].lost_mbd == (1.0, 3.0) and sc.disruptions[0].recovery_days == (
        0.0,
        0.0,
    )


def test_presets_exist_and_parse():
    names = list_presets()
    for required in (
        "hormuz-partial",
        "hormuz-full",
        "red-sea",
        "hormuz-and-red-sea",
        "hormuz-full-stock-release",
    ):
        assert required in names
    for n in names:
        assert load_scenario(n).disruptions


@pytest.mark.parametrize(
    ("edit", "key", "message"),
    [
        (lambda s: s.replace("share = 0.9", "share = 1.5"), "disruptions[0].share", "0..1"),
        (lambda s: s.replace("share = 0.9", "share = -0.1"), "disruptions[0].share", "0..1"),
        (
            lambda s: s.replace("duration_days = 105", "duration_days = -5"),
            "disruptions[0].duration_days",
            "1..1095",
        ),
        (
            lambda s: s.replace("duration_days = 105\n", ""),
            "disruptions[0].duration_days",
            "missing",
        ),
        (
            lambda s: s.replace("recovery_days = 30", "recovery_days = -1"),
            "disruptions[0].recovery_days",
            "0..1095",
        ),
        (
            lambda s: s.replace("duration_days", "duraton_days"),
            "disruptions[0].duraton_days",
            "did you mean 'duration_days'",
        ),
        (
            lambda s: s.replace("horizon_weeks", "horizon_week"),
            "horizon_week",
            "did you mean 'horizon_weeks'",
        ),
        (lambda s: s.replace("horizon_weeks = 26", "horizon_weeks = 2"), "horizon_weeks", "4..156"),
        (lambda s: s.replace("as_of = 2026-02-27", 'as_of = "yesterday"'), "as_of", "date"),
        (
            lambda s: s.replace("share = 0.9", "share = [0.9, 0.5]"),
            "disruptions[0].share",
            "low > high",
        ),
        (lambda s: s.replace('chokepoint = "hormuz"\nshare = 0.9', "lost_mbd = 2"), None, None),
        (
            lambda s: s.replace('chokepoint = "hormuz"\n', ""),
            "disruptions[0].chokepoint",
            "either chokepoint",
        ),
        (lambda s: s.replace("share = 0.9\n", ""), "disruptions[0].share", "missing"),
        (
            lambda s: s + "\n[response]\nstock_relese_mbd = 2\n",
            "response.stock_relese_mbd",
            "did you mean 'stock_release_mbd'",
        ),
        (
            lambda s: s + "\n[response]\nstock_release_mbd = -2\n",
            "response.stock_release_mbd",
            ">= 0",
        ),
    ],
)
def test_bad_values_name_the_key(edit, key, message):
    text = edit(GOOD)
    if key is None:
        assert parse_scenario(text).disruptions[0].lost_mbd == (2.0, 2.0)
        return
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="case.toml")
    msg = str(err.value)
    assert msg.startswith(f"case.toml: key '{key}'"), msg
    assert message in msg


def test_toml_syntax_error():
    with pytest.raises(ScenarioError, match="case.toml: TOML syntax error"):
        parse_scenario("name = ", source="case.toml")


def test_unknown_preset_suggests():
    with pytest.raises(UnknownNameError, match="Did you mean 'hormuz-partial'"):
        load_scenario("hormuz-partail")


def test_missing_file():
    with pytest.raises(ScenarioError, match="not found"):
        load_scenario("nowhere/case.toml")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (GOOD.replace("share = 0.9", "share = 2"), "key 'disruptions[0].share'"),
        (
            GOOD.replace('"hormuz"', '"hormutz"'),
            "unknown chokepoint 'hormutz'. Did you mean 'hormuz'?",
        ),
        (
            GOOD.replace("as_of = 2026-02-27", "as_of = 1950-01-03").replace(
                "start = 2026-03-01", "start = 1950-02-01"
            ),
            "before the Brent data begin",
        ),
        ("name = \n", "TOML syntax error"),
        (
            GOOD.replace("as_of = 2026-02-27", "as_of = 2030-01-01"),
            "is after the newest data: brent_daily ends 2026-08-18",
        ),
        (
            GOOD + GOOD[GOOD.index("[[disruptions]]") :].replace("share = 0.9", "share = 0.2"),
            "key 'disruptions[1].share': overlapping disruptions of hormuz stop 1.1",
        ),
        (
            GOOD.replace('chokepoint = "hormuz"\nshare = 0.9', "lost_mbd = 120"),
            "key 'disruptions[0].lost_mbd': 120 mb/d is more than world supply",
        ),
        (GOOD + "[observed]\nhormuz = 1.5\n", "key 'observed.hormuz'"),
        (GOOD + "[observed]\nhormutz = 0.5\n", "unknown chokepoint 'hormutz'"),
        (GOOD.replace("share = 0.9", 'share = "observed"'), "key 'disruptions[0].start'"),
        (GOOD.replace('"hormuz"', '"*"'), "key 'disruptions[0].share'"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(tmp_path, content, needle):
    f = tmp_path / "case.toml"
    f.write_text(content)
    res = CliRunner().invoke(main, ["estimate", "--scenario", str(f)])
    assert res.exit_code == 2, res.output
    assert needle in res.output
    assert "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_cli_unknown_preset_exit_2():
    res = CliRunner().invoke(main, ["estimate", "--scenario", "red-see"])
    assert res.exit_code == 2 and "Did you mean 'red-sea'" in res.output
