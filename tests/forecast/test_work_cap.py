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


# Several estimates in one command are bounded together, by the same check (issue #25): each
# of these scenarios alone (100 draws × 26 weeks = 2,600) is within a cap of 5,000, the two
# together (5,200) are not.
@pytest.mark.parametrize(
    "args",
    [
        ["brief", "-s", "red-sea", "-s", "hormuz-full", "--draws", "100", "-o", "{tmp}/b.html"],
        [
            "chart",
            "compare",
            "-s",
            "red-sea",
            "-s",
            "hormuz-full",
            "--draws",
            "100",
            "-o",
            "{tmp}/c.svg",
        ],
    ],
)
def test_brief_and_chart_bound_their_scenarios_together(monkeypatch, tmp_path, args):
    monkeypatch.setenv("OILSHOCK_MAX_WORK", "5000")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    line = one_line(CliRunner().invoke(main, args))
    assert "100 draws × 52 simulated weeks over 2 scenarios = 5,200" in line, line
    assert not any(tmp_path.iterdir())


def test_backtest_over_every_event_is_bounded_together(monkeypatch, tmp_path):
    from oilshock.evaluate.catalog import list_events, load_catalog

    weeks = [e.scenario.horizon_weeks for e in load_catalog(list_events())]
    assert len(weeks) > 1
    monkeypatch.setenv("OILSHOCK_MAX_WORK", str(100 * sum(weeks) - 1))
    res = CliRunner().invoke(
        main, ["chart", "backtest", "--draws", "100", "-o", str(tmp_path / "b.svg")]
    )
    assert f"over {len(weeks)} scenarios" in one_line(res)


def test_explore_grid_is_bounded(monkeypatch, tmp_path):
    # 2 chokepoints × 11 shares (0 to 1) × 12 durations = 264 cells of 26 weeks.
    monkeypatch.setenv("OILSHOCK_MAX_WORK", "600000")
    res = CliRunner().invoke(main, ["explore", "--draws", "100", "-o", str(tmp_path / "e.html")])
    line = one_line(res)
    assert "100 draws × 6,864 simulated weeks over 264 grid cells = 686,400" in line, line
