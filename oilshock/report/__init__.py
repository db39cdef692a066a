"""Charts and briefings: what most readers see of oilshock.

- :mod:`oilshock.report.style` — one accessible theme and the source line.
- :mod:`oilshock.report.data` — the figures the charts state, as rows.
- :mod:`oilshock.report.charts` — one function per chart, each returning an altair chart.
- :mod:`oilshock.report.export` — save a chart as HTML, PNG, SVG or Vega-Lite JSON.
- :mod:`oilshock.report.brief` — the self-contained HTML (or Markdown) briefing.

altair and vl-convert are imported here, never on the warm ``estimate`` path.
"""
