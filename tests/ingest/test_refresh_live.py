"""End to end: live refresh into an empty data directory, diff, recompute, update, history, and
an estimate that runs while snapshots are being swapped."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from polars.testing import assert_frame_equal

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import live_server
from ingest.test_refresh_faults import tree_digest

from oilshock.cli import main
from oilshock.data import storage
from oilshock.data.datasets import load_dataset
from oilshock.data.location import packaged_data_dir
from oilshock.data.manifest import read_manifest

LIVE = [
    "brent_daily",
    "wti_daily",
    "retail_gasoline_weekly",
    "chokepoint_transits_daily",
    "cpi_monthly",
]


@pytest.fixture(scope="module")
def upstream():
    up = live_server.from_snapshot(packaged_data_dir()).start()
    yield up
    up.stop()


@pytest.fixture
def env(tmp_path, upstream, monkeypatch):
    for k, v in upstream.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("EIA_API_KEY", "test-key")
    monkeypatch.setenv("OILSHOCK_HTTP_BACKOFF", "0.001")
    d = tmp_path / "data"
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(d))
    upstream.faults.clear()
    return d


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def live_once(tmp_path_factory, upstream):
    """One live refresh into an empty data directory (module-scoped: it is the expensive part)."""
    mp = pytest.MonkeyPatch()
    for k, v in upstream.env().items():
        mp.setenv(k, v)
    mp.setenv("EIA_API_KEY", "test-key")
    d = tmp_path_factory.mktemp("live") / "data"
    mp.setenv("OILSHOCK_DATA_DIR", str(d))
    res = run("refresh", "--keep", "3")
    mp.undo()
    return d, res


def test_live_refresh_into_empty_dir_reproduces_the_committed_data(live_once):
    d, res = live_once
    assert res.exit_code == 0, res.output
    assert d.is_symlink() and storage.layout(d) == "managed"
    m = read_manifest(d)
    committed = read_manifest(packaged_data_dir())
    assert (
        m.raw["origin"] == "live"
        and m.raw["carried_from"]["snapshot_sha256"] == committed.snapshot_sha256
    )
    for name, entry in m.datasets.items():
        assert entry["origin"] == ("live" if name in LIVE else "carried"), name
        if entry["origin"] == "carried":
            assert entry["sha256"] == committed.entry(name)["sha256"], name
    # The server re-serves the committed values in the publishers' formats: the live path must give them back.
    for name in ("brent_daily", "wti_daily", "retail_gasoline_weekly", "cpi_monthly"):
        assert_frame_equal(
            load_dataset(name, directory=d), load_dataset(name, directory=packaged_data_dir())
        )
    live = load_dataset("chokepoint_transits_daily", directory=d)
    old = load_dataset("chokepoint_transits_daily", directory=packaged_data_dir())
    assert set(live["vintage"]) == {f"live_{m.raw['retrieved']}"}
    cols = [
        "date",
        "chokepoint",
        "n_total",
        "n_tanker",
        "n_cargo",
        "capacity_dwt_t",
        "tanker_capacity_dwt_t",
    ]
    assert_frame_equal(live.select(cols), old.select(cols))
    assert "live" in res.output and "carried" in res.output


def test_seeded_copy_is_kept_and_diff_shows_what_changed(live_once, monkeypatch):
    d, _ = live_once
    kept = storage.kept(d)
    assert (
        len(kept) == 2
        and read_manifest(kept[1]).snapshot_sha256
        == read_manifest(packaged_data_dir()).snapshot_sha256
    )
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(d))
    res = run("data", "diff", "--format", "json")
    assert res.exit_code == 0, res.output
    rows = {r["name"]: r for r in json.loads(res.output)}
    assert set(rows) == {
        "chokepoint_transits_daily"
    }  # the only dataset whose bytes changed: the vintage labels
    r = rows["chokepoint_transits_daily"]
    assert (r["added"], r["removed"], r["revised"]) == (0, 0, r["rows_new"])
    assert "vintage" in r["examples"]


def test_diff_counts_added_removed_revised(tmp_path, fixtures_dir):
    from oilshock.data.diff import diff_snapshots
    from oilshock.ingest import build_snapshot

    a, b = tmp_path / "a", tmp_path / "b"
    build_snapshot(fixtures_dir / "raw_min", a, datasets=["brent_daily"])
    raw = tmp_path / "raw"
    shutil.copytree(fixtures_dir / "raw_min", raw)
    f = raw / "eia_crude_spot_prices" / "brent-daily.csv"
    lines = f.read_text().splitlines()
    header, first, *rest = lines
    d, p = rest[0].split(",")
    f.write_text("\n".join([header, *[f"{d},{float(p) + 1}"], *rest[1:], "2026-03-04,80.0"]) + "\n")
    build_snapshot(raw, b, datasets=["brent_daily"])
    [row] = diff_snapshots(a, b)
    assert (row["added"], row["removed"], row["revised"]) == (1, 1, 1)
    assert f"brent_usd_per_bbl {p}" in row["examples"] or "brent_usd_per_bbl" in row["examples"]


def test_refresh_from_raw_into_empty_data_dir(raw_dir, tmp_path, monkeypatch):
    d = tmp_path / "empty"
    d.mkdir()
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(d))
    res = run("refresh", "--from", str(raw_dir))
    assert res.exit_code == 0, res.output
    assert run("data", "validate").exit_code == 0
    assert read_manifest(d).datasets["brent_daily"]["origin"] == "files"


def test_refresh_from_corrupted_raw_copy_fails_and_keeps_data(raw_dir, tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(d))
    assert run("refresh", "--from", str(raw_dir)).exit_code == 0
    before = tree_digest(d)
    for corrupt, message in (
        (lambda t: t.replace("1987-05-21,18.45", "1987-05-21,eighteen"), "non-numeric"),
        (
            lambda t: t.replace("1987-05-21,18.45", "1987-05-21,1845.0"),
            "brent_usd_per_bbl",
        ),  # cents, not dollars
    ):
        bad = tmp_path / "raw-bad"
        shutil.rmtree(bad, ignore_errors=True)
        shutil.copytree(raw_dir, bad)
        f = bad / "eia_crude_spot_prices" / "brent-daily.csv"
        f.write_text(corrupt(f.read_text()))
        res = run("refresh", "--from", str(bad))
        assert res.exit_code == 1, res.output
        assert message in res.output and "left unchanged" in res.output
        assert tree_digest(d) == before


def test_keep_n_prunes_history(tmp_path, fixtures_dir):
    from oilshock.ingest import build_snapshot

    d = tmp_path / "data"
    for day in range(1, 6):
        build_snapshot(
            fixtures_dir / "raw_min",
            d,
            datasets=["brent_daily"],
            retrieved=dt.date(2026, 3, day),
            keep=2,
        )
    names = [p.name for p in storage.kept(d)]
    assert (
        len(names) == 2 and names[0].startswith("2026-03-05") and names[1].startswith("2026-03-04")
    )
    assert storage.current(d).name == names[0]


def test_plain_directory_stays_plain_and_keeps_history(tmp_path, fixtures_dir, monkeypatch):
    """A data directory that is an ordinary folder (the repository's data/) is swapped in place, not linked."""
    from oilshock.ingest import build_snapshot

    d = tmp_path / "plain"
    build_snapshot(
        fixtures_dir / "raw_min", d, datasets=["brent_daily"], retrieved=dt.date(2026, 3, 1)
    )
    real = d.resolve()
    d.unlink()
    shutil.copytree(real, d)
    shutil.rmtree(d.with_name("plain.history"))
    old_sha = read_manifest(d).snapshot_sha256
    before = tree_digest(d)

    def boom(tmp, target):
        raise OSError("injected")

    monkeypatch.setattr(storage, "before_switch", boom)
    with pytest.raises(storage.StorageError, match="injected"):
        build_snapshot(
            fixtures_dir / "raw_min", d, datasets=["brent_daily"], retrieved=dt.date(2026, 3, 2)
        )
    assert tree_digest(d) == before
    monkeypatch.undo()
    raw = tmp_path / "raw"
    shutil.copytree(fixtures_dir / "raw_min", raw)
    f = raw / "eia_crude_spot_prices" / "brent-daily.csv"
    f.write_text(f.read_text() + "2026-03-04,80.0\n")
    build_snapshot(raw, d, datasets=["brent_daily"], retrieved=dt.date(2026, 3, 2))
    assert not d.is_symlink() and storage.layout(d) == "plain"
    assert read_manifest(storage.previous(d)).snapshot_sha256 == old_sha


@pytest.mark.slow
def test_recompute_writes_results_and_latest(live_once, tmp_path, monkeypatch):
    from oilshock.scenario.spec import list_presets

    d, _ = live_once
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(d))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "my-case.toml").write_text(
        'title = "test"\n[[disruptions]]\nchokepoint = "hormuz"\nshare = 0.5\nduration_days = 30\n'
    )
    out = tmp_path / "out"
    # One full run (the library's, to see its progress); the command line then finds it up to date.
    # The command's own full run is covered by test_update_refreshes_then_recomputes.
    from oilshock.schedule.recompute import EXTRA_STEPS, recompute

    steps = []
    recompute(out, data_dir=d, scenarios_dir=mine, draws=200, progress=steps.append)
    # The progress covers every step to the end: the fits, each scenario, then the charts and the brief.
    assert (
        steps == ["fits", *list_presets(), "my-case", "charts and brief"] and len(EXTRA_STEPS) == 2
    )
    m = read_manifest(d)
    run_dir = out / manifest_last(m)  # filed under the estimates' as_of, not the retrieval date
    assert (out / "latest").resolve() == run_dir.resolve()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert (
        manifest["snapshot_sha256"] == m.snapshot_sha256
        and manifest["as_of"] == run_dir.name != m.raw["retrieved"]
    )
    assert [s["name"] for s in manifest["scenarios"]] == list_presets() + ["my-case"]
    assert manifest["inputs"]["datasets"]["brent_daily"] == m.datasets["brent_daily"]["sha256"]
    assert set(manifest["versions"]) >= {"oilshock", "fit_version", "python", "numpy", "polars"}
    assert "total_seconds" in manifest["timings"]
    for s in manifest["scenarios"]:
        doc = json.loads((run_dir / s["name"] / "estimate.json").read_text())
        assert doc["provenance"]["snapshot_sha256"] == m.snapshot_sha256
        assert (run_dir / s["name"] / "estimate.csv").read_text().count("\n") > 2
        assert (run_dir / s["name"] / "summary.txt").read_text().strip()
        assert (run_dir / "charts" / f"{s['name']}-path.png").read_bytes()[
            :8
        ] == b"\x89PNG\r\n\x1a\n"
    assert (run_dir / "charts" / "compare.png").is_file()
    brief = (run_dir / "brief.html").read_text()
    assert "<script src=" not in brief and "my-case" in brief
    assert "brief.html" in json.dumps(manifest)
    again = CliRunner().invoke(
        main, ["recompute", "--out", str(out), "--scenarios-dir", str(mine), "--draws", "200"]
    )
    assert (
        "up to date" in again.stdout and again.stderr == ""
    )  # not a terminal: no progress bar, no stray label
    assert again.exit_code == 0


def test_recompute_failure_publishes_nothing(live_once, tmp_path, monkeypatch):
    d, _ = live_once
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(d))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "broken.toml").write_text(
        "[[disruptions]]\nchokepoint = 'atlantis'\nshare = 0.5\nduration_days = 3\n"
    )
    out = tmp_path / "out"
    res = run("recompute", "--out", str(out), "--scenarios-dir", str(mine), "--draws", "200")
    assert res.exit_code == 1 and "scenario 'broken'" in res.output
    assert not (out / "latest").exists() and [p for p in out.iterdir()] == []


@pytest.mark.slow
def test_update_refreshes_then_recomputes(env, tmp_path, upstream):
    out = tmp_path / "out"
    res = run("update", "--out", str(out), "--draws", "200")
    assert res.exit_code == 0, res.output
    assert (out / "latest" / "manifest.json").is_file()
    # Live source down: exit 1, the snapshot and results stay.
    before, results = tree_digest(env), sorted(p.name for p in out.iterdir())
    upstream.fault("/eia/", "status", code=500)
    res = run("update", "--out", str(out), "--draws", "200")
    assert res.exit_code == 1 and "HTTP 500" in res.output
    assert tree_digest(env) == before and sorted(p.name for p in out.iterdir()) == results


def test_estimate_during_swaps_reads_one_snapshot(live_once, tmp_path, monkeypatch):
    """Estimates loop in one thread while another switches the data directory between two snapshots."""
    from oilshock.forecast.params import get_params
    from oilshock.forecast.simulate import estimate

    d, _ = live_once
    a, b = storage.kept(d)[:2]  # the live snapshot and the seeded copy of the committed one
    as_of = dt.date(2026, 2, 27)
    want = {}
    for snap in (a, b):
        p = get_params(as_of, snap)  # warm the cache of both snapshots
        r = estimate("hormuz-partial", as_of=as_of, draws=200, directory=snap, params=p)
        want[read_manifest(snap).snapshot_sha256] = r.to_dict()
    assert len(want) == 2

    target = tmp_path / "swapping"
    hist = storage.history_dir(target)
    hist.mkdir()
    for snap in (a, b):
        (hist / snap.name).symlink_to(
            snap
        )  # the two snapshots, reachable from this data directory's history
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(target))

    def point(snap):
        link = target.with_name(".swapping.link-test")
        link.unlink(missing_ok=True)
        link.symlink_to(Path(hist.name) / snap.name)
        link.replace(target)

    point(a)
    stop = threading.Event()
    swaps = {"n": 0}

    def swapper():
        while not stop.is_set():
            point(b if swaps["n"] % 2 else a)
            swaps["n"] += 1

    t = threading.Thread(target=swapper)
    t.start()
    seen, errors = [], []
    try:
        for _ in range(25):
            try:
                r = estimate("hormuz-partial", as_of=as_of, draws=200).to_dict()
                sha = r["provenance"]["snapshot_sha256"]
                assert r == want[sha]
                seen.append(sha)
                frame = load_dataset("brent_daily")  # hash-checked read through the switching link
                assert frame.height > 0
            except Exception as exc:
                errors.append(repr(exc))
        res = run("estimate", "--scenario", "hormuz-partial", "--draws", "200", "--format", "json")
        assert res.exit_code == 0, res.output
    finally:
        stop.set()
        t.join()
    assert not errors, errors[:3]
    assert swaps["n"] > 25
    assert set(seen) <= set(want)


def manifest_last(m) -> str:
    """The newest Brent date of a snapshot: the estimates' default as_of."""
    return str(m.datasets["brent_daily"]["last"])


def test_live_cpi_refuses_a_modified_snapshot_file(tmp_path):
    """The CPI rows carried beside FRED's are read only after the file's hash is checked."""
    import datetime as dt
    import json
    import shutil

    from oilshock.errors import SnapshotError
    from oilshock.ingest import LiveContext
    from oilshock.ingest.macro import live_cpi_monthly

    base = tmp_path / "data"
    shutil.copytree(packaged_data_dir(), base)
    manifest = json.loads((base / "manifest.json").read_text())
    cpi = base / manifest["datasets"]["cpi_monthly"]["file"]
    cpi.write_bytes(cpi.read_bytes() + b"\0")  # any change to the bytes
    ctx = LiveContext(dt.date(2026, 11, 29), base, manifest, None, None)
    with pytest.raises(SnapshotError, match="modified"):
        live_cpi_monthly(ctx)
