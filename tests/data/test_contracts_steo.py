"""Contract and recipe of ``steo_price_forecasts_monthly``: a passing frame, failing rows, the built dataset."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from oilshock.data.contracts import get_contract, validate
from oilshock.errors import DataContractError, SourceError

D = dt.date
NAME = "steo_price_forecasts_monthly"


def steo():
    return pl.DataFrame(
        {
            "series_id": ["BREPUUS", "BREPUUS", "MGRARUS_$"],
            "vintage": [D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 1)],
            "known_from": [D(2026, 3, 15), D(2026, 3, 15), D(2026, 3, 15)],
            "date": [D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)],
            "before_release": [True, False, False],
            "value": [70.89, 99.0, 3.772585],
            "unit": ["USD/bbl", "USD/bbl", "USD/gal"],
        }
    )


def test_passing_frame():
    frame = steo()
    assert validate(frame, NAME) is frame
    assert frame.columns == get_contract(NAME).column_names


def _set(frame: pl.DataFrame, row: int, column: str, value) -> pl.DataFrame:
    dtype = frame.schema[column]
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row)
        .then(pl.lit(value, dtype=dtype))
        .otherwise(pl.col(column))
        .alias(column)
    )


@pytest.mark.parametrize(
    "row, column, value, rule",
    [
        (0, "series_id", "WTIPUUS", "isin"),  # only the two price series
        (2, "unit", "c/gal", "isin"),  # STEO's cents series must not slip in
        (1, "value", 9900.0, "less_than_or_equal_to(500)"),  # cents, not dollars
        (1, "value", 0.0, "greater_than(0)"),
        (1, "value", None, "not_nullable"),
        (0, "vintage", D(2019, 12, 1), "greater_than_or_equal_to(2020-01-01)"),
        (1, "date", D(2026, 1, 1), "sorted_by"),  # out of key order within a vintage
        (1, "before_release", None, "not_nullable"),
    ],
)
def test_bad_row_fails_in_one_line_naming_file_column_and_rule(row, column, value, rule):
    with pytest.raises(DataContractError) as info:
        validate(_set(steo(), row, column, value), NAME, "steo.parquet")
    msg = str(info.value)
    assert len(msg.splitlines()) == 1
    assert "steo.parquet" in msg and rule in msg
    assert f"column '{column}'" in msg or "column '<table>'" in msg


def test_built_from_the_raw_vintages(raw_dir):
    from oilshock.ingest import build_dataset

    frame, files, _ = build_dataset(NAME, raw_dir)
    assert frame.height == 720 and len(files) == 1
    assert sorted(frame["vintage"].unique().to_list()) == [
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
        D(2026, 3, 1),
    ]
    # known from the 15th of the release month; history months flagged by date, not by the file.
    assert (frame["known_from"] == frame["vintage"].dt.offset_by("14d")).all()
    assert (frame["before_release"] == (frame["date"] < frame["vintage"])).all()
    # PROVENANCE check values: the March vintage holds EIA's disruption path, February's does not.
    brent = {
        (r["vintage"], r["date"]): r["value"]
        for r in frame.filter(pl.col("series_id") == "BREPUUS").iter_rows(named=True)
    }
    assert (
        brent[(D(2026, 3, 1), D(2026, 3, 1))] == 99.0
        and brent[(D(2026, 3, 1), D(2026, 2, 1))] == 70.89
    )
    assert brent[(D(2026, 2, 1), D(2026, 3, 1))] == 62.0
    assert set(frame.filter(pl.col("series_id") == "MGRARUS_$")["unit"]) == {"USD/gal"}


def test_recipe_refuses_a_wrong_unit(raw_dir, tmp_path):
    from oilshock.ingest import build_dataset

    rel = "eia_steo_vintages/eia_steo_monthly_vintages_2025-11_to_2026-03_wide.csv"
    text = (raw_dir / rel).read_text()
    (tmp_path / rel).parent.mkdir(parents=True)
    row = "BREPUUS,brent crude oil spot price,2026-03,usd/bbl,"
    assert text.count(row) == 1
    (tmp_path / rel).write_text(text.replace(row, row.replace("usd/bbl", "c/bbl")))
    with pytest.raises(SourceError, match="BREPUUS: expected unit 'usd/bbl'"):
        build_dataset(NAME, tmp_path)
