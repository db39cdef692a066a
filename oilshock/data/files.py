"""Reading one data file safely: regular files only, strict dtypes, damage as one-line errors.

Parquet files are read as written; CSV files (the hand-transcribed reference
tables and user files) are read as text and cast to the contract's dtypes, a
value that does not parse being an error, never a null.
"""

from __future__ import annotations

import stat
from pathlib import Path

from oilshock.data.shape import first_last
from oilshock.errors import SnapshotError


def _short(value, limit: int = 120) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


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
