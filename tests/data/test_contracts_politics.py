"""Contracts of the politics datasets: a valid frame passes; each check, broken once, names its column.

The table ``CASES`` holds one failing value per (dataset, column, rule);
:func:`test_every_check_has_a_case` fails when a contract gains a check that
the table does not exercise.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from oilshock.data.contracts import get_contract, validate
from oilshock.errors import DataContractError

D = dt.date
REF = {"source": ["APP", "APP"], "citation": ["table, 2022", "table, 2022"]}

VALID = {
    "presidents": lambda: pl.DataFrame(
        {
            "president": ["Joe Biden", "Donald Trump"],
            "term_number": [1, 2],
            "party": ["D", "R"],
            "term_start": [D(2021, 1, 20), D(2025, 1, 20)],
            "term_end": [D(2025, 1, 20), None],
            **REF,
        }
    ),
    "midterms_app_table": lambda: pl.DataFrame(
        {
            "year": [2018, 2022],
            "president": ["Donald Trump", "Joe Biden"],
            "party": ["R", "D"],
            "approval_pct": [44.0, 40.0],
            "house_seat_change": [-40, -9],
            "senate_seat_change": [2, 1],
            **REF,
        }
    ),
    "approval_monthly": lambda: pl.DataFrame(
        {
            "series": ["all_pollsters", "gallup"],
            "date": [D(2025, 2, 1), D(1974, 8, 1)],
            "president": ["Donald Trump", "Gerald Ford"],
            "party": ["R", "R"],
            "approve_pct": [45.5, 71.0],
            "disapprove_pct": [50.0, 3.0],
            "n_polls": [40, 1],
        }
    ),
    "midterms": lambda: pl.DataFrame(
        {
            "year": [2018, 2022],
            "president": ["Donald Trump", "Joe Biden"],
            "party": ["R", "D"],
            "approval_pct": [44.0, 40.0],
            "house_seat_change": [-40, -9],
            "senate_seat_change": [2, 1],
            "house_seat_change_historian": [-42, None],
            "approval_pct_govt6139": [38.0, None],
            "rdi_change_pct": [4.1, None],
        }
    ),
    "generic_ballot_monthly": lambda: pl.DataFrame(
        {
            "date": [D(2025, 1, 1), D(2025, 2, 1)],
            "dem_pct": [41.75, 43.0],
            "rep_pct": [45.9, 45.1],
            "n_polls": [6, 15],
        }
    ),
}

# (dataset, column, rule, value put into the last row)
CASES = [
    ("presidents", "president", "str_matches", "biden"),
    ("presidents", "term_number", "ge", 0),
    ("presidents", "term_number", "le", 5),
    ("presidents", "party", "isin", "I"),
    ("presidents", "term_start", "monotonic", D(2020, 1, 20)),
    ("presidents", "term_start", "unique", D(2021, 1, 20)),
    ("presidents", "term_start", "ge", D(1937, 1, 19)),
    ("presidents", "term_end", "gt", D(1937, 1, 20)),
    ("presidents", "source", "str_matches", " "),
    ("presidents", "citation", "str_matches", ""),
    ("midterms_app_table", "year", "monotonic", 2014),
    ("midterms_app_table", "year", "unique", 2018),
    ("midterms_app_table", "year", "ge", 1945),
    ("midterms_app_table", "year", "le", 2101),
    ("midterms_app_table", "president", "str_matches", "Biden"),
    ("midterms_app_table", "party", "isin", "Democratic"),
    ("midterms_app_table", "approval_pct", "ge", -0.5),
    ("midterms_app_table", "approval_pct", "le", 100.5),
    ("midterms_app_table", "house_seat_change", "ge", -436),
    ("midterms_app_table", "house_seat_change", "le", 436),
    ("midterms_app_table", "senate_seat_change", "ge", -101),
    ("midterms_app_table", "senate_seat_change", "le", 101),
    ("midterms_app_table", "source", "str_matches", ""),
    ("midterms_app_table", "citation", "str_matches", "  "),
    ("approval_monthly", "series", "isin", "rcp_average"),
    ("approval_monthly", "date", "ge", D(1937, 7, 1)),
    ("approval_monthly", "president", "str_matches", "Ford"),
    ("approval_monthly", "party", "isin", "r"),
    ("approval_monthly", "approve_pct", "ge", -1.0),
    ("approval_monthly", "approve_pct", "le", 101.0),
    ("approval_monthly", "disapprove_pct", "ge", -1.0),
    ("approval_monthly", "disapprove_pct", "le", 101.0),
    ("approval_monthly", "n_polls", "ge", 0),
    ("midterms", "year", "monotonic", 2014),
    ("midterms", "year", "unique", 2018),
    ("midterms", "year", "ge", 1942),
    ("midterms", "year", "le", 2102),
    ("midterms", "president", "str_matches", "joe biden"),
    ("midterms", "party", "isin", "Dem"),
    ("midterms", "approval_pct", "ge", -3.0),
    ("midterms", "approval_pct", "le", 140.0),
    ("midterms", "house_seat_change", "ge", -500),
    ("midterms", "house_seat_change", "le", 500),
    ("midterms", "senate_seat_change", "ge", -150),
    ("midterms", "senate_seat_change", "le", 150),
    ("midterms", "house_seat_change_historian", "ge", -440),
    ("midterms", "house_seat_change_historian", "le", 440),
    ("midterms", "approval_pct_govt6139", "ge", -1.0),
    ("midterms", "approval_pct_govt6139", "le", 101.0),
    ("midterms", "rdi_change_pct", "ge", -51.0),
    ("midterms", "rdi_change_pct", "le", 51.0),
    ("generic_ballot_monthly", "date", "monotonic", D(2024, 12, 1)),
    ("generic_ballot_monthly", "date", "unique", D(2025, 1, 1)),
    ("generic_ballot_monthly", "date", "ge", D(2024, 12, 1)),
    ("generic_ballot_monthly", "dem_pct", "ge", -0.1),
    ("generic_ballot_monthly", "dem_pct", "le", 100.1),
    ("generic_ballot_monthly", "rep_pct", "ge", -0.1),
    ("generic_ballot_monthly", "rep_pct", "le", 100.1),
    ("generic_ballot_monthly", "n_polls", "ge", 0),
]

# pandera's name for each contract rule, as it appears in DataContractError.failures
PANDERA_RULE = {
    "ge": "greater_than_or_equal_to",
    "gt": "greater_than",
    "le": "less_than_or_equal_to",
    "lt": "less_than",
    "isin": "isin",
    "str_matches": "str_matches",
    "unique": "field_uniqueness",
    "monotonic": "monotonic",
}


def with_last(frame: pl.DataFrame, column: str, value) -> pl.DataFrame:
    values = frame[column].to_list()
    values[-1] = value
    return frame.with_columns(pl.Series(column, values, dtype=frame.schema[column]))


@pytest.mark.parametrize("dataset", sorted(VALID))
def test_valid_frame_passes(dataset):
    frame = VALID[dataset]()
    assert validate(frame, dataset) is frame


@pytest.mark.parametrize(
    ("dataset", "column", "rule", "value"), CASES, ids=[f"{d}.{c}.{r}" for d, c, r, _ in CASES]
)
def test_each_check_fails_naming_its_column(dataset, column, rule, value):
    frame = with_last(VALID[dataset](), column, value)
    with pytest.raises(DataContractError) as err:
        validate(frame, dataset, "bad.csv")
    assert any(
        f["column"] == column and PANDERA_RULE[rule] in f["rule"] for f in err.value.failures
    ), err.value.failures
    assert f"column '{column}'" in str(err.value)


@pytest.mark.parametrize("dataset", sorted(VALID))
def test_non_nullable_columns_refuse_null(dataset):
    contract = get_contract(dataset)
    for col in contract.columns:
        if col.nullable:
            continue
        frame = with_last(VALID[dataset](), col.name, None)
        with pytest.raises(DataContractError) as err:
            validate(frame, dataset)
        assert any(
            f["column"] == col.name and "not_nullable" in f["rule"] for f in err.value.failures
        ), col.name


@pytest.mark.parametrize("dataset", sorted(VALID))
def test_rows_out_of_key_order_fail(dataset):
    frame = VALID[dataset]().reverse()
    with pytest.raises(DataContractError, match="sorted_by"):
        validate(frame, dataset)


def test_every_check_has_a_case():
    declared = {
        (d, c.name, rule) for d in VALID for c in get_contract(d).columns for rule in c.checks
    }
    covered = {(d, c, r) for d, c, r, _ in CASES}
    assert declared == covered
