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


# --------------------------------------------------------------------------- signs and words
#
# One rule for every sentence that reports a change: the words follow the printed sign. A rise is
# a rise, a fall a fall ("saves $84", never "−$84 more"); "peak" is kept for a rise; a value that
# rounds to zero is printed as 0, without a sign. Negative numbers carry a true minus sign (−).

MINUS = "−"


def num(x: float, digits: int = 0, *, sign: bool = False) -> str:
    """``x`` with ``digits`` decimals, a true minus, ``+`` when ``sign``; zero (as printed) unsigned."""
    r = round(x, digits)
    body = f"{abs(r):,.{digits}f}"
    if r == 0:
        return body
    return (MINUS if r < 0 else "+" if sign else "") + body


def pct(x: float, digits: int = 0, *, sign: bool = True) -> str:
    """``+4%`` / ``−4.2%`` / ``0%``."""
    return num(x, digits, sign=sign) + "%"


def money(x: float, digits: int = 2, *, sign: bool = False) -> str:
    """``$3.41`` / ``−$1.20`` / ``+$0.47`` (with ``sign``): the sign before the dollar sign."""
    r = round(x, digits)
    body = f"${abs(r):,.{digits}f}"
    if r == 0:
        return body
    return (MINUS if r < 0 else "+" if sign else "") + body


def direction(x: float | None, digits: int = 2) -> str:
    """``"rise"``, ``"fall"`` or ``"flat"``: the sign of ``x`` as printed with ``digits`` decimals."""
    if x is None:
        return "flat"
    r = round(x, digits)
    return "rise" if r > 0 else "fall" if r < 0 else "flat"


def by_sign(x: float | None, rise: str, fall: str, flat: str | None = None, digits: int = 2) -> str:
    """The word for ``x``'s printed sign: ``rise``, ``fall`` or ``flat`` (default: ``rise``)."""
    return {"rise": rise, "fall": fall, "flat": rise if flat is None else flat}[
        direction(x, digits)
    ]


def spend(x: float, digits: int = 0, *, verb: str = "spend") -> str:
    """What an extra cost reads as: ``spend about $84 more`` / ``save about $84`` / ``spend about
    the same``; ``verb="pays"`` gives ``pays $84 more`` / ``saves $84`` / ``pays about the same``."""
    amount = money(abs(x), digits)
    d = direction(x, digits)
    if verb == "pays":
        return {"rise": f"pays {amount} more", "fall": f"saves {amount}"}.get(
            d, "pays about the same"
        )
    return {"rise": f"spend about {amount} more", "fall": f"save about {amount}"}.get(
        d, "spend about the same"
    )


def extreme(x: float | None, digits: int = 2) -> str:
    """The name of a path's turning point for a change ``x``: ``peak`` for a rise, ``low`` for a fall."""
    return by_sign(x, "peak", "low", "peak", digits)


def day(iso: str) -> str:
    """``2026-08-18`` → ``18 Aug 2026``: a date a reader cannot misread."""
    import datetime as dt

    d = dt.date.fromisoformat(str(iso)[:10])
    return f"{d.day} {d:%b %Y}"
