"""Which data directory every command reads, and pinning it for the length of one command.

Which directory is used, first match wins:

1. ``OILSHOCK_DATA_DIR`` (environment variable);
2. the user data directory (``$XDG_DATA_HOME/oilshock`` or
   ``~/.local/share/oilshock``), once a refresh has written a manifest there;
3. the snapshot packaged with oilshock (``data/`` in the source tree).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from pathlib import Path

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
