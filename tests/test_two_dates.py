"""Every reader-facing text, at the newest data (a closure under way) and at a calm date, reads as
its numbers say: no fall called "more", no easing called a peak, no verb against its sign, a true
minus, no signed zero. Text of the commands, the charts' titles, subtitles and footnotes, and the
brief's paragraphs, for every preset."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from oilshock.cli import main

CALM = dt.date(2025, 6, 2)
BAD = [
    (
        re.compile(r"[−-]\$\d[\d.,]*(?: a (?:gallon|barrel|month))? (?:more|extra)\b"),
        "a fall called more",
    ),
    (re.compile(r"\bpeaks? at \$[\d.,]+ \([−-]"), "an easing called a peak"),
    (
        re.compile(
            r"\b(?:spends?|spend about|pays?|costs?|saves?|rises?|rose|adds?) (?:about |by )?[−-]\$?\d"
        ),
        "a verb against its sign",
    ),
    (re.compile(r"(?<![\w\-−.])-(?=\$?\d)"), "a hyphen for a minus"),
    (re.compile(r"[−+]\$0\.00\b|[−+]0(?:\.0+)?%"), "a signed zero"),
]


def offences(where: str, text: str) -> list[str]:
    out = []
    for pattern, what in BAD:
        for m in pattern.finditer(text):
            line = text[max(0, m.start() - 60) : m.end() + 40].replace("\n", " ")
            out.append(f"{where}: {what}: …{line}…")
    return out


def _dates():
    from oilshock.forecast.prepare import default_as_of

    return [default_as_of(), CALM]


@pytest.fixture(scope="module")
def dates(isolated_cache):
    return _dates()


@pytest.mark.slow
def test_command_text_reads_as_its_numbers_say(dates):
    from oilshock.scenario.spec import list_presets

    bad = []
    for as_of in dates:
        a = ["--as-of", as_of.isoformat()]
        runs = [["estimate", "-s", s, "--draws", "200", *a] for s in list_presets()]
        runs += [
            ["estimate", "--scenario", "all", "--draws", "200", *a],
            ["status", *a],
            ["election", "-s", "hormuz-partial", "--draws", "200", *a],
        ]
        for args in runs:
            res = CliRunner().invoke(main, args)
            assert res.exit_code == 0, (args, res.output)
            bad += offences(" ".join(args), res.output)
    assert not bad, "\n".join(bad)


@pytest.mark.slow
def test_chart_and_brief_words_read_as_their_numbers_say(dates):
    from oilshock.report import brief as rb
    from oilshock.report import style
    from oilshock.report.make import make_chart, run_estimates

    bad = []
    for as_of in dates:
        for kind, scenarios in (
            ("path", ["hormuz-partial"]),
            ("path", ["hormuz-reopens"]),
            ("compare", ["hormuz-partial", "hormuz-full", "red-sea", "now"]),
            ("gallon", ["hormuz-partial"]),
            ("regions", ["hormuz-partial"]),
            ("sensitivity", ["hormuz-partial"]),
        ):
            spec = make_chart(kind, scenarios, as_of=as_of, draws=200).to_dict()
            title = spec["title"]
            words = [title["text"], *title.get("subtitle", []), *style.footnote_lines(spec)]
            bad += offences(f"{kind} {scenarios} {as_of}", "\n".join(words))
            if kind == "path" and as_of == dates[0]:
                # With the strait shut now, half of it shut is an easing, and is called one.
                assert "fall" in title["text"], title["text"]
        ds = run_estimates(["hormuz-partial", "red-sea", "hormuz-reopens"], as_of=as_of, draws=200)
        b = rb.build_brief(ds)
        head, rows = b["table"]
        words = [*b["bottom_line"], *b["summary"], *b["track_record"], *head]
        words += [str(c) for r in rows for c in r]
        bad += offences(f"brief {as_of}", "\n".join(words))
    assert not bad, "\n".join(bad)


@pytest.mark.slow
def test_workbook_text_reads_as_its_numbers_say(dates, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent / "report"))
    from xlsx_xml import Book

    bad = []
    for as_of in dates:
        for args in (["-s", "hormuz-partial"], ["-s", "hormuz-partial", "-s", "red-sea"]):
            out = tmp_path / f"{as_of}-{len(args)}.xlsx"
            res = CliRunner().invoke(
                main,
                ["estimate", *args, "--draws", "200", "--as-of", as_of.isoformat(), "-o", str(out)],
            )
            assert res.exit_code == 0, res.output
            book = Book(out)
            assert list(book.sheets)[0] == "About"
            bad += offences(f"workbook {args} {as_of}", "\n".join(book.strings))
    assert not bad, "\n".join(bad)


def test_the_patterns_catch_what_they_name():
    assert offences("x", "a household there pays −$68 more")
    assert offences("x", "Pump prices peak at $4.00 (−$0.03 from the disruption)")
    assert offences("x", "would spend about −$84 on gasoline")
    assert offences("x", "Brent -4.2%") and offences("x", "change +$0.00") and offences("x", "−0%")
    assert not offences("x", "saves $84; falls to $3.50 (−$0.44); 2026-08-18; --as-of; 4–10")
