"""A snapshot's ``manifest.json``: reading it, checking its shape and hashes, and the files' hashes.

The manifest records per dataset the publisher, series ids, source URL, terms,
retrieval date, raw-file sha256, rows and first/last date, and one
``snapshot_sha256`` over all files; its own ``manifest_sha256`` covers its content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from oilshock.data.files import _short, regular_file
from oilshock.data.location import MANIFEST, _resolve, data_dir
from oilshock.errors import SnapshotError, UnknownNameError


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
    by :func:`verify_files` (warm paths), :func:`~oilshock.data.datasets.load_dataset` and
    :func:`~oilshock.data.datasets.validate_snapshot`.

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
