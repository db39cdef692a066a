"""oilshock: what an oil chokepoint disruption does to US gasoline prices, households and elections.

The public API is small and grows issue by issue:

- :func:`load_dataset` — a validated dataset from the snapshot, optionally ``as_of`` a date.
- :func:`list_datasets` — what the snapshot holds.
- :func:`estimate` — a scenario's crude and pump-price paths with bands.
- :func:`load_scenario` — a preset or a scenario TOML file.
- :func:`run_backtest` — historical episodes, predicted vs actual.
- :func:`run_evaluation` — out-of-sample scores on the event catalog (``oilshock evaluate``).
"""

from __future__ import annotations

__version__ = "0.1.0"

from oilshock.datasets import list_datasets, load_dataset
from oilshock.scenario import load_scenario


def estimate(scenario, **kwargs):
    """See :func:`oilshock.simulate.estimate` (imported lazily to keep ``import oilshock`` light)."""
    from oilshock.simulate import estimate as _estimate

    return _estimate(scenario, **kwargs)


def run_backtest(episodes=None, **kwargs):
    """See :func:`oilshock.backtest.run_backtest`."""
    from oilshock.backtest import run_backtest as _run

    return _run(episodes, **kwargs)


def run_evaluation(events=None, **kwargs):
    """See :func:`oilshock.evaluate.run.evaluate` (named apart from the ``oilshock.evaluate`` package)."""
    from oilshock.evaluate.run import evaluate as _run

    return _run(events, **kwargs)


__all__ = [
    "__version__",
    "estimate",
    "list_datasets",
    "load_dataset",
    "load_scenario",
    "run_backtest",
    "run_evaluation",
]
