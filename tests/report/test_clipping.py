"""No chart's text is clipped: every title, subtitle, label and footnote line of every chart kind,
rendered to SVG, lies within the SVG's canvas, measured by a browser with the bundled font."""

from __future__ import annotations

import base64
import html
import json
import re

from .conftest import dump_dom, needs_browser

SLACK = 1.0  # [px] a text may overhang the canvas by this much (anti-aliasing, rounding)


def families(svg: str) -> set[str]:
    """The first family named by every ``font-family`` attribute of an SVG."""
    return {
        html.unescape(f).split(",")[0].strip().strip("'\"")
        for f in re.findall(r'font-family="([^"]*)"', svg)
    }


def test_every_chart_names_the_bundled_font_first(every_kind):
    from oilshock.report import style
    from oilshock.report.export import to_svg

    assert sorted(p.name for p in style.FONTS_DIR.glob("*.ttf")) == [
        "LiberationSans-Bold.ttf",
        "LiberationSans-Regular.ttf",
    ]
    assert "Open Font License" in (style.FONTS_DIR / "LICENSE").read_text(encoding="utf-8")
    for kind, chart in every_kind.items():
        assert families(to_svg(chart)) == {style.FONT_FAMILY}, kind


# The page measures each chart's texts once the bundled font has loaded and writes the overhangs
# into the document, which Chromium's --dump-dom prints.
_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
@font-face {{ font-family: "{family}"; font-weight: 400; src: url(data:font/ttf;base64,{regular}); }}
@font-face {{ font-family: "{family}"; font-weight: 700; src: url(data:font/ttf;base64,{bold}); }}
body {{ margin: 0; }} svg {{ display: block; }}
</style></head><body>
{charts}
<pre id="out"></pre>
<script>
document.fonts.load('12px "{family}"').then(() => document.fonts.load('bold 12px "{family}"'))
  .then(() => document.fonts.ready).then(() => {{
  const out = [];
  for (const div of document.querySelectorAll("div.chart")) {{
    const svg = div.querySelector("svg");
    const w = +svg.getAttribute("width"), h = +svg.getAttribute("height");
    const box = svg.getBoundingClientRect();
    const texts = svg.querySelectorAll("text");
    for (const t of texts) {{
      if (!t.textContent.trim()) continue;
      const r = t.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const left = box.left - r.left, top = box.top - r.top;
      const right = r.right - (box.left + w), bottom = r.bottom - (box.top + h);
      const over = Math.max(left, top, right, bottom);
      out.push({{kind: div.id, text: t.textContent, over: over,
                 box: [r.left - box.left, r.top - box.top, r.width, r.height], canvas: [w, h]}});
    }}
    if (!texts.length) out.push({{kind: div.id, text: null, over: 0}});
  }}
  document.getElementById("out").textContent = "RESULT" + JSON.stringify(out) + "END";
}});
</script></body></html>
"""


def measure(svgs: dict[str, str], tmp_path) -> list[dict]:
    """Every text of every SVG with its overhang beyond the canvas [px] (negative: inside)."""
    from oilshock.report import style

    def font(name):
        return base64.b64encode((style.FONTS_DIR / name).read_bytes()).decode()

    blocks = "\n".join(
        f'<div class="chart" id="{html.escape(kind)}">{re.sub(r"<[?]xml[^>]*>", "", svg)}</div>'
        for kind, svg in svgs.items()
    )
    page = tmp_path / "charts.html"
    page.write_text(
        _PAGE.format(
            family=style.FONT_FAMILY,
            regular=font("LiberationSans-Regular.ttf"),
            bold=font("LiberationSans-Bold.ttf"),
            charts=blocks,
        ),
        encoding="utf-8",
    )
    res = dump_dom(page, tmp_path / "profile")
    found = re.search(r"RESULT(.*?)END", res.stdout, re.S)
    assert found, "the page did not measure the charts: " + res.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


@needs_browser
def test_no_text_of_any_chart_falls_outside_its_canvas(every_kind, tmp_path):
    from oilshock.report.export import to_svg

    rows = measure({kind: to_svg(chart) for kind, chart in every_kind.items()}, tmp_path)
    measured = {r["kind"] for r in rows if r["text"] is not None}
    assert measured == set(every_kind), set(every_kind) - measured
    clipped = [
        f"{r['kind']}: {r['text']!r} overhangs by {r['over']:.1f} px "
        f"(box {[round(x) for x in r['box']]}, canvas {r['canvas']})"
        for r in rows
        if r["text"] is not None and r["over"] > SLACK
    ]
    assert not clipped, "text outside the chart:\n" + "\n".join(clipped)


@needs_browser
def test_the_measure_finds_a_clipped_text(tmp_path):
    """The check itself: a text drawn past the right edge is reported."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40" viewBox="0 0 100 40">'
        '<text x="10" y="20" font-family="Liberation Sans" font-size="12">inside</text>'
        '<text x="80" y="30" font-family="Liberation Sans" font-size="12">cut off here</text></svg>'
    )
    rows = measure({"probe": svg}, tmp_path)
    over = {r["text"]: r["over"] for r in rows}
    assert over["inside"] < 0 < over["cut off here"] - SLACK
