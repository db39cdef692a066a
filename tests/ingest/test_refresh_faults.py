"""Every way a live refresh can fail leaves the data directory byte-identical, says why, and exits 1.

The sources are a local server on 127.0.0.1 speaking the real formats
(tests/live_server.py). The data directory starts as a small snapshot built
from tests/fixtures/raw_min; the refresh fetches brent_daily live.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import live_server

from oilshock.cli import main
from oilshock.data.location import packaged_data_dir
from oilshock.ingest import build_snapshot
from oilshock.sources import http

KEY = "sEcReT-eia-key-42"


def tree_digest(data_dir: Path) -> dict[str, str]:
    """sha256 of every file of the data directory (link followed) and its history, plus where the link points."""
    out = {"<link>": os.readlink(data_dir) if data_dir.is_symlink() else "<dir>"}
    for root in (data_dir, data_dir.with_name(data_dir.name + ".history")):
        if root.exists():
            for p in sorted(root.rglob("*")):
                if p.is_file():
                    out[f"{root.name}/{p.relative_to(root)}"] = hashlib.sha256(
                        p.read_bytes()
                    ).hexdigest()
    return out


@pytest.fixture(scope="module")
def upstream():
    up = live_server.from_snapshot(packaged_data_dir(), tail=40).start()
    yield up
    up.stop()


@pytest.fixture
def data(tmp_path, fixtures_dir, upstream, monkeypatch):
    d = tmp_path / "data"
    build_snapshot(
        fixtures_dir / "raw_min", d, datasets=["brent_daily"], retrieved=dt.date(2026, 3, 4)
    )
    for k, v in upstream.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("EIA_API_KEY", KEY)
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(d))
    monkeypatch.setenv("OILSHOCK_HTTP_RETRIES", "2")
    monkeypatch.setenv("OILSHOCK_HTTP_BACKOFF", "0.001")
    monkeypatch.setenv("OILSHOCK_HTTP_TIMEOUT", "2")
    monkeypatch.setattr(http, "_sleep", lambda s: None)
    upstream.faults.clear()
    return d


def refresh(*extra):
    return CliRunner().invoke(
        main, ["refresh", "--dataset", "brent_daily", *extra], catch_exceptions=False
    )


def assert_kept(res, data: Path, before: dict, *patterns: str):
    assert res.exit_code == 1, res.output
    assert tree_digest(data) == before
    assert "left unchanged" in res.output
    for p in patterns:
        assert p in res.output, (p, res.output)
    assert KEY not in res.output
    assert not [p for p in data.parent.iterdir() if p.name.startswith(".oilshock-build-")]


def one_error_line(res) -> str:
    """The one ``Error:`` line of a failed command (the progress bar's label aside, nothing else is printed)."""
    lines = [ln for ln in res.output.splitlines() if ln.strip() and not ln.startswith("refresh ")]
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.output
    assert "Traceback" not in res.output
    return lines[0]


def test_live_refresh_works(data):
    res = refresh()
    assert res.exit_code == 0, res.output
    m = json.loads((data / "manifest.json").read_text())
    assert m["origin"] == "live" and m["datasets"]["brent_daily"]["origin"] == "live"
    assert m["datasets"]["brent_daily"]["rows"] == 40
    assert KEY not in (data / "manifest.json").read_text()


def test_500_every_time(data, upstream):
    before = tree_digest(data)
    upstream.fault("/eia/", "status", code=500, body=b"Internal Server Error")
    assert_kept(
        refresh(), data, before, "EIA API v2 (RBRTE)", "HTTP 500", "gave up after 3 attempt(s)"
    )


def test_500_then_recovers(data, upstream):
    upstream.fault("/eia/", "status", times=2, code=502)
    assert refresh().exit_code == 0


def test_429_with_retry_after(data, upstream, monkeypatch):
    waits = []
    monkeypatch.setattr(http, "_sleep", waits.append)
    upstream.fault("/eia/", "status", times=1, code=429, headers={"Retry-After": "5"})
    assert refresh().exit_code == 0
    assert waits == [5.0]
    before = tree_digest(data)
    upstream.fault("/eia/", "status", code=429, headers={"Retry-After": "1"})
    assert_kept(refresh(), data, before, "HTTP 429 (rate limited)")


def test_timeout(data, upstream, monkeypatch):
    monkeypatch.setenv("OILSHOCK_HTTP_TIMEOUT", "0.2")
    monkeypatch.setenv("OILSHOCK_HTTP_RETRIES", "1")
    before = tree_digest(data)
    upstream.fault("/eia/", "sleep", seconds=0.8)
    assert_kept(refresh(), data, before, "timed out after 0.2 s")


def test_truncated_body(data, upstream):
    before = tree_digest(data)
    upstream.fault("/eia/", "truncate")
    assert_kept(refresh(), data, before, "connection failed", "RemoteProtocolError")


def test_truncated_json_with_matching_length(data, upstream):
    before = tree_digest(data)
    upstream.fault("/eia/", "transform", fn=lambda b: b[: len(b) // 2])
    assert_kept(refresh(), data, before, "not valid JSON")


def test_schema_change_renamed_field(data, upstream):
    before = tree_digest(data)
    upstream.fault("/eia/", "transform", fn=lambda b: b.replace(b'"value":', b'"price":'))
    assert_kept(refresh(), data, before, "lacks 'period' or 'value'")


@pytest.fixture
def seeded(data):
    """The data directory holding a copy of the committed snapshot (it has the chokepoint table and CPI rows)."""
    import shutil

    from oilshock.ingest.live import seed

    shutil.rmtree(data.with_name("data.history"))
    data.unlink()
    seed(data)
    return data


def test_schema_change_portwatch_renamed_field(seeded, upstream):
    data = seeded
    before = tree_digest(data)
    upstream.fault("/arcgis/", "transform", fn=lambda b: b.replace(b'"n_tanker"', b'"n_tankers"'))
    res = CliRunner().invoke(
        main, ["refresh", "--dataset", "chokepoint_transits_daily", "--data-dir", str(data)]
    )
    assert res.exit_code == 1 and tree_digest(data) == before
    assert "field(s) ['n_tanker'] missing" in res.output


def test_schema_change_fred_renamed_column(seeded, upstream):
    data = seeded
    before = tree_digest(data)
    upstream.fault("/fred/", "transform", fn=lambda b: b.replace(b"observation_date", b"obs_date"))
    res = CliRunner().invoke(main, ["refresh", "--dataset", "cpi_monthly"])
    assert res.exit_code == 1 and tree_digest(data) == before
    assert "FRED" in res.output and "obs_date" in res.output


def test_wrong_units_caught_by_the_contract(data, upstream):
    """Prices 100x too high (cents for dollars) break the contract's le = 300 on brent_usd_per_bbl."""
    before = tree_digest(data)

    def cents(body: bytes) -> bytes:
        doc = json.loads(body)
        for r in doc["response"]["data"]:
            r["value"] = None if r["value"] is None else str(float(r["value"]) * 100)
        return json.dumps(doc).encode()

    upstream.fault("/eia/", "transform", fn=cents)
    assert_kept(
        refresh(),
        data,
        before,
        "does not meet the contract of dataset 'brent_daily'",
        "brent_usd_per_bbl",
        "le",
    )


def test_unit_label_change_is_refused(data, upstream):
    before = tree_digest(data)
    upstream.fault("/eia/", "transform", fn=lambda b: b.replace(b'"$/BBL"', b'"$/GAL"'))
    assert_kept(refresh(), data, before, "expected units '$/BBL'")


def test_empty_body(data, upstream):
    before = tree_digest(data)
    upstream.fault("/eia/", "body", data=b"")
    assert_kept(refresh(), data, before, "not valid JSON")


def test_empty_result(data, upstream):
    before = tree_digest(data)
    upstream.fault(
        "/eia/",
        "transform",
        fn=lambda b: json.dumps(
            dict(json.loads(b), response=dict(json.loads(b)["response"], total="0", data=[]))
        ).encode(),
    )
    assert_kept(refresh(), data, before, "returned no rows")


def test_api_error_payload(data, upstream, fixtures_dir):
    before = tree_digest(data)
    upstream.fault(
        "/eia/",
        "status",
        code=403,
        body=(fixtures_dir / "eia_api" / "error_api_key_missing_v2.json").read_bytes(),
    )
    assert_kept(refresh(), data, before, "HTTP 403", "not retried")


def test_key_not_leaked_anywhere(data, upstream, tmp_path):
    upstream.fault("/eia/", "status", code=500, body=f"oops api_key={KEY}".encode())
    res = refresh()
    assert res.exit_code == 1 and KEY not in res.output
    assert refresh().exit_code == 1
    upstream.faults.clear()
    assert refresh().exit_code == 0
    for p in tmp_path.rglob("*"):
        if p.is_file():
            assert KEY.encode() not in p.read_bytes(), p


def test_killed_between_writing_and_renaming(data, upstream):
    """A process SIGKILLed after the new snapshot is written and fsynced, before the switch."""
    before = tree_digest(data)
    code = textwrap.dedent(
        """
        import os, signal
        from oilshock.data import storage
        from oilshock.ingest.live import build_live_snapshot
        storage.before_switch = lambda tmp, d: os.kill(os.getpid(), signal.SIGKILL)
        build_live_snapshot(os.environ["OILSHOCK_DATA_DIR"], datasets=["brent_daily"])
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=dict(os.environ), capture_output=True, timeout=120
    )
    assert proc.returncode == -9, proc.stderr.decode()
    assert tree_digest(data) == before
    # The next refresh cleans up what the killed one left and succeeds.
    assert refresh().exit_code == 0
    assert not [
        p for p in data.parent.iterdir() if p.name.startswith((".oilshock-build-", ".data.link-"))
    ]


def test_failure_at_the_switch_in_process(data, upstream, monkeypatch):
    from oilshock.data import storage

    before = tree_digest(data)

    def boom(tmp, d):
        raise OSError(errno.ENOSPC, "No space left on device (injected)", str(tmp))

    monkeypatch.setattr(storage, "before_switch", boom)
    res = refresh()
    assert_kept(res, data, before, "No space left on device (injected)", "free some space")
    assert one_error_line(res)


def test_second_refresh_waits_or_says_who_holds_the_lock(data):
    from oilshock.data import storage

    code = (
        "import sys, time; from oilshock.data import storage\nwith storage.lock(sys.argv[1]):\n    "
        "print('held', flush=True); time.sleep(30)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(data)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"held"
        before = tree_digest(data)
        res = refresh("--wait", "0.3")
        assert res.exit_code == 1
        assert (
            "another oilshock refresh or recompute is running" in res.output
            and f"pid {holder.pid}" in res.output
        )
        assert tree_digest(data) == before
    finally:
        holder.kill()
        holder.wait()
    assert refresh("--wait", "5").exit_code == 0
    assert storage.lock_path(data).exists()


def test_max_age_exit_3(data, upstream):
    """A failed refresh on data older than --max-age exits 3 (stale), not 1."""
    upstream.fault("/eia/", "status", code=500)
    res = refresh("--max-age", "0")
    assert res.exit_code == 3 and "Stale" in res.output and "left unchanged" in res.output
    upstream.faults.clear()
    assert refresh("--max-age", "100000").exit_code == 0
