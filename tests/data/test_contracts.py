"""The contract machinery itself: parsing schemas/*.toml, building pandera schemas, error messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from oilshock.data.contracts import (
    ContractDefinitionError,
    load_contracts,
    parse_contract,
    period_end,
    validate,
)
from oilshock.data.dictionary import render_data_dictionary
from oilshock.errors import DataContractError, UnknownNameError

REPO = Path(__file__).resolve().parents[2]

MINIMAL = """
name = "toy"
title = "Toy"
description = "A toy series"
kind = "series"
file = "toy.parquet"
frequency = "daily"
primary_key = ["area", "date"]
time_column = "date"
time_resolution = "day"
[source]
publisher = "Nobody"
url = "https://example.org"
terms = "none"
[[columns]]
name = "area"
dtype = "string"
unit = "id"
description = "Area"
checks = { isin = ["US", "CA"] }
[[columns]]
name = "date"
dtype = "date"
unit = "day"
description = "Day"
[[columns]]
name = "price_usd"
dtype = "float64"
unit = "USD"
description = "Price"
nullable = true
checks = { ge = 0, lt = 10 }
"""


def toy_frame(**overrides):
    data = {
        "area": ["CA", "US", "US"],
        "date": [dt.date(2020, 1, 1), dt.date(2020, 1, 1), dt.date(2020, 1, 2)],
        "price_usd": [1.0, None, 2.0],
    }
    data.update(overrides)
    return pl.DataFrame(data)


@pytest.fixture
def toy():
    return parse_contract(MINIMAL)


def test_valid_frame_passes_unchanged(toy):
    frame = toy_frame()
    assert validate(frame, toy) is frame


@pytest.mark.parametrize(
    ("overrides", "column", "rule"),
    [
        ({"area": ["CA", "US", "XX"]}, "area", "isin"),
        ({"price_usd": [1.0, None, -1.0]}, "price_usd", "greater_than_or_equal_to(0)"),
        ({"price_usd": [1.0, None, 10.0]}, "price_usd", "less_than(10)"),
        (
            {
                "area": ["US", "US", "US"],
                "date": [dt.date(2020, 1, 2), dt.date(2020, 1, 1), dt.date(2020, 1, 3)],
            },
            "<table>",
            "sorted_by",
        ),
        (
            {
                "date": [dt.date(2020, 1, 1), dt.date(2020, 1, 2), dt.date(2020, 1, 2)],
                "area": ["CA", "US", "US"],
            },
            "<table>",
            "unique",
        ),
    ],
)
def test_each_rule_fails_with_column_and_rule(toy, overrides, column, rule):
    with pytest.raises(DataContractError) as err:
        validate(toy_frame(**overrides), toy, "toy.csv")
    msg = str(err.value)
    assert "toy.csv" in msg
    assert any(f["column"] == column and rule in f["rule"] for f in err.value.failures), (
        err.value.failures
    )


def test_failure_names_first_offending_rows(toy):
    frame = toy_frame(price_usd=[11.0, None, 12.0])
    with pytest.raises(DataContractError) as err:
        validate(frame, toy, "toy.csv")
    (f,) = [f for f in err.value.failures if f["column"] == "price_usd"]
    assert f["rows"] == [0, 2]
    assert "data rows [0, 2]" in str(err.value)


def test_no_coercion_wrong_dtype_fails(toy):
    frame = toy_frame().with_columns(pl.col("price_usd").cast(pl.Int64))
    with pytest.raises(DataContractError, match="dtype"):
        validate(frame, toy)


def test_unexpected_and_missing_columns_fail(toy):
    frame = toy_frame().rename({"price_usd": "price"})
    with pytest.raises(DataContractError) as err:
        validate(frame, toy)
    rules = {f["rule"] for f in err.value.failures}
    assert {"column_in_schema", "column_in_dataframe"} <= rules


def test_null_in_non_nullable_column_fails(toy):
    frame = toy_frame(area=["CA", None, "US"])
    with pytest.raises(DataContractError, match="not_nullable"):
        validate(frame, toy)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.replace('kind = "series"', 'kind = "table"'), "kind"),
        (
            lambda s: s.replace('primary_key = ["area", "date"]', 'primary_key = ["nope"]'),
            "primary key",
        ),
        (lambda s: s.replace('dtype = "float64"', 'dtype = "float"'), "dtype"),
        (lambda s: s.replace("ge = 0", "gte = 0"), "unknown rule"),
        (
            lambda s: s.replace('time_resolution = "day"', 'time_resolution = "hour"'),
            "time_resolution",
        ),
        (lambda s: s.replace('terms = "none"', ""), "source.terms"),
        (lambda s: s + "\n[[[", "TOML syntax"),
    ],
)
def test_malformed_contracts_are_refused(edit, message):
    with pytest.raises(ContractDefinitionError, match=message):
        parse_contract(edit(MINIMAL))


def test_every_shipped_contract_loads_and_names_its_file():
    contracts = load_contracts()
    assert "brent_daily" in contracts
    for name, c in contracts.items():
        assert c.path.stem == name
        assert c.source["publisher"] and c.source["terms"]
        for col in c.columns:
            assert col.unit and col.description, f"{name}.{col.name} lacks unit or description"


def test_unknown_dataset_suggests_closest():
    with pytest.raises(UnknownNameError, match="Did you mean 'brent_daily'"):
        validate(pl.DataFrame(), "brent_dialy")


def test_period_end():
    assert period_end(dt.date(2024, 2, 1), "month") == dt.date(2024, 2, 29)
    assert period_end(dt.date(2023, 12, 1), "month") == dt.date(2023, 12, 31)
    assert period_end(2023, "year") == dt.date(2023, 12, 31)
    assert period_end(dt.date(2023, 5, 7), "day") == dt.date(2023, 5, 7)


def test_data_dictionary_is_in_sync():
    """docs/data-dictionary.md must be regenerated when a contract changes:
    `oilshock data dictionary -o docs/data-dictionary.md`."""
    committed = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == render_data_dictionary(), (
        "run: oilshock data dictionary -o docs/data-dictionary.md"
    )


def test_data_dictionary_lists_every_column():
    text = render_data_dictionary()
    for name, c in load_contracts().items():
        assert f"## {name}" in text
        for col in c.columns:
            assert f"| `{col.name}` |" in text
