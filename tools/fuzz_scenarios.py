"""Fuzz the scenario boundary: random hostile scenario files and options through the CLI, in process.

Each case starts from a valid scenario (random chokepoint or volume, shares, ranges,
durations, offsets, a known as-of date, a unicode title with HTML in it) and applies
zero to three mutations. A mutation is labelled

* ``bad``: the input breaks a documented rule and must be refused (exit 2, one line);
* ``ok``: the input stays valid (odd but allowed text, extreme but legal values);
* ``maybe``: the outcome depends on data or on rules owned elsewhere (a truncated file
  that may still parse, an as-of date after the newest data, a start before as_of),
  so either answer is accepted.

The case runs one command through click's CliRunner (``estimate --format json``,
``election --format json``, ``scenarios show``, ``chart`` to .json/.html/.svg, ``brief``
to .html/.md) and is checked for:

* a traceback: any exception other than ``SystemExit``, or an exit code outside 0/1/2;
* a wrong success: exit 0 although a ``bad`` mutation was applied;
* a bad refusal: more or less than one ``Error`` line, or an output file (or a temporary
  beside it) left behind;
* a bad success: JSON output holding NaN or Infinity, a chart or brief file missing or
  empty, an HTML file with a raw ``</script><script`` from the title.

Usage (from the repository root, in the project's virtual environment)::

    python tools/fuzz_scenarios.py --cases 1000 --seed 1 [--splits 50] [--report fuzz.json]

``--splits N`` adds N split pairs, estimated through the library: one disruption against
the same loss in adjacent, overlapping or simultaneous pieces (same seed); the gasoline
peak's p05/p50/p95 must agree within $0.005/gal.

Exit status 0 when no case failed a check, 1 otherwise. The estimates use a throw-away
parameter cache, so the user's cache is not touched. Results are in
docs/reliability.md (part 2).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import math
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

CHOKEPOINTS = [
    "hormuz",
    "bab_el_mandeb",
    "suez",
    "malacca",
    "cape_of_good_hope",
    "bosporus",
    "panama",
    "danish_straits",
]
AS_OFS = [
    None,
    dt.date(2026, 2, 27),
    dt.date(2022, 2, 23),
    dt.date(2011, 2, 15),
]  # few dates: each is one fit
NUMERIC = {
    "share": ("d", 0.0, 1.0),
    "lost_mbd": ("d", 0.0, 120.0),
    "duration_days": ("d", 1.0, 1095.0),
    "recovery_days": ("d", 0.0, 1095.0),
    "bypass_mbd": ("r", 0.0, 120.0),
    "stock_release_mbd": ("r", 0.0, 120.0),
    "stock_release_delay_days": ("r", 0.0, 1095.0),
    "stock_release_days": ("r", 0.0, 1095.0),
    "spare_capacity_mbd": ("r", 0.0, 120.0),
    "spare_delay_days": ("r", 0.0, 1095.0),
}
HOSTILE_TEXT = [
    'x"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "[click](javascript:alert(1))",
    "&amp; &lt; ' \" ` | * _ # $ { } \\",
    "Ünïcödé – 中文 – العربية – 🛢️",
    "\u202eevil",  # right-to-left override: printable format character, allowed in a title
    "a" * 199,
]
CONTROL = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\n", "\r", "\t"]
UNSAFE_NAMES = [
    'x"><img src=x>',
    "../../etc/passwd",
    "a b",
    "",
    "-lead",
    ".hidden",
    "a" * 65,
    "é",
    "a/b",
    "a\\b",
    "con:1",
]


# --------------------------------------------------------------------------- TOML text


class Raw(str):
    """TOML text inserted as is (deep nesting, built without recursion)."""


def toml_value(v) -> str:
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return (
            "{" + ", ".join(f"{toml_string(str(k))} = {toml_value(x)}" for k, x in v.items()) + "}"
        )
    raise TypeError(type(v))


def toml_string(v: str) -> str:
    """A TOML basic string: JSON's escapes, with U+007F escaped too (TOML forbids it raw)."""
    return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_doc(doc: dict) -> str:
    lines = [
        f"{toml_string(k)} = {toml_value(v)}"
        for k, v in doc.items()
        if k not in ("disruptions", "response")
    ]
    if "response" in doc:
        r = doc["response"]
        lines += (
            ["[response]", *(f"{toml_string(k)} = {toml_value(v)}" for k, v in r.items())]
            if isinstance(r, dict)
            else [f"response = {toml_value(r)}"]
        )
        if not isinstance(r, dict):
            lines.insert(
                0, lines.pop()
            )  # a plain key after a table header would belong to the table
    ds = doc.get("disruptions")
    if isinstance(ds, list) and ds and all(isinstance(d, dict) for d in ds):
        for d in ds:
            lines += [
                "[[disruptions]]",
                *(f"{toml_string(k)} = {toml_value(v)}" for k, v in d.items()),
            ]
    elif ds is not None:
        lines.insert(0, f"disruptions = {toml_value(ds)}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- generation


def garbage(rng: random.Random, depth: int = 0):
    """A value of a random type: the wrong type for almost any key."""
    kinds = ["str", "bool", "int", "float", "date", "datetime", "list", "table", "hugeint"]
    k = rng.choice(kinds if depth < 3 else kinds[:6])
    if k == "str":
        return rng.choice(["", "12", "nan", "yes", "hormuz", "0.5", rng.choice(HOSTILE_TEXT)])
    if k == "bool":
        return rng.random() < 0.5
    if k == "int":
        return rng.randint(-10, 10)
    if k == "hugeint":
        return rng.choice([2**63 - 1, -(2**63), 10**18])
    if k == "float":
        return rng.choice([math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0])
    if k == "date":
        return dt.date(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28))
    if k == "datetime":
        return dt.datetime(2026, 3, 1, 12, 0)
    if k == "list":
        return [garbage(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {
        rng.choice(["a", "share", "x y", "ü"]): garbage(rng, depth + 1)
        for _ in range(rng.randint(0, 2))
    }


def valid_number(rng: random.Random, lo: float, hi: float, *, ranged: bool):
    if ranged and rng.random() < 0.3:
        a, b = sorted(rng.uniform(lo, hi) for _ in range(2))
        return [round(a, 3), round(b, 3)]
    x = rng.uniform(lo, hi)
    return round(x) if rng.random() < 0.3 else round(x, 3)


def base_doc(rng: random.Random) -> dict:
    doc: dict = {}
    if rng.random() < 0.7:
        doc["name"] = rng.choice(["case", "my-case", "A_1.b", "x" * 64, "2026-hormuz", "z9"])
    if rng.random() < 0.6:
        doc["title"] = rng.choice(HOSTILE_TEXT)
    as_of = rng.choice(AS_OFS)
    if as_of:
        doc["as_of"] = as_of
    if rng.random() < 0.5:
        doc["horizon_weeks"] = rng.randint(4, 156)
    ds = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        d: dict = {}
        if rng.random() < 0.75:
            d["chokepoint"] = rng.choice(CHOKEPOINTS)
            d["share"] = valid_number(rng, 0.0, 1.0, ranged=True)
        else:
            d["lost_mbd"] = valid_number(rng, 0.0, 15.0, ranged=True)
        d["duration_days"] = valid_number(rng, 1.0, 400.0, ranged=True)
        if rng.random() < 0.4:
            d["recovery_days"] = valid_number(rng, 0.0, 200.0, ranged=True)
        if rng.random() < 0.2 and as_of:
            d["start"] = as_of + dt.timedelta(days=rng.randint(0, 60))
        if rng.random() < 0.2:
            d["note"] = rng.choice(HOSTILE_TEXT) + "\nsecond line"
        ds.append(d)
    doc["disruptions"] = ds
    if rng.random() < 0.5:
        r = {}
        if rng.random() < 0.5:
            r["bypass"] = rng.random() < 0.5
        for k in (
            "bypass_mbd",
            "stock_release_mbd",
            "stock_release_delay_days",
            "stock_release_days",
            "spare_capacity_mbd",
            "spare_delay_days",
        ):
            if rng.random() < 0.25:
                _, lo, hi = NUMERIC[k]
                r[k] = valid_number(
                    rng, lo, min(hi, 10.0 if k.endswith("_mbd") else hi), ranged=False
                )
        doc["response"] = r
    return doc


def _some_disruption(rng, doc) -> dict:
    return rng.choice(doc["disruptions"])


def _numeric_target(rng, doc):
    """(table, key) of a number in the document, adding one if needed."""
    if rng.random() < 0.7:
        d = _some_disruption(rng, doc)
        keys = [k for k in d if k in NUMERIC] or ["duration_days"]
        return d, rng.choice(keys)
    r = doc.setdefault("response", {})
    if not isinstance(r, dict):
        doc["response"] = r = {}
    return r, rng.choice([k for k, v in NUMERIC.items() if v[0] == "r"])


def m_nonfinite(rng, doc):
    t, k = _numeric_target(rng, doc)
    bad = rng.choice([math.nan, math.inf, -math.inf])
    t[k] = [0.1, bad] if rng.random() < 0.3 and k in ("share", "duration_days") else bad
    return "bad", f"non-finite {k}"


def m_huge(rng, doc):
    t, k = _numeric_target(rng, doc)
    t[k] = rng.choice([1e308, 1e30, 2**70, 10**6, -1, -1e308, -(2**70)])
    if k == "share" and t[k] == -1:
        t[k] = 2
    return "bad", f"out-of-range {k}"


def m_range(rng, doc):
    d = _some_disruption(rng, doc)
    k = "share" if "share" in d else "duration_days"
    lo, hi = (0.2, 0.8) if k == "share" else (10, 20)
    d[k] = rng.choice([[hi, lo], [lo], [lo, hi, hi], [], [lo, "x"], [[lo], [hi]]])
    return "bad", f"malformed range {k}"


def m_type(rng, doc):
    where = rng.random()
    if where < 0.4:
        t, k = _numeric_target(rng, doc)
        v = garbage(rng)
        while (
            isinstance(v, (int, float))
            and not isinstance(v, bool)
            and not (isinstance(v, float) and not math.isfinite(v))
        ):
            v = garbage(rng)
        t[k] = v
        return "bad", f"wrong type for {k}"
    if where < 0.6:
        k = rng.choice(["name", "title", "description", "citation"])
        doc[k] = rng.choice([1, 2.5, True, [1], {"a": 1}, dt.date(2026, 1, 1)])
        return "bad", f"wrong type for {k}"
    if where < 0.8:
        k = rng.choice(["as_of", "horizon_weeks", "disruptions", "response"])
        doc[k] = rng.choice(
            ["2026-02-27", 3.5, True, [], {}, [1, 2], dt.datetime(2026, 2, 27, 1, 0)]
        )
        if k == "response" and doc[k] == {}:
            doc[k] = "none"
        return "bad", f"wrong type for {k}"
    d = _some_disruption(rng, doc)
    d[rng.choice(["chokepoint", "start", "note"])] = rng.choice([1, [1], {"x": 1}, 2.5])
    return "bad", "wrong type in a disruption"


def m_control(rng, doc):
    c = rng.choice(CONTROL)
    key = rng.choice(["name", "title", "note", "description"])
    if key == "note":
        _some_disruption(rng, doc)["note"] = f"a{c}b"
        allowed = c in "\n\t"
    elif key == "description":
        doc["description"] = f"a{c}b"
        allowed = c in "\n\t"
    else:
        doc[key] = f"a{c}b"
        allowed = False
    return ("ok" if allowed else "bad"), f"control U+{ord(c):04X} in {key}"


def m_name(rng, doc):
    doc["name"] = rng.choice(UNSAFE_NAMES)
    return "bad", "unsafe name"


def m_unknown_key(rng, doc):
    where = rng.choice(["top", "disruption", "response"])
    key = rng.choice(["shar", "durations", "bypass_mb", "x", "", "Name", "ünï", "a.b"])
    if where == "top":
        doc[key] = 1
    elif where == "disruption":
        _some_disruption(rng, doc)[key] = 1
    else:
        r = doc.setdefault("response", {})
        if not isinstance(r, dict):
            doc["response"] = r = {}
        r[key] = 1
    return "bad", f"unknown key {key!r} in {where}"


def m_nested(rng, doc):
    depth = rng.choice([5, 50, 500, 5000, 50000])
    opens = [rng.choice(["[", "{a = "]) for _ in range(depth)]
    v = Raw("".join(opens) + "1" + "".join("]" if o == "[" else "}" for o in reversed(opens)))
    target = rng.choice(["title", "share", "actual"])
    if target == "actual":
        doc["actual"] = {"x": v}
        return (
            "maybe",
            f"nested actual depth {depth}",
        )  # `actual` is free-form; deep nesting may be a syntax error
    if target == "share":
        _some_disruption(rng, doc)["share"] = v
    else:
        doc["title"] = v
    return "bad", f"nested {target} depth {depth}"


def m_far_date(rng, doc):
    far = rng.choice(
        [
            dt.date(1, 1, 1),
            dt.date(1899, 12, 31),
            dt.date(2200, 1, 1),
            dt.date(9999, 12, 31),
            dt.date(1000, 6, 1),
        ]
    )
    if rng.random() < 0.5:
        doc["as_of"] = far
    else:
        _some_disruption(rng, doc)["start"] = far
    return "bad", f"date {far}"


def m_late_date(rng, doc):
    late = dt.date(rng.randint(2027, 2199), 1, 1)
    if rng.random() < 0.5:
        doc["as_of"] = late
        return "maybe", "as_of after the newest data (rule owned by the present-state change)"
    _some_disruption(rng, doc)["start"] = late
    return "maybe", "start far after as_of"


def m_early_start(rng, doc):
    _some_disruption(rng, doc)["start"] = dt.date(2000, 1, 1)
    return "maybe", "start before as_of"


def m_structure(rng, doc):
    k = rng.choice(["both", "neither", "no_duration", "none", "too_many", "horizon"])
    d = _some_disruption(rng, doc)
    if k == "both":
        d["chokepoint"], d["share"], d["lost_mbd"] = "hormuz", 0.5, 1.0
    elif k == "neither":
        d.pop("chokepoint", None), d.pop("share", None), d.pop("lost_mbd", None)
    elif k == "no_duration":
        d.pop("duration_days", None)
    elif k == "none":
        doc["disruptions"] = []
    elif k == "too_many":
        doc["disruptions"] = [{"lost_mbd": 0.01, "duration_days": 1}] * rng.choice([101, 1000])
    else:
        doc["horizon_weeks"] = rng.choice([0, 3, 157, -1, 10**9])
    return "bad", f"structure: {k}"


def m_unknown_chokepoint(rng, doc):
    d = _some_disruption(rng, doc)
    d.pop("lost_mbd", None)
    d["chokepoint"], d["share"] = rng.choice(["hormutz", "", "x" * 5000, "HORMUZ", "<b>"]), 0.5
    return "bad", "unknown chokepoint"


def m_ok_text(rng, doc):
    doc["title"] = rng.choice(HOSTILE_TEXT)
    if rng.random() < 0.5:
        doc["description"] = "\n".join(rng.choice(HOSTILE_TEXT) for _ in range(3))
    return "ok", "hostile but printable text"


def m_ok_extremes(rng, doc):
    d = _some_disruption(rng, doc)
    if "share" in d:
        d["share"] = rng.choice([0, 0.0, 1, 1.0, [0, 1], [1, 1]])
    d["duration_days"] = rng.choice([1, 1095, [1, 1095]])
    return "ok", "legal extremes"


def m_extreme_rates(rng, doc):
    """Legal by the static ranges, implausible against world supply: refused by a data check, or absurd but finite."""
    d = _some_disruption(rng, doc)
    d.pop("chokepoint", None), d.pop("share", None)
    d["lost_mbd"] = rng.choice([50, 99.9, 120, [0, 120]])
    r = doc.setdefault("response", {})
    if isinstance(r, dict):
        r[rng.choice(["bypass_mbd", "stock_release_mbd", "spare_capacity_mbd"])] = rng.choice(
            [0, 120]
        )
    return "maybe", "extreme rates"


MUTATIONS = [
    (m_nonfinite, 3),
    (m_huge, 3),
    (m_range, 2),
    (m_type, 3),
    (m_control, 3),
    (m_name, 2),
    (m_unknown_key, 2),
    (m_nested, 1),
    (m_far_date, 2),
    (m_late_date, 1),
    (m_early_start, 1),
    (m_structure, 2),
    (m_unknown_chokepoint, 1),
    (m_ok_text, 2),
    (m_ok_extremes, 2),
    (m_extreme_rates, 1),
]
# m_nested's `actual` variant is "maybe"; its other variants are refused and may land on a key an earlier edit set.


def file_bytes(rng: random.Random, text: str) -> tuple[bytes, str, str]:
    """The file's bytes, possibly damaged: (bytes, label, what)."""
    r = rng.random()
    if r < 0.88:
        return text.encode("utf-8"), "ok", ""
    if r < 0.91:
        cut = rng.randint(0, max(0, len(text) - 1))
        return text[:cut].encode("utf-8"), "maybe", "truncated"
    if r < 0.93:
        return ('title = "café"\n' + text).encode("latin-1", "replace"), "bad", "latin-1"
    if r < 0.95:
        return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-32"])), "bad", "utf-16/32"
    if r < 0.97:
        return (
            bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))),
            "maybe",
            "random bytes",
        )
    if r < 0.99:
        return b"\xef\xbb\xbf" + text.encode("utf-8"), "ok", "utf-8 bom"
    return text.encode("utf-8") + b"# " + b"x" * 1_000_001, "bad", "over 1 MB"


# --------------------------------------------------------------------------- running


def command(rng: random.Random, path: Path, outdir: Path) -> tuple[list[str], Path | None, str]:
    """CLI arguments for the case, the output file it may write, and an option label."""
    draws = ["--draws", "100"]
    r = rng.random()
    label = "ok"
    extra: list[str] = []
    if rng.random() < 0.08:  # a hostile option on top
        extra, label = rng.choice(
            [
                (["--seed", "-1"], "bad"),
                (["--seed", str(2**64)], "bad"),
                (["--seed", "0"], "ok"),
                (["--as-of", "9999-12-31"], "bad"),
                (["--as-of", "0001-01-01"], "bad"),
                (["--as-of", "2026-13-01"], "bad"),
            ]
        )
    if r < 0.55:
        return ["estimate", "-s", str(path), "--format", "json", *draws, *extra], None, label
    if r < 0.67:
        return ["election", "-s", str(path), "--format", "json", *draws, *extra], None, label
    if r < 0.82:
        extra = (
            [x for x in extra if x not in ("--seed", "-1", "0", str(2**64))]
            if "--seed" in extra
            else extra
        )
        if "--seed" in extra or (label == "bad" and not extra):
            label = "ok"
        # JSON, which the checks parse (the default is a table of key/value rows).
        return (
            ["scenarios", "show", str(path), "--format", "json", *extra],
            None,
            label if extra else "ok",
        )
    if r < 0.96:
        kind = rng.choice(["path", "path", "compare", "regions", "gallon"])
        out = outdir / f"chart.{rng.choice(['json', 'json', 'html', 'svg'])}"
        return ["chart", kind, "-s", str(path), "-o", str(out), *draws, *extra], out, label
    out = outdir / f"brief.{rng.choice(['html', 'md'])}"
    return ["brief", "-s", str(path), "-o", str(out), *draws, *extra], out, label


def _no_nan(text: str) -> None:
    def refuse(c):
        raise ValueError(f"non-finite {c} in JSON")

    json.loads(text, parse_constant=refuse)


def check(res, expect: str, out: Path | None, outdir: Path) -> str | None:
    """The name of the failed check, or None."""
    exc = res.exception
    if exc is not None and not isinstance(exc, SystemExit):
        return "traceback"
    if res.exit_code not in (0, 1, 2):
        return "traceback"
    if "Traceback" in res.output:
        return "traceback"
    if res.exit_code != 0:
        errors = [x for x in res.output.splitlines() if x.startswith("Error")]
        if len(errors) != 1:
            return "refusal not one line"
        left = [p.name for p in outdir.iterdir()]
        if left:
            return f"refusal left files {left}"
        return None
    if expect == "bad":
        return "wrong success"
    stdout = res.stdout if hasattr(res, "stdout") else res.output
    try:
        if out is None:
            _no_nan(stdout)
        elif out.suffix == ".json":
            _no_nan(out.read_text())
        elif not out.is_file() or out.stat().st_size == 0:
            return "success without output"
        elif out.suffix == ".html" and "</script><script" in out.read_text():
            return "raw </script> in html"
    except ValueError as e:
        return f"bad JSON: {e}"
    stray = [p.name for p in outdir.iterdir() if p.name.startswith(".")]
    if stray:
        return f"temporary files left {stray}"
    return None


# --------------------------------------------------------------------------- splits

SPLIT_AS_OFS = [dt.date(2024, 1, 15), dt.date(2026, 2, 27), dt.date(2022, 2, 23)]
SPLIT_TOLERANCE = 0.005  # [USD/gal] on the gasoline peak's p05/p50/p95


def split_doc(chokepoint, pieces) -> str:
    """A scenario of ``pieces`` (start, duration_days, share, recovery_days) on one chokepoint."""
    return "".join(
        f'[[disruptions]]\nchokepoint = "{chokepoint}"\nshare = {share!r}\n'
        f"start = {start.isoformat()}\nduration_days = {days}\nrecovery_days = {rec}\n"
        for start, days, share, rec in pieces
    )


def split_case(rng: random.Random) -> dict:
    """One disruption and the same loss in pieces.

    ``adjacent``: two pieces at the whole share, the second starting the day the first ends.
    ``shares``: two simultaneous pieces whose shares add up to the whole. ``overlap``: a piece
    at a part ``f`` of the share over the whole span, overlapped by two adjacent pieces at
    the rest (shares of overlapping pieces add). Only the pieces ending last recover.
    """
    as_of = rng.choice(SPLIT_AS_OFS)
    cp = rng.choice(CHOKEPOINTS[:5])
    share = rng.choice([0.2, 0.5, 0.736, 1.0])
    total = rng.randint(10, 120)
    start = as_of + dt.timedelta(days=rng.randint(0, 20))
    rec = rng.choice([0, 15, 30])
    kind = rng.choice(["adjacent", "overlap", "shares"])
    a = rng.randint(1, total - 1)
    f = rng.choice([0.25, 0.5, 0.8])
    later = start + dt.timedelta(days=a)
    one = [(start, total, share, rec)]
    if kind == "adjacent":
        two = [(start, a, share, 0), (later, total - a, share, rec)]
    elif kind == "overlap":
        rest = round(share * (1 - f), 6)
        two = [
            (start, total, round(share * f, 6), rec),
            (start, a, rest, 0),
            (later, total - a, rest, rec),
        ]
    else:
        two = [
            (start, total, round(share * f, 6), rec),
            (start, total, round(share * (1 - f), 6), rec),
        ]
    return {"as_of": as_of, "kind": kind, "one": split_doc(cp, one), "two": split_doc(cp, two)}


def run_splits(n: int, seed: int) -> dict:
    """``n`` split pairs, each estimated whole and in pieces (same seed): the gasoline peak's
    quantiles must agree within :data:`SPLIT_TOLERANCE`."""
    from oilshock.errors import OilshockError
    from oilshock.forecast.params import get_params
    from oilshock.forecast.simulate import estimate
    from oilshock.scenario.spec import parse_scenario

    rng = random.Random(seed)
    params: dict = {}
    counts: collections.Counter = collections.Counter()
    failures = []
    for i in range(n):
        case = split_case(rng)
        a = case["as_of"]
        p = params.setdefault(a, get_params(a))
        try:
            r1, r2 = (
                estimate(parse_scenario(case[k]), as_of=a, params=p, draws=300, seed=7).to_dict()
                for k in ("one", "two")
            )
        except OilshockError as e:  # refused alike is fine; refused once is a failure
            counts[f"{case['kind']} refused"] += 1
            failures.append({"case": i, "check": "split refused", "error": str(e), **case})
            continue
        g1 = r1["retail_gasoline"]["peak_change_usd_per_gal"]
        g2 = r2["retail_gasoline"]["peak_change_usd_per_gal"]
        gap = max(abs(g1[q] - g2[q]) for q in ("p05", "p50", "p95"))
        counts[f"{case['kind']} cases"] += 1
        if gap > SPLIT_TOLERANCE:
            counts[f"{case['kind']} off"] += 1
            failures.append({"case": i, "check": "split off", "gap_usd_per_gal": gap, **case})
    return {"counts": dict(sorted(counts.items())), "failures": failures}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--splits",
        type=int,
        default=0,
        help="Also N split pairs: one disruption against the same loss in adjacent, "
        f"overlapping or simultaneous pieces, within {SPLIT_TOLERANCE} USD/gal.",
    )
    ap.add_argument(
        "--report",
        type=Path,
        default=None,
        help="Write every failing case (and the counts) as JSON here.",
    )
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="oilshock-fuzz-"))
    os.environ["OILSHOCK_CACHE_DIR"] = str(work / "cache")  # a throw-away fit cache

    from click.testing import CliRunner

    from oilshock.cli import main as cli

    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart always
        runner = CliRunner()
    rng = random.Random(args.seed)
    counts: collections.Counter = collections.Counter()
    failures = []
    # Valid by the generator's labels, refused by oilshock: reviewed by hand
    # (docs/reliability.md (part 2)).
    refused = []
    started = time.monotonic()
    for i in range(args.cases):
        doc = base_doc(rng)
        applied = []
        picked = rng.choices(
            [m for m, _ in MUTATIONS],
            weights=[w for _, w in MUTATIONS],
            k=rng.choice([0, 1, 1, 1, 2, 3]),
        )
        # Allowed edits first, then uncertain ones, refused ones last: a later edit never undoes a refusal.
        for fn in sorted(
            picked,
            key=lambda m: (
                m not in (m_ok_text, m_ok_extremes),
                m not in (m_late_date, m_early_start, m_nested, m_extreme_rates),
            ),
        ):
            try:
                applied.append(fn(rng, doc))
            except (IndexError, KeyError, TypeError, AttributeError):
                pass  # an earlier mutation changed the shape this one edits
        text = toml_doc(doc)
        data, flabel, fwhat = file_bytes(rng, text)
        if fwhat:
            applied.append((flabel, fwhat))
        case_dir = work / f"case-{i}"
        outdir = case_dir / "out"
        outdir.mkdir(parents=True)
        path = case_dir / "scenario.toml"
        path.write_bytes(data)
        argv_, out, olabel = command(rng, path, outdir)
        if olabel == "bad":
            applied.append(("bad", "hostile option"))
        labels = {a for a, _ in applied}
        if flabel == "maybe":  # a cut or scrambled file may have lost the refused part
            labels.discard("bad")
        if olabel == "bad":
            labels.add("bad")
        expect = "bad" if "bad" in labels else ("maybe" if "maybe" in labels else "ok")
        try:
            res = runner.invoke(cli, argv_, catch_exceptions=True)
        except BaseException as e:
            failures.append(
                {
                    "case": i,
                    "check": "escaped",
                    "error": repr(e),
                    "argv": argv_,
                    "mutations": applied,
                }
            )
            continue
        problem = check(res, expect, out, outdir)
        outcome = f"exit {res.exit_code}"
        counts[(expect, outcome)] += 1
        counts[f"command {argv_[0]}"] += 1
        if expect == "ok" and res.exit_code != 0:
            counts["valid refused"] += 1
            refused.append(
                {"case": i, "argv": argv_, "mutations": applied, "output": res.output[-300:]}
            )
        if problem:
            tb = (
                "".join(traceback.format_exception(res.exception))
                if res.exception and not isinstance(res.exception, SystemExit)
                else ""
            )
            failures.append(
                {
                    "case": i,
                    "check": problem,
                    "argv": argv_,
                    "mutations": applied,
                    "output": res.output[-600:],
                    "traceback": tb[-3000:],
                    "scenario": text[:3000],
                }
            )
        if (i + 1) % 100 == 0:
            print(
                f"{i + 1} cases, {len(failures)} failing, {time.monotonic() - started:.0f} s",
                file=sys.stderr,
            )

    splits = run_splits(args.splits, args.seed) if args.splits else None
    if splits:
        failures += splits["failures"]
    by_check = collections.Counter(f["check"].split(" [")[0] for f in failures)
    summary = {
        "cases": args.cases,
        "seed": args.seed,
        "seconds": round(time.monotonic() - started, 1),
        "outcomes": {
            f"{k[0]} -> {k[1]}": v
            for k, v in sorted(counts.items(), key=str)
            if isinstance(k, tuple)
        },
        "commands": {
            k.split()[1]: v
            for k, v in sorted(counts.items(), key=str)
            if isinstance(k, str) and k.startswith("command ")
        },
        "valid_refused": counts["valid refused"],
        "tracebacks": by_check.get("traceback", 0) + by_check.get("escaped", 0),
        "wrong_successes": by_check.get("wrong success", 0),
        "failed_checks": dict(by_check),
    }
    if splits:
        summary["splits"] = splits["counts"]
    print(json.dumps(summary, indent=2))
    if args.report:
        args.report.write_text(
            json.dumps(
                {"summary": summary, "failures": failures, "valid_refused": refused},
                indent=2,
                default=str,
            )
            + "\n"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
