"""The estimate as tables (oilshock.report.tables): every figure once, bands kept together."""

from oilshock.report import tables, workbook


def _toy() -> dict:
    band = {"p05": 1.0, "p50": 2.0, "p95": 3.0}
    return {
        "scenario": {"title": "T"},
        "as_of": "2026-02-27",
        "baseline": {"brent_usd_per_bbl": 70.5, "brent_basis": "mean"},
        "brent": {"peak_change_pct": band, "weeks_to_peak": 4},
        "retail_gasoline": {"peak_change_usd_per_gal": band},
        "status_quo": {"under_way": ["hormuz"], "status_quo_is_today": False},
        "drivers": {"at_brent_peak_week": {"net_mbd": band}},
        "household": None,
        "election": {"caveats": ["a", "b"], "published": [{"study": "S", "value": 1.5}]},
        "regions": [
            {
                "area": "padd_1",
                "name": "East Coast",
                "price_change_usd_per_gal": band,
                "household_usd_total": band,
            }
        ],
        "weekly": [{"week_ending": "2026-03-02", "brent_usd_per_bbl": band, "x_p50": 9.0}],
    }


def test_parts_name_every_figure_once_with_its_kind():
    parts = tables.estimate_parts(_toy())
    assert list(parts) == list(tables.PARTS) and parts["household"] == []
    s = {r["figure"]: r for r in parts["summary"]}
    assert s["brent.peak_change_pct"]["p95"] == 3.0 and s["brent.peak_change_pct"]["value"] is None
    assert s["brent.weeks_to_peak"]["value"] == 4 and s["brent.weeks_to_peak"]["text"] is None
    assert s["baseline.brent_basis"]["text"] == "mean"
    assert s["status_quo.under_way"]["text"] == "hormuz"
    assert s["status_quo.status_quo_is_today"]["text"] == "false"
    e = {r["figure"]: r for r in parts["election"]}
    assert e["caveats"]["text"] == "a; b" and e["published[0].value"]["value"] == 1.5
    assert parts["drivers"][0]["figure"] == "at_brent_peak_week.net_mbd"


def test_long_rows_keep_bands_together_and_lose_nothing():
    rows = tables.long_rows(tables.estimate_parts(_toy()))
    assert all(list(r) == tables.LONG_COLUMNS or set(r) == set(tables.LONG_COLUMNS) for r in rows)
    reg = {r["figure"]: r for r in rows if r["part"] == "regions"}
    assert reg["padd_1.price_change_usd_per_gal"]["p50"] == 2.0
    assert reg["padd_1.name"]["text"] == "East Coast"
    wk = [r for r in rows if r["part"] == "weekly"]
    assert {r["figure"] for r in wk} == {"brent_usd_per_bbl", "x_p50"}
    assert all(r["week_ending"] == "2026-03-02" for r in wk)


def test_workbook_is_written_whole(tmp_path):
    import zipfile

    path = workbook.write_workbook(tables.estimate_parts(_toy()), tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        book = z.read("xl/workbook.xml").decode()
    assert sum(n.startswith("xl/worksheets/sheet") for n in names) == len(tables.PARTS)
    assert 'name="household"' in book  # an empty part is a sheet saying so, not a gap


def test_workbook_keeps_hostile_text_as_text(tmp_path):
    # A scenario title is user input: in the workbook it must stay a string, never a formula or link.
    import zipfile

    toy = _toy()
    toy["scenario"]["title"] = '=HYPERLINK("http://evil.example","click")'
    path = workbook.write_workbook(tables.estimate_parts(toy), tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        strings = z.read("xl/sharedStrings.xml").decode()
    assert not any("HYPERLINK" in s or "<f>" in s for s in sheets)
    assert "=HYPERLINK(" in strings and "hyperlink" not in " ".join(z for z in sheets).lower()
