"""Keeping secrets out of everything the live sources print: messages, excerpts, URLs, log lines.

Secrets (the EIA API key, the password of a source URL) are passed in
``secrets``: every encoding of them (raw, percent-, plus- or
double-percent-encoded, JSON-escaped, HTML entities, base64), any
``api_key=`` value and the userinfo of every URL are removed by :func:`redact`;
server bodies appear only as a short redacted excerpt with control characters
escaped (:func:`excerpt`), and a logging filter scrubs httpx's and httpcore's
log lines (:class:`_ScrubSecrets` on :data:`_LOGGERS`). :mod:`oilshock.sources.http`
applies them to every message it produces.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, quote_plus

from oilshock.text import strip_userinfo

# Characters of a server's text shown in a message.
EXCERPT_CHARS = 200


def _variants(secret: str) -> list[str]:
    """Every encoding in which ``secret`` may appear in a URL, a JSON echo or a log line."""
    out = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    for safe in ("", "/", "/:@"):
        for enc in (quote(secret, safe=safe), quote_plus(secret, safe=safe)):
            out |= {enc, re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), enc)}
    try:
        import httpx

        out.add(str(httpx.QueryParams({"k": secret}))[2:])
    except ImportError:  # pragma: no cover - httpx is a dependency
        pass
    return sorted((v for v in out if v), key=len, reverse=True)


# A key shorter than this is masked only where it stands alone (not inside a word), so a
# one-letter key cannot mask every occurrence of that letter in the message.
MIN_SECRET_ANYWHERE = 8


def _char_pattern(c: str) -> str:
    """A regex matching ``c`` raw or in any single or double encoding a server may echo it in."""
    code = ord(c)
    alts = {re.escape(c)}
    if code < 0x80:
        hexa = f"{code:02x}"
        # %XX and double-encoded %25XX (either case of the hex digits)
        alts.add(f"%(?:25)?(?i:{hexa})")
    else:
        alts.add("".join(f"%(?:25)?(?i:{byte:02x})" for byte in c.encode("utf-8")))
    # HTML entities, decimal or hexadecimal, leading zeros allowed; JSON's \uXXXX
    alts.add(f"&#0*{code};")
    alts.add(f"&#[xX]0*(?i:{code:x});")
    if code <= 0xFFFF:
        alts.add(f"\\\\u(?i:{code:04x})")
    named = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos"}
    if c in named:
        alts.add(f"&{named[c]};")
    if c == " ":
        alts.add(r"\+")
    if c in '\\"/':
        alts.add(re.escape("\\" + c))
    return "(?:" + "|".join(sorted(alts, key=len, reverse=True)) + ")"


def _base64_cores(secret: str) -> set[str]:
    """The base64 text that encodes ``secret`` wherever it sits in an encoded string.

    Base64 works in 3-byte groups, so the same key encodes differently at each of
    the three offsets (``user:key`` in a Basic header puts it at any of them). At each
    offset only the characters carrying the key's bits alone are kept: they appear
    in any encoding that holds the key at that offset.
    """
    raw = secret.encode("utf-8")
    out = {base64.b64encode(raw).decode(), base64.b64encode(raw).decode().rstrip("=")}
    for k in range(3):
        enc = base64.b64encode(b"\0" * k + raw).decode()
        start = -(-8 * k // 6)
        end = 8 * (k + len(raw)) // 6
        out.add(enc[start:end])
    out |= {v.replace("+", "-").replace("/", "_") for v in out}
    return {v for v in out if v}


def _secret_pattern(secret: str) -> re.Pattern:
    """One regex for ``secret`` in every encoding :func:`redact` masks."""
    alts = [re.escape(v) for v in _variants(secret)]
    alts.append("".join(_char_pattern(c) for c in secret))
    if len(secret) >= MIN_SECRET_ANYWHERE:
        # Each offset's core is at least 10 characters here: no chance match in plain text.
        alts += [re.escape(v) for v in sorted(_base64_cores(secret), key=len, reverse=True)]
        return re.compile("|".join(alts))
    whole = base64.b64encode(secret.encode("utf-8")).decode()
    alts += [re.escape(whole), re.escape(whole.rstrip("="))]
    # Whole keys only: not preceded or followed by a letter, digit or base64 character.
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(alts) + r")(?![A-Za-z0-9])")


# A value after api_key= (query string) or "api_key": (JSON), whatever its encoding.
_KEY_PARAM = re.compile(
    r"""((?:api[_-]?key|apikey)(?:=|%3D|"?\s*:\s*"?))[^&\s"'<>,}]+""", re.IGNORECASE
)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret masked and the userinfo of every URL removed.

    Parameters
    ----------
    text : str
        A message, a log line or a server's body.
    secrets : iterable of str
        Keys and passwords. Each is masked as ``***`` raw, percent-, plus- or
        double-percent-encoded, JSON-escaped, as HTML entities and base64-encoded
        (at any alignment). A secret shorter than :data:`MIN_SECRET_ANYWHERE`
        characters is masked only where it stands alone, never inside a word.

    Returns
    -------
    str
        The text, with every ``api_key`` value masked too.
    """
    for s in secrets:
        if s:
            text = _secret_pattern(s).sub("***", text)
    return strip_userinfo(_KEY_PARAM.sub(r"\1***", text))


def url_secrets(url: str) -> list[str]:
    """The user name and password in ``url``'s userinfo (each percent-decoded), to be masked."""
    import httpx

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        return []
    return [s for s in (parsed.password, parsed.username) if s]


def excerpt(text: str, secrets: Iterable[str] = (), limit: int = EXCERPT_CHARS) -> str:
    """A short, redacted, single-line excerpt of a server's text (control characters escaped)."""
    # Redacted before it is cut, so a key straddling the cut cannot leak its first half.
    text = redact(text, secrets)
    text = "".join(
        c if c.isprintable() else (" " if c in "\n\r\t" else f"\\x{ord(c):02x}")
        for c in text[: limit * 4]
    )
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def display_url(
    url: str, params: Sequence[tuple[str, str]] | dict | None, secret_params: Iterable[str] = ()
) -> str:
    """The URL as it may be shown: no userinfo, and query parameters named in ``secret_params`` left out."""
    import httpx

    hidden = {p.lower() for p in secret_params}
    items = params.items() if isinstance(params, dict) else (params or [])
    shown = [(k, v) for k, v in items if k.lower() not in hidden]
    # userinfo (user:password@) is a credential too: never shown.
    return strip_userinfo(str(httpx.URL(url, params=shown)))


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


# Filters do not propagate to child loggers: each one that may log a URL gets it.
_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
)
