"""Hostile scenario files: every one is refused with one line naming the file and the key, exit 2.

The classes here are listed, with their outcome, in docs/reliability.md (part 2); the random
counterpart (1,000+ cases through the CLI) is tools/fuzz_scenarios.py.
"""

from __future__ import annotations

import json
import math
import tomllib

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oilshock.cli import main
from oilshock.errors import ScenarioError
from oilshock.scenario.parse import DATE_RANGE, DAYS_RANGE, NAME_PATTERN, RATE_RANGE_MBD
from oilshock.scenario.spec import load_scenario, parse_scenario

BASE = """name = "case"
as_of = 2026-02-27
[[disruptions]]
chokepoint = "hormuz"
share = 0.5
duration_days = 30
"""


def _with(**top) -> str:
    return "".join(f"{k} = {v}\n" for k, v in top.items()) + BASE.replace(
        'name = "case"\n', "" if "name" in top else 'name = "case"\n'
    )


def _disruption(line: str) -> str:
    return BASE + line + "\n"


def _response(line: str) -> str:
    return BASE + "[response]\n" + line + "\n"


CASES = [
    # item 1: names that would reach HTML attributes, file names and CSS selectors
    (_with(name='"x\\"><img src=x onerror=alert(1)>"'), "key 'name'", "letters, digits"),
    (_with(name='"../../etc/passwd"'), "key 'name'", "letters, digits"),
    (_with(name='"' + "a" * 65 + '"'), "key 'name'", "1-64"),
    (_with(name='"x y"'), "key 'name'", "letters, digits"),
    (_with(name='""'), "key 'name'", "letters, digits"),
    # item 5: NaN, infinity and implausible magnitudes
    (_disruption("").replace("share = 0.5", "share = nan"), "key 'disruptions[0].share'", "finite"),
    (
        _disruption("").replace("share = 0.5", "share = [nan, 1.0]"),
        "key 'disruptions[0].share[0]'",
        "finite",
    ),
    (
        _disruption("").replace("duration_days = 30", "duration_days = inf"),
        "key 'disruptions[0].duration_days'",
        "finite",
    ),
    (
        _disruption("").replace("duration_days = 30", "duration_days = [30, -inf]"),
        "key 'disruptions[0].duration_days[1]'",
        "finite",
    ),
    (_disruption("recovery_days = nan"), "key 'disruptions[0].recovery_days'", "finite"),
    (
        _disruption("").replace("duration_days = 30", "duration_days = 100000"),
        "key 'disruptions[0].duration_days'",
        "1..1095",
    ),
    (
        BASE.replace('chokepoint = "hormuz"\nshare = 0.5', "lost_mbd = nan"),
        "key 'disruptions[0].lost_mbd'",
        "finite",
    ),
    (
        BASE.replace('chokepoint = "hormuz"\nshare = 0.5', "lost_mbd = 1e308"),
        "key 'disruptions[0].lost_mbd'",
        "0..120",
    ),
    (_response("bypass_mbd = inf"), "key 'response.bypass_mbd'", "finite"),
    (_response("stock_release_mbd = 1e308"), "key 'response.stock_release_mbd'", "0..120"),
    (_response("stock_release_days = nan"), "key 'response.stock_release_days'", "finite"),
    (_response("spare_delay_days = 1e9"), "key 'response.spare_delay_days'", "0..1095"),
    (_response("bypass = nan"), "key 'response.bypass'", "finite"),
    (_with(actual="{ peak = nan }"), "key 'actual.peak'", "finite"),
    (_with(horizon_weeks="1e3"), "key 'horizon_weeks'", "whole number"),
    # item 7: control characters, far dates, huge structures
    (_with(name='"a\\u0000b"'), "key 'name'", "U+0000"),
    (_with(title='"t\\u0000"'), "key 'title'", "U+0000"),
    (_with(title='"line\\nbreak"'), "key 'title'", "U+000A"),
    (_with(title='"\\u2028"'), "key 'title'", "U+2028"),
    (_with(title='"' + "t" * 201 + '"'), "key 'title'", "200 characters"),
    (_with(description='"ok\\nbut \\u001b[31m"'), "key 'description'", "U+001B"),
    (_disruption('note = "\\u0007"'), "key 'disruptions[0].note'", "U+0007"),
    (_with(**{'"bad\\nkey"': "1"}), "key 'bad\\nkey'", "unknown key"),
    (
        _with(as_of="9999-12-31").replace("as_of = 2026-02-27\n", ""),
        "key 'as_of'",
        "1900-01-01..2199-12-31",
    ),
    (
        _with(as_of="0001-01-01").replace("as_of = 2026-02-27\n", ""),
        "key 'as_of'",
        "1900-01-01..2199-12-31",
    ),
    (_disruption("start = 9999-12-31"), "key 'disruptions[0].start'", "2199-12-31"),
    (_with(as_of="2026-02-27T10:00:00").replace("as_of = 2026-02-27\n", ""), "key 'as_of'", "date"),
    (
        BASE + "[[disruptions]]\nlost_mbd = 0.1\nduration_days = 1\n" * 101,
        "key 'disruptions'",
        "at most 100",
    ),
    (
        BASE.replace("share = 0.5", "share = [" + ", ".join(["0.5"] * 5000) + "]"),
        "key 'disruptions[0].share'",
        "two numbers",
    ),
    (_with(title="[[[1]]]"), "key 'title'", "string"),
    (_with(title="2026-01-01"), "key 'title'", "string"),
    (_with(response="1"), "key 'response'", "table"),
]


@pytest.mark.parametrize(("text", "key", "rule"), CASES, ids=range(len(CASES)))
def test_hostile_scenario_is_one_line_exit_2(tmp_path, text, key, rule):
    f = tmp_path / "case.toml"
    f.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["estimate", "--scenario", str(f), "--format", "json"])
    assert res.exit_code == 2, res.output
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit), (
        res.exception
    )
    line = res.output.strip()
    assert len(line.splitlines()) == 1 and len(line) < 400, line
    assert line.startswith(f"Error: {f}: {key}"), line
    assert rule in line, line


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (
            'title = "café"\n'.encode("latin-1") + BASE.encode(),
            "not UTF-8 text (byte 0xe9 at offset 12)",
        ),
        (BASE.encode("utf-16"), "UTF-16"),
        (BASE.encode("utf-16-be"), "holds NUL bytes"),
        (b"name = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested too deeply"),
        (b"x = " + b"{ y = " * 50_000 + b"1" + b" }" * 50_000, "nested too deeply"),
        (b"# " + b"x" * 1_000_001, "larger than 1,000,000 bytes"),
        (b"\x00\x01\x02binary", "holds NUL bytes"),
        (b"\x01\x02\xc3\xa9binary", "TOML syntax error"),
    ],
    ids=[
        "latin-1",
        "utf-16",
        "utf-16-be",
        "deep-array",
        "deep-table",
        "huge",
        "binary",
        "binary-utf8",
    ],
)
def test_unreadable_scenario_files(tmp_path, data, needle):
    f = tmp_path / "case.toml"
    f.write_bytes(data)
    res = CliRunner().invoke(main, ["estimate", "--scenario", str(f)])
    assert res.exit_code == 2 and needle in res.output, res.output
    assert len(res.output.strip().splitlines()) == 1


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    f = tmp_path / "case.toml"
    f.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert load_scenario(f).name == "case"


def test_unreadable_file_and_odd_paths(tmp_path, monkeypatch):
    f = tmp_path / "case.toml"
    f.write_text(BASE)
    runner = CliRunner()
    for arg, needle in [
        (str(tmp_path), "scenario file not found"),  # a directory
        ("a" * 300, "File name too long"),
        ("a" * 300 + ".toml", "File name too long"),
        ("nowhere/x.toml", "not found"),
    ]:
        res = runner.invoke(main, ["estimate", "--scenario", arg])
        assert res.exit_code == 2 and needle in res.output, (arg[:20], res.output)
    # Unreadable (root reads anything, so the refusal is simulated).
    from pathlib import Path

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    res = runner.invoke(main, ["estimate", "--scenario", str(f)])
    assert res.exit_code == 2 and "cannot read the scenario file: Permission denied" in res.output


def test_the_default_name_must_be_safe_too(tmp_path):
    f = tmp_path / "my case<1>.toml"
    f.write_text(BASE.replace('name = "case"\n', ""))
    with pytest.raises(ScenarioError, match="the default, the file's name 'my case<1>', is not"):
        load_scenario(f)


def test_limits_themselves_are_accepted():
    text = BASE.replace(
        "duration_days = 30",
        f"duration_days = {DAYS_RANGE[1]:g}\nrecovery_days = {DAYS_RANGE[1]:g}",
    )
    text += f"[response]\nbypass_mbd = {RATE_RANGE_MBD[1]:g}\nstock_release_delay_days = 0\n"
    sc = parse_scenario(text.replace('name = "case"', 'name = "' + "A" * 63 + '-"'))
    assert (
        sc.disruptions[0].duration_days == (1095.0, 1095.0) and sc.response["bypass_mbd"] == 120.0
    )


# --------------------------------------------------------------------------- property

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(min_value=__import__("datetime").date(1, 1, 1)),
)
_values = st.recursive(
    _scalars,
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3)
    ),
    max_leaves=8,
)
_disruptions = st.fixed_dictionaries(
    {},
    optional={
        "chokepoint": st.sampled_from(["hormuz", "bab_el_mandeb", "nowhere"]) | _values,
        "share": _values,
        "lost_mbd": _values,
        "duration_days": _values,
        "recovery_days": _values,
        "start": _values,
        "note": _values,
    },
)
_docs = st.fixed_dictionaries(
    {"disruptions": st.lists(_disruptions, min_size=0, max_size=3) | _values},
    optional={
        "name": st.text(max_size=70) | _values,
        "title": _values,
        "as_of": _values,
        "horizon_weeks": _values,
        "response": st.dictionaries(
            st.sampled_from(
                ["bypass", "bypass_mbd", "stock_release_mbd", "spare_delay_days", "bogus"]
            ),
            _values,
        )
        | _values,
    },
)


def _toml(v) -> str:
    """A TOML value (inline form) for ``v``; None has no TOML form and is left out by the caller."""
    import datetime as dt

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return (
            "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        )
    if isinstance(v, str):
        return json.dumps(v)  # a TOML basic string accepts JSON's escapes
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v if x is not None) + "]"
    return (
        "{"
        + ", ".join(f"{json.dumps(k)} = {_toml(x)}" for k, x in v.items() if x is not None)
        + "}"
    )


def _in(r, lo, hi) -> bool:
    return r is None or (math.isfinite(r[0]) and math.isfinite(r[1]) and lo <= r[0] <= r[1] <= hi)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_docs)
def test_any_document_is_refused_in_one_line_or_parses_within_the_documented_ranges(doc):
    text = "".join(
        f"{json.dumps(k)} = {_toml(v)}\n"
        for k, v in doc.items()
        if v is not None and k != "disruptions"
    )
    items = doc["disruptions"]
    if isinstance(items, list) and all(isinstance(d, dict) for d in items):
        text += "".join(
            "[[disruptions]]\n"
            + "".join(f"{k} = {_toml(v)}\n" for k, v in d.items() if v is not None)
            for d in items
        )
    elif items is not None:
        text += f"disruptions = {_toml(items)}\n"
    try:
        tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeEncodeError):
        pass  # a syntax error must also be a ScenarioError, checked below
    try:
        sc = parse_scenario(text, source="f.toml")
    except ScenarioError as exc:
        msg = str(exc)
        assert msg.startswith("f.toml: ") and "\n" not in msg and len(msg) < 400, msg
        return
    assert NAME_PATTERN.fullmatch(sc.name)
    assert sc.title.isprintable() and len(sc.title) <= 200
    lo, hi = DATE_RANGE
    assert sc.as_of is None or lo <= sc.as_of <= hi
    for d in sc.disruptions:
        assert _in(d.share, 0, 1) and _in(d.lost_mbd, *RATE_RANGE_MBD)
        assert _in(d.duration_days, 1, DAYS_RANGE[1]) and _in(d.recovery_days, *DAYS_RANGE)
        assert d.start is None or lo <= d.start <= hi
    for k, v in sc.response.items():
        assert isinstance(v, bool) or (
            math.isfinite(v) and 0 <= v <= max(RATE_RANGE_MBD[1], DAYS_RANGE[1])
        ), (k, v)
