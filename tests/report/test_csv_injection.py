"""Every CSV oilshock writes neutralises text a spreadsheet would run as a formula (OWASP CSV injection rule)."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from oilshock.cli import main
from oilshock.report.tables import csv_cell, to_csv

TITLE = '=HYPERLINK("http://evil.example/","x")'
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def scenario_file(tmp_path, title=TITLE, name="evil"):
    p = tmp_path / f"{name}.toml"
    p.write_text(
        f"name = {name!r}\ntitle = {title!r}\n"
        '[[disruptions]]\nchokepoint = "bab_el_mandeb"\nshare = 0.5\nduration_days = 30\n'
    )
    return p


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


def assert_safe(text: str) -> None:
    for c in cells(text):
        if c and c[0] in DANGEROUS:
            # A cell beginning with a sign must be a number, nothing else.
            float(c)


@pytest.mark.parametrize("first", DANGEROUS)
def test_text_cells_are_neutralised_numbers_are_not(first):
    text = to_csv([{"a": f"{first}cmd|' /C calc'!A0", "b": -1.5, "c": -3, "d": "-0.25", "e": "ok"}])
    row = list(csv.DictReader(io.StringIO(text, newline="")))[0]
    assert row["a"] == f"'{first}cmd|' /C calc'!A0"
    assert row["b"] == "-1.5" and row["c"] == "-3" and row["d"] == "-0.25" and row["e"] == "ok"


def test_csv_cell_rule():
    assert csv_cell("=1+2") == "'=1+2"
    assert csv_cell("-inf") == "-inf"  # a number a spreadsheet reads as text, never as a formula
    assert csv_cell("-x") == "'-x"
    assert csv_cell("2024-01-15") == "2024-01-15"
    assert csv_cell(None) == ""
    assert csv_cell(-2.5) == "-2.5"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_estimate_csv_neutralises_the_title(tmp_path, params_2026):
    res = run(
        "estimate",
        "-s",
        str(scenario_file(tmp_path)),
        "--as-of",
        "2026-02-27",
        "--draws",
        "200",
        "--format",
        "csv",
    )
    assert res.exit_code == 0, res.output
    assert "'" + TITLE in cells(res.output)
    assert_safe(res.output)


def test_comparison_csv_neutralises_the_title(tmp_path, params_2026):
    res = run(
        "estimate",
        "-s",
        str(scenario_file(tmp_path)),
        "-s",
        "red-sea",
        "--as-of",
        "2026-02-27",
        "--draws",
        "200",
        "--format",
        "csv",
    )
    assert res.exit_code == 0, res.output
    assert "'" + TITLE in cells(res.output)
    assert_safe(res.output)


def test_scenarios_show_csv_neutralises_the_title(tmp_path, params_2026):
    res = run(
        "scenarios",
        "show",
        str(scenario_file(tmp_path)),
        "--as-of",
        "2026-02-27",
        "--format",
        "csv",
    )
    assert res.exit_code == 0, res.output
    assert "'" + TITLE in cells(res.output)
    assert_safe(res.output)


def test_estimate_xlsx_keeps_the_title_text_on_every_sheet(tmp_path, params_2026):
    # The workbook's About sheet names the scenario first thing: a string cell, never a formula.
    from .xlsx_xml import Book

    out = tmp_path / "evil.xlsx"
    res = run(
        "estimate", "-s", str(scenario_file(tmp_path)), "--as-of", "2026-02-27", "--draws", "200",
        "--format", "xlsx", "-o", str(out),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    book = Book(out)
    assert next(iter(book.sheets)) == "About"
    about = [c for c in book.cells("About").values() if c[1] == TITLE]
    assert about and all(t == "s" and not formula for t, _v, _fmt, formula in about)
    for sheet in book.sheets:
        xml = book.xml(sheet)
        assert "<f>" not in xml and "HYPERLINK" not in xml.upper()
