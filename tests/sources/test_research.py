"""Replication-package monthly tables dated YYYYMmm (Känzig and the SVAR literature)."""

from __future__ import annotations

import datetime as dt

import pytest

from oilshock.errors import SourceError
from oilshock.sources.research import read_research_monthly_csv


def test_news_shocks(fixtures_dir):
    frame, meta = read_research_monthly_csv(
        fixtures_dir / "research" / "oil_supply_news_shocks_monthly.csv"
    )
    assert meta["columns"] == ["Oil supply surprise series", "Oil supply news shock"]
    assert frame["date"].to_list()[:2] == [dt.date(1975, 1, 1), dt.date(1975, 2, 1)]
    assert frame["date"][-1] == dt.date(2024, 12, 1)
    assert frame["Oil supply news shock"][0] == pytest.approx(-0.2841880184791891)
    assert frame["Oil supply surprise series"][2] == pytest.approx(2.4438298027648653)


def test_literature_table_blanks_are_null(fixtures_dir):
    frame, _ = read_research_monthly_csv(
        fixtures_dir / "research" / "literature_shock_series_monthly.csv",
        columns=["BHsupply", "KilianAERSupply"],
    )
    assert frame.columns == ["date", "BHsupply", "KilianAERSupply"]
    assert frame["BHsupply"].to_list()[:2] == [None, pytest.approx(-2.71724733258664)]
    assert frame["KilianAERSupply"][3] is None


def test_bad_date_raises(fixtures_dir):
    with pytest.raises(SourceError, match=r"'Date'.*1975-02.*\[1\]"):
        read_research_monthly_csv(
            fixtures_dir / "research" / "oil_supply_news_shocks_monthly_bad.csv"
        )


def test_bad_value_raises():
    from oilshock.sources.research import parse_research_monthly_csv

    with pytest.raises(SourceError, match=r"'EIA1955'.*'n\.a\.'"):
        parse_research_monthly_csv("Date,EIA1955\n1973M12,54277.0\n1974M01,n.a.\n", "rawDataM.csv")
