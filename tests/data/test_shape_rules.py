"""Contracts hold the shape of the whole dataset: a broken raw file never becomes the current snapshot.

``refresh --from`` runs on a copy of the real raw folder in which only
``brent-daily.csv`` is damaged (the other files are links to the originals);
the live cases use the local server of tests/live_server.py. Every refusal
leaves the data directory byte-identical, exits 1 and says on one line which
file, dataset and rule.
"""

# ruff: noqa: F811  (the fixtures imported from test_refresh_faults are test parameters here)
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ingest.test_refresh_faults import one_error_line, tree_digest, upstream  # noqa: F401 (fixture)

from oilshock.cli import main
from oilshock.data.contracts import ContractDefinitionError, parse_contract
from oilshock.data.manifest import read_manifest

BRENT = "eia_crude_spot_prices/brent-daily.csv"


@pytest.fixture(scope="module")
def base(raw_dir, tmp_path_factory):
    """A snapshot built by the CLI from the real raw folder (module-scoped; tests copy it)."""
    d = tmp_path_factory.mktemp("base") / "data"
    res = CliRunner().invoke(main, ["refresh", "--from", str(raw_dir), "--data-dir", str(d)])
    assert res.exit_code == 0, res.output
    return d


@pytest.fixture
def data(base, tmp_path, monkeypatch):
    monkeypatch.delenv(
        "OILSHOCK_MIN_ROWS", raising=False
    )  # the real min_rows of the contracts apply
    d = tmp_path / "data"
    shutil.copytree(base.resolve(), d)
    return d


def raw_with(raw_dir: Path, tmp_path: Path, brent_text: str) -> Path:
    """The raw folder with brent-daily.csv replaced (copied: links leading out of the raw
    folder are refused)."""
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    for f in raw.rglob("*"):
        f.chmod(0o755 if f.is_dir() else 0o644)
    raw.chmod(0o755)
    (raw / "eia_crude_spot_prices" / "brent-daily.csv").write_text(brent_text)
    return raw


def lines(raw_dir: Path) -> list[str]:
    return (raw_dir / BRENT).read_text().splitlines()


def refresh_from(raw: Path, d: Path, *extra):
    return CliRunner().invoke(main, ["refresh", "--from", str(raw), "--data-dir", str(d), *extra])


def damaged(raw_dir: Path, how: str) -> str:
    header, *rows = lines(raw_dir)
    if how == "header only":
        rows = []
    elif how == "cut in half":
        rows = rows[: len(rows) // 2]
    elif how == "row in 2099":
        rows = [*rows, "2099-01-01,80.0"]
    elif how == "5% of rows missing":
        rows = rows[: len(rows) // 2] + rows[len(rows) // 2 + len(rows) // 20 :]
    return "\n".join([header, *rows]) + "\n"


@pytest.mark.parametrize(
    ("how", "rule"),
    [
        ("header only", "min_rows = 4900: 0 row(s)"),
        (
            "cut in half",
            "keep_coverage: date ends 2006-12-04, before the current snapshot's 2026-08-18",
        ),
        ("row in 2099", "no_future_dates: date reaches 2099-01-01"),
        (
            "5% of rows missing",
            "max_row_drop_pct = 2: 9461 rows, 5.0% fewer than the current snapshot's 9958",
        ),
    ],
)
def test_broken_raw_file_is_refused_and_the_snapshot_kept(raw_dir, tmp_path, data, how, rule):
    before = tree_digest(data)
    res = refresh_from(raw_with(raw_dir, tmp_path, damaged(raw_dir, how)), data)
    assert res.exit_code == 1, res.output
    line = one_error_line(res)
    assert BRENT in line and "dataset 'brent_daily'" in line and rule in line, line
    assert "left unchanged" in line
    assert tree_digest(data) == before


def test_allow_shrink_accepts_a_shorter_source(raw_dir, tmp_path, data):
    res = refresh_from(
        raw_with(raw_dir, tmp_path, damaged(raw_dir, "cut in half")), data, "--allow-shrink"
    )
    assert res.exit_code == 0, res.output
    assert read_manifest(data).entry("brent_daily")["rows"] == 9958 // 2


def test_allow_shrink_does_not_lift_min_rows_or_future_dates(raw_dir, tmp_path, data):
    for how in ("header only", "row in 2099"):
        raw = tmp_path / how.replace(" ", "_")
        raw.mkdir()
        res = refresh_from(raw_with(raw_dir, raw, damaged(raw_dir, how)), data, "--allow-shrink")
        assert res.exit_code == 1, res.output


def test_first_build_has_no_snapshot_to_compare_with_but_min_rows_holds(
    raw_dir, tmp_path, monkeypatch
):
    monkeypatch.delenv("OILSHOCK_MIN_ROWS", raising=False)
    res = refresh_from(
        raw_with(raw_dir, tmp_path, damaged(raw_dir, "header only")), tmp_path / "new"
    )
    assert res.exit_code == 1 and "min_rows" in one_error_line(res)
    assert not (tmp_path / "new").exists()


def test_a_damaged_current_snapshot_needs_allow_shrink_to_be_replaced(raw_dir, tmp_path, data):
    m = json.loads((data / "manifest.json").read_text())
    m["datasets"]["brent_daily"]["last"] = "2099-01-01"
    (data / "manifest.json").write_text(json.dumps(m))
    res = refresh_from(raw_dir, data)
    assert res.exit_code == 1 and "pass --allow-shrink to replace it anyway" in one_error_line(res)
    assert refresh_from(raw_dir, data, "--allow-shrink").exit_code == 0
    assert read_manifest(data).entry("brent_daily")["last"] == "2026-08-18"


def test_min_rows_override_must_be_an_integer(raw_dir, tmp_path, data, monkeypatch):
    monkeypatch.setenv("OILSHOCK_MIN_ROWS", "few")
    res = refresh_from(raw_dir, data)
    assert res.exit_code == 2 and "OILSHOCK_MIN_ROWS" in res.output


# ---------------------------------------------------------------- live


@pytest.fixture
def seeded(tmp_path, upstream, monkeypatch):
    from oilshock.ingest.live import seed
    from oilshock.sources import http

    for k, v in upstream.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("EIA_API_KEY", "test-key")
    monkeypatch.setenv("OILSHOCK_HTTP_RETRIES", "0")
    monkeypatch.setattr(http, "_sleep", lambda s: None)
    d = tmp_path / "data"
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(d))
    seed(d)
    upstream.faults.clear()
    return d


def test_live_refresh_that_returns_only_the_last_weeks_is_refused(seeded):
    """The server holds the last 40 quotes only: 40 rows where the snapshot has 9958."""
    before = tree_digest(seeded)
    res = CliRunner().invoke(main, ["refresh", "--dataset", "brent_daily"])
    assert res.exit_code == 1, res.output
    line = one_error_line(res)
    assert (
        "/eia/v2/" in line
        and "dataset 'brent_daily'" in line
        and "max_row_drop_pct = 2: 40 rows" in line
    )
    assert tree_digest(seeded) == before


def test_live_refresh_with_a_future_row_is_refused(seeded, upstream):
    def future(body: bytes) -> bytes:
        doc = json.loads(body)
        rows = doc["response"]["data"]
        if rows:
            rows[-1]["period"] = "2099-01-01"
        return json.dumps(doc).encode()

    upstream.fault("/eia/", "transform", fn=future)
    before = tree_digest(seeded)
    res = CliRunner().invoke(main, ["refresh", "--dataset", "brent_daily", "--allow-shrink"])
    assert res.exit_code == 1 and "no_future_dates" in one_error_line(res)
    assert tree_digest(seeded) == before


# ---------------------------------------------------------------- contract


@pytest.mark.parametrize(
    ("shape", "match"),
    [
        ("min_rows = -1", "not a valid value"),
        ("min_rows = 1.5", "not a valid value"),
        ("max_row_drop_pct = true", "not a valid value"),
        ("no_gaps = true", "unknown rule 'no_gaps'"),
        ('date_grid = "tuesday"', "date_grid = 'tuesday' is not one of"),
        ("date_grid = 1", "is not one of"),
        ("date_grid = []", "is not one of"),
        ("max_null_pct = 5", "max_null_pct must be a table"),
        ("max_null_pct = { brent_usd_per_bbl = 101 }", "not a percent in"),
        ("max_null_pct = { brent_usd_per_bbl = true }", "not a percent in"),
        ("max_null_pct = { date = 1 }", "max_null_pct.date names no nullable column"),
        ("max_null_pct = { price = 1 }", "max_null_pct.price names no nullable column"),
    ],
)
def test_shape_table_is_checked(shape, match):
    text = (Path(__file__).resolve().parents[2] / "schemas" / "brent_daily.toml").read_text()
    text = text[: text.index("[shape]")] + "[shape]\n" + shape + "\n"
    with pytest.raises(ContractDefinitionError, match=match):
        parse_contract(text)


def test_every_series_declares_its_shape():
    from oilshock.data.contracts import load_contracts

    for c in load_contracts().values():
        assert c.shape.get("min_rows", 0) >= 1, c.name
        if c.kind == "series":
            assert (
                c.shape["no_future_dates"]
                and c.shape["keep_coverage"]
                and c.shape["max_row_drop_pct"] <= 5
            ), c.name


def test_the_null_share_is_bounded_where_values_may_be_missing():
    # Each series whose values may be missing bounds the share missing, and the packaged
    # snapshot is within every bound.
    from oilshock.data.contracts import load_contracts
    from oilshock.data.datasets import load_dataset
    from oilshock.data.shape import check_shape

    bounds = {n: c.shape.get("max_null_pct", {}) for n, c in load_contracts().items()}
    assert bounds["cpi_monthly"] == {"cpi_index_1982_84": 1}
    assert bounds["retail_gasoline_weekly"] == {"retail_usd_per_gal": 1}
    assert set(bounds["midterms"]) == {
        "house_seat_change_historian",
        "approval_pct_govt6139",
        "rdi_change_pct",
    }
    for name, c in load_contracts().items():
        if bounds[name]:
            check_shape(load_dataset(name), c, "packaged")


def test_the_date_grid_is_declared_where_the_data_keep_one():
    # Monthly series on month starts, the weekly surveys on their weekday, daily prices on
    # trading days; the packaged snapshot keeps every one of them.
    from oilshock.data.contracts import load_contracts
    from oilshock.data.datasets import load_dataset
    from oilshock.data.shape import _off_grid

    grids = {n: c.shape.get("date_grid") for n, c in load_contracts().items()}
    assert grids["cpi_monthly"] == "month_start"
    assert grids["retail_gasoline_weekly"] == "monday"
    assert grids["spr_stocks_weekly"] == "friday"
    assert grids["brent_daily"] == "weekday"
    for name, grid in grids.items():
        if grid is not None:
            assert _off_grid(load_dataset(name)["date"], grid) is None, name
