"""Where snapshots live on disk: atomic replacement, kept history, and the refresh lock.

A data directory ``D`` is in one of two layouts:

*managed* (what a refresh creates when ``D`` does not exist or is empty)
    ``D`` is a symbolic link to ``D.history/<snapshot-date>-<sha12>/``. A new
    snapshot is written to a temporary directory beside ``D``, fsynced,
    renamed into ``D.history/`` and then the link is replaced with one
    ``rename(2)`` — atomic, so a reader resolves either the old or the new
    snapshot, never a mix, and a process killed at any point before that
    rename leaves ``D`` exactly as it was. Readers resolve the link once
    (:func:`oilshock.data.manifest.read_manifest`) and read the manifest and every
    file from that one immutable directory.

*plain* (an existing ordinary directory, e.g. the repository's committed ``data/``)
    ``D`` stays an ordinary directory (git tracks its files). The new
    snapshot is written beside it, fsynced and exchanged with ``D`` in one
    ``renameat2(RENAME_EXCHANGE)`` call where the OS has it (Linux), else by
    two renames. The previous snapshot moves to ``D.history/``. A reader in
    the middle of a swap may see a file whose hash no longer matches the
    manifest it read; it then fails with a clear
    :class:`~oilshock.errors.SnapshotError` rather than mixing data.

In both layouts the last ``keep`` good snapshots (the current one included)
are kept; older ones are deleted. ``D.lock`` (beside ``D``, since ``D`` itself
is replaced) is the lock that keeps two refreshes or recomputes from running
at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from oilshock.errors import LockBusyError, OilshockError, StaleDataError, StorageError  # noqa: F401 (re-exported)

MANIFEST = "manifest.json"
DEFAULT_KEEP = 3


def describe_os_error(exc: OSError) -> str:
    """One line for a failed file operation: what failed, where, and a hint for the usual causes."""
    what = exc.strerror or str(exc) or type(exc).__name__
    where = f" ({exc.filename})" if exc.filename else ""
    hint = {
        errno.ENOSPC: "; free some space",
        errno.EDQUOT: "; the disk quota is exhausted",
        errno.EROFS: "; the file system is read-only",
        errno.EACCES: "; check the permissions",
        errno.EPERM: "; check the permissions",
    }.get(exc.errno, "")
    return f"cannot write: {what}{where}{hint}"


_NO_WRITE = (errno.EROFS, errno.EACCES, errno.EPERM)


def history_dir(data_dir: Path) -> Path:
    """``<data dir>.history``: the kept snapshots."""
    data_dir = Path(data_dir)
    return data_dir.with_name(data_dir.name + ".history")


def lock_path(data_dir: Path) -> Path:
    data_dir = Path(data_dir)
    return data_dir.with_name(data_dir.name + ".lock")


# Locks this process holds, so that `update` (refresh then recompute) can
# take the lock once and the steps inside it do not deadlock on their own lock.
_HELD: dict[str, int] = {}


def _open_lock(path: Path, data_dir: Path, read_only: bool) -> int | None:
    """The lock file's descriptor; None for a reader when the lock cannot be created on a read-only file system."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno not in _NO_WRITE:
            raise StorageError(f"{data_dir}: the lock {path} {describe_os_error(exc)}") from None
        try:
            return os.open(path, os.O_RDONLY)  # flock works on a read-only descriptor
        except OSError:
            pass
        if read_only and exc.errno == errno.EROFS:
            return None
        raise StorageError(
            f"{data_dir}: the lock {path} {describe_os_error(exc)}; a refresh needs a writable data directory"
        ) from None


@contextlib.contextmanager
def lock(
    data_dir: Path, wait: float = 0.0, what: str = "refresh", read_only: bool = False
) -> Iterator[Path]:
    """Hold the exclusive lock of ``data_dir`` (``fcntl.flock`` on ``<data dir>.lock``).

    Parameters
    ----------
    data_dir : Path
        The data directory to protect.
    wait : float
        Seconds to wait for another holder to finish; 0 fails at once.
    what : str
        What this process is doing, written into the lock file for the
        message another process shows.
    read_only : bool
        The holder only reads the snapshot (``recompute``): on a read-only
        file system, where no refresh can switch the snapshot, it proceeds
        without a lock instead of failing.

    Raises
    ------
    LockBusyError
        The lock is still held after ``wait`` seconds; names the holder.
    """
    import math

    if (
        isinstance(wait, bool)
        or not isinstance(wait, int | float)
        or not math.isfinite(wait)
        or wait < 0
    ):
        raise StorageError(
            f"the wait for the lock must be a finite number of seconds >= 0, got {wait!r}"
        )
    path = lock_path(data_dir)
    key = str(path.absolute())
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield path
        finally:
            _HELD[key] -= 1
        return
    fd = _open_lock(path, data_dir, read_only)
    if fd is None:
        # Nothing can replace a snapshot on a read-only file system: a reader needs no lock there.
        yield path
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = (
                        os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown process"
                    )
                    raise LockBusyError(
                        f"{data_dir}: another oilshock refresh or recompute is running ({holder}; lock {path}); "
                        f"nothing was changed. Wait for it, or pass --wait SECONDS"
                    ) from None
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())) or 0.01)
        with contextlib.suppress(
            OSError
        ):  # a read-only lock file (or a full disk) cannot say who holds it
            os.ftruncate(fd, 0)
            os.pwrite(
                fd,
                f"{what}, pid {os.getpid()}, since {time.strftime('%Y-%m-%dT%H:%M:%S%z')}".encode(),
                0,
            )
        _HELD[key] = 1
        try:
            yield path
        finally:
            del _HELD[key]
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def layout(data_dir: Path) -> str:
    """``"managed"``, ``"plain"`` or ``"absent"`` (missing or an empty directory)."""
    data_dir = Path(data_dir)
    if data_dir.is_symlink():
        return "managed"
    if not data_dir.exists():
        return "absent"
    if not data_dir.is_dir():
        raise StorageError(f"{data_dir}: exists and is not a directory")
    return "plain" if any(data_dir.iterdir()) else "absent"


def current(data_dir: Path) -> Path | None:
    """The directory holding the current snapshot of ``data_dir`` (link resolved), or None."""
    data_dir = Path(data_dir)
    if (data_dir / MANIFEST).is_file():
        return data_dir.resolve()
    return None


def snapshot_name(manifest: dict) -> str:
    """``<retrieved date>-<first 12 hex of snapshot_sha256>``: the name of a kept snapshot."""
    return f"{manifest['retrieved']}-{manifest['snapshot_sha256'][:12]}"


def kept(data_dir: Path) -> list[Path]:
    """Every kept snapshot of ``data_dir``, newest first (the current one included)."""
    hist = history_dir(data_dir)
    out = []
    if hist.is_dir():
        out = [p for p in hist.iterdir() if not p.name.startswith(".") and (p / MANIFEST).is_file()]
    cur = current(data_dir)
    if layout(data_dir) == "plain" and cur is not None:
        out.append(cur)
    return sorted(out, key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)


def _build_prefix(data_dir: Path) -> str:
    return f".oilshock-build-{Path(data_dir).name}--"


def new_build_dir(data_dir: Path) -> Path:
    """A fresh temporary directory beside ``data_dir`` (same filesystem, so renames are atomic)."""
    data_dir = Path(data_dir)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=_build_prefix(data_dir), dir=data_dir.parent))
    path.chmod(0o755)  # mkdtemp makes it private; a snapshot is read by other users (a service, CI)
    return path


def clean_leftovers(data_dir: Path) -> list[Path]:
    """Remove what a killed refresh left beside ``data_dir`` (temporary builds and links).

    Call only while holding :func:`lock`: the leftovers of a live build of
    the same directory would otherwise be deleted under it.
    """
    data_dir = Path(data_dir)
    removed = []
    if not data_dir.parent.is_dir():
        return removed
    build = re.compile(re.escape(_build_prefix(data_dir)) + r"[A-Za-z0-9_]{8}$")
    link = re.compile(re.escape(f".{data_dir.name}.link-") + r"\d+$")
    for p in data_dir.parent.iterdir():
        if build.match(p.name) and p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
        elif link.match(p.name) and p.is_symlink():
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(p)
    # A process killed between moving its snapshot into the history and switching
    # the link leaves a snapshot newer than the current one that never became current.
    cur = current(data_dir)
    if layout(data_dir) == "managed" and cur is not None:
        newest = cur.stat().st_mtime_ns
        for p in kept(data_dir):
            if p != cur and p.stat().st_mtime_ns > newest:
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
    return removed


def fsync_tree(root: Path) -> None:
    """fsync every file and directory under ``root`` (bottom-up), so a rename publishes durable data."""
    for dirpath, _dirs, files in os.walk(root, topdown=False):
        for f in files:
            fd = os.open(os.path.join(dirpath, f), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the kernel or filesystem cannot exchange: fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


def replace_dir(tmp: Path, final: Path) -> None:
    """Put the complete directory ``tmp`` at ``final``, atomically; an older ``final`` is removed.

    Readers see the old directory or the new one, never a mix: an atomic exchange where the
    kernel and file system offer it, else two renames through a ``.<name>.old-<pid>`` name
    that a later clean-up recognises.
    """
    fsync_tree(tmp)
    if final.exists():
        if not exchange(tmp, final):
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            os.replace(final, old)
            os.replace(tmp, final)
            tmp = old
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds what was replaced
    else:
        os.rename(tmp, final)


def point_link(folder: Path, link_name: str, target: str) -> None:
    """Make ``folder/link_name`` a relative symbolic link to ``target`` with one atomic rename."""
    link = folder / f".{link_name}.link-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    os.symlink(target, link)
    os.replace(link, folder / link_name)


def before_switch(tmp: Path, data_dir: Path) -> None:
    """Called after the new snapshot is written and fsynced, just before it replaces the current one.

    Does nothing; the fault tests replace it to kill the process or fail at
    exactly this point and check that the old snapshot survives.
    """


def install(tmp: Path, data_dir: Path, *, keep: int = DEFAULT_KEEP) -> Path:
    """Make the complete snapshot in ``tmp`` the current snapshot of ``data_dir``, atomically.

    Parameters
    ----------
    tmp : Path
        A directory from :func:`new_build_dir` holding a whole snapshot
        (files and ``manifest.json``). It is consumed.
    data_dir : Path
        The data directory to switch.
    keep : int
        How many good snapshots to keep, the new one included (>= 1).

    Returns
    -------
    Path
        The directory now holding the current snapshot.
    """
    if keep < 1:
        raise StorageError(f"keep must be at least 1, got {keep}")
    data_dir = Path(data_dir)
    manifest = json.loads((tmp / MANIFEST).read_text(encoding="utf-8"))
    name = snapshot_name(manifest)
    fsync_tree(tmp)
    mode = layout(data_dir)
    hist = history_dir(data_dir)
    if mode == "plain":
        before_switch(tmp, data_dir)
        _swap_plain(tmp, data_dir, hist)
        os.utime(data_dir)  # the history is ordered by mtime: the current snapshot is the newest
        _fsync_dir(data_dir.parent)
        _prune(data_dir, keep)
        return data_dir.resolve()
    before_switch(tmp, data_dir)
    hist.mkdir(exist_ok=True)
    target = hist / name
    reused = target.exists()
    if reused:
        # Same date and same data hash: the files are identical, reuse the kept copy.
        shutil.rmtree(tmp)
    else:
        os.rename(tmp, target)
        _fsync_dir(hist)
    try:
        os.utime(target)  # the history is ordered by mtime: this one is now the newest
        if mode == "absent" and data_dir.is_dir() and not data_dir.is_symlink():
            data_dir.rmdir()  # an empty directory: nothing to lose, the link takes its place
        link = data_dir.with_name(f".{data_dir.name}.link-{os.getpid()}")
        if link.is_symlink():
            link.unlink()
        # Relative, so the data directory and its history can be moved together.
        os.symlink(os.path.join(hist.name, name), link)
        os.replace(link, data_dir)  # the commit point
    except BaseException:
        if not reused and current(data_dir) != target.resolve():
            shutil.rmtree(target, ignore_errors=True)
        raise
    _fsync_dir(data_dir.parent)
    _prune(data_dir, keep)
    return target


def _swap_plain(tmp: Path, data_dir: Path, hist: Path) -> None:
    if not exchange(tmp, data_dir):
        old = data_dir.with_name(f".{data_dir.name}.old-{os.getpid()}")
        os.replace(data_dir, old)
        try:
            os.replace(tmp, data_dir)
        except BaseException:
            os.replace(old, data_dir)
            raise
        os.replace(old, tmp)
    # tmp now holds the previous snapshot: keep it in the history.
    prev = tmp / MANIFEST
    if prev.is_file():
        try:
            name = snapshot_name(json.loads(prev.read_text(encoding="utf-8")))
        except (ValueError, KeyError):
            name = None
        hist.mkdir(exist_ok=True)
        if name and not (hist / name).exists():
            os.rename(tmp, hist / name)
            os.utime(
                hist / name, (time.time() - 1, time.time() - 1)
            )  # older than the new current one
            return
    shutil.rmtree(tmp, ignore_errors=True)


def _prune(data_dir: Path, keep: int) -> None:
    cur = current(data_dir)
    for i, p in enumerate(kept(data_dir)):
        if i >= keep and p != cur:
            shutil.rmtree(p, ignore_errors=True)


def previous(data_dir: Path) -> Path | None:
    """The newest kept snapshot other than the current one, or None."""
    cur = current(data_dir)
    others = [p for p in kept(data_dir) if p != cur]
    return others[0] if others else None


def data_age_days(data_dir: Path, today=None) -> tuple[int, str]:
    """Days between ``today`` and the last Brent date of the snapshot, and that date.

    The last Brent date is the default ``as_of`` of every estimate, so it is
    what "how old are the results" means.
    """
    import datetime as dt

    from oilshock.data.manifest import read_manifest

    last = read_manifest(data_dir).entry("brent_daily")["last"]
    today = today or dt.datetime.now(dt.UTC).date()
    return (today - dt.date.fromisoformat(last)).days, last
