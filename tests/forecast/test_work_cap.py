"""Draws × weeks × scenarios is capped (OILSHOCK_MAX_WORK), checked before any fit or draw."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from oilshock.cli import main
from oilshock.errors import ConfigError, ScenarioDataError
from oilshock.forecast.prepare import MAX_WORK, check_work


def one_line(res, code=2) -> str:
    assert res.exit_code == code, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error"), res.output
    return lines[0]


def test_every_preset_at_the_largest_settings_is_refused_at_once():
    res = CliRunner().invoke(
        main, ["estimate", "-s", "all", "--draws", "100000", "--horizon-weeks", "156"]
    )
    line = one_line(res)
    assert "OILSHOCK_MAX_WORK" in line and f"{MAX_WORK:,}" in line and "scenarios" in line


def test_one_scenario_at_the_largest_settings_is_within_the_cap():
    check_work(100_000, [156])


def test_the_cap_is_lowered_and_raised_by_the_environment(monkeypatch):
    monkeypatch.setenv("OILSHOCK_MAX_WORK", "1000")
    res = CliRunner().invoke(main, ["estimate", "-s", "red-sea", "--draws", "100"])
    assert "more than the cap of 1,000 (OILSHOCK_MAX_WORK)" in one_line(res)
    monkeypatch.setenv("OILSHOCK_MAX_WORK", str(10**9))
    check_work(100_000, [156] * 7)


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1e9"])
def test_a_malformed_cap_is_a_usage_error(monkeypatch, value):
    monkeypatch.setenv("OILSHOCK_MAX_WORK", value)
    with pytest.raises(ConfigError, match="OILSHOCK_MAX_WORK"):
        check_work(100, [4])


def test_library_estimate_is_bounded_too(monkeypatch):
    from oilshock.forecast.simulate import estimate

    monkeypatch.setenv("OILSHOCK_MAX_WORK", "1000")
    with pytest.raises(ScenarioDataError, match="OILSHOCK_MAX_WORK"):
        estimate("red-sea", draws=100)


def test_evaluate_draws_are_bounded():
    res = CliRunner().invoke(main, ["evaluate", "--draws", "100000"])
    assert res.exit_code == 2 and "10000" in res.output.replace(",", ""), res.output
