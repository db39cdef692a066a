"""Every live request is bounded (time, size, pages, redirects), its configuration checked, its key never shown.

Against the local stand-in server on 127.0.0.1 (tests/live_server.py); no
internet. Loops are bounded by the server (a drip sends at most ``size``
bytes) and by the deadlines under test.
"""

# ruff: noqa: F811  (the fixtures imported from test_refresh_faults are test parameters here)
from __future__ import annotations

import gzip
import json
import logging
import sys
import time
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ingest.test_refresh_faults import (  # noqa: F401 (fixtures)
    KEY,
    assert_kept,
    data,
    one_error_line,
    tree_digest,
    upstream,
)

from oilshock.cli import main
from oilshock.errors import SourceError
from oilshock.sources import http, redaction
from oilshock.sources.eia.api import get_eia_api_v2
from oilshock.sources.portwatch import get_portwatch_chokepoints


def refresh(*extra):
    return CliRunner().invoke(main, ["refresh", "--dataset", "brent_daily", *extra])


# ---------------------------------------------------------------- time


def test_slow_body_is_cut_at_the_request_deadline(data, upstream, monkeypatch):
    """One byte every 0.2 s of a 10,000-byte body: without a deadline this would take half an hour."""
    monkeypatch.setenv("OILSHOCK_HTTP_RETRIES", "0")
    monkeypatch.setenv("OILSHOCK_HTTP_REQUEST_DEADLINE", "1")
    upstream.fault("/eia/", "drip", size=10_000, interval=0.2)
    before = tree_digest(data)
    t = time.monotonic()
    res = refresh()
    elapsed = time.monotonic() - t
    assert_kept(res, data, before, "request deadline of 1 s")
    assert elapsed < 4, elapsed  # deadline + at most one read timeout (capped by the deadline)


def test_refresh_deadline_bounds_every_retry(data, upstream, monkeypatch):
    monkeypatch.setenv("OILSHOCK_HTTP_RETRIES", "50")
    monkeypatch.setenv("OILSHOCK_HTTP_REQUEST_DEADLINE", "0.4")
    monkeypatch.setenv("OILSHOCK_HTTP_REFRESH_DEADLINE", "1.5")
    upstream.fault("/eia/", "drip", size=10_000, interval=0.1)
    before = tree_digest(data)
    t = time.monotonic()
    res = refresh()
    assert_kept(res, data, before, "refresh deadline of 1.5 s")
    assert time.monotonic() - t < 4


def test_a_wait_past_the_refresh_deadline_is_not_taken(data, upstream, monkeypatch):
    waits = []
    monkeypatch.setattr(http, "_sleep", waits.append)
    monkeypatch.setenv("OILSHOCK_HTTP_RETRIES", "3")
    monkeypatch.setenv("OILSHOCK_HTTP_REFRESH_DEADLINE", "5")
    upstream.fault("/eia/", "status", code=503, headers={"Retry-After": "60"})
    before = tree_digest(data)
    assert_kept(refresh(), data, before, "the next retry would start after the refresh deadline")
    assert waits == []


# ---------------------------------------------------------------- size


def test_body_over_the_limit_is_refused(data, upstream, monkeypatch):
    monkeypatch.setenv("OILSHOCK_HTTP_MAX_BYTES", "1000")
    before = tree_digest(data)
    assert_kept(refresh(), data, before, "larger than OILSHOCK_HTTP_MAX_BYTES=1000", "not retried")


def test_gzip_bomb_is_cut_at_the_limit_once_decompressed(data, upstream, monkeypatch):
    """64 MB of zeros gzip to about 64 kB; the limit counts what they inflate to, and inflating stops there."""
    monkeypatch.setenv("OILSHOCK_HTTP_MAX_BYTES", str(4 * 2**20))
    bomb = gzip.compress(b"0" * (64 * 2**20), compresslevel=9)
    assert len(bomb) < 200_000
    upstream.fault(
        "/eia/",
        "status",
        code=200,
        body=bomb,
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    before = tree_digest(data)
    assert_kept(
        refresh(),
        data,
        before,
        "larger than OILSHOCK_HTTP_MAX_BYTES=4194304 bytes once decompressed",
    )


def test_gzip_body_within_the_limit_is_read(upstream, monkeypatch):
    monkeypatch.setenv("EIA_API_KEY", KEY)
    for k, v in upstream.env().items():
        monkeypatch.setenv(k, v)
    upstream.faults.clear()
    plain = http.fetch(
        upstream.url + "/fred/fredgraph.csv",
        [("id", "CPIAUCSL")],
        source="FRED",
        config=http.HttpConfig(retries=0),
    )[0]
    upstream.fault(
        "/fred/",
        "status",
        times=1,
        code=200,
        body=gzip.compress(plain),
        headers={"Content-Encoding": "gzip"},
    )
    got = http.fetch(
        upstream.url + "/fred/fredgraph.csv",
        [("id", "CPIAUCSL")],
        source="FRED",
        config=http.HttpConfig(retries=0),
    )[0]
    assert got == plain


def test_unknown_content_encoding_is_refused(upstream):
    upstream.faults.clear()
    upstream.fault(
        "/fred/", "status", times=1, code=200, body=b"\x00" * 10, headers={"Content-Encoding": "br"}
    )
    with pytest.raises(SourceError, match="unsupported Content-Encoding 'br'"):
        http.fetch(
            upstream.url + "/fred/fredgraph.csv", source="FRED", config=http.HttpConfig(retries=0)
        )


# ---------------------------------------------------------------- pages


def test_eia_total_beyond_the_page_cap_is_refused_at_once(data, upstream):
    def huge(body: bytes) -> bytes:
        doc = json.loads(body)
        doc["response"]["total"] = "100000000"
        return json.dumps(doc).encode()

    upstream.fault("/eia/", "transform", fn=huge)
    before = tree_digest(data)
    n = len(upstream.requests)
    assert_kept(
        refresh(), data, before, "reports 100000000 rows, more than OILSHOCK_HTTP_MAX_PAGES=50"
    )
    assert len(upstream.requests) - n == 1


def test_portwatch_always_more_pages_stops_at_the_cap(upstream, monkeypatch):
    for k, v in upstream.env().items():
        monkeypatch.setenv(k, v)
    upstream.faults.clear()
    upstream.max_record_count = 5
    upstream.fault(
        "/arcgis/",
        "transform",
        fn=lambda b: json.dumps(dict(json.loads(b), exceededTransferLimit=True)).encode(),
    )
    n = len(upstream.requests)
    try:
        with pytest.raises(SourceError, match="more pages than OILSHOCK_HTTP_MAX_PAGES=3"):
            get_portwatch_chokepoints(
                ["chokepoint6"], config=http.HttpConfig(retries=0, max_pages=3)
            )
    finally:
        upstream.max_record_count = 2000
    assert len(upstream.requests) - n == 3


# ---------------------------------------------------------------- redirects


def test_redirect_to_another_host_is_refused(data, upstream):
    upstream.fault(
        "/eia/", "status", code=302, headers={"Location": "http://example.org/steal?api_key=" + KEY}
    )
    before = tree_digest(data)
    res = refresh()
    assert_kept(res, data, before, "redirect to another host (example.org) refused")
    assert "steal" not in res.output


def test_redirect_loop_is_one_line(data, upstream):
    upstream.fault("/eia/", "status", code=302, headers={"Location": "/eia/v2/loop"})
    before = tree_digest(data)
    res = refresh()
    assert_kept(res, data, before, "more than 5 redirects")
    one_error_line(res)


def test_redirect_on_the_same_host_is_followed(upstream):
    upstream.faults.clear()
    upstream.fault(
        "/fred/old", "status", code=301, headers={"Location": "/fred/fredgraph.csv?id=CPIAUCSL"}
    )
    body, _ = http.fetch(
        upstream.url + "/fred/old", source="FRED", config=http.HttpConfig(retries=0)
    )
    assert body.startswith(b"observation_date,CPIAUCSL")


def test_https_to_http_downgrade_is_refused():
    import httpx

    assert not http._same_origin(
        httpx.URL("https://api.eia.gov/v2/"), httpx.URL("http://api.eia.gov/v2/")
    )
    assert http._same_origin(
        httpx.URL("http://api.eia.gov/v2/"), httpx.URL("https://api.eia.gov/v2/x")
    )
    assert not http._same_origin(
        httpx.URL("https://api.eia.gov/"), httpx.URL("https://api.eia.gov:8443/")
    )


# ---------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OILSHOCK_HTTP_TIMEOUT", "nan"),
        ("OILSHOCK_HTTP_TIMEOUT", "inf"),
        ("OILSHOCK_HTTP_TIMEOUT", "0"),
        ("OILSHOCK_HTTP_TIMEOUT", "-1"),
        ("OILSHOCK_HTTP_TIMEOUT", "soon"),
        ("OILSHOCK_HTTP_BACKOFF", "-inf"),
        ("OILSHOCK_HTTP_MAX_WAIT", "1e999"),
        ("OILSHOCK_HTTP_RETRIES", "1.5"),
        ("OILSHOCK_HTTP_RETRIES", "-1"),
        ("OILSHOCK_HTTP_REQUEST_DEADLINE", "NaN"),
        ("OILSHOCK_HTTP_REFRESH_DEADLINE", "0"),
        ("OILSHOCK_HTTP_MAX_BYTES", "0"),
        ("OILSHOCK_HTTP_MAX_PAGES", "nan"),
        ("OILSHOCK_EIA_API_URL", "not a url"),
        ("OILSHOCK_EIA_API_URL", "ftp://127.0.0.1/"),
        ("OILSHOCK_FRED_URL", "http://"),
        ("OILSHOCK_PORTWATCH_URL", "http://[::1"),
        ("OILSHOCK_PORTWATCH_URL", "/just/a/path"),
    ],
)
def test_malformed_configuration_is_a_usage_error(data, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    before = tree_digest(data)
    res = refresh()
    assert res.exit_code == 2, res.output
    line = one_error_line(res)
    assert name in line
    assert tree_digest(data) == before


WAITS = [
    ["--wait", "nan"],
    ["--wait", "inf"],
    ["--wait", "-1"],
    ["--wait", "1e309"],
    ["--wait", "x"],
]
OTHERS = [
    ["--keep", "0"],
    ["--keep", "nan"],
    ["--keep", "1e3"],
    ["--max-age", "-1"],
    ["--max-age", "nan"],
]


@pytest.mark.parametrize(
    ("command", "args"),
    [(c, a) for c in ("refresh", "update") for a in WAITS + OTHERS]
    + [("recompute", a) for a in WAITS],
)
def test_non_finite_options_are_usage_errors(data, command, args):
    res = CliRunner().invoke(main, [command, *args])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "Invalid value" in res.output


def test_lock_refuses_a_non_finite_wait(tmp_path):
    from oilshock.data import storage

    for wait in (float("nan"), float("inf"), -1.0):
        with (
            pytest.raises(storage.StorageError, match="finite"),
            storage.lock(tmp_path / "d", wait),
        ):
            pass


# ---------------------------------------------------------------- secrets

SPECIAL_KEY = "S3C R+T/&=Z9"


def test_every_encoding_of_the_key_is_redacted(upstream, caplog, monkeypatch):
    """A key with characters that get percent- or plus-encoded, echoed by the server in a 403 in every form."""
    caplog.set_level(logging.DEBUG)
    for k, v in upstream.env().items():
        monkeypatch.setenv(k, v)
    upstream.faults.clear()
    forms = [
        SPECIAL_KEY,
        quote(SPECIAL_KEY, safe=""),
        quote_plus(SPECIAL_KEY),
        quote(SPECIAL_KEY),
        json.dumps(SPECIAL_KEY),
    ]
    echo = (
        " ".join(f"api_key={f}" for f in forms)
        + ' {"request": {"api_key": '
        + json.dumps(SPECIAL_KEY)
        + "}}"
    )
    upstream.fault("/eia/", "status", times=1, code=403, body=echo.encode())
    with pytest.raises(SourceError) as info:
        get_eia_api_v2(
            "petroleum/pri/spt/data/",
            frequency="daily",
            series=["RBRTE"],
            api_key=SPECIAL_KEY,
            config=http.HttpConfig(retries=0),
        )
    shown = str(info.value) + "\n" + caplog.text
    assert "HTTP 403" in str(info.value)
    for piece in ("S3C", "Z9", "R%2BT", "R+T"):
        assert piece not in shown, (piece, shown)


def test_server_body_is_a_short_single_line_excerpt(upstream):
    upstream.faults.clear()
    body = ("\x1b[31mred\x1b[0m\n" + "x" * 100_000).encode()
    upstream.fault("/fred/", "status", times=1, code=404, body=body)
    with pytest.raises(SourceError) as info:
        http.fetch(
            upstream.url + "/fred/fredgraph.csv", source="FRED", config=http.HttpConfig(retries=0)
        )
    msg = str(info.value)
    assert "\x1b" not in msg and "\n" not in msg and len(msg) < 600
    assert "\\x1b[31mred" in msg


def test_key_cut_by_the_excerpt_does_not_leak_its_head():
    text = "x" * (redaction.EXCERPT_CHARS - 5) + KEY + "y" * 50
    out = redaction.excerpt(text, [KEY])
    assert KEY[:5] not in out and "***" not in out[: redaction.EXCERPT_CHARS - 5]


def test_parse_error_from_the_eia_payload_is_redacted(upstream, monkeypatch):
    for k, v in upstream.env().items():
        monkeypatch.setenv(k, v)
    upstream.faults.clear()
    upstream.fault(
        "/eia/",
        "body",
        times=1,
        data=json.dumps({"error": f"invalid api_key {SPECIAL_KEY}"}).encode(),
    )
    with pytest.raises(SourceError) as info:
        get_eia_api_v2(
            "petroleum/pri/spt/data/",
            frequency="daily",
            series=["RBRTE"],
            api_key=SPECIAL_KEY,
            config=http.HttpConfig(retries=0),
        )
    assert "EIA API error" in str(info.value) and "S3C" not in str(info.value)
