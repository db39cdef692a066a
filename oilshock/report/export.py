"""Write a chart to a file; the file's extension picks the format.

====== ==================================================================
.html  one self-contained page: Vega, Vega-Lite and vega-embed inlined
       (vl-convert's bundle), so it opens on a closed network
.png   raster image (vl-convert), at ``scale`` × the chart's size
.svg   vector image (vl-convert)
.json  the Vega-Lite spec
====== ==================================================================

vl-convert renders in an embedded JavaScript engine: no browser, no network. PNG and SVG are
laid out (and PNG drawn) with the bundled font, Liberation Sans (:data:`oilshock.report.style.FONTS_DIR`,
registered once per process by :func:`register_fonts`), so their layout is the same on every
machine. (vl-convert carries the same family as its own fallback; a machine with the older
Liberation Sans 1.x installed draws its slightly different glyphs at the same widths.) An SVG or
HTML chart is drawn by the program that opens it, with the theme's font stack
(:data:`oilshock.report.style.FONT`: metric-compatible fonts after the bundled one). The font is not
embedded in those files: its two faces would add about 1.1 MB to each.

Every file is written all at once (:func:`oilshock.report.output.write_atomic`): a
failed write leaves no partial or empty file.
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path

from oilshock.report.data import ReportError
from oilshock.report.output import check_output_path, script_json, write_atomic

# Characters XML 1.0 forbids: vl-convert's SVG writer aborts the process on them (a Rust panic, exit 134).
# U+2028/2029 too: Vega-Lite copies axis titles into Vega expressions, whose parser rejects them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u2028\u2029]")

# The page vl-convert's vegalite_to_html(bundle=True) writes, with the spec escaped for the <script> element
# (vl-convert inlines it raw, so a "</script>" in a title would end the element and run what follows).
_HTML = """<!DOCTYPE html>
<html>
  <head>
    <style>
        vega-chart.vega-embed {{ width: 100%; display: flex; }}
        vega-chart.vega-embed details, vega-chart.vega-embed details summary {{ position: relative; }}
    </style>
    <meta charset="UTF-8">
    <title>{title}</title>
    <script type="text/javascript">{bundle}</script>
  </head>
  <body>
    <div id="vega-chart"></div>
    <script type="text/javascript">
{{
    const spec = {spec};
    vegaEmbed("#vega-chart", spec, {{"renderer": "svg"}}).catch(console.error);
}}
    </script>
  </body>
</html>
"""

FORMATS = (".html", ".png", ".svg", ".json")
PNG_SCALE = 2  # [×] sharp on high-density screens and in print


def spec(chart) -> dict:
    """The chart's Vega-Lite spec as a dict; a :class:`ReportError` if a string in it holds a character XML forbids.

    The spec is not validated against the Vega-Lite JSON schema here: the charts are the package's
    own, validated by the tests (``tests/report/test_charts.py``), and validation is most of the
    cost of turning a chart into a spec (about 10 of the 24 s of a two-scenario brief).
    """
    d = chart.to_dict(validate=False) if hasattr(chart, "to_dict") else chart
    _check_text(d)
    return d


def _check_text(v, where: str = "spec") -> None:
    if isinstance(v, str):
        bad = _NOT_XML.search(v)
        if bad:
            raise ReportError(
                f"chart {where}: the text {v[:60]!r} holds the control character U+{ord(bad.group()):04X}"
            )
    elif isinstance(v, dict):
        for k, x in v.items():
            _check_text(x, k if where == "spec" else f"{where}.{k}")
    elif isinstance(v, list):
        for x in v:
            _check_text(x, where)


@functools.cache
def register_fonts() -> None:
    """Make the bundled font (:data:`oilshock.report.style.FONTS_DIR`) known to vl-convert; once per process.

    Called before every PNG and SVG rendering, so a chart never falls back to whatever sans-serif
    the machine has. A missing folder (a broken install) is an error rather than a silent fallback.
    """
    import vl_convert as vlc

    from oilshock.report.style import FONT_FAMILY, FONTS_DIR

    if not any(FONTS_DIR.glob("*.ttf")):
        raise ReportError(f"the bundled font {FONT_FAMILY} is missing from {FONTS_DIR}")
    vlc.register_font_directory(str(FONTS_DIR))


def to_png(chart, scale: float = PNG_SCALE) -> bytes:
    import vl_convert as vlc

    register_fonts()
    return vlc.vegalite_to_png(spec(chart), scale=scale)


def to_svg(chart) -> str:
    import vl_convert as vlc

    register_fonts()
    return vlc.vegalite_to_svg(spec(chart))


def to_html(chart) -> str:
    """A standalone HTML page with every JavaScript library inlined (no network needed).

    Every string of the spec is escaped for the inline ``<script>``
    (:func:`oilshock.report.output.script_json`); the page title for HTML text.
    """
    d = spec(chart)
    title = d.get("title", {})
    title = title.get("text", "Chart") if isinstance(title, dict) else str(title or "Chart")
    return _HTML.format(
        title=html.escape(str(title)), bundle=javascript_bundle(), spec=script_json(d)
    )


@functools.lru_cache(maxsize=1)
def javascript_bundle() -> str:
    """Vega + Vega-Lite + vega-embed as one script (about 0.9 MB).

    vl-convert builds it in about 1.5 s, the same bytes for one vl-convert version, so it is kept
    in the cache folder (beside the fitted parameters) under that version, and in memory for the
    process. A cache that cannot be read or written is skipped, never an error.
    """
    import hashlib

    import vl_convert as vlc

    from oilshock.forecast.params import cache_dir

    version = getattr(vlc, "__version__", "unknown")
    folder = cache_dir() / "javascript"
    path = folder / f"vl-convert-{version}.js"
    digest = folder / f"vl-convert-{version}.sha256"
    bundle = None
    try:
        if path.is_file() and digest.is_file():
            text = path.read_text(encoding="utf-8")
            if hashlib.sha256(text.encode()).hexdigest() == digest.read_text().strip():
                bundle = text
    except (OSError, UnicodeError, ValueError):
        bundle = None
    if bundle is None:
        bundle = vlc.javascript_bundle()
        try:
            from oilshock.report.output import write_atomic

            write_atomic(path, bundle)
            write_atomic(digest, hashlib.sha256(bundle.encode()).hexdigest() + "\n")
        except Exception:  # a cache is an optimisation: any failure to keep it is skipped
            pass
    if "</script" in bundle.lower():  # never expected; guard so a page cannot break silently
        raise ReportError("the JavaScript bundle contains '</script' and cannot be inlined")
    return bundle


def check_format(path: str | Path) -> str:
    """The format of ``path`` from its extension, or a :class:`ReportError` (exit code 2)."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise ReportError(
            f"{path}: unknown output format '{ext or '(none)'}'; use one of {', '.join(FORMATS)}"
        )
    return ext


def save(chart, path: str | Path) -> Path:
    """Write ``chart`` to ``path`` in the format its extension names.

    Parameters
    ----------
    chart : altair chart or dict
        A chart from :mod:`oilshock.report.charts` (or its Vega-Lite dict).
    path : str or Path
        Output file; ``.html``, ``.png``, ``.svg`` or ``.json``.

    Returns
    -------
    Path
        The file written.
    """
    path = check_output_path(path)
    ext = check_format(path)
    if ext == ".png":
        data = to_png(chart)
    elif ext == ".svg":
        data = to_svg(chart)
    elif ext == ".html":
        data = to_html(chart)
    else:
        data = json.dumps(spec(chart), indent=2, allow_nan=False)
    return write_atomic(path, data)
