"""The scheduled stage: recomputing every result, chart and briefing as the data update.

:mod:`oilshock.schedule.recompute` runs every preset and user scenario into
``OUTDIR/<as-of date>/`` with a ``latest`` link (``oilshock refresh … && oilshock recompute``).
"""
