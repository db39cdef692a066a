"""Writing output files safely: checked paths, all-or-nothing writes, HTML-safe inline JSON.

Every file the CLI writes for the user (``-o``, the briefing's images,
``data dictionary -o``) goes through :func:`write_atomic`: the bytes go to a
temporary file beside the target, are flushed to disk and renamed over it, so
a failed write (disk full, a killed process, an unwritable place) never leaves
a partial or empty file, and an existing file is either replaced whole or
kept as it was. A target that is not a regular file (``/dev/stdout``, a named
pipe) is written through, as there is nothing to replace.
:func:`check_output_path` refuses a path that cannot be written before any
work is done.

Errors become :class:`OutputError`: exit code 2 for a path that cannot be
written (a directory, under a file, a missing or read-only place, a name too
long, no permission), 1 for a failure while writing (disk full, I/O error).
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

from oilshock.errors import (
    OutputError,
)

# Where the path itself is the problem: the user named a place that cannot hold the file.
_PATH_ERRNOS = {
    errno.EISDIR,
    errno.ENOTDIR,
    errno.ENOENT,
    errno.EACCES,
    errno.EPERM,
    errno.EROFS,
    errno.ENAMETOOLONG,
    errno.EEXIST,
    errno.ELOOP,
    errno.EINVAL,
    errno.ENXIO,
    errno.ENODEV,
}


def _error(path: Path, exc: OSError, doing: str) -> OutputError:
    shown = str(path) if len(str(path)) <= 200 else str(path)[:200] + "…"
    err = OutputError(f"{shown}: cannot {doing}: {exc.strerror or exc}")
    if exc.errno not in _PATH_ERRNOS:
        err.exit_code = 1  # disk full, I/O error: the path was fine, the write failed
    return err


def _special(path: Path) -> bool:
    """An existing target that is neither a regular file nor a directory (a device, a pipe)."""
    try:
        return path.exists() and not path.is_file() and not path.is_dir()
    except OSError:
        return False


def check_output_path(path: str | Path) -> Path:
    """``path`` if a file can be written there, else an :class:`OutputError` (exit code 2).

    The parent folders may be missing (they are created on write) but must not
    pass through a file; the name must not be an existing directory or too long.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise OutputError(f"{path}: is a directory; give a file name")
        if _special(path):
            return path
        if len(os.fsencode(path.name)) > 255:
            raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG))
        for parent in [path.parent, *path.parent.parents]:
            if parent.exists():
                if not parent.is_dir():
                    raise OSError(errno.ENOTDIR, f"{parent} is not a directory")
                # Permission bits do not tell (root may "write" to /proc or /sys): create and remove
                # an empty file where the output or its missing folders will go.
                fd, probe = tempfile.mkstemp(dir=parent, prefix=".oilshock-probe-")
                os.close(fd)
                os.unlink(probe)
                break
    except OSError as exc:
        raise _error(path, exc, "write here") from None
    return path


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` all at once: a temporary file beside it, fsync, rename.

    Parameters
    ----------
    path : str or Path
        The file to (re)place; missing parent folders are created.
    data : str or bytes
        Text is written as UTF-8.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputError
        The file cannot be written; no temporary or partial file is left.
    """
    path = check_output_path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if _special(path):  # /dev/stdout, a pipe: nothing to replace, write through
        try:
            with open(path, "wb") as f:
                f.write(payload)
        except OSError as exc:
            raise _error(path, exc, "write the file") from None
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _error(path, exc, "write here") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(
            tmp, 0o666 & ~_umask()
        )  # mkstemp makes it private; an output file gets the usual mode
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _error(path, exc, "write the file") from None
        raise
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def script_json(obj) -> str:
    """``obj`` as JSON safe to inline in an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (the same
    string to JavaScript), so no ``</script>`` or ``<!--`` in the data can end or
    change the element; every other non-ASCII character, U+2028 and U+2029
    included, is escaped by ``ensure_ascii``. NaN and infinity are refused.
    """
    text = json.dumps(obj, allow_nan=False, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
