"""Shared column definitions (schemas/_fields.toml): written once, referred to by `field` (#16 item 8)."""

import re
import tomllib

import pytest

from oilshock.data.contracts import (
    ContractDefinitionError,
    load_contracts,
    load_fields,
    parse_contract,
    schemas_dir,
)

BASE = """
name = "t"
title = "T"
description = "d"
kind = "series"
file = "t.parquet"
frequency = "daily"
primary_key = ["date"]
[source]
publisher = "p"
url = "u"
terms = "t"
"""


def test_a_column_starts_from_its_field_and_may_override():
    fields = {"date_day": {"name": "date", "dtype": "date", "unit": "day", "description": "x"}}
    c = parse_contract(
        BASE + '[[columns]]\nfield = "date_day"\ndescription = "Trading day."\n', fields=fields
    )
    (col,) = c.columns
    assert (col.name, col.dtype, col.unit, col.description) == (
        "date",
        "date",
        "day",
        "Trading day.",
    )


def test_an_unknown_field_names_the_file_column_and_the_known_ones():
    with pytest.raises(ContractDefinitionError, match=r"columns\[0\]\.field 'dat' .*date_day"):
        parse_contract(
            BASE + '[[columns]]\nfield = "dat"\n',
            fields={"date_day": {"name": "date", "dtype": "date", "unit": "day"}},
        )


def test_shared_definitions_are_used_not_repeated():
    fields = load_fields()
    assert {"date_day", "date_month", "source", "citation"} <= set(fields)
    assert "_fields" not in load_contracts()
    for path in sorted(schemas_dir().glob("[!_]*.toml")):
        for col in tomllib.loads(path.read_text(encoding="utf-8"))["columns"]:
            for key, f in fields.items():
                same = all(col.get(k) == f[k] for k in ("name", "dtype", "unit"))
                assert not same, f"{path.name}: column {col['name']!r} repeats field {key!r}"
    refs = sum(
        len(re.findall(r'^field = "', p.read_text(encoding="utf-8"), re.M))
        for p in schemas_dir().glob("[!_]*.toml")
    )
    assert refs >= 30
