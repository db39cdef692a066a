"""Ingest: raw sources → contracts → snapshot + manifest.

A *recipe* turns one source layout into one dataset. Recipes live in the
topic modules of this package (:mod:`~oilshock.ingest.prices`,
:mod:`~oilshock.ingest.chokepoints`, :mod:`~oilshock.ingest.macro`,
:mod:`~oilshock.ingest.politics`) and register themselves with
:func:`recipe`. Each reads its raw files through the parsers in
:mod:`oilshock.sources` (the same parsers the live path uses for the same
formats) and returns a :class:`Built`: the frame in the contract's shape and
the raw files it read.

Reference tables (``kind = "reference"`` in their contract) are not built:
they are hand-transcribed CSVs with ``source`` and ``citation`` columns kept
in the packaged ``data/reference/``; ingest checks them like any other input
and carries them into the snapshot.

:func:`build_snapshot` validates *everything* before it writes *anything*:
one failing dataset aborts the build and the target directory stays as it
was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from oilshock.errors import OilshockError, SourceError, UnknownNameError


class IngestError(OilshockError):
    """A build cannot proceed (for example the target directory is not a snapshot)."""


@dataclass
class Built:
    """What a recipe returns.

    Attributes
    ----------
    frame : polars.DataFrame
        The dataset, in the contract's column order and dtypes, sorted by its key.
    raw_files : list of Path
        Every raw file the recipe read (hashed into the manifest).
    notes : list of str
        Anything a reader of the manifest should know (splices, unit
        conversions, rows the source marks as missing).
    """

    frame: object
    raw_files: list[Path]
    notes: list[str] = field(default_factory=list)


Recipe = Callable[[Path], Built]
RECIPES: dict[str, Recipe] = {}


def recipe(name: str) -> Callable[[Recipe], Recipe]:
    """Register ``fn(raw_dir) -> Built`` as the recipe of dataset ``name``."""

    def deco(fn: Recipe) -> Recipe:
        if name in RECIPES:
            raise RuntimeError(f"two recipes for dataset {name!r}")
        RECIPES[name] = fn
        return fn

    return deco


def raw_file(raw_dir: Path, relative: str) -> Path:
    """A file inside a raw directory laid out like ``shared/data/raw``; a clear error if absent."""
    p = Path(raw_dir) / relative
    if not p.is_file():
        raise SourceError(f"{p}: raw file not found (expected in a folder laid out like shared/data/raw)")
    return p


def _load_recipes() -> dict[str, Recipe]:
    # Imported for their @recipe side effect; kept here so that importing
    # oilshock.ingest is enough to see every recipe.
    from oilshock.ingest import chokepoints, macro, politics, prices  # noqa: F401

    return RECIPES


def _first_last(frame, contract) -> tuple[str | None, str | None]:
    col = contract.time_column
    if col is None:
        for c in contract.columns:
            if c.dtype == "date" or c.name in ("year", "date"):
                col = c.name
                break
    if col is None or frame.height == 0:
        return None, None
    s = frame[col].drop_nulls()
    return str(s.min()), str(s.max())


def _reference_source_dir() -> Path:
    from oilshock.datasets import packaged_data_dir

    return packaged_data_dir() / "reference"


def build_dataset(name: str, raw_dir: Path, reference_dir: Path | None = None) -> tuple[object, list[Path], list[str]]:
    """Build and validate one dataset; returns ``(frame, raw_files, notes)``.

    Raises
    ------
    DataContractError
        When the built frame breaks its contract.
    SourceError
        When a raw file is missing or unreadable.
    """
    from oilshock.contracts import get_contract, validate
    from oilshock.datasets import read_csv_strict

    contract = get_contract(name)
    if contract.kind == "reference":
        path = (reference_dir or _reference_source_dir()) / Path(contract.file).name
        if not path.is_file():
            raise SourceError(f"{path}: reference table for dataset '{name}' not found")
        frame = read_csv_strict(path, contract)
        return validate(frame, contract, str(path)), [path], []
    recipes = _load_recipes()
    if name not in recipes:
        raise UnknownNameError("dataset recipe", name, list(recipes))
    built = recipes[name](Path(raw_dir))
    source = ", ".join(str(p) for p in built.raw_files) or str(raw_dir)
    return validate(built.frame, contract, source), built.raw_files, built.notes


def build_snapshot(
    raw_dir: Path,
    out_dir: Path,
    *,
    retrieved: dt.date | None = None,
    datasets: list[str] | None = None,
    origin: str = "files",
) -> dict:
    """Build every dataset from ``raw_dir`` and replace the snapshot in ``out_dir``.

    Parameters
    ----------
    raw_dir : Path
        A folder laid out like ``shared/data/raw``.
    out_dir : Path
        Data directory to write. It is replaced only after every dataset has
        been built and validated; on any error it is left untouched.
    retrieved : datetime.date, optional
        Retrieval date recorded in the manifest (default: today, UTC).
    datasets : list of str, optional
        Build only these (for tests); the default is every contract.
    origin : str
        ``"files"`` or ``"live"``, recorded in the manifest.

    Returns
    -------
    dict
        The manifest that was written.
    """
    import polars as pl

    import oilshock
    from oilshock.contracts import get_contract, load_contracts
    from oilshock.datasets import MANIFEST, sha256_file, snapshot_sha256

    from oilshock.datasets import MANIFEST as _MANIFEST

    raw_dir = Path(raw_dir)
    out_dir = Path(out_dir)
    if not raw_dir.is_dir():
        raise SourceError(f"{raw_dir}: not a directory")
    # The whole directory is replaced, so never take over one that holds anything but snapshot files.
    if out_dir.exists() and not (out_dir / _MANIFEST).is_file():
        owned = {_MANIFEST} | {Path(c.file).parts[0] for c in load_contracts().values()}
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in owned)
        if foreign:
            raise IngestError(
                f"{out_dir}: holds files that are not part of an oilshock snapshot ({', '.join(foreign[:5])}); refusing to replace it"
            )
    names = datasets or list(load_contracts())
    retrieved = retrieved or dt.datetime.now(dt.timezone.utc).date()
    reference_dir = _reference_source_dir()

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".oilshock-build-", dir=out_dir.parent))
    try:
        entries = {}
        hashes = {}
        for name in names:
            contract = get_contract(name)
            frame, raw_files, notes = build_dataset(name, raw_dir, reference_dir)
            target = tmp / contract.file
            target.parent.mkdir(parents=True, exist_ok=True)
            if contract.kind == "reference":
                shutil.copyfile(raw_files[0], target)
            else:
                frame.write_parquet(target, compression="zstd", statistics=False)
            digest = sha256_file(target)
            hashes[name] = digest
            first, last = _first_last(frame, contract)
            src = contract.source
            entries[name] = {
                "file": contract.file,
                "kind": contract.kind,
                "rows": frame.height,
                "first": first,
                "last": last,
                "sha256": digest,
                "publisher": src["publisher"],
                "series_ids": list(src.get("series_ids", [])),
                "source_url": src["url"],
                "api_url": src.get("api_url"),
                "terms": src["terms"],
                "retrieved": retrieved.isoformat(),
                "raw": [
                    {"path": _relative(p, raw_dir, reference_dir), "sha256": sha256_file(p)} for p in raw_files
                ],
                "notes": notes,
            }
        manifest = {
            "snapshot_sha256": snapshot_sha256(hashes),
            "oilshock_version": oilshock.__version__,
            "polars_version": pl.__version__,
            "origin": origin,
            "retrieved": retrieved.isoformat(),
            "datasets": entries,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        _swap_into_place(tmp, out_dir)
        return manifest
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _relative(p: Path, raw_dir: Path, reference_dir: Path) -> str:
    for base, prefix in ((raw_dir, ""), (reference_dir, "oilshock:data/reference/")):
        try:
            return prefix + str(Path(p).resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(p)


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``tmp`` with renames, so readers see the old or the new snapshot."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except BaseException:
        if old is not None:
            os.replace(old, out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


