"""The live fetchers (``get_*``) against a local server in the real formats: paging, retries, no leaked key."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import live_server

from oilshock.data.location import packaged_data_dir
from oilshock.errors import SourceError
from oilshock.sources import http
from oilshock.sources.eia.api import get_eia_api_v2
from oilshock.sources.fred import get_fred_csv
from oilshock.sources.portwatch import get_portwatch_chokepoints

KEY = "K3Y-never-shown-0123456789"
FAST = http.HttpConfig(timeout=2, retries=2, backoff=0.001, max_wait=30)


@pytest.fixture(scope="module")
def upstream():
    up = live_server.from_snapshot(packaged_data_dir(), tail=30).start()
    yield up
    up.stop()


@pytest.fixture(autouse=True)
def env(upstream, monkeypatch):
    for k, v in upstream.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("EIA_API_KEY", KEY)
    upstream.faults.clear()
    waits = []
    monkeypatch.setattr(http, "_sleep", waits.append)
    return waits


def test_eia_pages_by_offset_until_total(upstream):
    frame, meta = get_eia_api_v2(
        "petroleum/pri/spt/data/", frequency="daily", series=["RBRTE"], page_length=7, config=FAST
    )
    assert frame.height == 30 and meta["total"] == 30 and meta["pages"] == 5
    assert frame["date"].is_sorted() and frame["date"].n_unique() == 30
    assert all(KEY not in r["url"] for r in meta["raw"])
    assert "api_key" not in str(meta)


def test_eia_two_series_one_query(upstream):
    frame, meta = get_eia_api_v2(
        "petroleum/pri/gnd/data/",
        frequency="weekly",
        series=["EMM_EPMR_PTE_NUS_DPG", "EMM_EPM0_PTE_NUS_DPG"],
        config=FAST,
    )
    assert sorted(frame["series_id"].unique().to_list()) == [
        "EMM_EPM0_PTE_NUS_DPG",
        "EMM_EPMR_PTE_NUS_DPG",
    ]
    assert set(meta["units"].values()) == {"$/GAL"}


def test_eia_without_key_says_how_to_get_one(monkeypatch):
    monkeypatch.delenv("EIA_API_KEY")
    with pytest.raises(SourceError, match="EIA_API_KEY"):
        get_eia_api_v2("petroleum/pri/spt/data/", frequency="daily", series=["RBRTE"], config=FAST)


def test_eia_total_moving_between_pages_is_refused(upstream):
    calls = {"n": 0}

    def grow(body: bytes) -> bytes:
        calls["n"] += 1
        return body.replace(b'"total": "30"', b'"total": "31"') if calls["n"] > 1 else body

    upstream.fault("/eia/", "transform", fn=grow)
    with pytest.raises(SourceError, match="total changed from 30 to 31"):
        get_eia_api_v2(
            "petroleum/pri/spt/data/",
            frequency="daily",
            series=["RBRTE"],
            page_length=10,
            config=FAST,
        )


def test_portwatch_pages_until_exceeded_transfer_limit_is_false(upstream):
    upstream.max_record_count = 25
    try:
        frame, meta = get_portwatch_chokepoints(["chokepoint6", "chokepoint4"], config=FAST)
    finally:
        upstream.max_record_count = 2000
    assert set(frame["portid"]) == {"chokepoint6", "chokepoint4"}
    assert meta["pages"] == -(-frame.height // 25)  # ceil: every page was read, no more
    assert frame.select("date", "portid").is_duplicated().sum() == 0


def test_fred_csv_from_start(upstream):
    frame, meta = get_fred_csv("CPIAUCSL", config=FAST)
    assert frame.height == 30 and meta["series_id"] == "CPIAUCSL"
    first = frame["date"][5]
    frame2, _ = get_fred_csv("CPIAUCSL", start=first.isoformat(), config=FAST)
    assert frame2["date"].min() == first


def test_retries_5xx_with_exponential_backoff(upstream, env):
    upstream.fault("/fred/", "status", times=2, code=503)
    frame, _ = get_fred_csv("CPIAUCSL", config=FAST)
    assert frame.height == 30
    assert env == [0.001, 0.002]


def test_429_honours_retry_after(upstream, env):
    upstream.fault("/fred/", "status", times=1, code=429, headers={"Retry-After": "7"})
    get_fred_csv("CPIAUCSL", config=FAST)
    assert env == [7.0]


def test_retry_after_longer_than_allowed_fails_at_once(upstream, env):
    upstream.fault("/fred/", "status", code=429, headers={"Retry-After": "3600"})
    with pytest.raises(SourceError, match="retry after 3600 s"):
        get_fred_csv("CPIAUCSL", config=FAST)
    assert env == []


def test_4xx_is_not_retried(upstream, env):
    upstream.fault("/fred/", "status", code=404, body=b"Series does not exist")
    with pytest.raises(SourceError, match="HTTP 404.*not retried"):
        get_fred_csv("CPIAUCSL", config=FAST)
    assert env == []


def test_timeout_named(upstream):
    upstream.fault("/fred/", "sleep", seconds=1.0)
    cfg = http.HttpConfig(timeout=0.2, retries=1, backoff=0.001)
    with pytest.raises(SourceError, match=r"FRED \(CPIAUCSL\).*timed out after 0.2 s.*2 attempt"):
        get_fred_csv("CPIAUCSL", config=cfg)


def test_truncated_body_is_never_parsed(upstream):
    upstream.fault("/arcgis/", "truncate")
    with pytest.raises(SourceError, match="PortWatch.*connection failed.*RemoteProtocolError"):
        get_portwatch_chokepoints(["chokepoint6"], config=FAST)


def test_config_from_env_rejects_garbage(monkeypatch):
    monkeypatch.setenv("OILSHOCK_HTTP_TIMEOUT", "soon")
    with pytest.raises(http.HttpConfigError, match="OILSHOCK_HTTP_TIMEOUT") as info:
        http.HttpConfig.from_env()
    assert info.value.exit_code == 2  # a usage error


def test_api_key_never_leaks(upstream, caplog, capsys):
    """Not in the error (status, transport failure, body echo), not in the log, not in the returned meta."""
    caplog.set_level(logging.DEBUG)
    upstream.fault(
        "/eia/",
        "status",
        times=1,
        code=500,
        body=f'{{"error": "bad request api_key={KEY}"}}'.encode(),
    )
    upstream.fault("/eia/", "status", times=1, code=403, body=f"forbidden for {KEY}".encode())
    with pytest.raises(SourceError) as info:
        get_eia_api_v2("petroleum/pri/spt/data/", frequency="daily", series=["RBRTE"], config=FAST)
    text = (
        str(info.value) + repr(info.value) + str(info.value.__cause__) + str(info.value.__context__)
    )
    assert "HTTP 403" in text and KEY not in text
    # A refused connection: httpx's own message must not carry it either.
    with pytest.raises(SourceError) as info:
        http.fetch(
            "http://127.0.0.1:9/v2/x",
            [("api_key", KEY)],
            source="EIA",
            secrets=[KEY],
            secret_params=["api_key"],
            config=http.HttpConfig(timeout=1, retries=0),
        )
    assert KEY not in str(info.value) and "connection failed" in str(info.value)
    _, meta = get_eia_api_v2(
        "petroleum/pri/spt/data/", frequency="daily", series=["RBRTE"], config=FAST
    )
    assert KEY not in str(meta)
    out = capsys.readouterr()
    assert KEY not in caplog.text and KEY not in out.out + out.err
    assert upstream.api_key_seen and set(upstream.api_key_seen) == {
        KEY
    }  # it was sent, only never shown
