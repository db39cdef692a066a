"""Contracts of the price datasets: a passing frame, and one failing row per check (table-driven)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from oilshock.data.contracts import get_contract, validate
from oilshock.errors import DataContractError

D = dt.date


def brent():
    return pl.DataFrame(
        {
            "date": [D(1987, 5, 20), D(2020, 4, 20), D(2026, 8, 18)],
            "brent_usd_per_bbl": [18.63, 19.33, 95.29],
        }
    )


def wti():
    return pl.DataFrame(
        {
            "date": [D(1986, 1, 2), D(2020, 4, 20), D(2026, 8, 18)],
            "wti_usd_per_bbl": [25.56, -36.98, 86.48],
        }
    )


def weekly():
    return pl.DataFrame(
        {
            "date": [D(2026, 8, 17), D(1990, 12, 10), D(2026, 8, 17)],
            "area": ["us", "us", "us"],
            "grade": ["all_grades", "regular", "regular"],
            "series_id": ["EMM_EPM0_PTE_NUS_DPG", "EMM_EPMR_PTE_NUS_DPG", "EMM_EPMR_PTE_NUS_DPG"],
            "retail_usd_per_gal": [4.182, None, 4.049],
        }
    )


def monthly():
    return pl.DataFrame(
        {
            "date": [D(2022, 10, 1), D(2022, 11, 1), D(1992, 6, 1)],
            "area": ["padd_2", "padd_2", "padd_3"],
            "grade": ["regular", "regular", "regular"],
            "source_series": [
                "EMM_EPMR_PTE_R20_DPG",
                "steo_2026-03:MGRARP2_$",
                "EMM_EPMR_PTE_R30_DPG",
            ],
            "retail_usd_per_gal": [3.744, 3.5865, 1.06],
        }
    )


def wholesale():
    return pl.DataFrame(
        {
            "date": [D(2025, 6, 16), D(2003, 3, 11), D(1986, 6, 2), D(2022, 2, 15)],
            "market": [
                "gulf_coast_conventional",
                "los_angeles_rbob",
                "ny_harbor_conventional",
                "nymex_rbob_front",
            ],
            "series_id": [
                "EER_EPMRU_PF4_RGC_DPG",
                "EER_EPMRR_PF4_Y05LA_DPG",
                "EER_EPMRU_PF4_Y35NY_DPG",
                "EER_EPMRR_PE1_Y35NY_DPG",
            ],
            "wholesale_usd_per_gal": [2.162, 1.51, 0.468, 2.669],
        }
    )


FRAMES = {
    "brent_daily": brent,
    "wti_daily": wti,
    "retail_gasoline_weekly": weekly,
    "retail_gasoline_monthly": monthly,
    "wholesale_gasoline_daily": wholesale,
}


@pytest.mark.parametrize("dataset", list(FRAMES))
def test_passing_frame(dataset):
    frame = FRAMES[dataset]()
    assert validate(frame, dataset) is frame
    # The test frame must cover every contract column, so a changed contract fails here first.
    assert frame.columns == get_contract(dataset).column_names


# (dataset, row, column, bad value, column named in the error)
CASES = [
    # brent_daily
    ("brent_daily", 0, "date", D(1987, 5, 19), "date"),  # ge
    ("brent_daily", 2, "date", D(2020, 4, 1), "date"),  # strictly increasing
    ("brent_daily", 2, "date", D(2020, 4, 20), "date"),  # unique
    ("brent_daily", 1, "brent_usd_per_bbl", 0.0, "brent_usd_per_bbl"),  # gt 0
    ("brent_daily", 2, "brent_usd_per_bbl", 9529.0, "brent_usd_per_bbl"),  # le 300: price in cents
    ("brent_daily", 1, "brent_usd_per_bbl", None, "brent_usd_per_bbl"),  # not nullable
    # wti_daily
    ("wti_daily", 0, "date", D(1985, 12, 31), "date"),
    ("wti_daily", 2, "date", D(2020, 4, 1), "date"),
    ("wti_daily", 2, "date", D(2020, 4, 20), "date"),
    (
        "wti_daily",
        1,
        "wti_usd_per_bbl",
        -3698.0,
        "wti_usd_per_bbl",
    ),  # ge -50: the negative day in cents
    ("wti_daily", 2, "wti_usd_per_bbl", 8648.0, "wti_usd_per_bbl"),  # le 300
    ("wti_daily", 0, "wti_usd_per_bbl", None, "wti_usd_per_bbl"),
    # retail_gasoline_weekly
    ("retail_gasoline_weekly", 1, "date", D(1990, 8, 13), "date"),  # ge
    ("retail_gasoline_weekly", 0, "area", "US", "area"),  # isin: ids are lower case
    ("retail_gasoline_weekly", 0, "grade", "premium", "grade"),
    ("retail_gasoline_weekly", 0, "series_id", "EMM_EPMP_PTE_NUS_DPG", "series_id"),
    (
        "retail_gasoline_weekly",
        2,
        "retail_usd_per_gal",
        404.9,
        "retail_usd_per_gal",
    ),  # le 10: cents
    ("retail_gasoline_weekly", 2, "retail_usd_per_gal", 0.04049, "retail_usd_per_gal"),  # ge 0.5
    ("retail_gasoline_weekly", 0, "area", None, "area"),
    # retail_gasoline_monthly
    ("retail_gasoline_monthly", 0, "date", D(1992, 5, 1), "date"),
    ("retail_gasoline_monthly", 2, "area", "padd_6", "area"),
    ("retail_gasoline_monthly", 2, "grade", "midgrade", "grade"),
    (
        "retail_gasoline_monthly",
        1,
        "source_series",
        "MGRARP2_$",
        "source_series",
    ),  # vintage must be named
    ("retail_gasoline_monthly", 1, "source_series", "steo_2026-03:BREPUUS", "source_series"),
    ("retail_gasoline_monthly", 0, "source_series", "EMM_EPMP_PTE_R20_DPG", "source_series"),
    ("retail_gasoline_monthly", 1, "retail_usd_per_gal", 358.65, "retail_usd_per_gal"),
    ("retail_gasoline_monthly", 1, "retail_usd_per_gal", 0.035865, "retail_usd_per_gal"),
    ("retail_gasoline_monthly", 1, "retail_usd_per_gal", None, "retail_usd_per_gal"),
    # wholesale_gasoline_daily
    ("wholesale_gasoline_daily", 2, "date", D(1986, 5, 30), "date"),
    ("wholesale_gasoline_daily", 3, "market", "chicago_cbob", "market"),
    ("wholesale_gasoline_daily", 3, "series_id", "EER_EPMRR_PE2_Y35NY_DPG", "series_id"),
    ("wholesale_gasoline_daily", 0, "wholesale_usd_per_gal", 0.0, "wholesale_usd_per_gal"),
    ("wholesale_gasoline_daily", 0, "wholesale_usd_per_gal", 216.2, "wholesale_usd_per_gal"),
    ("wholesale_gasoline_daily", 0, "wholesale_usd_per_gal", None, "wholesale_usd_per_gal"),
]


def _set(frame: pl.DataFrame, row: int, column: str, value) -> pl.DataFrame:
    dtype = frame.schema[column]
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row)
        .then(pl.lit(value, dtype=dtype))
        .otherwise(pl.col(column))
        .alias(column)
    )


@pytest.mark.parametrize("dataset, row, column, value, named", CASES)
def test_failing_row(dataset, row, column, value, named):
    frame = _set(FRAMES[dataset](), row, column, value)
    with pytest.raises(DataContractError) as info:
        validate(frame, dataset, "test.parquet")
    assert named in {f["column"] for f in info.value.failures}, info.value
    assert f"column '{named}'" in str(info.value)


@pytest.mark.parametrize("dataset", list(FRAMES))
def test_table_rules(dataset):
    """Unsorted rows, a repeated key, an extra or missing column, and a wrong dtype all fail."""
    frame = FRAMES[dataset]()
    key = list(get_contract(dataset).primary_key)
    value_col = frame.columns[-1]
    bad_frames = {
        "unsorted": frame.reverse(),
        "duplicate key": pl.concat([frame, frame.tail(1)]),
        "extra column": frame.with_columns(pl.lit(1.0).alias("price_cents")),
        "missing column": frame.drop(value_col),
        "wrong dtype": frame.with_columns(pl.col(value_col).cast(pl.String)),
    }
    for what, bad in bad_frames.items():
        with pytest.raises(DataContractError, match=dataset):
            validate(bad, dataset, what)
    assert key  # every contract has a key


def test_weekly_allows_blank_weeks_only_in_the_price():
    # The EIA-blank weeks are kept as null prices; the contract says so.
    contract = get_contract("retail_gasoline_weekly")
    assert contract.column("retail_usd_per_gal").nullable
    assert "null" in contract.description
    assert not any(c.nullable for c in contract.columns if c.name != "retail_usd_per_gal")
