"""The briefing: content written from the numbers; HTML renders every chart in headless Chromium, offline."""

from __future__ import annotations

import html.parser
import re

import pytest

from oilshock.report import brief as rb
from oilshock.report import data as rd

from .conftest import console_lines, dump_dom, needs_browser


@pytest.fixture(scope="module")
def brief_html(results_2026, tmp_path_factory):
    out = tmp_path_factory.mktemp("brief") / "brief.html"
    rb.write_brief([], out, results=[results_2026["hormuz-partial"], results_2026["red-sea"]])
    return out


def test_summary_and_table_quote_the_estimates(results_2026):
    d = results_2026["hormuz-partial"]
    p = rd.peak(d)
    text = rb.scenario_paragraph(d)
    assert (
        f"${p['retail_peak']['p50']:.2f} a gallon" in text
        and f"+${p['retail_change']['p50']:.2f} against the no-disruption path" in text
        and "¢" not in text
    )
    assert f"{p['weeks']} weeks in" in text
    head, rows = rb.key_table([d, results_2026["red-sea"]])
    assert head == ["", "hormuz-partial", "red-sea"]
    assert rows[1][1].startswith(f"+${p['retail_change']['p50']:.2f}")


def test_html_is_self_contained(brief_html, results_2026):
    page = brief_html.read_text()
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img[^>]+src=[\"']http", page)
    for needle in (
        "A scenario, not a forecast",
        "Not modelled",
        "demand destruction",
        "Data snapshot sha256",
        "Key figures",
        "seed 20260301",
    ):
        assert needle in page
    # compare; then path, gallon and transits per scenario, regions when the result has them, and
    # predicted against observed (as of 2026-02-27 the weeks that followed are in the data).
    n_regions = sum(
        1 for d in (results_2026["hormuz-partial"], results_2026["red-sea"]) if d.get("regions")
    )
    assert (
        page.count('class="chart"') == 7 + n_regions + 2 + 1
    )  # ... and the interactive explorer, last
    assert (
        "predicted against what was observed afterwards" in page
        and "Explore: move the sliders" in page
    )


class _Charts(html.parser.HTMLParser):
    """Counts, per chart container, the <svg>/<canvas> elements rendered inside it."""

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.found: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "chart" in (a.get("class") or "").split():
            self.found[a["id"]] = 0
            self.stack.append(a["id"])
        elif tag == "div":
            self.stack.append(None)
        if tag in ("svg", "canvas"):
            owner = next((s for s in reversed(self.stack) if s), None)
            if owner:
                self.found[owner] += 1

    def handle_endtag(self, tag):
        if tag == "div" and self.stack:
            self.stack.pop()


@needs_browser
def test_every_chart_renders_offline_without_console_errors(brief_html, tmp_path):
    res = dump_dom(brief_html, tmp_path / "profile")
    parser = _Charts()
    parser.feed(res.stdout)
    assert len(parser.found) >= 7, parser.found  # every container seen
    assert all(n >= 1 for n in parser.found.values()), (
        f"charts not rendered: {[k for k, n in parser.found.items() if n == 0]}"
    )
    console = console_lines(res)
    assert not console, "console output (errors or warnings):\n" + "\n".join(console)


def test_markdown_brief_writes_images(results_2026, tmp_path):
    written = rb.write_brief(
        [], tmp_path / "memo" / "brief.md", results=[results_2026["red-sea"]], images="svg"
    )
    md = written[0].read_text()
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert images and all((written[0].parent / i).is_file() and i.endswith(".svg") for i in images)
    assert "| Gasoline peak change" in md and "A scenario, not a forecast" in md


def test_bad_brief_extension(results_2026, tmp_path):
    with pytest.raises(rd.ReportError, match="html or .md"):
        rb.write_brief([], tmp_path / "brief.pdf", results=[results_2026["red-sea"]])


@pytest.mark.slow
def test_write_brief_reports_every_step(results_2026, tmp_path):
    from oilshock.report.brief import BRIEF_STEPS, write_brief

    for name, expected in (
        ("b.html", ["estimates", "charts", "explorer", "written"]),
        ("b.md", ["estimates", "charts", "images", "written"]),
    ):
        steps = []
        write_brief([], tmp_path / name, results=[results_2026["red-sea"]], progress=steps.append)
        assert steps == expected and len(steps) == len(BRIEF_STEPS)


def test_the_brief_names_the_model_it_describes(results_2026):
    from oilshock.model.crude_paths import DEFAULT_MODEL

    b = rb.build_brief([results_2026["hormuz-partial"]])
    assert f"model {DEFAULT_MODEL} ·" in b["meta"]
    assert any("refiners' margin" in m for m in b["method"])


def test_the_brief_opens_with_three_bottom_line_bullets(results_2026, tmp_path):
    """Levels on named dates, the words following the sign, before the key table and the charts."""
    from oilshock import text
    from oilshock.forecast.result import headline

    d = results_2026["hormuz-partial"]
    lines = rb.bottom_line([d])
    assert len(lines) == 3
    g = headline(rd.as_dict(d))["gasoline"]
    word = text.by_sign(g["change"]["p50"], "above", "below", "at")
    assert lines[0].startswith(
        f"Gasoline {text.money(g['level']['p50'])} a gallon on {text.day(g['week_ending'])}"
    )
    assert f"{text.money(abs(g['change']['p50']))} {word} the no-disruption path" in lines[0]
    assert lines[1].startswith("Brent $") and "−" not in "".join(lines)
    b = rb.build_brief([d, results_2026["red-sea"]])
    assert len(b["bottom_line"]) == 3
    page = rb.render_html(b)
    assert page.index("Bottom line") < page.index("Key figures") < page.index("<figure")
    assert page.index("<figure") < page.index("<h2>Method")
    md = rb.render_markdown(b, {cid: f"{cid}.png" for cid, _, _ in b["charts"]})
    assert md.index("## Bottom line") < md.index("## Key figures") < md.index("![")
    assert md.index("![") < md.index("## Method")
    assert md.split("## Bottom line")[1].split("##")[0].count("\n- ") == 3


def test_the_track_record_box_says_which_model_and_how_it_did(results_2026):
    from oilshock.evaluate import track_record

    tr = track_record.load()
    lines = rb.track_record_lines(tr)
    assert tr["model"] in lines[0] and f"{tr['before_2026']['events']} past disruptions" in lines[0]
    assert "no change" in lines[1] and "90% band" in lines[1]
    assert "2026" in lines[2] and "Gasoline: central peak rise" in lines[2]
    assert "too low" in lines[2] or "too high" in lines[2]
    b = rb.build_brief([results_2026["hormuz-partial"]])
    assert b["track_record"] == lines + rb.nowcast_lines(track_record.load_nowcast())
    page = rb.render_html(b)
    assert page.index("Key figures") < page.index("Track record") < page.index("<figure")
    md = rb.render_markdown(b, {cid: f"{cid}.png" for cid, _, _ in b["charts"]})
    assert md.index("## Key figures") < md.index("**Track record**") < md.index("![")
    # Plain text, escaped: a hostile model name cannot inject markup.
    b["track_record"] = rb.track_record_lines(dict(tr, model="<script>x</script>"))
    assert "<script>x</script>" not in rb.render_html(b)
    assert "&lt;script&gt;" in rb.render_html(b)


def test_the_track_record_says_where_the_weeks_ahead_do_not_beat_no_change():
    from oilshock.evaluate import nowcast, track_record

    nr = track_record.load_nowcast()
    # The committed record pools the nowcast's episodes at each of its horizons.
    assert nr["episodes"] == sorted(nowcast.EPISODES)
    for t in ("brent", "retail"):
        assert [r["horizon_weeks"] for r in nr[t]] == list(nowcast.HORIZONS)
    lines = rb.nowcast_lines(nr)
    years = [e.split("-")[0] for e in nr["episodes"]]
    said = ", ".join(years[:-1]) + " and " + years[-1] + " disruptions"
    assert "below 1 beats no change" in lines[0] and said in lines[0]
    lost = [t for t in ("brent", "retail") if any(r["mspe_ratio"] >= 1 for r in nr[t])]
    assert (len(lines) == 2) == bool(lost)

    def record(brent, retail):
        rows = lambda rs: [  # noqa: E731
            {"horizon_weeks": h, "n": 50, "mspe_ratio": r, "coverage_p05_p95": 0.9}
            for h, r in zip((4, 8, 12), rs)
        ]
        return {"episodes": ["2011-libya"], "brent": rows(brent), "retail": rows(retail)}

    worse = rb.nowcast_lines(record((1.02, 0.97, 0.96), (0.9, 0.9, 0.9)))
    assert "1.02" in worse[0] and worse[1].startswith("For Brent the model does not beat no change")
    assert len(rb.nowcast_lines(record((0.9, 0.9, 0.9), (0.8, 0.8, 0.8)))) == 1
    assert rb.nowcast_lines(None) == []


def test_the_brief_states_the_market_implied_loss_beside_the_tanker_counts():
    from oilshock.forecast.implied import implied_line
    from oilshock.report.make import run_estimates

    (d,) = run_estimates(["hormuz-partial"], draws=200)  # the newest data: Hormuz shut since March
    b = rb.build_brief([d])
    assert d["market_implied"] and implied_line(d["market_implied"]) in b["summary"]
    assert "Market-implied net loss" in rb.render_html(b)
    # No loss under way, nothing to imply: no such line.
    calm = dict(d, market_implied=None)
    assert not any("Market-implied" in x for x in rb.build_brief([calm])["summary"])
