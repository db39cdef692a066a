"""Write a chart to a file; the file's extension picks the format.

====== ==================================================================
.html  one self-contained page: Vega, Vega-Lite and vega-embed inlined
       (vl-convert's bundle), so it opens on a closed network
.png   raster image (vl-convert), at ``scale`` × the chart's size
.svg   vector image (vl-convert)
.json  the Vega-Lite spec
====== ==================================================================

vl-convert renders in an embedded JavaScript engine: no browser, no network.
"""

from __future__ import annotations

import json
from pathlib import Path

from oilshock.report.data import ReportError

FORMATS = (".html", ".png", ".svg", ".json")
PNG_SCALE = 2  # [×] sharp on high-density screens and in print


def spec(chart) -> dict:
    """The chart's Vega-Lite spec as a dict."""
    return chart.to_dict() if hasattr(chart, "to_dict") else chart


def to_png(chart, scale: float = PNG_SCALE) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec(chart), scale=scale)


def to_svg(chart) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec(chart))


def to_html(chart) -> str:
    """A standalone HTML page with every JavaScript library inlined (no network needed)."""
    import vl_convert as vlc

    return vlc.vegalite_to_html(spec(chart), bundle=True)


def check_format(path: str | Path) -> str:
    """The format of ``path`` from its extension, or a :class:`ReportError` (exit code 2)."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise ReportError(f"{path}: unknown output format '{ext or '(none)'}'; use one of {', '.join(FORMATS)}")
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
    path = Path(path)
    ext = check_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if ext == ".png":
        path.write_bytes(to_png(chart))
    elif ext == ".svg":
        path.write_text(to_svg(chart), encoding="utf-8")
    elif ext == ".html":
        path.write_text(to_html(chart), encoding="utf-8")
    else:
        path.write_text(json.dumps(spec(chart), indent=2, allow_nan=False), encoding="utf-8")
    return path
