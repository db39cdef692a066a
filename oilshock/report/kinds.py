"""The chart kinds, named once: ``oilshock chart KIND`` and :func:`oilshock.report.make.make_chart`.

A module of its own so that the CLI can list the kinds without importing altair.
"""

KINDS = ("path", "compare", "gallon", "transits", "sensitivity", "regions", "backtest")
