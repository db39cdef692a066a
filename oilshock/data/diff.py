"""What changed between two snapshots: rows added, removed and revised, per dataset.

Rows are matched on each contract's ``primary_key``. A row is *revised* when
its key is in both snapshots and any other column differs (a value that
became null or stopped being null counts). A dataset whose file hash is the
same in both manifests is unchanged without being read.
"""

from __future__ import annotations

from pathlib import Path

from oilshock.errors import SnapshotError


def default_pair(data_dir: Path) -> tuple[Path, Path]:
    """The previous kept snapshot and the current one of ``data_dir``."""
    from oilshock.data import storage

    cur = storage.current(data_dir)
    if cur is None:
        raise SnapshotError(f"{data_dir}: no current snapshot")
    prev = storage.previous(data_dir)
    if prev is None:
        raise SnapshotError(
            f"{data_dir}: no earlier snapshot is kept in {storage.history_dir(data_dir)}; give two "
            "snapshot folders: oilshock data diff OLD NEW"
        )
    return prev, cur


def diff_snapshots(old: Path, new: Path, examples: int = 3) -> list[dict]:
    """Compare two snapshot directories.

    Parameters
    ----------
    old, new : Path
        Snapshot directories (each with a ``manifest.json``).
    examples : int
        How many revised keys to list per dataset.

    Returns
    -------
    list of dict
        One row per dataset in either snapshot: ``name``, ``status``
        (``unchanged``, ``changed``, ``added``, ``removed``), ``rows_old``,
        ``rows_new``, ``added``, ``removed``, ``revised`` and ``examples``
        (the first revised keys, as ``col=value`` text).
    """
    from oilshock.data.contracts import get_contract
    from oilshock.data.files import read_frame
    from oilshock.data.manifest import read_manifest

    a, b = read_manifest(old), read_manifest(new)
    out = []
    for name in sorted(set(a.datasets) | set(b.datasets)):
        ea, eb = a.datasets.get(name), b.datasets.get(name)
        row = {
            "name": name,
            "status": "",
            "rows_old": ea and ea["rows"],
            "rows_new": eb and eb["rows"],
            "added": 0,
            "removed": 0,
            "revised": 0,
            "examples": "",
        }
        if ea is None or eb is None:
            row.update(
                status="added" if ea is None else "removed",
                added=eb["rows"] if ea is None else 0,
                removed=ea["rows"] if eb is None else 0,
            )
        elif ea["sha256"] == eb["sha256"]:
            row["status"] = "unchanged"
        else:
            contract = get_contract(name)
            fa = read_frame(a.directory / ea["file"], contract)
            fb = read_frame(b.directory / eb["file"], contract)
            row.update(_compare(fa, fb, list(contract.primary_key), examples))
            row["status"] = "changed"
        out.append(row)
    return out


def _compare(fa, fb, key: list[str], examples: int) -> dict:
    import polars as pl

    if fa.columns != fb.columns:
        raise SnapshotError(
            f"columns differ between the snapshots ({fa.columns} vs {fb.columns}); compare the files by hand"
        )
    added = fb.join(fa.select(key), on=key, how="anti", nulls_equal=True)
    removed = fa.join(fb.select(key), on=key, how="anti", nulls_equal=True)
    values = [c for c in fa.columns if c not in key]
    both = fa.join(fb, on=key, how="inner", suffix="__new", nulls_equal=True)
    if values:
        changed = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}__new")) for c in values])
        revised = both.filter(changed)
    else:
        revised = both.clear()
    shown = [
        ", ".join(f"{k}={r[k]}" for k in key)
        + ": "
        + "; ".join(f"{c} {r[c]} -> {r[c + '__new']}" for c in values if r[c] != r[c + "__new"])
        for r in revised.head(examples).iter_rows(named=True)
    ]
    return {
        "added": added.height,
        "removed": removed.height,
        "revised": revised.height,
        "examples": " | ".join(shown),
    }
