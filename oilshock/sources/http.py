"""One HTTP fetch helper for every live source: timeouts, retries, clear errors, no leaked keys.

:func:`fetch` returns the whole response body or raises
:class:`~oilshock.errors.SourceError` naming the source, the URL (without any
secret) and why; it never returns a partial body. Retried: HTTP 429 and 5xx,
timeouts and transport errors (refused connection, a body cut short), with
exponential backoff, honouring ``Retry-After``. Not retried: other 4xx (a
wrong key or a bad query does not heal by waiting).

Configuration (environment variables, read at each call so tests and cron
jobs can set them):

=========================  ==========================================  =========
variable                   meaning                                     default
=========================  ==========================================  =========
``OILSHOCK_EIA_API_URL``   EIA API v2 base URL                         ``https://api.eia.gov/v2/``
``OILSHOCK_FRED_URL``      FRED graph CSV URL                          ``https://fred.stlouisfed.org/graph/fredgraph.csv``
``OILSHOCK_PORTWATCH_URL`` PortWatch ArcGIS ``query`` URL              the IMF service
``OILSHOCK_HTTP_TIMEOUT``  seconds per request (connect and read)      30
``OILSHOCK_HTTP_RETRIES``  retries after the first attempt             4
``OILSHOCK_HTTP_BACKOFF``  first backoff in seconds, doubled each try  1
``OILSHOCK_HTTP_MAX_WAIT`` longest single wait, Retry-After included   120
=========================  ==========================================  =========

Secrets (the EIA API key) are passed in ``secrets``: they are removed from
every message this module produces, exceptions are raised ``from None`` so
httpx's own (which carry the full URL) are not chained, and a logging filter
scrubs them from httpx's request log lines.
"""

from __future__ import annotations

import email.utils
import logging
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oilshock.errors import SourceError

# Tests replace this to record waits instead of sleeping.
_sleep = time.sleep


@dataclass(frozen=True)
class HttpConfig:
    """Timeouts and retry policy of :func:`fetch` (see the module docstring)."""

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 120.0

    @classmethod
    def from_env(cls) -> HttpConfig:
        """The configuration from ``OILSHOCK_HTTP_*``; a malformed value is an error, not a default."""

        def num(name: str, default: float, kind=float):
            raw = os.environ.get(name)
            if raw is None or raw == "":
                return default
            try:
                value = kind(raw)
            except ValueError:
                raise SourceError(f"{name}={raw!r} is not a {kind.__name__}") from None
            if value < 0:
                raise SourceError(f"{name}={raw!r} must not be negative")
            return value

        return cls(
            timeout=num("OILSHOCK_HTTP_TIMEOUT", cls.timeout),
            retries=num("OILSHOCK_HTTP_RETRIES", cls.retries, int),
            backoff=num("OILSHOCK_HTTP_BACKOFF", cls.backoff),
            max_wait=num("OILSHOCK_HTTP_MAX_WAIT", cls.max_wait),
        )


def base_url(env: str, default: str) -> str:
    """``$env`` if set, else ``default`` (lets tests point a source at 127.0.0.1)."""
    return os.environ.get(env) or default


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value replaced by ``***``."""
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return text


def display_url(url: str, params: Sequence[tuple[str, str]] | dict | None, secret_params: Iterable[str] = ()) -> str:
    """The URL as it may be shown: query parameters named in ``secret_params`` are left out."""
    import httpx

    hidden = {p.lower() for p in secret_params}
    items = params.items() if isinstance(params, dict) else (params or [])
    shown = [(k, v) for k, v in items if k.lower() not in hidden]
    return str(httpx.URL(url, params=shown))


class _ScrubSecrets(logging.Filter):
    """Removes secrets from httpx's "HTTP Request: GET <url>" log lines."""

    def __init__(self, secrets: Sequence[str]):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg = redact(record.getMessage(), self.secrets)
            record.args = None
        return True


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
    shown = display_url(url, params, secret_params)
    where = f"{source}: {shown}"
    scrub = _ScrubSecrets(secrets)
    loggers = [logging.getLogger(n) for n in ("httpx", "httpcore")]
    for lg in loggers:
        lg.addFilter(scrub)
    own = client is None
    client = client or httpx.Client(follow_redirects=True)
    try:
        attempts = config.retries + 1
        for attempt in range(attempts):
            wait = None
            try:
                resp = client.get(url, params=params, timeout=config.timeout)
            except httpx.TimeoutException as exc:
                why = f"timed out after {config.timeout:g} s ({type(exc).__name__})"
            except httpx.TransportError as exc:
                # str(exc) may carry the URL with its key: only the redacted text is kept.
                why = f"connection failed ({type(exc).__name__}: {redact(str(exc), secrets)})"
            else:
                status = resp.status_code
                if status < 400:
                    return resp.content, shown
                snippet = redact(resp.text[:300].strip().replace("\n", " "), secrets)
                if status != 429 and status < 500:
                    raise SourceError(f"{where}: HTTP {status} ({resp.reason_phrase}); not retried: {snippet}")
                why = f"HTTP {status} ({'rate limited' if status == 429 else resp.reason_phrase})" + (
                    f": {snippet}" if snippet else ""
                )
                wait = _retry_after(resp.headers.get("Retry-After"))
                if wait is not None and wait > config.max_wait:
                    raise SourceError(
                        f"{where}: {why}; the server asks to retry after {wait:g} s, longer than "
                        f"OILSHOCK_HTTP_MAX_WAIT={config.max_wait:g} s; try again later"
                    )
            if attempt == attempts - 1:
                raise SourceError(f"{where}: {why}; gave up after {attempts} attempt(s)")
            if wait is None:
                wait = min(config.backoff * 2**attempt, config.max_wait)
            _sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
    finally:
        for lg in loggers:
            lg.removeFilter(scrub)
        if own:
            client.close()
