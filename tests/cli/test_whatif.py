"""Quick what-ifs (``estimate --chokepoint --share --days``), ``--horizon-weeks`` and the
comparison table (issue #14 item 2)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from oilshock.cli import main
from oilshock.scenario.spec import list_presets

BASE = ["--as-of", "2026-02-27", "--draws", "300", "--seed", "5"]


def invoke(*args):
    return CliRunner().invoke(main, ["estimate", *args])


def error_line(res) -> str:
    lines = [x for x in res.output.splitlines() if x.startswith("Error")]
    assert len(lines) == 1, res.output
    return lines[0]


def test_whatif_equals_the_same_scenario_file(params_2026, tmp_path):
    f = tmp_path / "case.toml"
    f.write_text(
        '[[disruptions]]\nchokepoint = "hormuz"\nshare = [0.6, 0.8]\nduration_days = 45\nrecovery_days = 30\n'
    )
    from_file = json.loads(invoke("-s", str(f), *BASE, "--format", "json").output)
    res = invoke(
        "--chokepoint",
        "hormuz",
        "--share",
        "0.6,0.8",
        "--days",
        "45",
        "--recovery-days",
        "30",
        *BASE,
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    quick = json.loads(res.output)
    for key in ("brent", "retail_gasoline", "household", "weekly"):
        assert quick[key] == from_file[key], key
    assert quick["scenario"]["name"] == "hormuz-0.6-0.8-45d"
    assert (
        quick["scenario"]["title"]
        == "What-if: hormuz, 0.6-0.8 of normal flow stopped for 45 days, 30 days' recovery"
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--chokepoint", "hormuz", "--share", "1.7", "--days", "45"], "--share: must lie in 0..1"),
        (["--chokepoint", "hormuz", "--share", "x", "--days", "45"], "--share: must be a number"),
        (["--chokepoint", "hormuz", "--share", "0.5", "--days", "-3"], "--days"),
        (["--chokepoint", "hormuz", "--share", "0.5", "--days", "nan"], "--days"),
        (
            ["--chokepoint", "hormuz", "--share", "0.5", "--days", "30", "--name", "a b<script>"],
            "--name",
        ),
        (
            ["--chokepoint", "hormuz", "--share", "0.5", "--days", "30", "--horizon-weeks", "2"],
            "--horizon-weeks",
        ),
        (["--chokepoint", "hormuz", "--days", "30"], "needs --share"),
        (["--share", "0.5", "--days", "30"], "needs --chokepoint"),
        (["-s", "red-sea", "--share", "0.5"], "not both"),
        ([], "give --scenario"),
        (["-s", "red-sea", "--horizon-weeks", "500"], "--horizon-weeks"),
        (["--chokepoint", "atlantis", "--share", "0.5", "--days", "30"], "atlantis"),
    ],
)
def test_whatif_mistakes_are_one_line_exit_2(args, needle):
    res = invoke(*args, "--as-of", "2026-02-27", "--draws", "100")
    assert res.exit_code == 2, res.output
    assert needle in error_line(res)


def test_horizon_weeks_applies_to_a_preset(params_2026):
    res = invoke("-s", "red-sea", *BASE, "--horizon-weeks", "52", "--format", "csv")
    assert res.exit_code == 0, res.output
    weeks = {r["week_ending"] for r in csv.DictReader(io.StringIO(res.output)) if r["week_ending"]}
    assert len(weeks) == 52


def test_comparison_rows_equal_the_single_estimates(params_2026):
    res = invoke("-s", "red-sea", "-s", "hormuz-partial", *BASE, "--format", "json")
    assert res.exit_code == 0, res.output
    rows = {r["scenario"]: r for r in json.loads(res.output)["scenarios"]}
    assert list(rows) == ["red-sea", "hormuz-partial"]
    for name, row in rows.items():
        single = json.loads(invoke("-s", name, *BASE, "--format", "json").output)
        assert row["brent_peak_change_pct_p50"] == single["brent"]["peak_change_pct"]["p50"]
        assert (
            row["retail_peak_change_usd_per_gal_p95"]
            == single["retail_gasoline"]["peak_change_usd_per_gal"]["p95"]
        )
        assert (
            row["household_usd_total_p50"] == single["household"]["usd_total_per_household"]["p50"]
        )


def test_all_presets_side_by_side_fit_100_columns(params_2026):
    res = invoke("-s", "all", *BASE)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("scenario "))
    table = lines[start : start + 1 + len(list_presets())]
    assert [x.split()[0] for x in table[1:]] == list_presets()
    assert all(len(x) <= 100 for x in table)
    csv = invoke("-s", "all", *BASE, "--format", "csv").output.splitlines()
    assert csv[0].startswith(
        "scenario,title,model,as_of,horizon_weeks,brent_peak_change_pct_p05"
    ) and len(csv) == 1 + len(list_presets())
