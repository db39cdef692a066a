"""Recipes for price datasets: crude spot, retail and wholesale gasoline."""

from __future__ import annotations

from pathlib import Path

from oilshock.ingest import Built, raw_file, recipe
from oilshock.sources.eia.prices import read_datahub_price_csv


@recipe("brent_daily")
def build_brent_daily(raw_dir: Path) -> Built:
    """EIA RBRTE from the datahub daily CSV; the price is already in USD/bbl."""
    import polars as pl

    path = raw_file(raw_dir, "eia_crude_spot_prices/brent-daily.csv")
    frame, _ = read_datahub_price_csv(path)
    frame = frame.rename({"price": "brent_usd_per_bbl"}).sort("date")
    return Built(frame.select(pl.col("date"), pl.col("brent_usd_per_bbl")), [path])
