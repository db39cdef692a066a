"""The gasoline price breakdown reference table: contract, sums, and what the gallon chart reads."""

from __future__ import annotations

import datetime as dt

import polars as pl

from oilshock.data.contracts import get_contract, validate
from oilshock.data.datasets import load_dataset
from oilshock.data.files import read_csv_strict
from oilshock.data.location import packaged_data_dir
from oilshock.report.data import latest_component_shares


def test_table_meets_its_contract_and_cites_every_row():
    c = get_contract("gasoline_price_components")
    frame = read_csv_strict(packaged_data_dir() / c.file, c)
    validate(frame, c)
    assert frame.filter(pl.col("citation").str.contains("literature.md §3c").not_()).height == 0
    full = frame.drop_nulls(["refining_pct", "distribution_pct", "taxes_pct"])
    sums = full["crude_pct"] + full["refining_pct"] + full["distribution_pct"] + full["taxes_pct"]
    assert sums.min() >= 99 and sums.max() <= 101  # whole percents as published


def test_point_in_time():
    assert latest_component_shares(dt.date(2026, 2, 27))["period_first"] == "2023-01-01"
    assert latest_component_shares(dt.date(2022, 12, 15))["period_first"] == "2022-11-01"
    assert load_dataset("gasoline_price_components", as_of=dt.date(2014, 6, 29)).height == 3
