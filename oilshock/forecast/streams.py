"""The named, seeded random streams every Monte Carlo draws from (common random numbers).

Same seed, same streams, same draws: :func:`oilshock.forecast.simulate.run_draws` and
:func:`oilshock.forecast.sweep.sweep` take their draws from :func:`seed_streams`, so two runs at
one seed share every draw they have in common.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

DEFAULT_SEED = 20260301


class Streams(NamedTuple):
    """The independent random streams of one Monte Carlo, spawned from its seed in this order.

    Every run (:func:`run_draws`, :func:`oilshock.forecast.sweep.sweep`) takes its draws from these
    streams, so two runs at one seed share every draw they have in common (common random
    numbers).
    """

    supply: np.random.SeedSequence  # the scenario's ranges and the status quo's
    crude: np.random.SeedSequence  # the bootstrap replicate of M(h) per draw
    pump: np.random.SeedSequence  # the pass-through coefficients
    noise: np.random.SeedSequence  # market noise of the predictive paths
    politics: np.random.SeedSequence  # approval and seat draws; regions spawn from it
    channels: np.random.SeedSequence  # the news premium's and the margin's coefficient draws (#12)


def seed_streams(seed: int | None) -> Streams:
    """The named streams of ``seed`` (:data:`DEFAULT_SEED` when None)."""
    return Streams(*np.random.SeedSequence(resolve_seed(seed)).spawn(len(Streams._fields)))


def resolve_seed(seed: int | None) -> int:
    """``seed``, or the fixed :data:`DEFAULT_SEED` when None: same input, same output."""
    return DEFAULT_SEED if seed is None else seed
