"""Out-of-sample evaluation: the event catalog, proper scores and the scoring harness.

* :mod:`oilshock.evaluate.catalog` — the frozen event catalog and its rules;
* :mod:`oilshock.evaluate.scores` — sample CRPS, band coverage, binomial intervals;
* :mod:`oilshock.evaluate.run` — :func:`evaluate`, the rolling-origin harness;
* :mod:`oilshock.evaluate.report` — rows and Markdown for the CLI and ``docs/evaluation.md``.
"""


def evaluate(events=None, **kwargs):
    """See :func:`oilshock.evaluate.run.evaluate`."""
    from oilshock.evaluate.run import evaluate as _run

    return _run(events, **kwargs)
