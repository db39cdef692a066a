"""The data directory: where the validated snapshot lives, its manifest, and loading.

A *snapshot* is one directory holding a file per dataset (Parquet for series
built by ingest, CSV for hand-transcribed reference tables under
``reference/``) and ``manifest.json``, which records per dataset the
publisher, series ids, source URL, terms, retrieval date, raw-file sha256,
rows and first/last date, and one ``snapshot_sha256`` over all files.

Which directory is used, first match wins:

1. ``OILSHOCK_DATA_DIR`` (environment variable);
2. the user data directory (``$XDG_DATA_HOME/oilshock`` or
   ``~/.local/share/oilshock``), once a refresh has written a manifest there;
3. the snapshot packaged with oilshock (``data/`` in the source tree).

Loading trusts the snapshot: contracts were checked when the data entered
(:mod:`oilshock.ingest`), so :func:`load_dataset` only checks the file's
sha256 against the manifest, which is cheap and catches a corrupted or
hand-edited file.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from oilshock.errors import SnapshotError, UnknownNameError

MANIFEST = "manifest.json"


def packaged_data_dir() -> Path:
    """The snapshot shipped with the package (``oilshock/_data`` in a wheel, ``data/`` in a checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_data"
    return packaged if packaged.is_dir() else here.parent / "data"


def user_data_dir() -> Path:
    """Per-user data directory that refreshes write to (never site-packages)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "oilshock"


# Set by pinned(): every data_dir() call in that scope returns one resolved snapshot.
_PINNED: contextvars.ContextVar[list | None] = contextvars.ContextVar("oilshock_pinned_data_dir", default=None)


@contextlib.contextmanager
def pinned():
    """Within this block, :func:`data_dir` resolves once and then always returns that snapshot.

    A refresh may switch the data directory to a new snapshot at any moment;
    a command that reads the manifest several times (the estimate reads the
    default ``as_of``, then the parameters) must not read two snapshots. The
    CLI runs every command inside this block.
    """
    token = _PINNED.set([])
    try:
        yield
    finally:
        _PINNED.reset(token)


def data_dir() -> Path:
    """The data directory every command reads (see the module docstring for the order)."""
    pin = _PINNED.get()
    if pin is not None:
        if not pin:
            pin.append(_resolve(configured_data_dir()))
        return pin[0]
    return configured_data_dir()


def _resolve(directory: Path) -> Path:
    # A managed data directory is a link to an immutable snapshot (oilshock.storage):
    # resolving it pins that snapshot for every later read.
    return directory.resolve() if directory.is_symlink() else directory


def configured_data_dir() -> Path:
    """The data directory as configured (the link itself for a managed one, never pinned)."""
    env = os.environ.get("OILSHOCK_DATA_DIR")
    if env:
        return Path(env)
    user = user_data_dir()
    if (user / MANIFEST).is_file():
        return user
    return packaged_data_dir()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """The parsed ``manifest.json`` of a snapshot."""

    directory: Path
    raw: dict

    @property
    def snapshot_sha256(self) -> str:
        return self.raw["snapshot_sha256"]

    @property
    def datasets(self) -> dict[str, dict]:
        return self.raw["datasets"]

    def entry(self, name: str) -> dict:
        if name not in self.datasets:
            raise UnknownNameError("dataset", name, list(self.datasets))
        return self.datasets[name]


def read_manifest(directory: Path | None = None) -> Manifest:
    """Read the manifest of ``directory`` (default :func:`data_dir`)."""
    # Resolved once: the manifest and every file read through Manifest.directory
    # then come from the same snapshot even if a refresh switches the link meanwhile.
    directory = _resolve(Path(directory) if directory else data_dir())
    path = directory / MANIFEST
    if not path.is_file():
        raise SnapshotError(
            f"{directory}: no {MANIFEST}; this is not an oilshock data directory "
            "(run 'oilshock refresh --from DIR' to build one, or unset OILSHOCK_DATA_DIR)"
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{path}: not valid JSON ({exc})") from None
    return Manifest(directory, raw)


def snapshot_sha256(file_hashes: dict[str, str]) -> str:
    """One hash over a snapshot: sha256 of the sorted ``name:file-sha256`` lines."""
    lines = "".join(f"{k}:{file_hashes[k]}\n" for k in sorted(file_hashes))
    return hashlib.sha256(lines.encode()).hexdigest()


def read_frame(path: Path, contract):
    """Read one snapshot file with the contract's dtypes (Parquet or CSV)."""
    import polars as pl

    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    return read_csv_strict(path, contract)


def read_csv_strict(path: Path, contract):
    """Read a CSV with exactly the contract's dtypes; a value that does not parse is an error.

    Empty cells are nulls (the contract decides whether that is allowed).
    Nothing is coerced: ``"1,5"`` in a float column fails rather than
    becoming null.
    """
    import polars as pl

    from oilshock.errors import DataContractError

    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise DataContractError(contract.name, str(path), [{"column": "<file>", "rule": f"readable CSV ({exc})"}])
    return cast_strict(frame, contract, str(path))


def cast_strict(frame, contract, source: str):
    """Cast string columns to the contract's dtypes, refusing values that do not parse.

    Columns the contract does not know are left alone (validation then names
    them); a missing column is left to validation too.
    """
    import polars as pl

    from oilshock.errors import DataContractError

    failures = []
    exprs = []
    for col in contract.columns:
        if col.name not in frame.columns or frame.schema[col.name] != pl.String:
            continue
        target = contract.polars_schema()[col.name]
        s = pl.col(col.name).str.strip_chars()
        s = pl.when(s == "").then(None).otherwise(s)
        if col.dtype == "date":
            expr = s.str.to_date("%Y-%m-%d", strict=False)
        elif col.dtype == "bool":
            expr = s.str.to_lowercase().replace_strict({"true": True, "false": False}, default=None, return_dtype=pl.Boolean)
        else:
            expr = s.cast(target, strict=False)
        exprs.append(expr.alias(col.name))
        # A non-empty value that became null did not parse.
        bad = frame.with_row_index("_row").filter(s.is_not_null() & expr.is_null())
        if bad.height:
            failures.append(
                {
                    "column": col.name,
                    "rule": f"parses as {col.dtype}",
                    "rows": bad["_row"].to_list()[:5],
                    "values": bad[col.name].to_list()[:5],
                    "count": bad.height,
                }
            )
    if failures:
        raise DataContractError(contract.name, source, failures)
    return frame.with_columns(exprs) if exprs else frame


def load_dataset(name: str, as_of: dt.date | None = None, directory: Path | None = None):
    """Load a dataset from the snapshot, optionally point-in-time.

    Parameters
    ----------
    name : str
        Dataset name (see ``oilshock data list``).
    as_of : datetime.date, optional
        Keep only rows whose period had ended on or before this date (see
        :func:`oilshock.contracts.period_end`). Reference tables without a
        time column are returned whole.
    directory : Path, optional
        Data directory; default :func:`data_dir`.

    Returns
    -------
    polars.DataFrame
    """
    import polars as pl

    from oilshock.contracts import get_contract

    contract = get_contract(name)
    manifest = read_manifest(directory)
    entry = manifest.entry(name)
    path = manifest.directory / entry["file"]
    if not path.is_file():
        raise SnapshotError(f"{path}: listed in the manifest but missing")
    if sha256_file(path) != entry["sha256"]:
        raise SnapshotError(
            f"{path}: sha256 differs from the manifest; the snapshot was modified outside "
            "oilshock (run 'oilshock refresh' to rebuild it)"
        )
    frame = read_frame(path, contract)
    if as_of is not None and contract.time_column:
        frame = frame.filter(_known_by(pl, contract, as_of))
    return frame


def _known_by(pl, contract, as_of: dt.date):
    col = pl.col(contract.time_column)
    if contract.time_resolution == "year":
        return col <= (as_of.year if as_of.month == 12 and as_of.day == 31 else as_of.year - 1)
    if contract.time_resolution == "month":
        return col.dt.month_end() <= as_of
    return col <= as_of


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
    from oilshock.contracts import get_contract, load_contracts, validate

    manifest = read_manifest(directory)
    missing = sorted(set(load_contracts()) - set(manifest.datasets))
    if missing:
        raise SnapshotError(f"{manifest.directory}: manifest lacks dataset(s) {', '.join(missing)}")
    hashes = {}
    out = []
    for name, entry in sorted(manifest.datasets.items()):
        path = manifest.directory / entry["file"]
        if not path.is_file():
            raise SnapshotError(f"{path}: listed in the manifest but missing")
        digest = sha256_file(path)
        if digest != entry["sha256"]:
            raise SnapshotError(f"{path}: sha256 {digest[:12]}… differs from the manifest's {entry['sha256'][:12]}…")
        hashes[name] = digest
        frame = validate(read_frame(path, get_contract(name)), name, str(path))
        if frame.height != entry["rows"]:
            raise SnapshotError(f"{path}: {frame.height} rows, manifest says {entry['rows']}")
        out.append({"name": name, "rows": frame.height, "status": "ok"})
    if snapshot_sha256(hashes) != manifest.snapshot_sha256:
        raise SnapshotError(f"{manifest.directory}: snapshot_sha256 does not match the files")
    return out


def validate_files(dataset: str, paths: list[Path]) -> list[dict]:
    """Check user CSV or Parquet files against the contract of ``dataset``."""
    import polars as pl

    from oilshock.contracts import get_contract, validate

    contract = get_contract(dataset)
    out = []
    for p in paths:
        p = Path(p)
        if not p.is_file():
            raise SnapshotError(f"{p}: no such file")
        if p.suffix.lower() == ".parquet":
            frame = pl.read_parquet(p)
        elif p.suffix.lower() == ".csv":
            frame = read_csv_strict(p, contract)
        else:
            raise SnapshotError(f"{p}: expected a .csv or .parquet file")
        validate(frame, contract, str(p))
        out.append({"name": str(p), "rows": frame.height, "status": "ok"})
    return out
