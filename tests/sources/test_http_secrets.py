"""No credential is ever printed: URL userinfo is removed, and a key is masked in every encoding, whole keys only."""

from __future__ import annotations

import base64
import html
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import live_server

from oilshock.cli import main
from oilshock.data.location import packaged_data_dir
from oilshock.sources import redaction

PASSWORD = "hunter2pw"


@pytest.fixture(scope="module")
def upstream():
    up = live_server.from_snapshot(packaged_data_dir()).start()
    yield up
    up.stop()


@pytest.fixture
def data(tmp_path, upstream, monkeypatch):
    """Every source on the local server; an empty data directory, so a refresh fetches them all."""
    for k, v in upstream.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("EIA_API_KEY", "test-key-0123456789")
    monkeypatch.setenv("OILSHOCK_DATA_DIR", str(tmp_path / "empty"))
    upstream.faults.clear()
    return tmp_path / "empty"


SECRET_URL = f"http://admin:{PASSWORD}@127.0.0.1:9/query"


@pytest.mark.parametrize(
    "env", ["OILSHOCK_PORTWATCH_URL", "OILSHOCK_EIA_API_URL", "OILSHOCK_FRED_URL"]
)
def test_refresh_never_prints_the_password_of_a_source_url(data, monkeypatch, env):
    monkeypatch.setenv(env, SECRET_URL)
    monkeypatch.setenv("OILSHOCK_HTTP_RETRIES", "0")
    res = CliRunner().invoke(main, ["refresh"])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    assert "127.0.0.1:9" in res.output  # the URL is still named, without its userinfo
    assert PASSWORD not in res.output and "admin:" not in res.output, res.output


def test_a_malformed_source_url_is_shown_without_its_password(data, monkeypatch):
    monkeypatch.setenv("OILSHOCK_FRED_URL", f"ftp://admin:{PASSWORD}@127.0.0.1:9/x")
    res = CliRunner().invoke(main, ["refresh", "--dataset", "cpi_monthly"])
    assert res.exit_code == 2, res.output
    assert PASSWORD not in res.output and "OILSHOCK_FRED_URL" in res.output


def test_strip_userinfo():
    from oilshock.text import strip_userinfo

    assert strip_userinfo(SECRET_URL) == "http://127.0.0.1:9/query"
    assert strip_userinfo("see https://u@h.example/x and HTTP://a:b@h/?q=1") == (
        "see https://h.example/x and HTTP://h/?q=1"
    )
    # An @ after the host (a path or a query) is not userinfo.
    assert strip_userinfo("http://h/x@y?m=a@b") == "http://h/x@y?m=a@b"


def test_display_url_drops_userinfo():
    shown = redaction.display_url(SECRET_URL, {"a": "1"})
    assert shown == "http://127.0.0.1:9/query?a=1"


LONG = "k3y-Ab9Zx71Qp"


@pytest.mark.parametrize(
    "echo",
    [
        base64.b64encode(LONG.encode()).decode(),
        base64.urlsafe_b64encode(LONG.encode()).decode().rstrip("="),
        # Basic auth: the key after "user:", at any alignment of the base64 groups
        base64.b64encode(f"admin:{LONG}".encode()).decode(),
        base64.b64encode(f"ab:{LONG}".encode()).decode(),
        base64.b64encode(f"x{LONG}yz".encode()).decode(),
        html.escape(LONG),
        "".join(f"&#{ord(c)};" for c in LONG),
        "".join(f"&#x{ord(c):x};" for c in LONG),
        quote(quote(LONG, safe=""), safe=""),
        quote(LONG, safe="").replace("%", "%25"),
    ],
)
def test_key_echoed_in_another_encoding_is_masked(echo):
    out = redaction.redact(f"server says: {echo} (bad key)", [LONG])
    assert echo not in out, out
    assert "server says:" in out and "(bad key)" in out


def test_special_key_as_html_entities_and_double_percent():
    key = "S3C R+T/&=Z9<x>"
    for echo in (html.escape(key), quote(quote(key, safe=""), safe=""), quote(quote(key))):
        out = redaction.redact(f"[{echo}]", [key])
        assert "S3C" not in out and "Z9" not in out, (echo, out)


@pytest.mark.parametrize("key", ["a", "e", "ab", "x1", "pw", "1234567"])
def test_short_key_masks_whole_keys_only(key):
    text = "Please examine the banana and apple at example.org/pwd?x1y=yes 12345678"
    assert redaction.redact(text, [key]) == text
    # The key standing alone is still masked.
    assert redaction.redact(f"key {key} refused", [key]) == "key *** refused"


def test_long_key_inside_other_text_is_masked():
    assert redaction.redact(f"abc{LONG}def", [LONG]) == "abc***def"
