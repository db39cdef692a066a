"""One HTTP fetch helper for every live source: timeouts, retries, bounds, clear errors, no leaked keys.

:func:`fetch` returns the whole response body or raises
:class:`~oilshock.errors.SourceError` naming the source, the URL (without any
secret) and why; it never returns a partial body. Retried: HTTP 429 and 5xx,
timeouts, requests past their deadline and transport errors (refused
connection, a body cut short), with exponential backoff, honouring
``Retry-After``. Not retried: other 4xx (a wrong key or a bad query does not
heal by waiting), a body over the size limit, a redirect to another host or
a redirect loop.

Every request is bounded: a deadline for the whole request (connect, headers
and body: a server sending one byte a second cannot hold it open), a maximum
body size counted after decompression (a gzip bomb is cut off at the limit,
never inflated in full), at most :data:`MAX_REDIRECTS` redirects and only to
the same host. A live refresh also has one deadline for all its requests,
retries and waits (:meth:`HttpConfig.start_refresh`), and the paging loops of
the sources stop at ``max_pages``.

Configuration (environment variables, read at each call so tests and cron
jobs can set them). A value that is not a finite positive number (a
non-negative integer for the retries) is a usage error (exit 2), as is a
source URL that is not an ``http(s)://host/...`` URL:

==================================  =============================================  =========
variable                            meaning                                        default
==================================  =============================================  =========
``OILSHOCK_EIA_API_URL``            EIA API v2 base URL                            ``https://api.eia.gov/v2/``
``OILSHOCK_FRED_URL``               FRED graph CSV URL                             ``https://fred.stlouisfed.org/graph/fredgraph.csv``
``OILSHOCK_PORTWATCH_URL``          PortWatch ArcGIS ``query`` URL                 the IMF service
``OILSHOCK_HTTP_TIMEOUT``           seconds per connect or read                    30
``OILSHOCK_HTTP_RETRIES``           retries after the first attempt (integer)      4
``OILSHOCK_HTTP_BACKOFF``           first backoff in seconds, doubled each try     1
``OILSHOCK_HTTP_MAX_WAIT``          longest single wait, Retry-After included      120
``OILSHOCK_HTTP_REQUEST_DEADLINE``  seconds for one whole request, body included   120
``OILSHOCK_HTTP_REFRESH_DEADLINE``  seconds for every request of one refresh       1800
``OILSHOCK_HTTP_MAX_BYTES``         largest body, decompressed [bytes] (integer)   67108864 (64 MiB)
``OILSHOCK_HTTP_MAX_PAGES``         most pages one source may take (integer)       50
==================================  =============================================  =========

Secrets (the EIA API key, the password of a source URL) are passed in
``secrets`` and removed from every message this module produces
(:mod:`oilshock.sources.redaction`); exceptions are raised ``from None`` so
httpx's own (which carry the full URL) are not chained.
"""

from __future__ import annotations

import dataclasses
import email.utils
import logging
import math
import os
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from oilshock.errors import ConfigError, SourceError
from oilshock.sources.redaction import (
    _LOGGERS,
    _ScrubSecrets,
    display_url,
    excerpt,
    redact,
    url_secrets,
)
from oilshock.text import strip_userinfo

# Tests replace this to record waits instead of sleeping.
_sleep = time.sleep

MAX_REDIRECTS = 5
SOURCE_URL_ENVS = ("OILSHOCK_EIA_API_URL", "OILSHOCK_FRED_URL", "OILSHOCK_PORTWATCH_URL")


class HttpConfigError(ConfigError):
    """An ``OILSHOCK_HTTP_*`` value or a source URL is malformed: a usage error (exit 2)."""


@dataclass(frozen=True)
class HttpConfig:
    """Timeouts, bounds and retry policy of :func:`fetch` (see the module docstring)."""

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 120.0
    request_deadline: float = 120.0
    refresh_deadline: float = 1800.0
    max_bytes: int = 64 * 2**20
    max_pages: int = 50
    # time.monotonic() at which the current refresh must end; None outside a refresh.
    deadline_at: float | None = None

    @classmethod
    def from_env(cls) -> HttpConfig:
        """The configuration from ``OILSHOCK_HTTP_*``; a malformed value is a usage error, not a default.

        Also checks ``OILSHOCK_*_URL`` (:func:`check_url`), so a refresh with a
        bad configuration fails before it starts.
        """

        def num(name: str, default, kind=float, minimum=0.0):
            raw = os.environ.get(name)
            if raw is None or raw == "":
                return default
            text = raw.strip()
            try:
                value = int(text) if kind is int else float(text)
            except ValueError:
                want = "an integer" if kind is int else "a number"
                raise HttpConfigError(f"{name}={raw[:40]!r} is not {want}") from None
            if not math.isfinite(value) or value < minimum or (kind is float and value <= 0):
                rule = f"an integer >= {minimum:g}" if kind is int else "a finite number > 0"
                raise HttpConfigError(f"{name}={raw[:40]!r} must be {rule}")
            return value

        for env in SOURCE_URL_ENVS:
            if os.environ.get(env):
                check_url(os.environ[env], env)
        return cls(
            timeout=num("OILSHOCK_HTTP_TIMEOUT", cls.timeout),
            retries=min(num("OILSHOCK_HTTP_RETRIES", cls.retries, int, 0), 100),
            backoff=num("OILSHOCK_HTTP_BACKOFF", cls.backoff),
            max_wait=num("OILSHOCK_HTTP_MAX_WAIT", cls.max_wait),
            request_deadline=num("OILSHOCK_HTTP_REQUEST_DEADLINE", cls.request_deadline),
            refresh_deadline=num("OILSHOCK_HTTP_REFRESH_DEADLINE", cls.refresh_deadline),
            max_bytes=num("OILSHOCK_HTTP_MAX_BYTES", cls.max_bytes, int, 1),
            max_pages=num("OILSHOCK_HTTP_MAX_PAGES", cls.max_pages, int, 1),
        )

    def start_refresh(self) -> HttpConfig:
        """This configuration with the refresh deadline running from now."""
        return dataclasses.replace(self, deadline_at=time.monotonic() + self.refresh_deadline)

    def remaining(self) -> float:
        """Seconds left before the refresh deadline (infinite outside a refresh)."""
        return math.inf if self.deadline_at is None else self.deadline_at - time.monotonic()


def check_url(url: str, where: str) -> str:
    """``url`` if it is an absolute ``http(s)`` URL with a host; else a usage error naming ``where``."""
    import httpx

    shown = repr(strip_userinfo(url)[:80])
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise HttpConfigError(
            f"{where}={shown} is not a valid URL (it contains spaces or control characters)"
        )
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise HttpConfigError(f"{where}={shown} is not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise HttpConfigError(f"{where}={shown} is not an http:// or https:// URL with a host")
    return url


def base_url(env: str, default: str) -> str:
    """``$env`` if set, else ``default`` (lets tests point a source at 127.0.0.1); checked with :func:`check_url`."""
    value = os.environ.get(env)
    return check_url(value, env) if value else default


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def fetch(
    url: str,
    params: Sequence[tuple[str, str]] | dict | None = None,
    *,
    source: str,
    secrets: Sequence[str] = (),
    secret_params: Sequence[str] = (),
    config: HttpConfig | None = None,
    client=None,
) -> tuple[bytes, str]:
    """GET ``url`` and return ``(body, shown_url)``, retrying what may heal by waiting.

    Parameters
    ----------
    url : str
        Endpoint.
    params : list of (name, value) or dict, optional
        Query parameters (a list keeps repeated names such as ``facets[series][]``).
    source : str
        Human name of the source for messages, e.g. ``"EIA API v2 (RBRTE)"``.
    secrets : sequence of str
        Values that must never appear in a message or log line (API keys).
    secret_params : sequence of str
        Query parameter names left out of ``shown_url``.
    config : HttpConfig, optional
        Default :meth:`HttpConfig.from_env`.
    client : httpx.Client, optional
        Reused connection pool; default a client for this call.

    Returns
    -------
    body : bytes
        The complete response body (httpx checks it against Content-Length).
    shown_url : str
        The URL without secret parameters, for the manifest and messages.

    Raises
    ------
    SourceError
        After the last retry, or at once on a non-retryable status; the
        message names the source, the shown URL, the status or error and the
        number of attempts.
    """
    import httpx

    config = config or HttpConfig.from_env()
    # A password in the URL is a secret like the key: httpx's own messages may echo it.
    secrets = [*secrets, *url_secrets(url)]
    shown = display_url(url, params, secret_params)
    where = f"{source}: {shown}"
    scrub = _ScrubSecrets(secrets)
    loggers = [logging.getLogger(n) for n in _LOGGERS]
    for lg in loggers:
        lg.addFilter(scrub)
    own = client is None
    client = client or httpx.Client(follow_redirects=False)
    try:
        attempts = config.retries + 1
        for attempt in range(attempts):
            wait = None
            if config.remaining() <= 0:
                raise SourceError(
                    f"{where}: the refresh deadline of {config.refresh_deadline:g} s has passed "
                    "(OILSHOCK_HTTP_REFRESH_DEADLINE)"
                )
            try:
                status, reason, headers, body = _get(client, url, params, config, secrets)
            except httpx.TimeoutException as exc:
                why = f"timed out after {config.timeout:g} s ({type(exc).__name__})"
            except _Retryable as exc:
                why = str(exc)
            except httpx.TransportError as exc:
                # str(exc) may carry the URL with its key: only the redacted text is kept.
                why = f"connection failed ({type(exc).__name__}: {excerpt(str(exc), secrets)})"
            except _Refused as exc:
                raise SourceError(f"{where}: {redact(str(exc), secrets)}; not retried") from None
            except (
                httpx.HTTPError
            ) as exc:  # anything else httpx raises (a malformed URL or response)
                raise SourceError(
                    f"{where}: request failed ({type(exc).__name__}: {excerpt(str(exc), secrets)})"
                ) from None
            else:
                if status < 400:
                    return body, shown
                snippet = excerpt(body.decode("utf-8", errors="replace"), secrets)
                if status != 429 and status < 500:
                    raise SourceError(f"{where}: HTTP {status} ({reason}); not retried: {snippet}")
                why = f"HTTP {status} ({'rate limited' if status == 429 else reason})" + (
                    f": {snippet}" if snippet else ""
                )
                wait = _retry_after(headers.get("Retry-After"))
                if wait is not None and wait > config.max_wait:
                    raise SourceError(
                        f"{where}: {why}; the server asks to retry after {wait:g} s, longer than "
                        f"OILSHOCK_HTTP_MAX_WAIT={config.max_wait:g} s; try again later"
                    )
            if attempt == attempts - 1:
                raise SourceError(f"{where}: {why}; gave up after {attempts} attempt(s)")
            if wait is None:
                wait = min(config.backoff * 2**attempt, config.max_wait)
            if wait >= config.remaining():
                raise SourceError(
                    f"{where}: {why}; the next retry would start after the refresh deadline of "
                    f"{config.refresh_deadline:g} s (OILSHOCK_HTTP_REFRESH_DEADLINE)"
                )
            _sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
    finally:
        for lg in loggers:
            lg.removeFilter(scrub)
        if own:
            client.close()


class _Retryable(Exception):
    """The request ran past its deadline, or its compressed body was cut short (retried)."""


class _Refused(Exception):
    """A response oilshock will not take: too large, a foreign redirect, a loop (not retried)."""


def _same_origin(a, b) -> bool:
    """``b`` is on ``a``'s host and port, and no less secure (an http → https upgrade is allowed)."""
    if a.host != b.host:
        return False
    if a.scheme == b.scheme:
        return (a.port or _PORTS.get(a.scheme)) == (b.port or _PORTS.get(b.scheme))
    return (a.scheme, b.scheme) == ("http", "https")


_PORTS = {"http": 80, "https": 443}


def _get(client, url: str, params, config: HttpConfig, secrets: Sequence[str]):
    """One GET with redirects followed by hand (same host only), bounded in time and size.

    Returns ``(status, reason, headers, body)``; the body of an error status is
    read only up to a few kilobytes (it is shown as an excerpt).
    """
    import httpx

    end = min(time.monotonic() + config.request_deadline, config.deadline_at or math.inf)
    first = target = httpx.URL(url, params=params)
    for _hop in range(MAX_REDIRECTS + 1):
        left = end - time.monotonic()
        if left <= 0:
            raise _Retryable(
                f"took longer than the request deadline of {config.request_deadline:g} s"
            )
        # No single read may wait past the deadline either.
        timeout = httpx.Timeout(min(config.timeout, left))
        headers = {
            "Accept-Encoding": "gzip, deflate"
        }  # only what _read_body can bound while decoding
        with client.stream(
            "GET", target, headers=headers, timeout=timeout, follow_redirects=False
        ) as resp:
            location = resp.headers.get("Location")
            if resp.status_code in (301, 302, 303, 307, 308) and location:
                nxt = target.join(location)
                if not _same_origin(first, nxt):
                    raise _Refused(
                        f"HTTP {resp.status_code} redirect to another host "
                        f"({excerpt(str(nxt.host) or location, secrets, 80)}) refused"
                    )
                target = nxt
                continue
            limit = config.max_bytes if resp.status_code < 400 else 8192
            body = _read_body(resp, limit, end, config, truncate=resp.status_code >= 400)
            return resp.status_code, resp.reason_phrase, resp.headers, body
    raise _Refused(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)")


def _read_body(
    resp, limit: int, end: float, config: HttpConfig, *, truncate: bool = False
) -> bytes:
    """The response body, decompressed as it arrives, refused (or cut, if ``truncate``) past ``limit`` bytes."""
    encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj(zlib.MAX_WBITS)
    elif encoding in ("identity", ""):
        decoder = None
    else:
        raise _Refused(f"unsupported Content-Encoding {encoding[:40]!r}")
    declared = resp.headers.get("Content-Length", "")
    if decoder is None and declared.isdigit() and int(declared) > limit and not truncate:
        raise _Refused(
            f"body of {int(declared)} bytes is larger than OILSHOCK_HTTP_MAX_BYTES={config.max_bytes}"
        )
    parts, total = [], 0
    for chunk in resp.iter_raw():  # no chunk_size: httpx would buffer up to it, past the deadline
        if time.monotonic() > end:
            raise _Retryable(
                f"body still arriving after the request deadline of {config.request_deadline:g} s"
            )
        data = chunk
        while data:
            if decoder is None:
                out, data = data, b""
            else:
                try:
                    out = decoder.decompress(data, limit - total + 1)
                except zlib.error as exc:
                    raise _Refused(f"body is not valid {encoding} ({exc})") from None
                data = decoder.unconsumed_tail
            total += len(out)
            parts.append(out)
            if total > limit:
                if truncate:
                    return b"".join(parts)[:limit]
                raise _Refused(
                    f"body larger than OILSHOCK_HTTP_MAX_BYTES={config.max_bytes} bytes"
                    + (" once decompressed" if decoder is not None else "")
                )
    if decoder is not None and not decoder.eof and not truncate:
        raise _Retryable(f"{encoding} body cut short")
    return b"".join(parts)
