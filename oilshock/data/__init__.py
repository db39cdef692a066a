"""The data stage: contracts, the validated snapshot, its storage and its differences.

- :mod:`oilshock.data.contracts` — ``schemas/*.toml`` turned into pandera (polars) schemas,
  the shape rules a new snapshot must meet.
- :mod:`oilshock.data.location` — which data directory is read (``data_dir``), pinned per command.
- :mod:`oilshock.data.manifest` — a snapshot's manifest: reading it, its shape and its hash checks.
- :mod:`oilshock.data.files` — reading one data file safely (regular files, strict CSV dtypes).
- :mod:`oilshock.data.datasets` — :func:`~oilshock.data.datasets.load_dataset` (point in time),
  listing and validating the datasets.
- :mod:`oilshock.data.storage` — atomic replacement of a data directory, kept history, the lock.
- :mod:`oilshock.data.diff` — what changed between two snapshots (``oilshock data diff``).

Nothing here imports a model, an estimate or a report.
"""
