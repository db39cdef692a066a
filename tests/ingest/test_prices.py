"""Price recipes: crude spot, retail and wholesale gasoline (real raw data and small fixture folders)."""

from __future__ import annotations

import datetime as dt
import shutil

import polars as pl
import pytest

from oilshock.errors import SourceError
from oilshock.ingest import build_dataset

MONTHLY_LONG = "eia_retail_gasoline_regional_monthly/eia_retail_gasoline_diesel_monthly_by_region_1992_2022-10_long.csv"
CATALOG = "eia_retail_gasoline_regional_monthly/series_catalog.csv"
STEO = "eia_steo_vintages/eia_steo_monthly_vintages_2025-11_to_2026-03_wide.csv"
SPOT = "eia_spot_prices_petroleum_daily/eia_pet_pri_spt_s1_d_1986_2025-06-16.csv"
FUTURES = "eia_futures_prices_daily/eia_pet_pri_fut_s1_d_1980_2022-02-15.csv"


def _value(frame, **where):
    cond = pl.lit(True)
    for k, v in where.items():
        cond = cond & (pl.col(k) == v)
    return frame.filter(cond)


# ---------------------------------------------------------------- real raw data


def test_brent_daily(raw_dir):
    frame, raw_files, _ = build_dataset("brent_daily", raw_dir)
    assert frame.height == 9958
    assert frame["date"][0] == dt.date(1987, 5, 20)
    assert (frame["date"][-1], frame["brent_usd_per_bbl"][-1]) == (dt.date(2026, 8, 18), 95.29)
    assert raw_files[0].name == "brent-daily.csv"


def test_wti_daily(raw_dir):
    frame, _, _ = build_dataset("wti_daily", raw_dir)
    assert frame.columns == ["date", "wti_usd_per_bbl"]
    assert frame.height == 10226
    assert (frame["date"][0], frame["wti_usd_per_bbl"][0]) == (dt.date(1986, 1, 2), 25.56)
    assert (frame["date"][-1], frame["wti_usd_per_bbl"][-1]) == (dt.date(2026, 8, 18), 86.48)
    assert _value(frame, date=dt.date(2020, 4, 20))["wti_usd_per_bbl"].item() == -36.98


def test_retail_gasoline_weekly(raw_dir):
    frame, _, notes = build_dataset("retail_gasoline_weekly", raw_dir)
    assert frame.height == 3621
    regular = _value(frame, area="us", grade="regular")
    allg = _value(frame, area="us", grade="all_grades")
    assert (regular.height, allg.height) == (1879, 1742)
    assert (regular["date"][0], regular["retail_usd_per_gal"][0]) == (dt.date(1990, 8, 20), 1.191)
    assert (regular["date"][-1], regular["retail_usd_per_gal"][-1]) == (dt.date(2026, 8, 17), 4.049)
    assert allg["date"][0] == dt.date(1993, 4, 5)
    assert (allg["date"][-1], allg["retail_usd_per_gal"][-1]) == (dt.date(2026, 8, 17), 4.182)
    blank = frame.filter(pl.col("retail_usd_per_gal").is_null())["date"].to_list()
    assert blank == [dt.date(1990, 12, 10) + dt.timedelta(weeks=i) for i in range(6)]
    assert frame["date"].dt.weekday().unique().to_list() == [1]  # every row is an EIA survey Monday
    assert "6 week(s) are blank" in notes[0]


def test_retail_gasoline_monthly(raw_dir):
    frame, raw_files, _ = build_dataset("retail_gasoline_monthly", raw_dir)
    assert frame.height == 9594
    assert len(raw_files) == 3
    eia = frame.filter(~pl.col("source_series").str.starts_with("steo_"))
    steo = frame.filter(pl.col("source_series").str.starts_with("steo_"))
    assert (eia.height, steo.height) == (9354, 240)
    assert eia["date"].max() == dt.date(2022, 10, 1)
    # Splice at 2022-11 for padd_2: EIA workbook to Oct, STEO history from Nov.
    p2 = _value(frame, area="padd_2", grade="regular")
    assert p2["date"][0] == dt.date(1992, 6, 1)
    assert _value(p2, date=dt.date(2022, 10, 1)).select("source_series", "retail_usd_per_gal").row(
        0
    ) == (
        "EMM_EPMR_PTE_R20_DPG",
        3.744,
    )
    assert _value(p2, date=dt.date(2022, 11, 1)).select("source_series", "retail_usd_per_gal").row(
        0
    ) == (
        "steo_2026-03:MGRARP2_$",
        3.5865,
    )
    # 2026-02 is history only in the Mar-2026 vintage (2.9075); the Feb vintage's 2.848677 was a forecast.
    us = _value(frame, area="us", grade="regular")
    assert (us["date"][0], us["date"][-1], us["retail_usd_per_gal"][-1]) == (
        dt.date(2022, 11, 1),
        dt.date(2026, 2, 1),
        2.9075,
    )
    assert frame["date"].max() == dt.date(2026, 2, 1)  # no forecast month
    firsts = {
        a: _value(frame, area=a, grade="regular")["date"][0]
        for a in ("padd_1a", "california", "florida", "padd_5_ex_ca")
    }
    assert firsts == {
        "padd_1a": dt.date(1993, 4, 1),
        "california": dt.date(2000, 6, 1),
        "florida": dt.date(2003, 6, 1),
        "padd_5_ex_ca": dt.date(1998, 6, 1),
    }
    # padd_5_ex_ca has gaps in EIA's own workbook: they stay gaps.
    assert _value(frame, area="padd_5_ex_ca", grade="regular").height == 255
    assert _value(frame, area="padd_1", grade="all_grades").height == 0


def test_wholesale_gasoline_daily(raw_dir):
    frame, _, _ = build_dataset("wholesale_gasoline_daily", raw_dir)
    counts = dict(frame.group_by("market").len().iter_rows())
    assert counts == {
        "ny_harbor_conventional": 9810,
        "gulf_coast_conventional": 9807,
        "los_angeles_rbob": 5585,
        "nymex_rbob_front": 4109,
    }
    ny = _value(frame, market="ny_harbor_conventional")
    assert (ny["date"][0], ny["wholesale_usd_per_gal"][0]) == (dt.date(1986, 6, 2), 0.468)
    assert (ny["date"][-1], ny["wholesale_usd_per_gal"][-1]) == (dt.date(2025, 6, 16), 2.227)
    la = _value(frame, market="los_angeles_rbob")
    assert (la["date"][0], la["wholesale_usd_per_gal"][0]) == (dt.date(2003, 3, 11), 1.51)
    rb = _value(frame, market="nymex_rbob_front")
    assert (rb["date"][0], rb["date"][-1], rb["wholesale_usd_per_gal"][-1]) == (
        dt.date(2005, 10, 3),
        dt.date(2022, 2, 15),
        2.669,
    )
    assert frame["wholesale_usd_per_gal"].null_count() == 0


# ---------------------------------------------------------------- small raw folders from fixtures


@pytest.fixture
def mini_raw(tmp_path, fixtures_dir):
    """A raw folder laid out like shared/data/raw, holding the hand-written fixture files."""
    eia = fixtures_dir / "eia"
    for src, rel in [
        ("monthly_retail_long.csv", MONTHLY_LONG),
        ("series_catalog.csv", CATALOG),
        ("steo_vintages_wide.csv", STEO),
        ("spot_prices_daily_wide.csv", SPOT),
        ("futures_prices_daily_wide.csv", FUTURES),
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(eia / src, tmp_path / rel)
    return tmp_path


def test_monthly_splice_uses_history_only(mini_raw):
    frame, _, _ = build_dataset("retail_gasoline_monthly", mini_raw)
    steo = frame.filter(pl.col("source_series").str.starts_with("steo_"))
    # 6 series x 3 history months (2025-12..2026-02); 2026-03 is a forecast in both vintages,
    # 2022-01 is before the splice month and 2021-12 is blank.
    assert steo.height == 18
    assert sorted(steo["date"].unique().to_list()) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
    assert steo["source_series"].str.starts_with("steo_2026-03:").all()
    assert (
        _value(frame, area="padd_2", date=dt.date(2026, 2, 1))["retail_usd_per_gal"].item() == 2.674
    )
    # EIA rows: regular and all grades, all formulations; premium and diesel are other series.
    eia = frame.filter(~pl.col("source_series").str.starts_with("steo_"))
    assert sorted(eia["source_series"].unique().to_list()) == [
        "EMM_EPM0_PTE_SCA_DPG",
        "EMM_EPMR_PTE_R20_DPG",
        "EMM_EPMR_PTE_SCA_DPG",
    ]
    assert eia.height == 6


def test_monthly_unknown_area_is_an_error(mini_raw):
    path = mini_raw / MONTHLY_LONG
    path.write_text(path.read_text() + "2022-10,padd-1,EMM_EPMR_PTE_R10_DPG,3.9\n")
    with pytest.raises(SourceError, match="EMM_EPMR_PTE_R10_DPG"):
        build_dataset("retail_gasoline_monthly", mini_raw)


def test_monthly_series_not_in_catalog_is_an_error(mini_raw):
    path = mini_raw / MONTHLY_LONG
    path.write_text(path.read_text() + "2022-10,tx,EMM_EPMR_PTE_STX_DPG,3.3\n")
    with pytest.raises(SourceError, match="EMM_EPMR_PTE_STX_DPG.*Dollars per Gallon"):
        build_dataset("retail_gasoline_monthly", mini_raw)


def test_monthly_steo_unit_change_is_an_error(mini_raw):
    path = mini_raw / STEO
    path.write_text(path.read_text().replace("2026-03,usd/gal", "2026-03,c/gal"))
    with pytest.raises(SourceError, match="uom"):
        build_dataset("retail_gasoline_monthly", mini_raw)


def test_wholesale_from_fixtures(mini_raw):
    frame, _, _ = build_dataset("wholesale_gasoline_daily", mini_raw)
    assert dict(frame.group_by("market").len().iter_rows()) == {
        "gulf_coast_conventional": 4,
        "los_angeles_rbob": 3,
        "ny_harbor_conventional": 4,
        "nymex_rbob_front": 2,
    }
    assert frame["market"].to_list() == sorted(frame["market"].to_list())
