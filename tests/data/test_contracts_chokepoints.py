"""Contracts of the chokepoint datasets: a passing frame, and one failing row per check.

Each case changes one cell of a valid frame and must raise DataContractError
naming that column, so every declared check is shown to bite.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from oilshock.data.contracts import get_contract, validate
from oilshock.data.files import read_csv_strict
from oilshock.data.location import packaged_data_dir
from oilshock.errors import DataContractError

D = dt.date


def _reference(name):
    contract = get_contract(name)
    return read_csv_strict(packaged_data_dir() / contract.file, contract)


def _transits():
    return pl.DataFrame(
        {
            "date": [D(2019, 1, 1), D(2019, 1, 1), D(2019, 1, 2)],
            "chokepoint": ["cape_of_good_hope", "hormuz", "hormuz"],
            "vintage": ["wide_2026-05-30", "long_2026-08-19", "long_2026-08-19"],
            "n_total": [48, 66, 65],
            "n_tanker": [11, 42, 40],
            "n_cargo": [37, 24, 25],
            "capacity_dwt_t": [1848668.0, 3026901.0, 2900000.0],
            "tanker_capacity_dwt_t": [429107.0, 2919371.0, None],
            "tanker_capacity_vintage": ["wide_2026-05-30", "wide_2026-05-30", None],
        }
    )


def _flows():
    return pl.DataFrame(
        {
            "year": [2022, 2023, 2023],
            "chokepoint": ["hormuz", "bab_el_mandeb", "hormuz"],
            "flow_mbd": [21.1, 8.6, 20.9],
            "world_maritime_trade_mbd": [76.2, 77.5, 77.5],
            "world_supply_mbd": [99.9, 101.9, 101.9],
            "note": [None, None, None],
        },
        schema_overrides={"note": pl.String},
    )


FRAMES = {
    "chokepoints": lambda: _reference("chokepoints"),
    "chokepoint_flows_supplement": lambda: _reference("chokepoint_flows_supplement"),
    "bypass_routes": lambda: _reference("bypass_routes"),
    "oil_buffers": lambda: _reference("oil_buffers"),
    "chokepoint_transits_daily": _transits,
    "chokepoint_flows_annual": _flows,
}

# (dataset, column, row, bad value): each must fail on `column`.
CASES = [
    ("chokepoints", "chokepoint", 4, "strait_of_hormuz"),
    ("chokepoints", "chokepoint", 4, "Hormuz"),
    ("chokepoints", "chokepoint", 5, "hormuz"),  # unique
    ("chokepoints", "kind", 0, "canal"),
    ("chokepoints", "portwatch_portid", 0, "cp4"),
    ("chokepoints", "name", 0, None),
    ("chokepoint_flows_supplement", "chokepoint", 0, "red_sea"),
    ("chokepoint_flows_supplement", "period_start", 0, D(1980, 1, 1)),
    ("chokepoint_flows_supplement", "period_end", 0, D(2031, 1, 1)),
    ("chokepoint_flows_supplement", "direction", 0, "both"),
    ("chokepoint_flows_supplement", "flow_mbd", 0, 0.0),
    ("chokepoint_flows_supplement", "flow_mbd", 0, 20000.0),  # kb/d entered as mb/d
    ("chokepoint_flows_supplement", "published", 0, "June 2025"),
    ("chokepoint_flows_supplement", "grade", 0, "D"),
    ("chokepoint_flows_supplement", "source", 0, None),
    ("bypass_routes", "chokepoint", 0, "red_sea"),
    ("bypass_routes", "route", 0, "East-West pipeline"),
    ("bypass_routes", "capacity_mbd", 4, 0.0),
    ("bypass_routes", "capacity_mbd", 4, 5000.0),
    ("bypass_routes", "unused_capacity_mbd", 2, -0.1),
    ("bypass_routes", "unused_capacity_mbd", 2, 2600.0),
    ("bypass_routes", "extra_transit_days", 0, 0.0),
    ("bypass_routes", "extra_transit_days", 0, 360.0),
    ("bypass_routes", "as_of", 0, D(1989, 12, 31)),
    ("bypass_routes", "as_of", 0, D(2031, 1, 1)),
    ("bypass_routes", "as_of_precision", 0, "quarter"),
    ("bypass_routes", "grade", 0, "A+"),
    ("bypass_routes", "citation", 0, None),
    ("oil_buffers", "buffer", 0, "strategic_reserve"),
    ("oil_buffers", "region", 0, "europe"),
    ("oil_buffers", "behind_chokepoint", 0, "gulf"),
    ("oil_buffers", "as_of", 0, D(1969, 12, 31)),
    ("oil_buffers", "as_of", 0, D(2031, 1, 1)),
    ("oil_buffers", "as_of_precision", 0, "week"),
    ("oil_buffers", "volume_mb", 1, 0.0),
    ("oil_buffers", "volume_mb", 1, 400000.0),
    ("oil_buffers", "rate_mbd", 0, -2.5),
    ("oil_buffers", "rate_mbd", 0, 4400.0),
    ("oil_buffers", "days_to_market", 0, 0.0),
    ("oil_buffers", "days_to_market", 0, 400.0),
    ("oil_buffers", "qualifier", 0, "roughly"),
    ("oil_buffers", "grade", 0, "b"),
    ("chokepoint_transits_daily", "date", 0, D(2018, 12, 31)),
    ("chokepoint_transits_daily", "date", 0, D(2019, 1, 5)),  # monotonic
    ("chokepoint_transits_daily", "chokepoint", 0, "danish_straits"),
    ("chokepoint_transits_daily", "vintage", 0, "may 2026"),
    ("chokepoint_transits_daily", "n_total", 0, -1),
    ("chokepoint_transits_daily", "n_total", 0, 5000),
    ("chokepoint_transits_daily", "n_tanker", 0, -1),
    ("chokepoint_transits_daily", "n_tanker", 0, 5000),
    ("chokepoint_transits_daily", "n_cargo", 0, -1),
    ("chokepoint_transits_daily", "n_cargo", 0, 5000),
    ("chokepoint_transits_daily", "capacity_dwt_t", 0, -1.0),
    ("chokepoint_transits_daily", "capacity_dwt_t", 0, 1.0e9),
    ("chokepoint_transits_daily", "tanker_capacity_dwt_t", 0, -1.0),
    ("chokepoint_transits_daily", "tanker_capacity_dwt_t", 0, 1.0e9),
    ("chokepoint_transits_daily", "tanker_capacity_vintage", 0, "wide"),
    ("chokepoint_transits_daily", "n_total", 0, None),
    ("chokepoint_flows_annual", "year", 0, 1999),
    ("chokepoint_flows_annual", "year", 2, 2101),
    ("chokepoint_flows_annual", "year", 0, 2024),  # monotonic
    ("chokepoint_flows_annual", "chokepoint", 0, "world_supply"),
    ("chokepoint_flows_annual", "flow_mbd", 0, 0.0),
    ("chokepoint_flows_annual", "flow_mbd", 0, 21100.0),
    ("chokepoint_flows_annual", "world_maritime_trade_mbd", 0, 7.6),
    ("chokepoint_flows_annual", "world_maritime_trade_mbd", 0, 762.0),
    ("chokepoint_flows_annual", "world_supply_mbd", 0, 9.99),
    ("chokepoint_flows_annual", "world_supply_mbd", 0, 999.0),
]


def _set(frame, column, row, value):
    dtype = frame.schema[column]
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row)
        .then(pl.lit(value, dtype=dtype))
        .otherwise(pl.col(column))
        .alias(column)
    )


@pytest.mark.parametrize("dataset", sorted(FRAMES))
def test_valid_frame_passes(dataset):
    frame = FRAMES[dataset]()
    assert validate(frame, dataset) is frame


def test_every_check_has_a_failing_case():
    covered = {(d, c) for d, c, _, _ in CASES}
    for dataset in FRAMES:
        for col in get_contract(dataset).columns:
            if col.checks:
                assert (dataset, col.name) in covered, f"no failing case for {dataset}.{col.name}"


@pytest.mark.parametrize(
    ("dataset", "column", "row", "value"), CASES, ids=[f"{d}.{c}={v!r}" for d, c, _, v in CASES]
)
def test_bad_cell_fails_naming_column(dataset, column, row, value):
    frame = _set(FRAMES[dataset](), column, row, value)
    with pytest.raises(DataContractError) as info:
        validate(frame, dataset, "test.csv")
    assert column in {f["column"] for f in info.value.failures}, str(info.value)


@pytest.mark.parametrize("dataset", sorted(FRAMES))
def test_duplicate_key_and_order_fail_at_table_level(dataset):
    frame = FRAMES[dataset]()
    with pytest.raises(DataContractError) as info:
        validate(pl.concat([frame, frame.head(1)]), dataset)
    assert "<table>" in {f["column"] for f in info.value.failures}


@pytest.mark.parametrize("dataset", sorted(FRAMES))
def test_extra_column_fails(dataset):
    with pytest.raises(DataContractError):
        validate(FRAMES[dataset]().with_columns(pl.lit(1).alias("ma7")), dataset)
