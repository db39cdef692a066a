"""Hostile text in scenario names and titles never becomes markup or script in HTML or Markdown output.

Scenario files refuse unsafe names at load (tests/scenario/test_spec_input.py); these tests
build results whose name and title are hostile anyway (a brief can be built from any
result dict) and check every HTML output in headless Chromium, offline: no injected
element, no injected script ran, every chart drawn, no console message.
"""

from __future__ import annotations

import copy
import html.parser

import pytest

from oilshock.report import brief as rb
from oilshock.report import charts
from oilshock.report import data as rd
from oilshock.report.export import save

from .conftest import AS_OF, body, console_lines, dump_dom, needs_browser, regions_dict

# Each payload, if it ever ran, would set a marker the DOM dump shows.
NAME = 'x"><img src=x id=pwned-name onerror="document.body.dataset.pwned=1">'
TITLE = (
    "</script><script>document.body.dataset.pwned=2</script><!--<script> "
    '<img src=x id=pwned-title onerror="document.body.dataset.pwned=3"> & ]]> --> \'quote" \\'
)
ALLOWED = {
    "html",
    "head",
    "body",
    "meta",
    "title",
    "style",
    "script",
    "div",
    "figure",
    "figcaption",
    "h1",
    "h2",
    "p",
    "strong",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ol",
    "ul",
    "li",
    "details",
    "summary",
    "svg",
    "g",
    "path",
    "rect",
    "text",
    "line",
    "circle",
    "defs",
    "clippath",
    "tspan",
    "symbol",
    "use",
    "image",
    "lineargradient",
    "stop",
    "span",
    "br",
    "form",
    "a",  # vega-embed: a bindings form, the actions menu
    "input",
    "label",
    "select",
    "option",
}  # the explorer's sliders and chokepoint selector


def hostile(d: dict) -> dict:
    d = copy.deepcopy(d)
    d["scenario"]["name"], d["scenario"]["title"] = NAME, TITLE
    return d


class _Dom(html.parser.HTMLParser):
    """Tags, ids, scripts and chart containers of a dumped DOM."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.body_attrs: dict = {}
        self.scripts = 0
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "body":
            self.body_attrs = a
        self.scripts += tag == "script"
        self.svgs += tag == "svg"


def check_page(page, tmp_path, n_scripts: int, min_svgs: int) -> None:
    res = dump_dom(page, tmp_path / f"profile-{page.stem}")
    dom = _Dom()
    dom.feed(res.stdout)
    assert "data-pwned" not in dom.body_attrs, dom.body_attrs
    assert not [i for i in dom.ids if i.startswith("pwned")], dom.ids
    assert "img" not in dom.tags and "iframe" not in dom.tags
    assert dom.scripts == n_scripts  # the bundle and the page's own script, nothing injected
    assert set(dom.tags) <= ALLOWED, set(dom.tags) - ALLOWED
    assert dom.svgs >= min_svgs, "charts not rendered"
    assert not console_lines(res), "console output:\n" + "\n".join(console_lines(res))


@pytest.fixture(scope="module")
def evil(results_2026):
    return [hostile(regions_dict(results_2026["hormuz-partial"])), hostile(results_2026["red-sea"])]


@needs_browser
@pytest.mark.slow
def test_brief_html_from_hostile_names_and_titles(evil, tmp_path):
    page = rb.write_brief([], tmp_path / "brief.html", results=evil)[0]
    text = page.read_text()
    assert (
        "<img" not in text.split('<script type="text/javascript">')[0]
    )  # the markup before the bundle
    assert 'id="chart-1-compare"' in text and 'id="chart-2-path-x-img-src-x-id-pwned-name-' in text
    check_page(page, tmp_path, n_scripts=2, min_svgs=len(rb.build_brief(evil)["charts"]))


def _sensitivity():
    rows = [
        {"share": s, "duration_days": d, "p50": 0.1 * s * d / 30, "base": (s, d) == (0.5, 30)}
        for s in (0.5, 1.0)
        for d in (30, 60)
    ]
    return charts.sensitivity(
        rows,
        scenario_name=NAME,
        chokepoint=TITLE,
        as_of=AS_OF.isoformat(),
        snapshot="0" * 64,
        draws=300,
    )


@needs_browser
@pytest.mark.parametrize("kind", ["path", "compare", "regions", "gallon", "sensitivity"])
def test_chart_html_from_hostile_names_and_titles(evil, tmp_path, kind):
    chart = {
        "path": lambda: charts.path(evil[0]),
        "compare": lambda: charts.compare(evil),
        "regions": lambda: charts.regions(evil[0]),
        "gallon": lambda: charts.gallon(evil[0]),
        "sensitivity": _sensitivity,
    }[kind]()
    page = save(chart, tmp_path / f"{kind}.html")
    text = page.read_text()
    assert "</script><script>" not in text and "<!--<script>" not in text
    check_page(page, tmp_path, n_scripts=2, min_svgs=1)


def test_markdown_brief_escapes_markup(evil, tmp_path):
    md = rb.write_brief([], tmp_path / "brief.md", results=evil[1:], images="svg")[0].read_text()
    assert "<img" not in md and "<script" not in md and "](javascript" not in md
    assert "&lt;/script&gt;" in md


@pytest.mark.parametrize(
    ("ext", "char"), [(".svg", "\x00"), (".png", "\x00"), (".html", "\x1b"), (".json", "\u2028")]
)
def test_control_characters_in_a_chart_are_refused_before_rendering(
    results_2026, tmp_path, ext, char
):
    # vl-convert's SVG writer aborts the whole process (exit 134) on a NUL; refuse it first, write nothing.
    d = copy.deepcopy(results_2026["red-sea"])
    d["scenario"]["title"] = f"a{char}b"
    with pytest.raises(rd.ReportError, match=f"U\\+{ord(char):04X}"):
        save(charts.path(d), tmp_path / f"c{ext}")
    assert list(tmp_path.iterdir()) == []


def test_regions_chart_without_household_counts(results_2026):
    # A snapshot without a household count at as_of gives regions without household costs.
    d = copy.deepcopy(regions_dict(results_2026["red-sea"]))
    for r in d["regions"]:
        r["household_usd_total"] = None
    spec = body(charts.regions(d).to_dict())
    assert "a household there pays" not in spec["title"]["text"]
    assert spec["vconcat"] and all(len(section["hconcat"]) == 1 for section in spec["vconcat"])


def test_brief_says_which_charts_the_data_cannot_support(results_2026, tmp_path):
    d = copy.deepcopy(results_2026["red-sea"])
    d["scenario"]["disruptions"].append(
        dict(d["scenario"]["disruptions"][0], chokepoint="danish_straits")
    )
    # The chart windows come from the resolved disruptions (the scenario as it applies at as_of).
    resolved = d["resolved"]["disruptions"]
    resolved.append(
        dict(resolved[0], chokepoint="danish_straits", key=f"disruptions[{len(resolved)}]")
    )
    b = rb.build_brief([d])
    assert any(
        "Chart omitted: red-sea: no PortWatch transits before 2026-02-27 for danish_straits" in x
        for x in b["limits"]
    )
    assert any(
        cid.startswith("chart-") and "transits" in cid for cid, _, _ in b["charts"]
    )  # bab_el_mandeb still shown


def test_a_markdown_brief_that_fails_half_way_leaves_no_images(results_2026, tmp_path, monkeypatch):
    from oilshock.report.output import OutputError

    real, calls = save, []

    def full_after_one(chart, path):
        calls.append(path)
        if len(calls) > 1:
            raise OutputError(f"{path}: cannot write the file: No space left on device")
        return real(chart, path)

    monkeypatch.setattr(rb.export, "save", full_after_one)
    with pytest.raises(OutputError):
        rb.write_brief([], tmp_path / "brief.md", results=[results_2026["red-sea"]], images="svg")
    assert len(calls) == 2 and list(tmp_path.iterdir()) == []


def test_svg_escapes_hostile_text(evil, tmp_path):
    svg = save(charts.path(evil[0]), tmp_path / "p.svg").read_text()
    assert "<script" not in svg and "<img" not in svg and "&lt;/script&gt;" in svg
