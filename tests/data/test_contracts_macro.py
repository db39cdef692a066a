"""Contracts of the macro datasets and reference tables: a valid frame passes, each check catches one bad row."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from oilshock.data.contracts import get_contract, validate
from oilshock.errors import DataContractError

D = dt.date
SRC = ("Publisher", "[TAG] https://example.org")

VALID_ROWS = {
    "world_oil_supply_monthly": [
        (
            D(1992, 1, 1),
            "eia_intl_crude_incl_condensate",
            60422.412,
            "eia_api:INTL.57-1-WORL-TBPD.M",
        ),
        (D(1973, 12, 1), "kanzig_eia1955", 54277.0, "kanzig2021_rawdatam:EIA1955"),
        (D(2026, 2, 1), "steo_papr_world", 107879.5, "steo_2026-03:PAPR_WORLD"),
    ],
    "cpi_monthly": [
        (D(1959, 1, 1), "CPIAUCSL", 29.01, "fred_md_2025-08:CPIAUCSL"),
        (D(1997, 1, 1), "CPIAUCSL", 159.4, "fred:CPIAUCSL"),
        (D(2025, 10, 1), "CPIAUCSL", None, "fred:CPIAUCSL"),
        (D(1997, 1, 1), "CUSR0000SETB01", 110.6, "bls:CUSR0000SETB01"),
    ],
    "us_gasoline_demand": [
        (D(1945, 1, 1), "monthly", "MGFUPUS2", 1300.0),
        (D(2022, 4, 1), "monthly", "MGFUPUS2", 8754.0),
        (D(2014, 12, 26), "weekly", "WGFUPUS2", 9614.0),
    ],
    "spr_stocks_weekly": [
        (D(1982, 8, 20), 270455.0, "eia_wstk:WCSSTUS1"),
        (D(2014, 12, 26), 690963.0, "eia_wpsr:WCSSTUS1"),
        (D(2026, 2, 27), 415441.0, "eia_wpsr:WCSSTUS1"),
    ],
    "oil_supply_shocks_monthly": [
        (D(1975, 2, 1), "bh2019_oil_supply", -2.717),
        (D(1975, 1, 1), "kanzig2021_oil_supply_news_shock", -0.284),
        (D(2007, 12, 1), "kilian2009_oil_supply", 0.565),
    ],
    "us_households": [
        (2024, "acs_1year", 132.7, 132737146, 2.5, "exact", *SRC, "A", None),
        (2025, "cps_asec", 135.0, None, None, "approximate", *SRC, "C", "approximate"),
    ],
    "household_gasoline_spending": [
        (2008, 2715.0, 4.0, "exact", *SRC, "A", None),
        (2024, 2645.0, None, "exact", *SRC, "C", "re-verify"),
    ],
    "gasoline_taxes": [
        (2024, D(2024, 7, 1), "day", "federal", "gasoline", 18.40, *SRC, "A", None),
        (2024, D(2024, 7, 1), "day", "state_average", "gasoline", 32.61, *SRC, "A", None),
    ],
}


def valid(name: str) -> pl.DataFrame:
    contract = get_contract(name)
    return pl.DataFrame(VALID_ROWS[name], schema=contract.polars_schema(), orient="row")


def with_value(frame: pl.DataFrame, row: int, column: str, new) -> pl.DataFrame:
    values = frame[column].to_list()
    values[row] = new
    return frame.with_columns(pl.Series(column, values, dtype=frame.schema[column]))


# (dataset, row, column, bad value): one per check of every contract.
CASES = [
    ("world_oil_supply_monthly", 1, "date", D(1960, 1, 1)),
    ("world_oil_supply_monthly", 2, "date", D(2031, 1, 1)),
    ("world_oil_supply_monthly", 2, "series", "steo_papr_world_forecast"),
    ("world_oil_supply_monthly", 0, "value_kbd", 8600.0),  # a pre-1992 partial "world" total
    ("world_oil_supply_monthly", 2, "value_kbd", 107.9),  # mb/d not converted
    ("world_oil_supply_monthly", 1, "value_kbd", 540000.0),
    ("world_oil_supply_monthly", 2, "source_series", "steo:PAPR_WORLD"),
    ("cpi_monthly", 0, "date", D(1958, 12, 1)),
    ("cpi_monthly", 3, "date", D(2031, 1, 1)),
    ("cpi_monthly", 3, "series_id", "CUUR0000SETB01"),
    ("cpi_monthly", 1, "cpi_index_1982_84", 0.3),  # a percent change, not a level
    ("cpi_monthly", 1, "cpi_index_1982_84", 1594.0),
    ("cpi_monthly", 1, "source_series", "fred:CPIAUCNS"),
    ("us_gasoline_demand", 0, "date", D(1944, 12, 1)),
    ("us_gasoline_demand", 2, "date", D(2031, 1, 3)),
    ("us_gasoline_demand", 2, "frequency", "daily"),
    ("us_gasoline_demand", 2, "series_id", "WRPUPUS2"),
    ("us_gasoline_demand", 1, "gasoline_product_supplied_kbd", 8.754),  # mb/d
    ("us_gasoline_demand", 1, "gasoline_product_supplied_kbd", 8754000.0),  # b/d
    ("spr_stocks_weekly", 0, "date", D(1982, 8, 13)),
    ("spr_stocks_weekly", 2, "date", D(2010, 1, 1)),  # out of order
    ("spr_stocks_weekly", 2, "date", D(2014, 12, 26)),  # duplicate
    ("spr_stocks_weekly", 1, "spr_crude_stocks_kb", 690.963),  # million bbl
    ("spr_stocks_weekly", 1, "spr_crude_stocks_kb", 690963000.0),  # bbl
    ("spr_stocks_weekly", 1, "source_series", "eia_api:WCSSTUS1"),
    ("oil_supply_shocks_monthly", 0, "date", D(1959, 12, 1)),
    ("oil_supply_shocks_monthly", 2, "date", D(2031, 1, 1)),
    ("oil_supply_shocks_monthly", 2, "series", "kilian2009_supply"),
    ("oil_supply_shocks_monthly", 1, "value", -284.0),
    ("oil_supply_shocks_monthly", 1, "value", 2600.0),
    ("us_households", 0, "year", 1989),
    ("us_households", 1, "year", 2031),
    ("us_households", 1, "year", 2023),  # out of order
    ("us_households", 1, "survey", "census"),
    ("us_households", 0, "households_million", 0.1327),
    ("us_households", 0, "households_million", 132737.146),
    ("us_households", 0, "households", 132737),
    ("us_households", 0, "households", 1327371460),
    ("us_households", 0, "avg_household_size", 1.0),
    ("us_households", 0, "avg_household_size", 25.0),
    ("us_households", 0, "qualifier", "about"),
    ("us_households", 0, "source", None),
    ("us_households", 0, "citation", None),
    ("us_households", 0, "grade", "D"),
    ("household_gasoline_spending", 0, "year", 1979),
    ("household_gasoline_spending", 1, "year", 2031),
    ("household_gasoline_spending", 1, "year", 2008),  # repeated: strictly increasing and unique
    ("household_gasoline_spending", 1, "usd_per_year", 2.645),
    ("household_gasoline_spending", 1, "usd_per_year", 264500.0),
    ("household_gasoline_spending", 0, "share_of_income_pct", 0.0),
    ("household_gasoline_spending", 0, "share_of_income_pct", 40.0),
    ("household_gasoline_spending", 0, "qualifier", "about"),
    ("household_gasoline_spending", 0, "source", None),
    ("household_gasoline_spending", 0, "grade", "A/B"),
    ("gasoline_taxes", 0, "year", 1989),
    ("gasoline_taxes", 1, "year", 2031),
    ("gasoline_taxes", 1, "year", 2023),  # out of order
    ("gasoline_taxes", 0, "as_of", D(1989, 12, 31)),
    ("gasoline_taxes", 0, "as_of", D(2031, 1, 1)),
    ("gasoline_taxes", 0, "as_of_precision", "quarter"),
    ("gasoline_taxes", 1, "jurisdiction", "state_xx"),
    ("gasoline_taxes", 1, "fuel", "e85"),
    ("gasoline_taxes", 0, "tax_cents_per_gal", 0.184),  # USD, not cents
    ("gasoline_taxes", 0, "tax_cents_per_gal", 1840.0),
    ("gasoline_taxes", 0, "citation", None),
    ("gasoline_taxes", 0, "grade", "A/B"),
]


@pytest.mark.parametrize("name", sorted(VALID_ROWS))
def test_valid_frame_passes(name):
    frame = valid(name)
    assert validate(frame, name) is frame


@pytest.mark.parametrize(
    ("name", "row", "column", "bad"), CASES, ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CASES]
)
def test_each_check_catches_a_bad_row(name, row, column, bad):
    frame = with_value(valid(name), row, column, bad)
    with pytest.raises(DataContractError) as info:
        validate(frame, name, source="bad.csv")
    failing = {f["column"] for f in info.value.failures}
    assert column in failing, info.value
    assert "bad.csv" in str(info.value)


@pytest.mark.parametrize("name", sorted(VALID_ROWS))
def test_every_checked_column_has_a_case(name):
    contract = get_contract(name)
    covered = {c[2] for c in CASES if c[0] == name}
    checked = {c.name for c in contract.columns if c.checks}
    assert checked <= covered


@pytest.mark.parametrize(
    ("name", "key"),
    [("cpi_monthly", ["series_id", "date"]), ("world_oil_supply_monthly", ["series", "date"])],
)
def test_rows_out_of_key_order_fail(name, key):
    frame = valid(name).reverse()
    with pytest.raises(DataContractError, match=r"sorted_by"):
        validate(frame, name)
