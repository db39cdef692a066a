"""Scenario files the resolver or the checks used to crash on: one line, exit 2, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scenario.test_resolve import AS_OF, _ctx

from oilshock.cli import main
from oilshock.errors import ScenarioDataError
from oilshock.scenario.resolve import resolve_scenario
from oilshock.scenario.spec import parse_scenario

ONE = '[[disruptions]]\nchokepoint = "strait"\nshare = 0.5\nduration_days = 30\n'


def test_override_of_a_chokepoint_not_under_way_is_refused():
    sc = parse_scenario(ONE + "[observed]\ncalm = 0.5\n", "case.toml")
    with pytest.raises(ScenarioDataError, match=r"case.toml: key 'observed.calm': no disruption"):
        resolve_scenario(sc, _ctx(40, False), AS_OF)


def test_override_to_zero_of_a_calm_chokepoint_is_accepted():
    sc = parse_scenario(ONE + "[observed]\ncalm = 0.0\n")
    pieces, _, _ = resolve_scenario(sc, _ctx(40, False), AS_OF)
    assert "observed.calm" not in [p.key for p in pieces]


def test_cli_override_of_a_calm_chokepoint_is_one_line_exit_2(tmp_path, params_2026):
    f = tmp_path / "obs.toml"
    f.write_text(
        'name = "obs"\nas_of = 2026-02-27\n[[disruptions]]\nchokepoint = "hormuz"\nshare = 0.5\n'
        "duration_days = 30\n[observed]\ndanish_straits = 0.5\n"
    )
    res = CliRunner().invoke(main, ["estimate", "-s", str(f), "--draws", "200"])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "key 'observed.danish_straits'" in lines[0], res.output


@pytest.mark.parametrize("prefix", ["actual.", "observed.", "response.", ""])
def test_deep_dotted_keys_are_one_line(tmp_path, prefix):
    f = tmp_path / "deep.toml"
    f.write_text('name = "deep"\n' + prefix + ".".join(["a"] * 3000) + " = 1\n")
    res = CliRunner().invoke(main, ["scenarios", "show", str(f)])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.output
    assert str(f) in lines[0] and "nested more than 32 levels deep" in lines[0]


def test_a_deep_dict_is_refused_by_the_library():
    from oilshock.errors import ScenarioError
    from oilshock.scenario.parse import scenario_from_dict

    doc: dict = {}
    inner = doc
    for _ in range(5000):
        inner["a"] = {}
        inner = inner["a"]
    with pytest.raises(ScenarioError, match="nested more than"):
        scenario_from_dict({"actual": doc}, "x.toml")
