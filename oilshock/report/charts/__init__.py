"""The oilshock charts: one function per chart, each returning an altair chart.

Every function takes estimate results (:class:`~oilshock.forecast.result.EstimateResult`
or its :meth:`~oilshock.forecast.result.EstimateResult.to_dict` dict) or snapshot data,
draws from the rows of :mod:`oilshock.report.data`, and finishes with
:func:`oilshock.report.style.finish`: a title that states the finding,
computed from the data, a one-line subtitle, and a footnote ending in source,
as-of date and snapshot hash. The CLI (``oilshock chart``), the briefing and the notebooks
render these same objects; :func:`oilshock.report.export.save` writes them.

Data are embedded in each spec as inline values (``style.inline(...)``) so
a saved spec is self-contained and its rows can be checked in tests.

Dates are ISO strings on UTC scales: a reader west of Greenwich would
otherwise see every Monday labelled as the Sunday before.
"""

from oilshock.report.charts.compare import compare, compare_rows
from oilshock.report.charts.gallon import gallon
from oilshock.report.charts.path import path, turning_title
from oilshock.report.charts.regions import regions
from oilshock.report.charts.sensitivity import sensitivity
from oilshock.report.charts.transits import transits

__all__ = [
    "compare",
    "compare_rows",
    "gallon",
    "path",
    "regions",
    "sensitivity",
    "transits",
    "turning_title",
]
