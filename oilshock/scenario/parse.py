"""A scenario's content: the :class:`Scenario` it becomes, the keys and ranges allowed, and the checks.

:func:`scenario_from_dict` turns the document a scenario's TOML parses to (or a
what-if's options) into a :class:`Scenario`, checking every key and value; the
file format itself and where scenarios come from (files, presets, what-if
options) are in :mod:`oilshock.scenario.spec`.

Every mistake raises :class:`ScenarioError` (exit code 2) naming the source and
the key, with the closest valid key for a typo.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from oilshock.errors import ScenarioError

TOP_KEYS = (
    "name",
    "title",
    "description",
    "as_of",
    "horizon_weeks",
    "disruptions",
    "response",
    "citation",
    "actual",
    "observed",
)
OBSERVED = "observed"
EVERY_CHOKEPOINT = "*"
DISRUPTION_KEYS = (
    "chokepoint",
    "share",
    "lost_mbd",
    "start",
    "duration_days",
    "recovery_days",
    "citation",
    "note",
)
RESPONSE_KEYS = {
    "bypass": "use unused bypass pipeline capacity (bool; default true)",
    "bypass_mbd": "unused bypass capacity [mb/d]; default: the bypass_routes estimates for the chokepoint",
    "stock_release_mbd": "emergency stock release rate [mb/d]; default: from oil_buffers",
    "stock_release_delay_days": "days from the start until released oil reaches the market; default: from oil_buffers",
    "stock_release_days": "how long releases last [days]; default: the disruption's length",
    "spare_capacity_mbd": "spare production brought on that is not stranded behind the chokepoint [mb/d]",
    "spare_delay_days": "days until spare capacity arrives",
}
HORIZON_RANGE = (4, 156)

# Plausible ranges, checked at load (docs/reliability.md (part 2) lists them). Every number is finite.
DAYS_RANGE = (
    0.0,
    1095.0,
)  # [days] durations, recoveries and delays: up to three years, the longest horizon
RATE_RANGE_MBD = (
    0.0,
    120.0,
)  # [mb/d] losses and offsets: no rate above world oil supply (about 100 mb/d) is plausible
DATE_RANGE = (
    dt.date(1900, 1, 1),
    dt.date(2199, 12, 31),
)  # as_of, start, --as-of: date arithmetic stays in range
NAME_PATTERN = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
)  # safe in a file name, an HTML id and a CSS selector
MAX_DISRUPTIONS = 100
MAX_TEXT_CHARS = 10_000  # any string; a title at most 200
# C0/C1 control characters and the Unicode line/paragraph separators; tab and newline only in free text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


Range = tuple[float, float]


@dataclass(frozen=True)
class Disruption:
    """One disrupted flow. Ranges are ``(low, high)``; a point value has ``low == high``."""

    chokepoint: str | None
    share: Range | str | None  # a range, or "observed"
    lost_mbd: Range | None
    start: dt.date | None
    duration_days: Range
    recovery_days: Range = (0.0, 0.0)
    citation: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Scenario:
    """A parsed, shape-checked scenario."""

    name: str
    title: str
    disruptions: tuple[Disruption, ...]
    as_of: dt.date | None = None
    horizon_weeks: int = 26
    response: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    citation: str | None = None
    actual: dict[str, Any] = field(default_factory=dict)
    source: str = "<scenario>"
    observed: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (dates as ISO strings, ranges as lists)."""

        def rng(r):
            if r is None or isinstance(r, str):
                return r
            return r[0] if r[0] == r[1] else list(r)

        return {
            "name": self.name,
            "title": self.title,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "horizon_weeks": self.horizon_weeks,
            "disruptions": [
                {
                    "chokepoint": d.chokepoint,
                    "share": rng(d.share),
                    "lost_mbd": rng(d.lost_mbd),
                    "start": d.start.isoformat() if d.start else None,
                    "duration_days": rng(d.duration_days),
                    "recovery_days": rng(d.recovery_days),
                    "citation": d.citation,
                }
                for d in self.disruptions
            ],
            "response": dict(self.response),
            "observed": dict(self.observed),
        }


def check_date(value: dt.date, what: str = "") -> dt.date:
    """``value`` if it lies in :data:`DATE_RANGE`, else a :class:`ScenarioError` (naming ``what`` if given).

    The one date check at the CLI/scenario boundary (``as_of``, ``start``, ``--as-of``):
    dates far from the data would overflow date arithmetic deep inside.
    """
    lo, hi = DATE_RANGE
    if not lo <= value <= hi:
        raise ScenarioError(
            f"{what + ': ' if what else ''}{value.isoformat()} lies outside {lo.isoformat()}..{hi.isoformat()}"
        )
    return value


# A scenario is at most four levels deep (actual.<series>.<key>[i]); far deeper is hostile.
MAX_DEPTH = 32


def nesting_depth(doc: Any) -> int:
    """How deeply tables and arrays nest in ``doc`` (0 for a scalar), counted without recursion."""
    deepest, stack = 0, [(doc, 0)]
    while stack:
        v, depth = stack.pop()
        children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_DEPTH:
            return deepest  # enough to refuse; the rest need not be walked
        stack.extend((c, depth + 1) for c in children)
    return deepest


def scenario_from_dict(
    raw: dict,
    source: str = "<scenario>",
    default_name: str = "scenario",
    key_names: dict | None = None,
) -> Scenario:
    """Check a scenario given as the dict its TOML parses to; ``key_names`` renames keys in
    messages (e.g. to options)."""
    # Dotted keys (a.a.a… = 1) nest without recursion in the TOML parser, but every later
    # walk of the document would recurse: the depth is bounded before any check runs.
    if nesting_depth(raw) > MAX_DEPTH:
        raise ScenarioError(f"{source}: nested more than {MAX_DEPTH} levels deep")

    def fail(key: str, msg: str) -> ScenarioError:
        # One line, whatever the file holds: keys may be any string; values are shown by repr, cut short.
        key = key if key.isprintable() and len(key) <= 100 else ascii(key[:100])[1:-1]
        where = f"{key_names[key]}" if key_names and key in key_names else f"key '{key}'"
        return ScenarioError(f"{source}: {where}: {msg if len(msg) <= 200 else msg[:200] + '…'}")

    _no_unknown(raw, TOP_KEYS, "", fail)
    _check_values(raw, "", fail)
    as_of = _date(raw.get("as_of"), "as_of", fail)
    horizon = raw.get("horizon_weeks", 26)
    if (
        not isinstance(horizon, int)
        or isinstance(horizon, bool)
        or not HORIZON_RANGE[0] <= horizon <= HORIZON_RANGE[1]
    ):
        raise fail(
            "horizon_weeks",
            f"must be a whole number of weeks in {HORIZON_RANGE[0]}..{HORIZON_RANGE[1]}, got {horizon!r}",
        )
    items = raw.get("disruptions")
    if not items or not isinstance(items, list):
        raise fail("disruptions", "give at least one [[disruptions]] table")
    if len(items) > MAX_DISRUPTIONS:
        raise fail("disruptions", f"at most {MAX_DISRUPTIONS} disruptions, got {len(items)}")
    disruptions = tuple(_parse_disruption(d, i, fail) for i, d in enumerate(items))
    response = raw.get("response", {})
    if not isinstance(response, dict):
        raise fail("response", "must be a table")
    _no_unknown(response, tuple(RESPONSE_KEYS), "response.", fail)
    for k, v in response.items():
        if k == "bypass":
            if not isinstance(v, bool):
                raise fail("response.bypass", "must be true or false")
        elif not _is_num(v) or v < 0:
            raise fail(f"response.{k}", f"must be a number >= 0, got {v!r}")
        else:
            lo, hi = RATE_RANGE_MBD if k.endswith("_mbd") else DAYS_RANGE
            if v > hi:
                raise fail(f"response.{k}", f"must lie in {lo:g}..{hi:g}, got {v!r}")
    for key in ("name", "title", "description", "citation"):
        if key in raw and not isinstance(raw[key], str):
            raise fail(key, "must be a string")
    name = raw.get("name", default_name)
    if not NAME_PATTERN.fullmatch(name):
        what = (
            f"got {name[:80]!r}"
            if "name" in raw
            else f'the default, the file\'s name {name[:80]!r}, is not; set name = "..."'
        )
        raise fail(
            "name",
            f"must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit; {what}",
        )
    if "title" in raw and (len(raw["title"]) > 200 or _CONTROL_OR_NEWLINE.search(raw["title"])):
        raise fail("title", "must be one line of at most 200 characters")
    actual = raw.get("actual", {})
    if not isinstance(actual, dict):
        raise fail("actual", "must be a table")
    observed = raw.get("observed", {})
    if not isinstance(observed, dict):
        raise fail("observed", "must be a table of chokepoint = share of normal flow stopped now")
    for k, v in observed.items():
        if not _is_num(v) or not 0.0 <= v <= 1.0:
            raise fail(
                f"observed.{k}", f"must be a share of normal flow stopped now, 0..1, got {v!r}"
            )
    return Scenario(
        name=name,
        title=raw.get("title", name),
        disruptions=disruptions,
        as_of=as_of,
        horizon_weeks=horizon,
        response=dict(response),
        description=raw.get("description", "").strip(),
        citation=raw.get("citation"),
        actual=dict(actual),
        source=source,
        observed={k: float(v) for k, v in observed.items()},
    )


def _parse_disruption(d: Any, i: int, fail) -> Disruption:
    p = f"disruptions[{i}]."
    if not isinstance(d, dict):
        raise fail(p[:-1], "must be a table")
    _no_unknown(d, DISRUPTION_KEYS, p, fail)
    has_cp, has_lost = "chokepoint" in d, "lost_mbd" in d
    if has_cp == has_lost:
        raise fail(
            p + "chokepoint", "give either chokepoint (with share) or lost_mbd, not both or neither"
        )
    share = lost = None
    if has_cp:
        if not isinstance(d["chokepoint"], str):
            raise fail(p + "chokepoint", "must be a chokepoint id string")
        if "share" not in d:
            raise fail(p + "share", "missing: the fraction of the chokepoint's flow stopped, 0..1")
        if d["share"] == OBSERVED:
            share = OBSERVED
            if "start" in d:
                raise fail(
                    p + "start",
                    'not with share = "observed": the disruption under way started at its detected onset',
                )
        else:
            if d["chokepoint"] == EVERY_CHOKEPOINT:
                raise fail(p + "share", 'chokepoint = "*" takes share = "observed" only')
            share = _range(d["share"], p + "share", fail, lo=0.0, hi=1.0)
    else:
        if "share" in d:
            raise fail(p + "share", "only with chokepoint; lost_mbd is already a volume")
        lost = _range(
            d["lost_mbd"], p + "lost_mbd", fail, lo=RATE_RANGE_MBD[0], hi=RATE_RANGE_MBD[1]
        )
    if "duration_days" not in d:
        raise fail(
            p + "duration_days", "missing: how many days the disruption lasts at full strength"
        )
    duration = _range(
        d["duration_days"],
        p + "duration_days",
        fail,
        lo=0.0 if share == OBSERVED else 1.0,
        hi=DAYS_RANGE[1],
    )
    recovery = _range(
        d.get("recovery_days", 0), p + "recovery_days", fail, lo=DAYS_RANGE[0], hi=DAYS_RANGE[1]
    )
    start = _date(d.get("start"), p + "start", fail)
    for k in ("citation", "note"):
        if k in d and not isinstance(d[k], str):
            raise fail(p + k, "must be a string")
    return Disruption(
        chokepoint=d.get("chokepoint"),
        share=share,
        lost_mbd=lost,
        start=start,
        duration_days=duration,
        recovery_days=recovery,
        citation=d.get("citation"),
        note=d.get("note"),
    )


def _date(v: Any, key: str, fail) -> dt.date | None:
    if v is None:
        return None
    if not (isinstance(v, dt.date) and not isinstance(v, dt.datetime)):
        raise fail(key, f"must be a date like 2026-03-01, got {v!r}")
    try:
        return check_date(v)
    except ScenarioError as exc:
        raise fail(key, str(exc)) from None


def _check_values(v: Any, key: str, fail) -> None:
    """Every number finite, every string free of control characters and not huge, anywhere in the file."""
    if isinstance(v, float) and not math.isfinite(v):
        raise fail(key, f"must be a finite number, got {v!r}")
    if isinstance(v, str):
        # Free text may span lines; names, ids and dates may not.
        bad = (
            _CONTROL
            if key.rsplit(".", 1)[-1] in ("description", "citation", "note")
            else _CONTROL_OR_NEWLINE
        ).search(v)
        if bad:
            raise fail(key, f"contains the control character U+{ord(bad.group()):04X}")
        if len(v) > MAX_TEXT_CHARS:
            raise fail(key, f"longer than {MAX_TEXT_CHARS:,} characters")
    elif isinstance(v, dict):
        for k, x in v.items():
            _check_values(x, f"{key}.{k}" if key else k, fail)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            _check_values(x, f"{key}[{i}]", fail)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _range(v: Any, key: str, fail, lo: float, hi: float) -> Range:
    if isinstance(v, list):
        if len(v) != 2 or not all(_is_num(x) for x in v):
            raise fail(key, f"a range is a list of two numbers [low, high], got {v!r}")
        a, b = float(v[0]), float(v[1])
        if a > b:
            raise fail(key, f"range [low, high] has low > high: {v!r}")
    elif _is_num(v):
        a = b = float(v)
    else:
        raise fail(key, f"must be a number or [low, high], got {v!r}")
    if a < lo or b > hi:
        raise fail(key, f"must lie in {lo:g}..{hi:g}, got {v!r}")
    return (a, b)


def _no_unknown(table: dict, allowed: tuple[str, ...], prefix: str, fail) -> None:
    for k in table:
        if k not in allowed:
            close = difflib.get_close_matches(k, allowed, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
            raise fail(prefix + k, f"unknown key{hint}")
