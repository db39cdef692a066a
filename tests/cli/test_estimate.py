"""``oilshock estimate``, ``scenarios`` and ``backtest`` through CliRunner, and the warm path's imports."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

from click.testing import CliRunner

from oilshock.cli import main
from oilshock.report.tables import LONG_COLUMNS, PARTS


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_estimate_table_reads_well(params_2026):
    res = invoke(
        "estimate", "--scenario", "hormuz-partial", "--as-of", "2026-02-27", "--draws", "300"
    )
    assert res.exit_code == 0
    out = res.output
    for needle in (
        "Brent peak change [%]",
        "Gasoline peak change [$/gal]",
        "Weeks to the gasoline peak",
        "bypass",
        "A scenario, not a forecast",
    ):
        assert needle in out


def test_estimate_json_and_csv(params_2026):
    res = invoke(
        "estimate",
        "-s",
        "red-sea",
        "--as-of",
        "2026-02-27",
        "--draws",
        "300",
        "--format",
        "json",
        "--seed",
        "3",
    )
    d = json.loads(res.output)
    assert d["provenance"]["seed"] == 3 and d["as_of"] == "2026-02-27"
    res = invoke(
        "estimate", "-s", "red-sea", "--as-of", "2026-02-27", "--draws", "300", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert list(rows[0]) == LONG_COLUMNS
    # Every part of the estimate, and the same figures as the JSON.
    assert {r["part"] for r in rows} == set(PARTS)
    weekly = [r for r in rows if r["part"] == "weekly" and r["figure"] == "brent_usd_per_bbl"]
    assert len(weekly) == 26 and weekly[0]["week_ending"] == d["weekly"][0]["week_ending"]
    csv_json = invoke(
        "estimate", "-s", "red-sea", "--as-of", "2026-02-27", "--draws", "300", "--format", "json"
    )
    d = json.loads(csv_json.output)
    by = {(r["part"], r["figure"], r["week_ending"]): r for r in rows}
    peak = by[("summary", "retail_gasoline.peak_change_usd_per_gal", "")]
    assert float(peak["p50"]) == d["retail_gasoline"]["peak_change_usd_per_gal"]["p50"]
    hh = by[("household", "usd_total_per_household", "")]
    assert float(hh["p95"]) == d["household"]["usd_total_per_household"]["p95"]
    region = d["regions"][0]
    r0 = by[("regions", f"{region['area']}.price_change_usd_per_gal", "")]
    assert float(r0["p05"]) == region["price_change_usd_per_gal"]["p05"]
    seats = by[("election", "house_seats_predictive", "")]
    assert float(seats["p50"]) == d["election"]["house_seats_predictive"]["p50"]
    assert float(weekly[3]["p95"]) == d["weekly"][3]["brent_usd_per_bbl"]["p95"]


def test_estimate_xlsx_has_a_sheet_per_part(params_2026, tmp_path):
    import zipfile

    out = tmp_path / "red-sea.xlsx"
    res = invoke(
        "estimate", "-s", "red-sea", "--as-of", "2026-02-27", "--draws", "300", "--format", "xlsx",
        "-o", str(out),
    )  # fmt: skip
    assert "wrote" in res.output
    with zipfile.ZipFile(out) as z:
        book = z.read("xl/workbook.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert [f'name="{p}"' in book for p in PARTS] == [True] * len(PARTS)
    # About first, the monthly and quarterly averages last.
    sheets = re.findall(r'<sheet name="([^"]+)"', book)
    assert sheets == ["About", *PARTS, "monthly", "quarterly"]
    assert "Data snapshot sha256" in strings and "Publishers" in strings
    assert "usd_total_per_household" in strings and "house_seats_predictive" in strings
    # No output file: a usage error, not bytes on a terminal.
    bad = CliRunner().invoke(main, ["estimate", "-s", "red-sea", "--format", "xlsx"])
    assert bad.exit_code == 2 and "--output" in bad.output


def test_estimate_output_file_is_what_stdout_says(params_2026, tmp_path):
    args = ["estimate", "-s", "red-sea", "--as-of", "2026-02-27", "--draws", "300"]
    printed = invoke(*args, "--format", "json").output
    invoke(*args, "--format", "json", "-o", str(tmp_path / "e.json"))
    assert (tmp_path / "e.json").read_text() == printed


def test_bad_as_of_option():
    res = CliRunner().invoke(main, ["estimate", "-s", "red-sea", "--as-of", "27/02/2026"])
    assert res.exit_code == 2 and "2026-02-27" in res.output


def test_scenarios_list_and_show(params_2026):
    res = invoke("scenarios", "list", "--format", "json")
    names = [r["name"] for r in json.loads(res.output)]
    assert "hormuz-partial" in names and "red-sea" in names
    res = invoke("scenarios", "show", "hormuz-partial", "--as-of", "2026-02-27", "--format", "json")
    d = json.loads(res.output)
    flow = d["resolved"]["disruptions"][0]["flow_mbd"]
    assert flow["from"]["reference_mbd"] == 20.0 and "EIA" in flow["from"]["reference_citation"]
    assert d["resolved"]["disruptions"][0]["bypass_mbd"]["value"] == [2.6, 3.5]
    assert "stock_release_mbd" in d["response_keys"]
    # The same figures as key/value rows: a table within 100 columns, and CSV.
    table = invoke("scenarios", "show", "hormuz-partial", "--as-of", "2026-02-27").output
    # Within 100 columns, except a single word longer than that (a URL is not broken).
    assert all(len(x) <= 100 or len(x.split()) == 1 for x in table.splitlines())
    assert re.search(
        r"^resolved\.disruptions\[0\]\.flow_mbd\.from\.reference_mbd\s+20(\.0)?$", table, re.M
    )  # value on the next line
    rows = list(
        csv.DictReader(
            io.StringIO(
                invoke(
                    "scenarios",
                    "show",
                    "hormuz-partial",
                    "--as-of",
                    "2026-02-27",
                    "--format",
                    "csv",
                ).output
            )
        )
    )
    assert {"key": "resolved.disruptions[0].flow_mbd.from.reference_mbd", "value": "20.0"} in rows
    listed = list(
        csv.DictReader(io.StringIO(invoke("scenarios", "list", "--format", "csv").output))
    )
    assert [r["name"] for r in listed] == names


def test_election_csv_rows_are_the_json_figures(params_2026):
    args = ("election", "-s", "red-sea", "--as-of", "2026-02-27", "--draws", "300")
    e = json.loads(invoke(*args, "--format", "json").output)
    rows = {
        r["key"]: r["value"]
        for r in csv.DictReader(io.StringIO(invoke(*args, "--format", "csv").output))
    }
    assert float(rows["approval_change_points.p50"]) == e["approval_change_points"]["p50"]
    assert (
        float(rows["house_seats_predictive.p05"]) == e["house_seats_predictive"]["p05"]
        and rows["date"] == e["date"]
    )


def test_backtest_one_episode():
    res = invoke("backtest", "--episode", "2026-hormuz", "--draws", "300", "--format", "json")
    (row,) = json.loads(res.output)
    # Weekly-mean Brent peak (survey Monday 2026-04-13: trading days 6-10 April, as the fit and the model take it)
    # against the 71.36 pre-war baseline.
    assert row["brent_actual"] == 74.62
    assert row["retail_actual"] == 1.563  # 2.937 (23 Feb) -> 4.500 (11 May)
    assert row["brent_pred_p05"] <= row["brent_pred_p50"] <= row["brent_pred_p95"]
    # "in band" is judged by the band with market noise, and that band is what the table prints.
    assert row["retail_in_band"] == (
        row["retail_band_p05"] <= row["retail_actual"] <= row["retail_band_p95"]
    )
    table = invoke("backtest", "--episode", "2026-hormuz", "--draws", "300").output
    assert f"{row['retail_band_p05']:+.2f}..{row['retail_band_p95']:+.2f}" in table
    assert all(len(x) <= 100 for x in table.splitlines())


def test_warm_estimate_imports_nothing_heavy(tmp_path, params_2026):
    """With a warm cache, estimate imports neither statsmodels, pandera, altair, scipy nor pandas."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    code = (
        "import sys\n"
        "from oilshock.cli import main\n"
        "try:\n"
        "    main(['estimate', '--scenario', 'hormuz-partial', '--as-of', '2026-02-27', '--format', 'json'])\n"
        "except SystemExit as e:\n"
        "    assert e.code in (0, None), e.code\n"
        "heavy = sorted(m for m in ('statsmodels', 'pandera', 'altair', 'scipy', 'pandas') if m in sys.modules)\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert res.returncode == 0, res.stderr
    assert res.stderr.strip().endswith("HEAVY="), res.stderr[-500:]


def test_election_command_and_every_political_number_has_band_and_caveat(params_2026):
    res = invoke(
        "election",
        "-s",
        "hormuz-full",
        "--as-of",
        "2026-02-27",
        "--draws",
        "400",
        "--format",
        "json",
    )
    e = json.loads(res.output)
    assert e["date"] == "2026-11-03" and e["is_midterm"] is True
    for key in (
        "retail_gasoline_change_on_election_day_usd_per_gal",
        "approval_change_points",
        "house_seats_change",
        "approval_points_per_usd_per_gal",
    ):
        band = e[key]
        assert set(band) == {"p05", "p50", "p95"} and band["p05"] <= band["p50"] <= band["p95"], key
    assert e["approval_published"] and e["seats_published"]  # shown beside the published range
    assert len(e["caveats"]) >= 2 and all(c.strip() for c in e["caveats"])
    out = invoke("election", "-s", "hormuz-full", "--as-of", "2026-02-27", "--draws", "400").output
    assert max(len(x) for x in out.splitlines()) <= 100  # wrapped to fit a terminal
    text = " ".join(out.split())  # phrases may be wrapped across lines
    assert "published" in text and "A scenario, not a forecast" in text
    # The scenario's effect and the predictive range of the seat change itself, side by side, in words.
    assert (
        "Effect of this scenario on the expected seat change" in text
        and "slope uncertainty only" in text
    )
    assert "The seat change itself, with this scenario" in text and "90% predictive range" in text
    assert "not a measured causal effect" in text
    p = e["house_seats_predictive"]
    # (3x: under the superposition default the price stays up after the loss ends, so the
    # election-day effect is wider than v1's)
    assert p["p95"] - p["p05"] > 3 * (
        e["house_seats_change"]["p95"] - e["house_seats_change"]["p05"]
    )


def test_presidential_year_is_labelled_an_extrapolation(params_2026):
    res = invoke(
        "election",
        "-s",
        "hormuz-full",
        "--as-of",
        "2026-02-27",
        "--election-date",
        "2028-11-07",
        "--draws",
        "300",
        "--format",
        "json",
    )
    e = json.loads(res.output)
    assert e["is_midterm"] is False
    assert any("extrapolation" in c for c in e["caveats"])
    # No predictive seat range built from the next midterm's inputs for a presidential year.
    assert "house_seats_predictive" not in e and "midterms" in e["house_seats_predictive_note"]


def test_household_block_has_bands(params_2026):
    d = json.loads(
        invoke(
            "estimate",
            "-s",
            "hormuz-partial",
            "--as-of",
            "2026-02-27",
            "--draws",
            "300",
            "--format",
            "json",
        ).output
    )
    h = d["household"]
    for key in ("usd_per_month", "usd_total_per_household", "national_usd_total"):
        assert h[key]["p05"] <= h[key]["p50"] <= h[key]["p95"]
    assert h["households_million"] == 132.7
    regions = {r["area"]: r for r in d["regions"]}
    assert (
        "california" in regions
        and regions["california"]["baseline_usd_per_gal"]
        > d["baseline"]["retail_gasoline_usd_per_gal"]
    )
    assert all(
        r["election_in_horizon"] is False for r in d["regions"]
    )  # 3 Nov 2026 lies beyond 26 weeks


def test_estimate_model_option_runs_an_evaluated_variant(params_2026):
    args = ("estimate", "-s", "hormuz-partial", "--as-of", "2026-02-27", "--draws", "300")
    default = json.loads(invoke(*args, "--format", "json").output)
    fwd = json.loads(invoke(*args, "--model", "forward-3m+seasonal", "--format", "json").output)
    assert default["models"]["model"]["name"] != "forward-3m+seasonal"
    assert fwd["models"]["model"]["name"] == "forward-3m+seasonal"
    assert fwd["models"]["model"]["refinery_margin"] is None
    assert fwd["brent"]["peak_change_pct"] != default["brent"]["peak_change_pct"]
    cmp = invoke(*args, "-s", "red-sea", "--model", "v1", "--format", "json")
    assert cmp.exit_code == 0, cmp.output
    doc = json.loads(cmp.output)
    assert doc["model"] == "v1" and {r["model"] for r in doc["scenarios"]} == {"v1"}
    table = invoke(*args, "-s", "red-sea", "--model", "v1").output
    assert "model v1 (scored in docs/evaluation.md)" in table
    text = invoke(*args, "--model", "forward-3m+seasonal").output
    assert "model forward-3m+seasonal" in text


def test_estimate_refuses_a_model_the_evaluation_did_not_score(params_2026):
    res = CliRunner().invoke(main, ["estimate", "-s", "hormuz-partial", "--model", "v1+news"])
    assert res.exit_code == 2
    assert "unknown model 'v1+news'" in res.output and len(res.output) < 700


def test_estimate_refuses_an_unknown_model_in_one_line(params_2026):
    res = CliRunner().invoke(
        main, ["estimate", "-s", "hormuz-partial", "--model", "superposition+seasonl"]
    )
    assert res.exit_code == 2
    assert "unknown model 'superposition+seasonl'" in res.output
    assert "Did you mean 'superposition+seasonal'" in res.output
    assert "Traceback" not in res.output


def test_the_output_extension_chooses_the_format_when_none_is_given(tmp_path, params_now):
    import json as _json

    from click.testing import CliRunner

    from oilshock.cli import main

    def run_to(name, *extra):
        out = tmp_path / name
        res = CliRunner().invoke(
            main, ["estimate", "-s", "red-sea", "--draws", "200", *extra, "-o", str(out)]
        )
        assert res.exit_code == 0, res.output
        return out.read_bytes()

    assert run_to("e.xlsx")[:2] == b"PK"  # a workbook (a zip), not text in a .xlsx file
    assert _json.loads(run_to("e.json"))["scenario"]["name"] == "red-sea"
    assert run_to("e.csv").startswith(b"part,")
    assert run_to("e.txt").startswith(b"oilshock estimate:")
    # An explicit --format wins over the extension.
    assert run_to("f.json", "--format", "table").startswith(b"oilshock estimate:")
