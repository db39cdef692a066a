"""One look for every oilshock chart: palette, fonts, titles and the source line.

Every chart function in :mod:`oilshock.report.charts` ends with
:func:`finish`, so the CLI, the briefing and the notebook show identical
objects with identical styling. The theme is carried *inside* each spec (as
its ``config``) rather than registered as a global altair theme, so a spec
saved to JSON renders the same anywhere, and importing oilshock changes
nothing in a user's other altair charts.

Accessibility choices, and why:

* Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
  Design"), distinguishable under the common colour-vision deficiencies.
  A series is never told apart by colour alone: bands are lighter areas
  around a line, markers carry a text label.
* Text is Liberation Sans (bundled in ``fonts/``, SIL Open Font License) at
  12–16 px, dark grey on white (contrast above WCAG AA). Charts are laid out,
  and PNG images drawn, with the bundled font, so the layout is the same on
  every machine; an SVG or HTML chart is drawn by the program that opens it,
  which falls back to the metric-compatible Arimo, Arial or Helvetica, then to
  the system sans-serif, where Liberation Sans is not installed.
* Titles state the finding, computed from the data by the chart function;
  a one-line subtitle says what is shown; a footnote under the chart carries
  further notes, the estimate's state and warnings and, last, the source,
  as-of date and snapshot hash, so a chart pasted alone still says where it
  comes from.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from oilshock import text


def built_unchecked(build):
    """Build a chart without validating each altair object as it is made.

    By default altair validates every object against the Vega-Lite schema when
    it is constructed, and again whole when a spec is written; for a briefing's
    three dozen layered charts the piecewise checks are most of the cost of
    building them (about a third of a recompute). The package's own charts are
    validated whole by the tests (``tests/report/test_charts.py``), so the
    piecewise checks add nothing. Applied to each public chart function.
    """

    @functools.wraps(build)
    def run(*args, **kwargs):
        from altair.utils.schemapi import debug_mode

        with debug_mode(False):
            return build(*args, **kwargs)

    return run


@functools.cache
def _shared_data_type():
    import altair as alt

    class SharedData(alt.Data):
        """Inline data that altair's chart copies share instead of copying.

        Altair deep-copies a chart, data and all, at every ``layer``, ``vconcat``,
        ``properties`` and ``resolve_*`` call; with the rows copied at each step a
        briefing spent about a fifth of its time copying the same rows. Nothing
        modifies the rows once a chart holds them, so sharing them is safe.
        """

        def __deepcopy__(self, memo=None):
            return self

    return SharedData


def inline(rows: list[dict]):
    """Chart data given inline (``alt.Data(values=rows)``), shared between copies of the chart."""
    return _shared_data_type()(values=rows)


@functools.cache
def _plain_data_type():
    class PlainData(_shared_data_type()):
        """Shared inline data whose rows hold JSON scalars only, written to the spec as they are.

        Altair walks every value of inline rows when it writes a spec (a dozen type checks each);
        for the explorer's tens of thousands of rows that walk was a third of the page's time.
        """

        def to_dict(self, *args, **kwargs):
            return {"values": self._kwds["values"]}

    return PlainData


def inline_plain(rows: list[dict]):
    """:func:`inline` for rows of JSON scalars only (str, int, float, bool, None): not walked by altair."""
    return _plain_data_type()(values=rows)


# Okabe–Ito, by role. Names say what they are used for so charts stay consistent.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GASOLINE = OKABE_ITO["vermillion"]
BRENT = OKABE_ITO["blue"]
OBSERVED = "#555555"  # history, and everything that is data rather than model
BASELINE = "#777777"
ELECTION = OKABE_ITO["reddish_purple"]
ACTUAL = OKABE_ITO["black"]  # what happened after an estimate's as_of (a past as_of only)
STEO = OKABE_ITO["bluish_green"]  # EIA's Short-Term Energy Outlook of the as_of date
WINDOW = OKABE_ITO["orange"]
# Categorical order for scenarios, chokepoints, components: no yellow first (weak on white).
CATEGORICAL = [
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["orange"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]
# Sequential scheme for heat maps of one-signed values: viridis is perceptually uniform and
# colour-blind safe. Signed values (changes) use a diverging scheme centred on zero
# (``domainMid: 0``): blue for a fall, orange for a rise, colour-blind safe.
SEQUENTIAL = "viridis"
DIVERGING = "blueorange"
# Vega's number locale: negative numbers in every axis, legend and label carry a true minus
# sign (U+2212), as the text does (:data:`oilshock.text.MINUS`).
LOCALE = {
    "number": {
        "decimal": ".",
        "thousands": ",",
        "grouping": [3],
        "currency": ["$", ""],
        "minus": text.MINUS,
    }
}

# The bundled family (``fonts/``, registered with vl-convert by :mod:`oilshock.report.export`)
# first; then fonts with the same metrics for a browser that lacks it, so an HTML chart's labels
# take the width they were laid out for; the system sans-serif last.
FONT_FAMILY = "Liberation Sans"
FONT = f"'{FONT_FAMILY}', Arimo, Arial, Helvetica, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
TEXT = "#222222"
WIDTH = 620  # [px] fits an A4/Letter page column and a laptop screen
HEIGHT = 260  # [px] one panel

SOURCE = "oilshock; data: EIA, IMF PortWatch, FRED"


def config() -> dict[str, Any]:
    """The Vega-Lite ``config`` block every oilshock chart carries."""
    return {
        "font": FONT,
        "background": "white",
        "padding": 8,
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
        "title": {
            "anchor": "start",
            "fontSize": 16,
            "fontWeight": 600,
            "color": TEXT,
            "subtitleFontSize": 12,
            "subtitleColor": "#444444",
            "subtitlePadding": 4,
            "offset": 10,
        },
        "axis": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": 500,
            "labelColor": TEXT,
            "titleColor": TEXT,
            "gridColor": "#e6e6e6",
            "domainColor": "#888888",
            "tickColor": "#888888",
        },
        "header": {"labelFontSize": 13, "titleFontSize": 13, "labelColor": TEXT},
        "legend": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "orient": "bottom",
            "labelColor": TEXT,
        },
        "range": {"category": CATEGORICAL},
        "text": {"fontSize": 12, "color": TEXT},
        "locale": LOCALE,
    }


def source_line(as_of: str | None, snapshot_sha256: str | None, source: str = SOURCE) -> str:
    """The footer line: source, as-of date and the first 12 characters of the snapshot hash."""
    parts = [f"Source: {source}"]
    if as_of:
        parts.append(f"data as of {as_of}")
    if snapshot_sha256:
        parts.append(f"snapshot {snapshot_sha256[:12]}")
    return " · ".join(parts)


def finish(
    chart,
    title: str,
    subtitle: str | list[str],
    *,
    as_of: str | None,
    snapshot: str | None,
    source: str = SOURCE,
    state: list[str] | None = None,
):
    """Apply the finding title, a one-line subtitle, the footnote and the theme to a chart.

    Parameters
    ----------
    chart : altair chart
        Any top-level altair chart.
    title : str
        The finding, computed from the data (e.g. "Pump prices peak at $3.41 (+$0.47) 9 weeks in").
    subtitle : str or list of str
        What the chart shows: the first line is the subtitle, further lines go to the footnote,
        whose last line is the source line.
    as_of : str or None
        The data's as-of date [YYYY-MM-DD].
    snapshot : str or None
        The snapshot sha256 (shortened to 12 characters).
    source : str
        Publishers of the data shown.
    state : list of str, optional
        The estimate's state line and warnings, in the footnote just above the source line.
    """
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    head, rest = fit_subtitle(lines[0]) if lines else ([], "")
    notes = [
        *([rest] if rest else []),
        *lines[1:],
        *(state or []),
        source_line(as_of, snapshot, source),
    ]
    import altair as alt

    body = alt.vconcat(chart, footnote(notes), spacing=FOOTNOTE_SPACING).resolve_legend(
        color="independent", fill="independent", stroke="independent", opacity="independent"
    )
    return body.properties(title={"text": title, "subtitle": head}).configure(**config())


SUBTITLE_CHARS = 100  # [characters] about the chart's width at the subtitle's 12 px


def fit_subtitle(line: str) -> tuple[list[str], str]:
    """The subtitle kept within the chart's width, and what moves to the footnote.

    Whole sentences (and clauses after a semicolon) are kept while they fit in
    :data:`SUBTITLE_CHARS`; the rest goes to the footnote. A first sentence longer than that
    (a long scenario title) is wrapped, not cut.
    """
    import re
    import textwrap

    sentences = [s for s in re.split(r"(?<=[.;])\s+", line.strip()) if s]
    if not sentences:
        return [], ""
    kept = sentences[0]
    i = 1
    while i < len(sentences) and len(kept) + 1 + len(sentences[i]) <= SUBTITLE_CHARS:
        kept += " " + sentences[i]
        i += 1
    return textwrap.wrap(kept, SUBTITLE_CHARS, break_on_hyphens=False) or [kept], " ".join(
        sentences[i:]
    )


FOOTNOTE_SPACING = 14  # [px] between the chart and its footnote
FOOTNOTE_CHARS = 110  # wrap footnote lines at about the chart's width at 11 px


def footnote(lines: list[str]):
    """The footnote under a chart: what the subtitle leaves out (further notes, the estimate's
    state and warnings) and, last, the source line; a text mark, so it renders in every format."""
    import textwrap

    import altair as alt

    rows = [
        {"i": i, "line": part}
        for i, part in enumerate(
            p for line in lines for p in textwrap.wrap(line, FOOTNOTE_CHARS) or [""]
        )
    ]
    return (
        alt.Chart(inline(rows), height=15 * len(rows), width=10)
        .mark_text(align="left", baseline="top", fontSize=11, color="#444444")
        .encode(
            x=alt.value(0),
            y=alt.Y("i:O", axis=None),
            text="line:N",
        )
        .properties(view=alt.ViewConfig(stroke=None))
    )


def footnote_lines(spec: dict) -> list[str]:
    """The footnote's lines of a finished chart's spec (its last concatenated view)."""
    foot = spec["vconcat"][-1]
    return [r["line"] for r in foot["data"]["values"]]


def month_axis(dates, width: int, *, label_px: int = 70) -> dict[str, Any]:
    """Axis settings for a time axis labelled ``%b %Y``: ticks on month starts, every
    ``step`` months so the labels fit ``width`` [px], so no label is printed twice.

    ``dates`` are the ISO dates the axis spans (any order)."""
    import datetime as dt
    import math

    ds = sorted(str(x)[:10] for x in dates)
    months = 1
    if ds:
        a, b = dt.date.fromisoformat(ds[0]), dt.date.fromisoformat(ds[-1])
        months = max(1, (b.year - a.year) * 12 + b.month - a.month + 1)
    step = max(1, math.ceil(months / max(1, width // label_px)))
    return {"format": "%b %Y", "labelAngle": 0, "tickCount": {"interval": "month", "step": step}}


def usd(x: float, digits: int = 2) -> str:
    """``$3.41`` [USD]; ``−$1`` for a negative amount (a true minus sign; :func:`oilshock.text.money`)."""
    return text.money(x, digits)


def signed_usd(x: float, digits: int = 2) -> str:
    """``+$0.47`` / ``−$0.12`` / ``$0.00`` [USD], with a true minus sign (:func:`oilshock.text.money`)."""
    return text.money(x, digits, sign=True)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
