"""Charts and briefings: what most readers see of oilshock.

- :mod:`oilshock.report.style` — one accessible theme and the source line.
- :mod:`oilshock.report.data` — the figures the charts state, as rows.
- :mod:`oilshock.report.charts` — one function per chart, each returning an altair chart.
- :mod:`oilshock.report.export` — save a chart as HTML, PNG, SVG or Vega-Lite JSON.
- :mod:`oilshock.report.brief` — the self-contained HTML (or Markdown) briefing.
- :mod:`oilshock.report.tables` — the estimate as named tables and CSV.
- :mod:`oilshock.report.workbook` — the estimate as an Excel workbook (About, parts, averages).

altair and vl-convert are imported here, never on the warm ``estimate`` path.
"""
