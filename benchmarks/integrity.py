"""What the warm estimate's snapshot check costs (docs/reliability.md, "Resource bounds").

    python benchmarks/integrity.py            # about a minute
    python benchmarks/integrity.py --reps 5   # quicker

Prints, for the packaged snapshot:

* in-process medians of ``read_manifest`` (parse + shape check + manifest_sha256)
  and of ``verify_files`` (sha256 of every file), and of a bare ``json.loads``
  of the manifest for comparison;
* wall-clock medians of a warm ``estimate --format json`` with the checks,
  the same with both checks patched out, and ``python -c "import polars, numpy"``,
  the three run interleaved in fresh interpreters.

A measurement, not a test: it never fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = "from oilshock.cli import main; main(['estimate', '--scenario', 'hormuz-partial', '--format', 'json'])"
UNCHECKED = (
    "import oilshock.data.manifest as d; d.verify_files = lambda m: None; "
    "d.check_manifest = lambda raw, path, legacy_ok=False: None; " + RUN
)
IMPORTS = "import polars, numpy"


def in_process(reps: int) -> dict:
    from oilshock.data.location import MANIFEST, packaged_data_dir
    from oilshock.data.manifest import read_manifest, verify_files

    d = packaged_data_dir()
    m = read_manifest(d)

    def median_ms(fn) -> float:
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return round(1000 * statistics.median(times), 3)

    return {
        "json_loads_ms": median_ms(lambda: json.loads((d / MANIFEST).read_bytes())),
        "read_manifest_ms": median_ms(lambda: read_manifest(d)),
        "verify_files_ms": median_ms(lambda: verify_files(m)),
        "files": len(m.datasets),
        "bytes": sum((d / e["file"]).stat().st_size for e in m.datasets.values()),
    }


def wall(reps: int) -> dict:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as cache:
        env["OILSHOCK_CACHE_DIR"] = cache
        subprocess.run(
            [sys.executable, "-c", RUN], env=env, check=True, capture_output=True
        )  # fit once
        times: dict[str, list[float]] = {
            "estimate_checked": [],
            "estimate_unchecked": [],
            "import_polars_numpy": [],
        }
        for _ in range(reps):
            for name, code in (
                ("estimate_checked", RUN),
                ("estimate_unchecked", UNCHECKED),
                ("import_polars_numpy", IMPORTS),
            ):
                t = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-c", code], env=env, check=True, capture_output=True
                )
                times[name].append(time.perf_counter() - t)
    out = {k: round(statistics.median(v), 3) for k, v in times.items()}
    out["checked_over_imports"] = round(out["estimate_checked"] / out["import_polars_numpy"], 2)
    out["unchecked_over_imports"] = round(out["estimate_unchecked"] / out["import_polars_numpy"], 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=11)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(
        json.dumps(
            {"in_process": in_process(max(50, args.reps * 10)), "wall_s": wall(args.reps)}, indent=2
        )
    )


if __name__ == "__main__":
    main()
