"""Model links called with hand-built frames (no snapshot), and the one reader of the fit's data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from oilshock.data.datasets import load_dataset
from oilshock.forecast import inputs
from oilshock.model import household, supply, supply_context, supply_paths

AS_OF = dt.date(2020, 6, 30)


def _weekly_retail(weeks: int) -> pl.DataFrame:
    dates = [AS_OF - dt.timedelta(days=7 * k) for k in range(weeks)][::-1]
    price = 2.5 + 0.3 * np.sin(np.arange(weeks) / 9.0)
    return pl.DataFrame(
        {"date": dates, "area": "us", "grade": "regular", "retail_usd_per_gal": price}
    )


def _household_frames(regional_months: int = 0) -> dict:
    weekly = _weekly_retail(8 * 53)
    demand = pl.DataFrame(
        {
            "date": weekly["date"].tail(52),
            "frequency": "weekly",
            "gasoline_product_supplied_kbd": np.linspace(8800.0, 9000.0, 52),
        }
    )
    national = (
        weekly.with_columns(pl.col("date").dt.truncate("1mo").alias("date"))
        .group_by("date")
        .agg(pl.col("retail_usd_per_gal").mean())
        .filter(pl.col("date").dt.month_end() <= AS_OF)
        .sort("date")
        .tail(regional_months)
    )
    # A region whose price moves 1.1 times the national one, 50 c/gal above it.
    regional = national.select(
        "date",
        pl.lit("california").alias("area"),
        pl.lit("regular").alias("grade"),
        (pl.col("retail_usd_per_gal") * 1.1 + 0.5).alias("retail_usd_per_gal"),
    )
    households = pl.DataFrame(
        {
            "year": [2018, 2019],
            "qualifier": ["exact", "exact"],
            "households_million": [127.6, 128.6],
            "citation": ["a", "b"],
        }
    )
    return {
        "us_gasoline_demand": demand,
        "us_households": households,
        "us_households_all": households,
        "retail_gasoline_weekly": weekly,
        "retail_gasoline_monthly": regional,
        "household_gasoline_spending": pl.DataFrame(
            {"year": [], "qualifier": [], "usd_per_year": []},
            schema={"year": pl.Int64, "qualifier": pl.String, "usd_per_year": pl.Float64},
        ),
    }


def test_household_context_from_hand_built_frames():
    ctx = household.build_household_context(_household_frames(), AS_OF)
    assert ctx["consumption"]["kbd"] == pytest.approx(8900.0)
    assert ctx["households"] == {"million": 128.6, "year": 2019, "citation": "b"}
    assert ctx["household_share"] is None  # no spending survey year in the frames
    assert ctx["regions"] == []  # no regional prices in the frames


def test_regional_passthrough_from_hand_built_frames():
    regions = household.fit_regional_passthrough(_household_frames(regional_months=72), AS_OF)
    (ca,) = regions
    assert ca["area"] == "california"
    assert ca["theta"] == pytest.approx(1.1, abs=1e-6)


def test_supply_names_still_importable_from_supply():
    assert supply.draw_net_loss is supply_paths.draw_net_loss
    assert supply.net_loss_paths is supply_paths.net_loss_paths
    assert supply.WEEK_WINDOW_DAYS == supply_paths.WEEK_WINDOW_DAYS
    assert supply._stock_defaults is supply_context._stock_defaults


def test_fit_frames_are_the_point_in_time_datasets():
    as_of = dt.date(2024, 3, 1)
    frames = inputs.load_fit_frames(as_of)
    for key, point_in_time in {
        **inputs.PRICE_DATASETS,
        **inputs.SUPPLY_DATASETS,
        **inputs.HOUSEHOLD_DATASETS,
    }.items():
        name = inputs._DATASET_OF.get(key, key)
        expected = load_dataset(name, as_of=as_of if point_in_time else None)
        assert frames[key].equals(expected), key


def test_supply_context_from_frames_matches_the_reader():
    as_of = dt.date(2024, 3, 1)
    frames = inputs.load_supply_frames(as_of)
    assert supply_context.supply_context(frames, as_of) == inputs.build_supply_context(as_of)
