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
was. The writing itself (:func:`write_snapshot`: lock, temporary directory,
manifest) is shared with the live refresh (:mod:`oilshock.ingest.live`); the
atomic switch and the kept history are :mod:`oilshock.data.storage`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from oilshock.data.manifest import sha256_file
from oilshock.errors import (
    IngestError,
    SourceError,
    UnknownNameError,
)


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
    raw_urls : list of dict
        Live recipes: one ``{"url", "sha256"}`` per response read (the URL
        without any API key).
    """

    frame: object
    raw_files: list[Path]
    notes: list[str] = field(default_factory=list)
    raw_urls: list[dict] = field(default_factory=list)


Recipe = Callable[[Path], Built]
RECIPES: dict[str, Recipe] = {}


def _register(registry: dict, what: str, name: str) -> Callable:
    def deco(fn):
        if name in registry:
            raise RuntimeError(f"two {what} for dataset {name!r}")
        registry[name] = fn
        return fn

    return deco


def recipe(name: str) -> Callable[[Recipe], Recipe]:
    """Register ``fn(raw_dir) -> Built`` as the recipe of dataset ``name``."""
    return _register(RECIPES, "recipes", name)


@dataclass
class LiveContext:
    """What a live recipe may use.

    Attributes
    ----------
    retrieved : datetime.date
        Date of this pull (goes into vintage labels).
    base_dir : Path
        The current snapshot (reference tables are read from it, so the new
        snapshot uses the same chokepoint table it carries).
    base_manifest : dict
        Its manifest.
    client : httpx.Client
        Shared connection pool.
    config : oilshock.sources.http.HttpConfig
    """

    retrieved: dt.date
    base_dir: Path
    base_manifest: dict
    client: object
    config: object


LiveRecipe = Callable[["LiveContext"], Built]
LIVE_RECIPES: dict[str, LiveRecipe] = {}


def live_recipe(name: str) -> Callable[[LiveRecipe], LiveRecipe]:
    """Register ``fn(ctx) -> Built`` as the live recipe of dataset ``name`` (beside its file
    recipe, in the same topic module)."""
    return _register(LIVE_RECIPES, "live recipes", name)


def raw_file(raw_dir: Path, relative: str) -> Path:
    """A file inside a raw directory laid out like ``shared/data/raw``; a clear error if absent.

    Like a data file (:func:`oilshock.data.files.regular_file`), it must be a regular file
    inside ``raw_dir``: a FIFO, a device or a link leading out of the folder is refused unread.
    """
    from oilshock.data.files import regular_file

    p = Path(raw_dir) / relative
    regular_file(p, Path(raw_dir), "raw file for refresh --from", inside="the raw folder")
    if not p.is_file():
        raise SourceError(
            f"{p}: raw file not found (expected in a folder laid out like shared/data/raw)"
        )
    return p


def _load_recipes() -> dict[str, Recipe]:
    """Every file recipe (and, as a side effect, every live recipe), by dataset name.

    The topic modules of this package register their recipes when imported; every module
    of the package is imported here, so a new topic module needs no list to be added to.
    """
    import importlib
    import pkgutil

    import oilshock.ingest as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    return RECIPES


def _reference_source_dir() -> Path:
    from oilshock.data.location import packaged_data_dir

    return packaged_data_dir() / "reference"


def build_dataset(
    name: str, raw_dir: Path, reference_dir: Path | None = None
) -> tuple[object, list[Path], list[str]]:
    """Build and validate one dataset; returns ``(frame, raw_files, notes)``.

    Raises
    ------
    DataContractError
        When the built frame breaks its contract.
    SourceError
        When a raw file is missing or unreadable.
    """
    from oilshock.data.contracts import get_contract, validate
    from oilshock.data.files import read_csv_strict

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
    keep: int | None = None,
    wait: float = 0.0,
    progress: Callable[[str], None] | None = None,
    allow_shrink: bool = False,
) -> dict:
    """Build every dataset from ``raw_dir`` and replace the snapshot in ``out_dir``.

    Parameters
    ----------
    raw_dir : Path
        A folder laid out like ``shared/data/raw``.
    out_dir : Path
        Data directory to write. It is replaced only after every dataset has
        been built and validated; on any error it is left untouched (see
        :mod:`oilshock.data.storage` for how the switch is made atomic).
    retrieved : datetime.date, optional
        Retrieval date recorded in the manifest (default: today, UTC).
    datasets : list of str, optional
        Build only these (for tests); the default is every contract.
    origin : str
        ``"files"`` or ``"live"``, recorded in the manifest.
    keep : int, optional
        Good snapshots to keep, the new one included (default 3).
    wait : float
        Seconds to wait for another refresh of ``out_dir`` to finish.
    progress : callable, optional
        Called with each dataset name once it is built.
    allow_shrink : bool
        Accept datasets that end earlier or hold fewer rows than the current
        snapshot's (the shape rules ``keep_coverage`` and ``max_row_drop_pct``).

    Returns
    -------
    dict
        The manifest that was written.
    """
    from oilshock.data.contracts import get_contract, load_contracts

    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise SourceError(f"{raw_dir}: not a directory")
    reference_dir = _reference_source_dir()

    def make(name: str) -> Prepared:
        frame, raw_files, notes = build_dataset(name, raw_dir, reference_dir)
        contract = get_contract(name)
        raw = [
            {"path": _relative(p, raw_dir, reference_dir), "sha256": sha256_file(p)}
            for p in raw_files
        ]
        copy = raw_files[0] if contract.kind == "reference" else None
        return Prepared(frame, raw, notes, "files", copy_from=copy)

    names = datasets or list(load_contracts())
    return write_snapshot(
        out_dir,
        {n: (lambda n=n: make(n)) for n in names},
        retrieved=retrieved,
        origin=origin,
        keep=keep,
        wait=wait,
        progress=progress,
        allow_shrink=allow_shrink,
    )


@dataclass
class Prepared:
    """One dataset ready to be written into a new snapshot.

    Attributes
    ----------
    frame : polars.DataFrame
        The validated dataset.
    raw : list of dict
        What it was made from: ``{"path" | "url", "sha256"}`` per raw file or response.
    notes : list of str
        For the manifest.
    origin : str
        ``"files"``, ``"live"`` or ``"carried"`` (copied unchanged from the previous snapshot).
    copy_from : Path, optional
        Copy this file byte for byte instead of writing ``frame`` (reference
        tables, carried datasets: their hash is kept).
    entry : dict, optional
        For a carried dataset, its manifest entry in the previous snapshot.
    """

    frame: object
    raw: list[dict]
    notes: list[str]
    origin: str
    copy_from: Path | None = None
    entry: dict | None = None


def write_snapshot(
    out_dir: Path,
    makers: dict[str, Callable[[], Prepared]],
    *,
    retrieved: dt.date | None = None,
    origin: str = "files",
    keep: int | None = None,
    wait: float = 0.0,
    progress: Callable[[str], None] | None = None,
    extra: dict | None = None,
    allow_shrink: bool = False,
) -> dict:
    """Make every dataset, write them and a manifest to a temporary directory, then switch ``out_dir`` to it.

    Holds the lock of ``out_dir`` throughout. Every dataset must also meet
    the shape rules of its contract (:func:`oilshock.data.shape.check_shape`)
    compared with the current snapshot of ``out_dir`` (skipped with
    ``allow_shrink``). Nothing in ``out_dir`` changes unless every maker
    succeeded; the first error propagates, the temporary directory is
    removed, and a failed write (disk full, read-only) is a one-line
    :class:`~oilshock.data.storage.StorageError`.
    """
    import polars as pl

    from oilshock._version import __version__
    from oilshock.data import storage
    from oilshock.data.contracts import get_contract, load_contracts
    from oilshock.data.location import MANIFEST
    from oilshock.data.manifest import manifest_sha256, snapshot_sha256
    from oilshock.data.shape import check_shape

    out_dir = Path(out_dir)
    retrieved = retrieved or dt.datetime.now(dt.UTC).date()
    with storage.lock(out_dir, wait):
        storage.clean_leftovers(out_dir)
        # The whole directory is replaced, so never take over one that holds anything but snapshot files.
        if storage.layout(out_dir) == "plain" and not (out_dir / MANIFEST).is_file():
            owned = {MANIFEST} | {Path(c.file).parts[0] for c in load_contracts().values()}
            foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in owned)
            if foreign:
                raise IngestError(
                    f"{out_dir}: holds files that are not part of an oilshock snapshot "
                    f"({', '.join(foreign[:5])}); refusing to replace it"
                )
        previous = _current_entries(out_dir, allow_shrink)
        tmp = None
        try:
            entries, hashes = {}, {}
            for name, make in makers.items():
                prepared = make()
                source = (
                    ", ".join(str(r.get("path") or r.get("url")) for r in prepared.raw[:2]) or name
                )
                check_shape(
                    prepared.frame,
                    get_contract(name),
                    source,
                    previous=previous.get(name),
                    allow_shrink=allow_shrink,
                    previous_frame=None
                    if allow_shrink or name not in previous
                    else _current_frame(out_dir, previous[name], name),
                )
                if tmp is None:  # created only once something is ready to write
                    tmp = storage.new_build_dir(out_dir)
                contract = get_contract(name)
                target = tmp / contract.file
                target.parent.mkdir(parents=True, exist_ok=True)
                if prepared.copy_from is not None:
                    shutil.copyfile(prepared.copy_from, target)
                else:
                    prepared.frame.write_parquet(target, compression="zstd", statistics=False)
                digest = sha256_file(target)
                hashes[name] = digest
                if prepared.entry is not None:
                    entries[name] = dict(prepared.entry, origin=prepared.origin)
                    entries[name]["notes"] = list(prepared.entry.get("notes", [])) + prepared.notes
                else:
                    entries[name] = _entry(name, contract, prepared, digest, retrieved)
                if progress:
                    progress(name)
            if tmp is None:
                raise IngestError("no datasets to write")
            manifest = {
                "snapshot_sha256": snapshot_sha256(hashes),
                "oilshock_version": __version__,
                "polars_version": pl.__version__,
                "origin": origin,
                "retrieved": retrieved.isoformat(),
                "datasets": entries,
                **(extra or {}),
            }
            manifest["manifest_sha256"] = manifest_sha256(manifest)
            (tmp / MANIFEST).write_text(
                json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )
            storage.install(tmp, out_dir, keep=storage.DEFAULT_KEEP if keep is None else keep)
            return manifest
        except OSError as exc:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            raise storage.StorageError(
                f"{out_dir}: {storage.describe_os_error(exc)}; nothing was changed"
            ) from None
        except BaseException:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            raise


def _current_entries(out_dir: Path, allow_shrink: bool) -> dict:
    """The manifest entries of the snapshot a build replaces (``{}`` if none), for the shape rules."""
    from oilshock.data import storage
    from oilshock.data.manifest import read_manifest
    from oilshock.errors import SnapshotError

    if storage.current(out_dir) is None:
        return {}
    try:
        return read_manifest(out_dir, legacy_ok=True).datasets
    except SnapshotError as exc:
        if allow_shrink:
            return {}
        raise IngestError(
            f"{exc} — the new snapshot cannot be compared with it; pass --allow-shrink to replace it anyway"
        ) from None


def _current_frame(out_dir: Path, entry: dict, name: str):
    """The dataset as the current snapshot holds it, to compare values with (its hash checked)."""
    from oilshock.data.contracts import get_contract
    from oilshock.data.files import read_frame
    from oilshock.data.manifest import _check_file
    from oilshock.errors import OilshockError

    directory = Path(out_dir).resolve()
    path = directory / entry["file"]
    try:
        _check_file(path, entry, name, directory)
        return read_frame(path, get_contract(name))
    except OilshockError as exc:
        raise IngestError(
            f"{exc} — the new snapshot cannot be compared with it; pass --allow-shrink to replace it anyway"
        ) from None


def _entry(name: str, contract, prepared: Prepared, digest: str, retrieved: dt.date) -> dict:
    from oilshock.data.shape import first_last

    first, last = first_last(prepared.frame, contract)
    src = contract.source
    return {
        "file": contract.file,
        "kind": contract.kind,
        "origin": prepared.origin,
        "rows": prepared.frame.height,
        "first": first,
        "last": last,
        "sha256": digest,
        "publisher": src["publisher"],
        "series_ids": list(src.get("series_ids", [])),
        "source_url": src["url"],
        "api_url": src.get("api_url"),
        "terms": src["terms"],
        "retrieved": retrieved.isoformat(),
        "raw": prepared.raw,
        "notes": prepared.notes,
    }


def _relative(p: Path, raw_dir: Path, reference_dir: Path) -> str:
    for base, prefix in ((raw_dir, ""), (reference_dir, "oilshock:data/reference/")):
        try:
            return prefix + str(Path(p).resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(p)
