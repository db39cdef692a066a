"""The estimate's Excel workbook (oilshock.report.workbook), read back from its XML (.xlsx_xml)."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from oilshock.report import tables, workbook

from .xlsx_xml import Book, excel_date

HOSTILE = '=HYPERLINK("http://evil.example","click")'


def _estimate() -> dict:
    """A small estimate in the shape of EstimateResult.to_dict: 10 weeks across two quarters."""
    d = {
        "scenario": {"name": "toy", "title": "Toy closure", "horizon_weeks": 10},
        "as_of": "2026-08-21",
        "disclaimer": "Not investment advice.",
        "provenance": {"snapshot_sha256": "ab" * 32, "seed": 7, "draws": 300},
        "models": {"model": {"name": "forward-1m"}},
        "context": {"state_line": "State at 2026-08-21: Hormuz shut"},
        "baseline": {"brent_usd_per_bbl": 70.5, "retail_gasoline_date": "2026-08-17"},
        "brent": {"peak_change_pct": {"p05": 1.0, "p50": 2.0, "p95": 3.0}, "weeks_to_peak": 4},
        "retail_gasoline": {"peak_change_usd_per_gal": {"p05": 0.1, "p50": 0.2, "p95": 0.3}},
        "status_quo": None,
        "drivers": {"world_supply_mbd": 81.7},
        "household": {
            "national_usd_total": {"p05": 1.58e8, "p50": 1.169e9, "p95": 2.541e9},
            "household_share_of_gasoline": 0.7812,
        },
        "election": None,
        "regions": [
            {
                "area": "padd_1",
                "name": "East Coast",
                "baseline_usd_per_gal": 3.1,
                "price_change_usd_per_gal": {"p05": 0.01, "p50": 0.02, "p95": 0.03},
                "household_usd_total": {"p05": 1.0, "p50": 2.0, "p95": 3.0},
            }
        ],
        "weekly": [],
    }
    start = dt.date(2026, 8, 24)
    for i in range(10):
        day = start + dt.timedelta(weeks=i)
        d["weekly"].append(
            {
                "week_ending": day.isoformat(),
                "brent_usd_per_bbl": {"p05": 70.0 + i, "p50": 72.0 + 1.5 * i, "p95": 75.0 + 2 * i},
                "retail_gasoline_usd_per_gal": {
                    "p05": 3.0 + 0.01 * i,
                    "p50": 3.1 + 0.02 * i,
                    "p95": 3.2 + 0.03 * i,
                },
                "net_loss_mbd": {"p05": 1.0, "p50": 2.0, "p95": 3.0},
            }
        )
    return d


SOURCES = [
    {"dataset": "brent_daily", "publisher": "U.S. Energy Information Administration",
     "first": "1987-05-20", "last": "2026-08-18"},
]  # fmt: skip


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "e.xlsx"
    workbook.write_estimate_workbook(_estimate(), path, sources=SOURCES)
    return Book(path)


def test_sheets_about_first_then_parts_then_averages(book):
    assert list(book.sheets) == ["About", *tables.PARTS, "monthly", "quarterly"]


def test_about_says_what_the_workbook_is(book):
    rows = {}
    for ref, (_t, value, fmt, _f) in book.cells("About").items():
        rows.setdefault(int(ref[1:]) if ref[1:].isdigit() else 0, {})[ref[0]] = (value, fmt)
    fields = {r["A"][0]: r.get("B") for r in rows.values() if "A" in r}
    assert fields["Scenario"][0] == "Toy closure" and fields["Scenario name"][0] == "toy"
    as_of = fields["As of (no data after it is used)"]
    assert as_of[1] == "yyyy-mm-dd" and excel_date(as_of[0]) == dt.date(2026, 8, 21)
    assert fields["Data snapshot sha256"][0] == "ab" * 32
    assert fields["Model"][0] == "forward-1m"
    assert fields["Draws"][0] == 300 and fields["Seed"][0] == 7
    assert "U.S. Energy Information Administration" in fields["Publishers"][0]
    strings = set(book.strings)
    # The units table: a column, its unit and meaning.
    assert {
        "Units",
        "brent_usd_per_bbl_p50",
        "USD/bbl",
        "Datasets of the snapshot",
        "brent_daily",
    } <= strings
    assert any(s.startswith("US dollars per barrel; median") for s in strings)


@pytest.mark.parametrize("sheet", [*tables.PARTS, "monthly", "quarterly"])
def test_every_data_sheet_has_frozen_header_and_autofilter(book, sheet):
    xml = book.xml(sheet)
    pane = re.search(r"<pane [^>]*>", xml).group(0)
    assert 'state="frozen"' in pane and 'ySplit="1"' in pane
    parts = book.table_parts(sheet)
    assert len(parts) == 1 and "<autoFilter" in parts[0]


def test_weekly_dates_are_excel_dates(book):
    rows = book.table("weekly")
    first = rows[0]["week_ending"]
    assert isinstance(first[0], float) and first[1] == "yyyy-mm-dd"
    assert [excel_date(r["week_ending"][0]) for r in rows] == [
        dt.date(2026, 8, 24) + dt.timedelta(weeks=i) for i in range(10)
    ]
    # A date among a summary sheet's text (the gasoline baseline's date) is a date too.
    text = {r["figure"][0]: r["text"] for r in book.table("summary")}
    assert text["as_of"][1] == "yyyy-mm-dd"
    assert excel_date(text["baseline.retail_gasoline_date"][0]) == dt.date(2026, 8, 17)


def test_numbers_carry_their_units_format(book):
    w = book.table("weekly")[0]
    assert w["brent_usd_per_bbl_p50"][1] == "0.00"
    assert w["retail_gasoline_usd_per_gal_p05"][1] == "0.000"
    assert w["net_loss_mbd_p95"][1] == "0.00"
    r = book.table("regions")[0]
    assert r["household_usd_total_p50"][1] == "#,##0" and r["baseline_usd_per_gal"][1] == "0.000"
    h = {x["figure"][0]: x for x in book.table("household")}
    bn = h["national_usd_total"]["p50"]
    assert bn[0] == 1.169e9 and bn[1].startswith("#,##0.0,,,")  # shown as 1.2 bn, cell in USD
    assert h["household_share_of_gasoline"]["value"][1] == "0.0%"
    s = {x["figure"][0]: x for x in book.table("summary")}
    assert s["brent.peak_change_pct"]["p50"][1] == "0.0"
    assert s["brent.weeks_to_peak"]["value"][1] == "#,##0"
    assert s["baseline.brent_usd_per_bbl"]["value"][1] == "0.00"


def test_unit_table_decides_formats():
    assert workbook.unit_of("brent_usd_per_bbl_p05")[:2] == ("USD/bbl", "0.00")
    assert workbook.unit_of("retail_usd_per_gal")[:2] == ("USD/gal", "0.000")
    assert workbook.unit_of("flow_mbd")[:2] == ("mb/d", "0.00")
    assert workbook.unit_of("household_usd")[:2] == ("USD", "#,##0")
    assert workbook.unit_of("brent.peak_change_pct")[:2] == ("%", "0.0")
    assert workbook.unit_of("status_quo.brent_mean_change_pct_vs_status_quo")[0] == "%"
    assert workbook.unit_of("extrapolation.peak_net_share")[:2] == ("fraction", "0.0%")
    assert workbook.unit_of("rho") is None


def _direct(d: dict, every: str) -> pl.DataFrame:
    """The averages computed another way: truncate each week_ending to its period, group, mean."""
    rows = [
        {"week_ending": dt.date.fromisoformat(w["week_ending"])}
        | {f"{k}_{q}": w[k][q] for k in ("brent_usd_per_bbl", "retail_gasoline_usd_per_gal")
           for q in ("p05", "p50", "p95")}
        for w in d["weekly"]
    ]  # fmt: skip
    f = pl.DataFrame(rows).with_columns(period=pl.col("week_ending").dt.truncate(every))
    return (
        f.group_by("period")
        .agg(pl.len().alias("weeks"), pl.exclude("week_ending").mean())
        .sort("period")
    )


@pytest.mark.parametrize(("sheet", "every", "labels"), [
    ("monthly", "1mo", ["2026-08", "2026-09", "2026-10"]),
    ("quarterly", "1q", ["2026Q3", "2026Q4"]),
])  # fmt: skip
def test_period_averages_equal_a_direct_computation(book, sheet, every, labels):
    got = book.table(sheet)
    want = _direct(_estimate(), every)
    label = "month" if every == "1mo" else "quarter"
    assert [r[label][0] for r in got] == labels
    assert [r["weeks"][0] for r in got] == want["weeks"].to_list()
    for col in workbook.AVERAGED:
        assert [r[col][0] for r in got] == pytest.approx(want[col].to_list(), rel=1e-12)
        assert got[0][col][1] == ("0.00" if "bbl" in col else "0.000")


def test_hostile_title_stays_text_on_the_about_sheet(tmp_path):
    d = _estimate()
    d["scenario"]["title"] = HOSTILE
    book = Book(workbook.write_estimate_workbook(d, tmp_path / "h.xlsx", sources=[]))
    cells = book.cells("About")
    title = [c for c in cells.values() if c[1] == HOSTILE]
    assert title and all(t == "s" and not f for t, _v, _fmt, f in title)
    assert not any("<f>" in book.xml(s) or "HYPERLINK" in book.xml(s) for s in book.sheets)
    assert "hyperlink" not in " ".join(book.files[p] for p in book.sheets.values()).lower()


def test_any_tables_get_dates_formats_frozen_header_and_filter(tmp_path):
    # The scenario comparison's workbook goes through the same writer.
    rows = [
        {"scenario": "a", "as_of": "2026-02-27", "brent_peak_change_pct_p50": 4.56},
        {"scenario": "b", "as_of": "2026-02-27", "brent_peak_change_pct_p50": None},
    ]
    book = Book(workbook.write_workbook({"compare": rows}, tmp_path / "c.xlsx"))
    got = book.table("compare")
    assert got[0]["as_of"][1] == "yyyy-mm-dd" and excel_date(got[0]["as_of"][0]).day == 27
    assert got[0]["brent_peak_change_pct_p50"] == (4.56, "0.0")
    assert (
        'state="frozen"' in book.xml("compare") and "<autoFilter" in book.table_parts("compare")[0]
    )


def test_a_comparison_workbook_says_what_it_is_first(tmp_path, params_now):
    from click.testing import CliRunner

    from oilshock.cli import main

    out = tmp_path / "compare.xlsx"
    res = CliRunner().invoke(
        main,
        ["estimate", "-s", "hormuz-partial", "-s", "red-sea", "--draws", "200", "--format", "xlsx"]
        + ["-o", str(out)],
    )
    assert res.exit_code == 0, res.output
    book = Book(out)
    assert list(book.sheets) == ["About", "compare"]
    about = {
        v[1]: book.cells("About").get(f"B{k[1:]}")
        for k, v in book.cells("About").items()
        if k.startswith("A") and v[0] == "s"
    }
    assert about["Scenario: hormuz-partial"][1].startswith("Strait of Hormuz")
    assert about["Scenario: red-sea"][1]
    as_of = about["As of (no data after it is used)"]
    assert as_of[2] == "yyyy-mm-dd" and excel_date(as_of[1]) == dt.date(2026, 8, 18)
    assert about["Draws"][1] == 200 and len(about["Data snapshot sha256"][1]) == 64
    assert [r["scenario"][0] for r in book.table("compare")] == ["hormuz-partial", "red-sea"]
