"""The data stage: contracts, the validated snapshot, its storage and its differences.

- :mod:`oilshock.data.contracts` — ``schemas/*.toml`` turned into pandera (polars) schemas,
  the shape rules a new snapshot must meet.
- :mod:`oilshock.data.datasets` — where the snapshot lives, its manifest and hash checks, and
  :func:`~oilshock.data.datasets.load_dataset` (point in time).
- :mod:`oilshock.data.storage` — atomic replacement of a data directory, kept history, the lock.
- :mod:`oilshock.data.diff` — what changed between two snapshots (``oilshock data diff``).

Nothing here imports a model, an estimate or a report.
"""
