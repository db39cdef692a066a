"""oilshock: what an oil chokepoint disruption does to US gasoline prices, households and elections.

The package is laid out by stage, in the order data flows: ``sources`` and ``ingest`` (public
files and APIs into a validated snapshot) → ``data`` (contracts, the snapshot, storage) →
``scenario`` (what a disruption is) and ``model`` (the fitted links) → ``estimate`` (the Monte
Carlo and its result) → ``evaluate`` (scores on past events) → ``report`` (charts, brief,
tables) → ``schedule`` (recompute) → ``cli``.

The public API is small:

- :func:`estimate` — a scenario's crude and pump-price paths with bands, an
  :class:`EstimateResult`.
- :class:`Scenario` and :func:`load_scenario` — a preset or a scenario TOML file.
- :func:`load_dataset` — a validated dataset from the snapshot, optionally ``as_of`` a date;
  :func:`list_datasets` — what the snapshot holds.
- :func:`run_backtest` — historical episodes, predicted vs actual.
- :func:`run_evaluation` — out-of-sample scores on the event catalog (``oilshock evaluate``).

Names are imported on first use, so ``import oilshock`` stays light.
"""

from __future__ import annotations

from oilshock._version import __version__

# Public name → the module that defines it; imported on first access (PEP 562).
_PUBLIC = {
    "estimate": "oilshock.forecast.simulate",
    "EstimateResult": "oilshock.forecast.result",
    "Scenario": "oilshock.scenario.parse",
    "load_scenario": "oilshock.scenario.spec",
    "load_dataset": "oilshock.data.datasets",
    "list_datasets": "oilshock.data.datasets",
}


def __getattr__(name: str):
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'oilshock' has no attribute {name!r}")


def run_backtest(episodes=None, **kwargs):
    """See :func:`oilshock.evaluate.backtest.run_backtest`."""
    from oilshock.evaluate.backtest import run_backtest as _run

    return _run(episodes, **kwargs)


def run_evaluation(events=None, **kwargs):
    """See :func:`oilshock.evaluate.run.evaluate`."""
    from oilshock.evaluate.run import evaluate as _run

    return _run(events, **kwargs)


__all__ = [
    "EstimateResult",
    "Scenario",
    "__version__",
    "estimate",
    "list_datasets",
    "load_dataset",
    "load_scenario",
    "run_backtest",
    "run_evaluation",
]
