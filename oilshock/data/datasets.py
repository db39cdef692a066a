"""The datasets of a snapshot: loading one (point in time), listing them, validating files.

A *snapshot* is one directory holding a file per dataset (Parquet for series
built by ingest, CSV for hand-transcribed reference tables under
``reference/``) and ``manifest.json`` (:mod:`oilshock.data.manifest`). Which
directory is read is decided in :mod:`oilshock.data.location`; files are read
by :mod:`oilshock.data.files`.

Loading trusts the snapshot: contracts were checked when the data entered
(:mod:`oilshock.ingest`), so :func:`load_dataset` only checks the file's
sha256 against the manifest, which is cheap and catches a corrupted or
hand-edited file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from oilshock.data.files import (
    _is_panic,
    check_figures,
    read_csv_strict,
    read_frame,
    read_parquet_checked,
    regular_file,
)
from oilshock.data.location import MANIFEST
from oilshock.data.manifest import _check_file, read_manifest, snapshot_sha256
from oilshock.errors import SnapshotError


def load_dataset(name: str, as_of: dt.date | None = None, directory: Path | None = None):
    """Load a dataset from the snapshot, optionally point-in-time.

    Parameters
    ----------
    name : str
        Dataset name (see ``oilshock data list``).
    as_of : datetime.date, optional
        Keep only rows whose period had ended on or before this date (see
        :func:`oilshock.periods.period_end`). Reference tables without a
        time column are returned whole.
    directory : Path, optional
        Data directory; default :func:`data_dir`.

    Returns
    -------
    polars.DataFrame
    """
    import polars as pl

    from oilshock.data.contracts import get_contract

    contract = get_contract(name)
    manifest = read_manifest(directory)
    entry = manifest.entry(name)
    path = manifest.directory / entry["file"]
    _check_file(path, entry, name, manifest.directory)
    frame = read_frame(path, contract)
    check_figures(frame, contract, entry, path)
    if as_of is not None and contract.time_column:
        frame = frame.filter(_known_by(pl, contract, as_of))
    return frame


def _known_by(pl, contract, as_of: dt.date):
    from oilshock.periods import known_by

    return known_by(pl.col(contract.time_column), contract.time_resolution, as_of)


def list_datasets(directory: Path | None = None) -> list[dict]:
    """One row per dataset in the snapshot: ``name``, ``rows``, ``first``, ``last``, ``source``."""
    manifest = read_manifest(directory)
    return [
        {
            "name": name,
            "rows": e["rows"],
            "first": e["first"],
            "last": e["last"],
            "source": e["publisher"],
        }
        for name, e in sorted(manifest.datasets.items())
    ]


def validate_snapshot(directory: Path | None = None) -> list[dict]:
    """Check every file of a snapshot against the manifest hash and its contract.

    Returns one row per dataset (``name``, ``rows``, ``status``); raises the
    first :class:`~oilshock.errors.DataContractError` or
    :class:`~oilshock.errors.SnapshotError` found.
    """
    from oilshock.data.contracts import get_contract, load_contracts, validate

    manifest = read_manifest(directory)
    missing = sorted(set(load_contracts()) - set(manifest.datasets))
    if missing:
        raise SnapshotError(f"{manifest.directory}: manifest lacks dataset(s) {', '.join(missing)}")
    contracts = load_contracts()
    unknown = sorted(set(manifest.datasets) - set(contracts))
    if unknown:
        raise SnapshotError(
            f"{manifest.directory / MANIFEST}: lists dataset(s) {', '.join(unknown)} that no contract declares"
        )
    hashes = {}
    out = []
    for name, entry in sorted(manifest.datasets.items()):
        contract = get_contract(name)
        path = manifest.directory / entry["file"]
        if entry["file"] != contract.file:
            raise SnapshotError(
                f"{manifest.directory / MANIFEST}: dataset '{name}' is listed as file "
                f"{entry['file']!r}, its contract says {contract.file!r}"
            )
        hashes[name] = _check_file(path, entry, name, manifest.directory)
        frame = validate(read_frame(path, contract), name, str(path))
        check_figures(frame, contract, entry, path)
        out.append({"name": name, "rows": frame.height, "status": "ok"})
    if snapshot_sha256(hashes) != manifest.snapshot_sha256:
        raise SnapshotError(f"{manifest.directory}: snapshot_sha256 does not match the files")
    return out


VALIDATE_MAX_BYTES_ENV = "OILSHOCK_VALIDATE_MAX_BYTES"
# The largest dataset is a few MB; validation holds a file about ten times its size in memory.
VALIDATE_MAX_BYTES = 256 * 2**20
# Parquet is compressed: its row count (read from the footer) is bounded too.
VALIDATE_MAX_ROWS = 10_000_000


def validate_max_bytes() -> int:
    """The largest file ``data validate --dataset`` reads: ``$OILSHOCK_VALIDATE_MAX_BYTES``, else 256 MiB."""
    raw = os.environ.get(VALIDATE_MAX_BYTES_ENV)
    if raw is None or raw == "":
        return VALIDATE_MAX_BYTES
    if not raw.strip().isdigit() or int(raw) < 1:
        from oilshock.errors import ConfigError

        raise ConfigError(
            f"{VALIDATE_MAX_BYTES_ENV}={raw[:40]!r} is not a positive integer (bytes)"
        )
    return int(raw)


def validate_files(dataset: str, paths: list[Path], *, max_bytes: int | None = None) -> list[dict]:
    """Check user CSV or Parquet files against the contract of ``dataset``.

    The whole contract applies: the columns' checks and the ``[shape]`` rules
    (``min_rows``, ``date_grid``, ``no_future_dates``; see
    :func:`oilshock.data.shape.check_shape`). Files larger than ``max_bytes``
    (default :func:`validate_max_bytes`) and Parquet files of more than :data:`VALIDATE_MAX_ROWS` rows are refused
    before they are read, so a huge file costs no memory.
    """
    import polars as pl

    from oilshock.data.contracts import get_contract, validate
    from oilshock.data.shape import check_shape

    contract = get_contract(dataset)
    limit = validate_max_bytes() if max_bytes is None else max_bytes
    out = []
    for p in paths:
        p = Path(p)
        # A FIFO or a device would be read for ever: refused before the size check, which
        # they would pass (their size is 0).
        regular_file(p, None, f"data validate --dataset {dataset}")
        if not p.is_file():
            raise SnapshotError(
                f"{p}: no such file" + (" (it is a directory)" if p.is_dir() else "")
            )
        suffix = p.suffix.lower()
        if suffix not in (".csv", ".parquet"):
            raise SnapshotError(f"{p}: expected a .csv or .parquet file")
        size = p.stat().st_size
        if size > limit:
            raise SnapshotError(
                f"{p}: {size / 2**20:.1f} MiB, larger than the {limit / 2**20:.1f} MiB that data validate reads "
                f"({VALIDATE_MAX_BYTES_ENV}); split the file or raise the limit"
            )
        if suffix == ".parquet":
            try:
                rows = pl.scan_parquet(p).select(pl.len()).collect().item()
            except BaseException as exc:
                if not isinstance(
                    exc, pl.exceptions.PolarsError | OSError | ValueError
                ) and not _is_panic(exc):
                    raise
                rows = 0  # unreadable: read_parquet_checked says why
            if rows > VALIDATE_MAX_ROWS:
                raise SnapshotError(
                    f"{p}: {rows} rows, more than the {VALIDATE_MAX_ROWS} that data validate reads"
                )
            frame = read_parquet_checked(p, contract)
        else:
            frame = read_csv_strict(p, contract)
        frame = validate(frame, contract, str(p))
        # The whole contract, as for a snapshot: the [shape] rules (min_rows, the date grid,
        # no future dates); the comparisons with a current snapshot do not apply.
        check_shape(frame, contract, str(p))
        out.append({"name": str(p), "rows": frame.height, "status": "ok"})
    return out
