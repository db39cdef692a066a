"""Plain text for a terminal: every printed line within :data:`WIDTH` columns.

Tables are laid out to fit; sentences longer than the width are wrapped at word
boundaries, continuation lines indented two spaces deeper than the line they
continue, so a wrapped line still reads as one item.
"""

from __future__ import annotations

import re
import textwrap

WIDTH = 100


def fit(text: str | list[str], width: int = WIDTH) -> str:
    """``text`` (a string or its lines) with every line at most ``width`` characters.

    A single word longer than ``width`` (a URL, a path) is left whole rather than broken.
    """
    out: list[str] = []
    for line in text.splitlines() if isinstance(text, str) else text:
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.extend(
            textwrap.wrap(
                line,
                width=width,
                subsequent_indent=indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def usd(x: float, digits: int = 0) -> str:
    """``$1,234`` or ``-$23`` [USD]: the sign before the dollar sign."""
    r = round(x, digits)
    return f"-${-r:,.{digits}f}" if r < 0 else f"${r:,.{digits}f}"


# scheme://userinfo@ — the userinfo ends at the first "/", "?", "#" or blank after the scheme, so
# an "@" in a path or query is left alone.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#\s@]*@")


def strip_userinfo(text: str) -> str:
    """``text`` with the ``user:password@`` part of every URL in it removed.

    Parameters
    ----------
    text : str
        A URL, or any text holding URLs (an error message, a log line).

    Returns
    -------
    str
        The same text; ``http://admin:pw@host/q`` becomes ``http://host/q``.

    Notes
    -----
    A source URL may carry credentials (``OILSHOCK_*_URL`` pointing at a mirror);
    they must never reach a message, a progress line or the manifest.
    """
    return _USERINFO.sub(r"\1", text)
