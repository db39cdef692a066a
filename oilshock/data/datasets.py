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
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from oilshock.data.shape import first_last
from oilshock.errors import SnapshotError, UnknownNameError

MANIFEST = "manifest.json"


def packaged_data_dir() -> Path:
    """The snapshot shipped with the package (``oilshock/_data`` in a wheel, ``data/`` in a checkout)."""
    here = Path(__file__).resolve().parents[1]
    packaged = here / "_data"
    return packaged if packaged.is_dir() else here.parent / "data"


def user_data_dir() -> Path:
    """Per-user data directory that refreshes write to (never site-packages)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "oilshock"


# Set by pinned(): every data_dir() call in that scope returns one resolved snapshot.
_PINNED: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "oilshock_pinned_data_dir", default=None
)


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
    # A managed data directory is a link to an immutable snapshot (oilshock.data.storage):
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
            from oilshock.data.contracts import load_contracts

            if name in load_contracts():
                raise SnapshotError(
                    f"{self.directory / MANIFEST}: has no dataset '{name}'; run 'oilshock refresh' "
                    "to rebuild the snapshot"
                )
            raise UnknownNameError("dataset", name, list(self.datasets))
        return self.datasets[name]


def read_manifest(directory: Path | None = None, *, legacy_ok: bool = False) -> Manifest:
    """Read and check the manifest of ``directory`` (default :func:`data_dir`).

    The manifest must be a JSON object of the shape oilshock writes (see
    :func:`check_manifest`) whose ``manifest_sha256`` matches its content, so
    an edited figure (``rows``, ``first``, ``last``, a hash) is refused here,
    before anything uses it. Whether the files match the manifest is checked
    by :func:`verify_files` (warm paths), :func:`load_dataset` and
    :func:`validate_snapshot`.

    ``legacy_ok`` accepts a manifest written before ``manifest_sha256``
    existed (a refresh reads the snapshot it replaces that way: it checks
    every carried file against its hash and contract anyway).

    Raises
    ------
    SnapshotError
        One line naming the manifest and what is wrong with it.
    """
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
        size = path.stat().st_size
        if size > MANIFEST_MAX_BYTES:
            raise SnapshotError(
                f"{path}: {size} bytes, far larger than an oilshock manifest; refusing to read it"
            )
        raw = json.loads(path.read_bytes().decode("utf-8"), parse_int=_manifest_int)
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise SnapshotError(
            f"{path}: not UTF-8 text; the manifest is damaged (run 'oilshock refresh' to rebuild it)"
        ) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise SnapshotError(
            f"{path}: not valid JSON ({_short(exc)}); run 'oilshock refresh' to rebuild it"
        ) from None
    check_manifest(raw, path, legacy_ok=legacy_ok)
    return Manifest(directory, raw)


# A manifest is about 40 kB; anything far larger is not one (and is not read into memory).
MANIFEST_MAX_BYTES = 16 * 2**20
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DATE_OR_YEAR = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}")


class _LongDigits(str):
    """An integer of a manifest too long to be one: kept as its text, so the check names its key."""


# Python refuses to convert more than 4,300 digits (a ValueError from inside json.loads, with
# no key named); no figure of a manifest needs more than a few.
_MANIFEST_INT_DIGITS = 30


def _manifest_int(text: str) -> int | str:
    """``int(text)``, or the text itself (:class:`_LongDigits`) when it is far too long for a manifest."""
    if len(text) > _MANIFEST_INT_DIGITS:
        return _LongDigits(f"{text[:20]}… ({len(text.lstrip('-'))} digits)")
    return int(text)


def _short(value, limit: int = 120) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def manifest_sha256(raw: dict) -> str:
    """sha256 of the manifest's content without its own ``manifest_sha256`` key (canonical JSON).

    It covers every figure a reader takes from the manifest (rows, first,
    last, file names and hashes, ``snapshot_sha256``), so a hand edit of any
    of them is detected when the manifest is read.
    """
    body = {k: v for k, v in raw.items() if k != "manifest_sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def check_manifest(raw, path: Path, *, legacy_ok: bool = False) -> None:
    """Refuse a manifest not of the shape oilshock writes, or whose content does not match its hashes.

    Raises
    ------
    SnapshotError
        Naming the manifest, the key and the rule (one line).
    """

    def bad(what: str) -> SnapshotError:
        return SnapshotError(
            f"{path}: {what}; the manifest is damaged or was edited (run 'oilshock refresh' to rebuild it)"
        )

    if not isinstance(raw, dict):
        raise bad(f"expected a JSON object, found {type(raw).__name__}")
    legacy = legacy_ok and isinstance(raw, dict) and "manifest_sha256" not in raw
    for key in ("snapshot_sha256",) if legacy else ("snapshot_sha256", "manifest_sha256"):
        if not isinstance(raw.get(key), str) or not _HEX64.fullmatch(raw[key]):
            raise bad(f"'{key}' is " + ("missing" if key not in raw else "not 64 hex digits"))
    datasets = raw.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        raise bad("'datasets' is missing or not a non-empty object")
    for name, e in datasets.items():
        where = f"datasets.{_short(name, 60)}"
        if not isinstance(e, dict):
            raise bad(f"'{where}' is not an object")
        f = e.get("file")
        if (
            not isinstance(f, str)
            or not f
            or "\x00" in f
            or Path(f).is_absolute()
            or ".." in Path(f).parts
        ):
            raise bad(
                f"'{where}.file' is not a relative path inside the data directory ({_short(f, 60)!r})"
            )
        if not isinstance(e.get("sha256"), str) or not _HEX64.fullmatch(e["sha256"]):
            raise bad(f"'{where}.sha256' is not 64 hex digits")
        rows = e.get("rows")
        if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
            raise bad(f"'{where}.rows' is not a non-negative integer ({_short(rows, 40)!r})")
        for k in ("first", "last"):
            v = e.get(k)
            if v is None:
                continue
            ok = isinstance(v, str) and _DATE_OR_YEAR.fullmatch(v)
            if ok and len(v) == 10:
                try:
                    dt.date.fromisoformat(v)
                except ValueError:
                    ok = False
            if not ok:
                raise bad(f"'{where}.{k}' is not a date or a year ({_short(v, 40)!r})")
    if not legacy and manifest_sha256(raw) != raw["manifest_sha256"]:
        raise bad("its content does not match its manifest_sha256")
    if snapshot_sha256({n: e["sha256"] for n, e in datasets.items()}) != raw["snapshot_sha256"]:
        raise bad("'snapshot_sha256' does not match the file hashes it lists")


def verify_files(manifest: Manifest) -> None:
    """Check that every file the manifest lists exists and has the sha256 it records.

    The warm path's check: an estimate served from cached parameters reads
    no data file, so nothing else would notice a damaged snapshot. Every file
    is hashed — about 2 ms for the packaged snapshot (``docs/reliability.md``).

    Raises
    ------
    SnapshotError
        The first file that is missing, unreadable or different.
    """
    for name, entry in sorted(manifest.datasets.items()):
        _check_file(manifest.directory / entry["file"], entry, name, manifest.directory)


def regular_file(
    path: Path, root: Path | None, what: str, *, inside: str = "the data directory"
) -> None:
    """Refuse, before opening it, a path that is not a regular file inside ``root``.

    A FIFO blocks the reader for ever and a link to ``/dev/zero`` never ends: either would
    hang ``data validate`` or an estimate. A link is followed only when it stays inside
    ``root`` (the data directory), so a snapshot cannot read files from elsewhere.

    Parameters
    ----------
    path : Path
        The file to be read.
    root : Path or None
        The folder it must stay inside once links are followed (None: anywhere).
    what : str
        How the message names it (``dataset 'brent_daily'``).
    inside : str
        How the message names ``root``.

    Raises
    ------
    SnapshotError
        One line naming the path, what it is and ``what`` (exit 1). A missing path is left
        to the reader, which reports it.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot be read ({exc.strerror or exc}; {what})") from None
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        # (A directory blocks nothing: its reader says what it is.)
        kind = (
            "a FIFO"
            if stat.S_ISFIFO(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "not a regular file"
        )
        raise SnapshotError(f"{path}: is {kind}, not a regular file ({what}); refused unread")
    if root is not None:
        # The whole path is resolved: a linked folder on the way leads outside as well.
        target = path.resolve()
        if not target.is_relative_to(Path(root).resolve()):
            raise SnapshotError(
                f"{path}: a link to {target}, outside {inside} ({what}); refused unread"
            )


def _check_file(path: Path, entry: dict, name: str, root: Path | None = None) -> str:
    regular_file(path, root, f"dataset '{name}'")
    try:
        digest = sha256_file(path)
    except FileNotFoundError:
        raise SnapshotError(
            f"{path}: listed in the manifest but missing (dataset '{name}')"
        ) from None
    except OSError as exc:
        raise SnapshotError(
            f"{path}: cannot be read ({exc.strerror or exc}; dataset '{name}')"
        ) from None
    if digest != entry["sha256"]:
        raise SnapshotError(
            f"{path}: sha256 differs from the manifest ({digest[:12]}… vs {entry['sha256'][:12]}…, dataset '{name}'); "
            "the snapshot was modified outside oilshock (run 'oilshock refresh' to rebuild it)"
        )
    return digest


def snapshot_sha256(file_hashes: dict[str, str]) -> str:
    """One hash over a snapshot: sha256 of the sorted ``name:file-sha256`` lines."""
    lines = "".join(f"{k}:{file_hashes[k]}\n" for k in sorted(file_hashes))
    return hashlib.sha256(lines.encode()).hexdigest()


def read_frame(path: Path, contract):
    """Read one snapshot file with the contract's dtypes (Parquet or CSV)."""
    if path.suffix == ".parquet":
        return read_parquet_checked(path, contract)
    return read_csv_strict(path, contract)


def read_parquet_checked(path: Path, contract):
    """Read a Parquet file; a file that is not readable Parquet is a one-line contract error, not a crash."""
    import polars as pl

    from oilshock.errors import DataContractError

    try:
        return pl.read_parquet(path)
    except BaseException as exc:
        # polars reports a damaged footer, a truncated page and a non-Parquet file alike, and
        # some damaged pages make its Rust reader panic (pyo3's PanicException is a BaseException).
        if not isinstance(exc, pl.exceptions.PolarsError | OSError | ValueError) and not _is_panic(
            exc
        ):
            raise
        why = _short(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 160)
        raise DataContractError(
            contract.name, str(path), [{"column": "<file>", "rule": f"readable Parquet ({why})"}]
        ) from None


def _is_panic(exc: BaseException) -> bool:
    return type(exc).__name__ == "PanicException"


def check_figures(frame, contract, entry: dict, path: Path) -> None:
    """The manifest's ``rows``, ``first`` and ``last`` must be what the file holds."""
    first, last = first_last(frame, contract)
    for key, actual in (("rows", frame.height), ("first", first), ("last", last)):
        if entry.get(key) != actual:
            raise SnapshotError(
                f"{path}: the manifest says {key} = {_short(entry.get(key), 40)!r}, the file holds {actual!r} "
                f"(dataset '{contract.name}'); run 'oilshock refresh' to rebuild the snapshot"
            )


def read_csv_strict(path: Path, contract):
    """Read a CSV with exactly the contract's dtypes; a value that does not parse is an error.

    Empty cells are nulls (the contract decides whether that is allowed).
    Nothing is coerced: ``"1,5"`` in a float column fails rather than
    becoming null.
    """
    import polars as pl

    from oilshock.errors import DataContractError

    def refuse(rule: str):
        return DataContractError(contract.name, str(path), [{"column": "<file>", "rule": rule}])

    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise refuse(f"readable file ({exc.strerror or exc})") from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse("UTF-8 text (this file is UTF-16; save it as UTF-8 CSV)")
    if b"\x00" in head:
        raise refuse(
            "text CSV (the file holds NUL bytes: binary, or UTF-16 without a byte-order mark)"
        )
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except BaseException as exc:
        if not isinstance(
            exc, pl.exceptions.PolarsError | UnicodeDecodeError | OSError
        ) and not _is_panic(exc):
            raise
        why = _short(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 160)
        raise DataContractError(
            contract.name, str(path), [{"column": "<file>", "rule": f"readable UTF-8 CSV ({why})"}]
        ) from None
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
            expr = s.str.to_lowercase().replace_strict(
                {"true": True, "false": False}, default=None, return_dtype=pl.Boolean
            )
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
