"""The live refresh: fetch every dataset that has a live recipe, carry the others.

Live recipes sit beside the file recipes of the same dataset in the topic modules
(:mod:`oilshock.ingest.prices`, :mod:`~oilshock.ingest.chokepoints`,
:mod:`~oilshock.ingest.macro`), registered with :func:`oilshock.ingest.live_recipe`:
``fn(ctx) -> Built``, the frame in the contract's shape, shaped by the same function as the
file recipe's. They fetch with the ``get_*`` functions of :mod:`oilshock.sources` (which
parse with the same ``parse_*`` functions as the raw files) and record every response's URL
(never the API key) and sha256 in ``Built.raw_urls``.

:func:`build_live_snapshot` fetches every dataset that has a live recipe and
carries every other dataset of the current snapshot over unchanged
(re-validated against its contract, file and hash kept); the manifest says
per dataset whether it is ``live`` or ``carried``. Any failure leaves the
data directory as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from oilshock.errors import SnapshotError
from oilshock.ingest import LIVE_RECIPES, LiveContext, Prepared, _load_recipes, write_snapshot


def seed(out_dir: Path, keep: int | None = None) -> Path:
    """Install a copy of the packaged snapshot as the first snapshot of an empty data directory.

    The first live refresh carries the datasets without a live source from
    it, and ``oilshock data diff`` then has a previous snapshot to compare
    with. The copy is checked (hashes and contracts) before it is installed.
    """
    import shutil

    from oilshock.data import storage
    from oilshock.data.datasets import validate_snapshot
    from oilshock.data.location import packaged_data_dir

    src = packaged_data_dir()
    validate_snapshot(src)
    tmp = storage.new_build_dir(out_dir)
    try:
        shutil.copytree(src, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        return storage.install(tmp, out_dir, keep=storage.DEFAULT_KEEP if keep is None else keep)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def verified_base_file(name: str, base_dir: Path, base_manifest: dict) -> Path:
    """The current snapshot's file of dataset ``name``, once its hash matches the manifest.

    Raises
    ------
    SnapshotError
        The file is missing or was modified after the snapshot was written.
    """
    from oilshock.data.manifest import sha256_file

    entry = base_manifest["datasets"][name]
    path = base_dir / entry["file"]
    if not path.is_file() or sha256_file(path) != entry["sha256"]:
        raise SnapshotError(
            f"{path}: missing or modified since the current snapshot was written; cannot carry '{name}'"
        )
    return path


def _carry(name: str, base_dir: Path, base_manifest: dict) -> Prepared:
    """A dataset of the current snapshot, re-validated and copied byte for byte (hash kept)."""
    from oilshock.data.contracts import get_contract, validate
    from oilshock.data.files import read_frame

    entry = base_manifest["datasets"][name]
    path = verified_base_file(name, base_dir, base_manifest)
    frame = validate(read_frame(path, get_contract(name)), name, f"{path} (carried)")
    note = f"Carried unchanged from snapshot {base_manifest['snapshot_sha256'][:12]} (no live source); re-validated."
    return Prepared(frame, entry.get("raw", []), [note], "carried", copy_from=path, entry=entry)


def _fetch(name: str, ctx: LiveContext) -> Prepared:
    from oilshock.data.contracts import validate

    built = LIVE_RECIPES[name](ctx)
    urls = ", ".join(r["url"] for r in built.raw_urls[:1]) or name
    frame = validate(built.frame, name, f"live {name} ({urls})")
    raw = list(built.raw_urls) + [{"path": f"reference/{Path(p).name}"} for p in built.raw_files]
    return Prepared(frame, raw, built.notes, "live")


def build_live_snapshot(
    out_dir: Path,
    *,
    base_dir: Path | None = None,
    datasets: list[str] | None = None,
    retrieved: dt.date | None = None,
    keep: int | None = None,
    wait: float = 0.0,
    progress: Callable[[str], None] | None = None,
    config=None,
    allow_shrink: bool = False,
) -> dict:
    """Fetch the live datasets, carry the rest from the current snapshot, and switch ``out_dir`` atomically.

    Parameters
    ----------
    out_dir : Path
        Data directory to replace.
    base_dir : Path, optional
        Snapshot to carry from; default the current snapshot of ``out_dir``,
        else the packaged one (the first refresh seeds from it).
    datasets : list of str, optional
        Fetch only these live datasets (default all of :data:`LIVE_RECIPES`);
        the others are carried.
    retrieved : datetime.date, optional
        Default today (UTC).
    keep, wait, progress
        As :func:`oilshock.ingest.build_snapshot`.
    config : oilshock.sources.http.HttpConfig, optional
        Default from the environment. Its ``refresh_deadline`` bounds the
        whole refresh (every request, retry and wait).
    allow_shrink : bool
        As :func:`oilshock.ingest.build_snapshot`.

    Returns
    -------
    dict
        The manifest written.

    Raises
    ------
    SourceError, DataContractError, SnapshotError
        The first failure; nothing is written.
    """
    from oilshock.data import storage
    from oilshock.errors import UnknownNameError
    from oilshock.sources.http import HttpConfig

    out_dir = Path(out_dir)
    _load_recipes()  # the topic modules register their live recipes when imported
    fetch = list(datasets or LIVE_RECIPES)
    unknown = [n for n in fetch if n not in LIVE_RECIPES]
    if unknown:
        raise UnknownNameError("live dataset", unknown[0], list(LIVE_RECIPES))
    # Locked from before the current snapshot is read, so no other refresh switches it underneath.
    config = (
        config or HttpConfig.from_env()
    )  # a malformed OILSHOCK_HTTP_* or URL fails here, before anything else
    with storage.lock(out_dir, wait):
        return _build_live(
            out_dir,
            base_dir,
            fetch,
            retrieved,
            keep,
            progress,
            config.start_refresh(),
            allow_shrink,
        )


def _build_live(
    out_dir, base_dir, fetch, retrieved, keep, progress, config, allow_shrink=False
) -> dict:
    import httpx

    from oilshock.data.contracts import load_contracts
    from oilshock.data.manifest import read_manifest
    from oilshock.ingest import _reference_source_dir, build_dataset

    if base_dir is None:
        if not (out_dir / "manifest.json").is_file():
            seed(out_dir, keep)
        base_dir = out_dir
    base = read_manifest(base_dir, legacy_ok=True)  # resolved: carried files come from one snapshot
    ctx = LiveContext(
        retrieved=retrieved or dt.datetime.now(dt.UTC).date(),
        base_dir=base.directory,
        base_manifest=base.raw,
        client=None,
        config=config,
    )
    # A reference table added to oilshock since the current snapshot was made comes from the package.
    new_reference = sorted(
        n for n, c in load_contracts().items() if c.kind == "reference" and n not in base.datasets
    )

    def make(n: str) -> Prepared:
        if n in fetch:
            return _fetch(n, ctx)
        if n in new_reference:
            frame, files, _ = build_dataset(n, Path("."), _reference_source_dir())
            note = "Reference table not in the carried snapshot; taken from the packaged data/reference."
            return Prepared(
                frame,
                [{"path": f"oilshock:data/reference/{files[0].name}"}],
                [note],
                "files",
                copy_from=files[0],
            )
        return _carry(n, base.directory, base.raw)

    names = list(dict.fromkeys(fetch + sorted(base.datasets) + new_reference))
    makers = {n: (lambda n=n: make(n)) for n in names}
    # Redirects are followed by oilshock.sources.http.fetch itself, to the same host only.
    with httpx.Client(follow_redirects=False) as client:
        ctx.client = client
        return write_snapshot(
            out_dir,
            makers,
            retrieved=ctx.retrieved,
            origin="live",
            keep=keep,
            progress=progress,
            allow_shrink=allow_shrink,
            extra={
                "carried_from": {
                    "snapshot_sha256": base.snapshot_sha256,
                    "directory": str(base.directory),
                }
            },
        )
