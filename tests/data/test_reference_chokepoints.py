"""Cross-table checks of the chokepoint reference tables (no recipe, no raw data)."""

from __future__ import annotations

import polars as pl
import pytest

from oilshock.data.contracts import get_contract
from oilshock.data.files import read_csv_strict
from oilshock.data.location import packaged_data_dir
from oilshock.ingest.chokepoints import map_chokepoint_ids, read_chokepoint_table


def _read(name):
    contract = get_contract(name)
    return read_csv_strict(packaged_data_dir() / contract.file, contract)


@pytest.fixture(scope="module")
def ids():
    table, _ = read_chokepoint_table()
    return set(table["chokepoint"])


@pytest.mark.parametrize(
    ("dataset", "column"),
    [
        ("bypass_routes", "chokepoint"),
        ("oil_buffers", "behind_chokepoint"),
        ("chokepoint_flows_supplement", "chokepoint"),
    ],
)
def test_reference_rows_use_known_chokepoints(ids, dataset, column):
    used = set(_read(dataset)[column].drop_nulls())
    assert used, f"{dataset}.{column} is empty"
    assert used <= ids, f"{dataset}.{column} uses unknown ids {sorted(used - ids)}"


@pytest.mark.parametrize(
    "dataset",
    [
        "chokepoints",
        "bypass_routes",
        "oil_buffers",
        "chokepoint_flows_supplement",
        "chokepoint_transits_daily",
        "chokepoint_flows_annual",
    ],
)
def test_contract_id_lists_are_known_chokepoints(ids, dataset):
    for col in get_contract(dataset).columns:
        if col.name in ("chokepoint", "behind_chokepoint"):
            assert set(col.checks["isin"]) <= ids, (
                f"{dataset}.{col.name}: {sorted(set(col.checks['isin']) - ids)}"
            )


def test_mapping_is_one_to_one_and_covers_the_raw_keys(ids):
    table, _ = read_chokepoint_table()
    by_portid = map_chokepoint_ids(table, "portwatch_portid")
    # PortWatch ids of the two raw PortWatch files (PROVENANCE.md section 11).
    for portid, cp in {
        "chokepoint6": "hormuz",
        "chokepoint4": "bab_el_mandeb",
        "chokepoint1": "suez",
        "chokepoint5": "malacca",
        "chokepoint3": "bosporus",
        "chokepoint11": "taiwan_strait",
        "chokepoint7": "cape_of_good_hope",
    }.items():
        assert by_portid[portid] == cp
    by_eia = map_chokepoint_ids(table, "eia_location_name")
    assert by_eia["Suez Canal and SUMED Pipeline"] == "suez"
    assert len(set(by_eia.values())) == len(by_eia)
    assert table.filter(pl.col("kind") == "route")["chokepoint"].to_list() == ["cape_of_good_hope"]


def test_hormuz_spare_behind_the_strait():
    # literature.md section 1f: IEA (Feb 2025) Saudi 3.1, UAE 1.1, Iraq 0.6, Kuwait 0.4 of OPEC 5.3 mb/d.
    b = _read("oil_buffers").filter(
        pl.col("buffer") == "opec_spare_capacity", pl.col("behind_chokepoint") == "hormuz"
    )
    assert dict(zip(b["region"], b["rate_mbd"])) == {
        "saudi_arabia": 3.1,
        "uae": 1.1,
        "iraq": 0.6,
        "kuwait": 0.4,
    }
    assert round(b["rate_mbd"].sum(), 1) == 5.2


def test_bypass_headline_figures():
    r = _read("bypass_routes")
    unused = r.filter(
        pl.col("route").is_in(["saudi_uae_pipelines_combined", "alternative_routes_combined"]),
        pl.col("as_of").dt.year() == 2025,
    )
    assert sorted(zip(unused["estimator"], unused["unused_capacity_mbd"])) == [
        ("EIA", 2.6),
        ("IEA", 3.5),
    ]
    cape = r.filter(pl.col("extra_transit_days").is_not_null())
    assert set(cape["chokepoint"]) == {"bab_el_mandeb", "suez"}
    assert sorted(set(cape["extra_transit_days"])) == [12.0, 15.0]
    assert (r["source"].str.len_chars() > 0).all() and (r["citation"].str.len_chars() > 0).all()
