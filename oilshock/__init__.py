"""oilshock: what an oil chokepoint disruption does to US gasoline prices, households and elections.

The public API is small and grows issue by issue:

- :func:`load_dataset` — a validated dataset from the snapshot, optionally ``as_of`` a date.
- :func:`list_datasets` — what the snapshot holds.
"""

from __future__ import annotations

__version__ = "0.1.0"

from oilshock.datasets import list_datasets, load_dataset  # noqa: E402

__all__ = ["__version__", "list_datasets", "load_dataset"]
