"""Parser of the transcribed EIA World Oil Transit Chokepoints Table 1."""

from __future__ import annotations

import pytest

from oilshock.errors import SourceError
from oilshock.sources.eia.chokepoints import TOTAL_ROWS, read_eia_chokepoint_table_csv


def test_table_to_long(fixtures_dir):
    frame, meta = read_eia_chokepoint_table_csv(fixtures_dir / "eia" / "chokepoint_table.csv")
    assert meta["years"] == [2022, 2023] and meta["unit"] == "mb/d"
    assert frame.columns == ["location", "year", "flow_mbd", "note"]
    assert frame.height == 8
    assert frame.row(1) == ("Strait of Hormuz", 2023, 20.9, None)
    assert frame.row(3) == (
        "Danish Straits",
        2023,
        4.9,
        "Does not include flows through the Kiel Canal",
    )
    assert set(TOTAL_ROWS) <= set(frame["location"])


def test_non_numeric_value_raises_naming_file_and_column(fixtures_dir):
    with pytest.raises(
        SourceError,
        match=r"chokepoint_table_bad_number.csv: column '2023' has non-numeric values \['n.a.'\] at data rows \[0\]",
    ):
        read_eia_chokepoint_table_csv(fixtures_dir / "eia" / "chokepoint_table_bad_number.csv")


def test_ragged_row_raises(fixtures_dir):
    with pytest.raises(SourceError, match="chokepoint_table_bad_value.csv"):
        read_eia_chokepoint_table_csv(fixtures_dir / "eia" / "chokepoint_table_bad_value.csv")


def test_unexpected_column_raises():
    from oilshock.sources.eia.chokepoints import parse_eia_chokepoint_table_csv

    with pytest.raises(SourceError, match="four-digit year"):
        parse_eia_chokepoint_table_csv("location,FY2023,note\nPanama Canal,2.1,\n", "t.csv")
