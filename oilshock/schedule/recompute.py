"""Recompute: rerun every scenario on the current snapshot and publish the results atomically.

:func:`recompute` reads one snapshot (the data directory resolved once),
refits the models only when that snapshot's hash has no cached parameters
(:mod:`oilshock.forecast.params` keys its cache on the hash), runs every preset and
every ``*.toml`` in the user's scenario folder, and writes::

    OUTDIR/
      <snapshot-date>/           one folder per snapshot (its retrieval date)
        manifest.json            input hashes, versions, timings, files
        <scenario>/estimate.json the estimate document (oilshock estimate --format json)
        <scenario>/estimate.csv  every part as one tidy table (--format csv)
        <scenario>/summary.txt   the text summary
      latest -> <snapshot-date>  relative link, switched atomically

The folder is written to a temporary directory and renamed into place; the
``latest`` link is replaced with one rename. A failing scenario stops the
run and leaves ``OUTDIR`` as it was.

Charts and the briefing are added by :func:`write_charts_and_briefing`, the
hook the charts issue fills in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from oilshock.errors import (
    OilshockError,
    RecomputeError,
)

# Progress steps besides one per scenario, in order: the fits, then the charts and the brief.
EXTRA_STEPS = ("fits", "charts and brief")

SCENARIOS_DIR_ENV = "OILSHOCK_SCENARIOS_DIR"
OUT_DIR_ENV = "OILSHOCK_RESULTS_DIR"


@dataclass
class ScenarioRun:
    """One scenario's result as written by :func:`recompute`."""

    name: str
    source: str
    result: object  # oilshock.forecast.result.EstimateResult
    seconds: float
    files: list[str]


def default_out_dir() -> Path:
    """``$OILSHOCK_RESULTS_DIR``, else ``$XDG_DATA_HOME/oilshock-results`` (``~/.local/share/oilshock-results``)."""
    env = os.environ.get(OUT_DIR_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "oilshock-results"


def default_scenarios_dir() -> Path | None:
    """``$OILSHOCK_SCENARIOS_DIR`` if set (the user's own scenario files), else none."""
    env = os.environ.get(SCENARIOS_DIR_ENV)
    return Path(env) if env else None


def write_charts_and_briefing(run_dir: Path, runs: list[ScenarioRun], manifest: dict) -> list[Path]:
    """Write the charts and the briefing of one recompute run.

    Called after every scenario's estimate has been written into
    ``run_dir`` (still the temporary folder: whatever this writes is
    published atomically with the rest) and before ``manifest.json`` is
    written. A failure here fails the whole recompute and publishes nothing.

    Writes ``charts/<scenario>-path.png`` per scenario, ``charts/compare.png``
    for all of them, and ``brief.html`` (self-contained) for all of them,
    from the estimates already run — nothing is estimated twice.

    Parameters
    ----------
    run_dir : Path
        The folder of this run (``OUTDIR/<snapshot-date>`` once published).
    runs : list of ScenarioRun
        Every scenario with its :class:`~oilshock.forecast.result.EstimateResult`.
    manifest : dict
        The run manifest so far (snapshot hash, inputs, versions).

    Returns
    -------
    list of Path
        The files written, listed in the manifest.
    """
    from oilshock.report import charts
    from oilshock.report.brief import write_brief
    from oilshock.report.export import save

    if not runs:
        return []
    results = [r.result.to_dict() for r in runs]
    out_dir = Path(run_dir) / "charts"
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for run, res in zip(runs, results):
        written.append(save(charts.path(res), out_dir / f"{run.name}-path.png"))
    written.append(save(charts.compare(results), out_dir / "compare.png"))
    written += write_brief([], Path(run_dir) / "brief.html", results=results)
    return written


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _scenario_files(scenarios_dir: Path | None) -> list[Path]:
    if scenarios_dir is None:
        return []
    scenarios_dir = Path(scenarios_dir)
    if not scenarios_dir.is_dir():
        raise RecomputeError(f"{scenarios_dir}: scenario folder not found", exit_code=2)
    return sorted(scenarios_dir.glob("*.toml"))


def recompute(
    out_dir: Path | None = None,
    *,
    data_dir: Path | None = None,
    scenarios_dir: Path | None = None,
    draws: int | None = None,
    seed: int | None = None,
    force: bool = False,
    progress=None,
) -> dict:
    """Run every preset and user scenario on the current snapshot and publish the results.

    Parameters
    ----------
    out_dir : Path, optional
        Results root (default :func:`default_out_dir`).
    data_dir : Path, optional
        Data directory (default the active one); resolved once.
    scenarios_dir : Path, optional
        Folder of user scenario TOML files (default :func:`default_scenarios_dir`).
    draws, seed : int, optional
        Monte Carlo settings (default the estimate's).
    force : bool
        Rerun even if ``OUTDIR/<snapshot-date>`` already holds this snapshot's results.
    progress : callable, optional
        Called with each scenario name when it is done.

    Returns
    -------
    dict
        The run manifest (``status`` is ``"written"`` or ``"up to date"``).

    Raises
    ------
    RecomputeError
        A scenario failed (named, with the reason) or the output cannot be written.
    """
    from oilshock.data import storage
    from oilshock.data.location import data_dir as active_data_dir
    from oilshock.data.manifest import read_manifest
    from oilshock.forecast.simulate import DEFAULT_DRAWS, default_as_of, resolve_seed

    started = time.monotonic()
    step = progress or (lambda name: None)
    out_dir = Path(out_dir) if out_dir else default_out_dir()
    scenarios_dir = scenarios_dir if scenarios_dir is not None else default_scenarios_dir()
    snap = read_manifest(data_dir or active_data_dir())  # resolved once: one snapshot per run
    # Results are filed under the estimates' as-of date (the newest data), not the retrieval date:
    # a folder's name says which data the numbers in it know.
    as_of = default_as_of(snap.directory)
    snapshot_date = as_of.isoformat()
    draws = draws or DEFAULT_DRAWS
    seed = resolve_seed(seed)
    jobs = _jobs(scenarios_dir)
    _check_out_dir(out_dir)
    inputs = _inputs(snap, jobs, draws, seed)
    final = out_dir / snapshot_date
    if not force and _published_inputs(final) == inputs:
        storage.point_link(out_dir, "latest", snapshot_date)
        return dict(_read_json(final / "manifest.json"), status="up to date")

    fits = _fit(snap, as_of)
    step("fits")
    tmp = _new_run_dir(out_dir, snapshot_date)
    try:
        runs = [_run_scenario(tmp, job, fits, as_of, seed, draws, step) for job in jobs]
        manifest = _manifest(snap, as_of, fits, inputs, runs)
        extra = write_charts_and_briefing(tmp, runs, manifest)
        step("charts and brief")
        manifest["extra_files"] = [
            str(Path(p).relative_to(tmp)) if Path(p).is_absolute() else str(p) for p in extra
        ]
        manifest["timings"] = {
            "params_seconds": fits["seconds"],
            "total_seconds": round(time.monotonic() - started, 3),
        }
        manifest["written_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        storage.replace_dir(tmp, final)
        storage.point_link(out_dir, "latest", snapshot_date)
        return dict(manifest, status="written")
    except OSError as exc:  # disk full, read-only results directory: one line, nothing published
        shutil.rmtree(tmp, ignore_errors=True)
        raise RecomputeError(
            f"{out_dir}: {storage.describe_os_error(exc)}; nothing was published"
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


class Job(NamedTuple):
    """One scenario to run: its name, what ``load_scenario`` takes, and its TOML file."""

    name: str
    source: str
    file: Path
    preset: bool


def _jobs(scenarios_dir: Path | None) -> list[Job]:
    """Every preset and user file; a bad file or a name clash fails here, before any fit or
    estimate."""
    from oilshock.scenario.spec import list_presets, load_scenario, presets_dir

    user_files = _scenario_files(scenarios_dir)
    for f in user_files:
        try:
            load_scenario(f)
        except OilshockError as exc:
            raise RecomputeError(
                f"scenario '{f.stem}' ({f}) failed: {exc}; no results were published"
            ) from None
    jobs = [Job(n, n, presets_dir() / f"{n}.toml", True) for n in list_presets()]
    jobs += [Job(p.stem, str(p), p, False) for p in user_files]
    names = [j.name for j in jobs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise RecomputeError(
            f"{scenarios_dir}: scenario name(s) {dup} clash with a preset or each other; "
            "rename the file(s)"
        )
    return jobs


def _inputs(snap, jobs: list[Job], draws: int, seed: int) -> dict:
    """Everything the results depend on: equal inputs mean the published results are current."""
    return {
        "snapshot_sha256": snap.snapshot_sha256,
        "data_directory": str(snap.directory),
        "datasets": {k: v["sha256"] for k, v in sorted(snap.datasets.items())},
        "presets": {j.name: _sha256(j.file) for j in jobs if j.preset},
        "user_scenarios": {j.source: _sha256(j.file) for j in jobs if not j.preset},
        "draws": draws,
        "seed": seed,
    }


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError, OSError):  # unreadable or damaged: run again
        return {}


def _published_inputs(final: Path) -> dict | None:
    if not (final / "manifest.json").is_file():
        return None
    return _read_json(final / "manifest.json").get("inputs")


def _fit(snap, as_of: dt.date) -> dict:
    """The fitted parameters at ``as_of`` (from the cache when this snapshot was fitted before)."""
    from oilshock.forecast.params import cache_path, get_params

    t = time.monotonic()
    cached = cache_path(snap.snapshot_sha256, as_of).is_file()
    params = get_params(as_of, snap.directory)
    return {
        "params": params,
        "directory": snap.directory,
        "refitted": not cached,
        "seconds": round(time.monotonic() - t, 3),
    }


def _new_run_dir(out_dir: Path, snapshot_date: str) -> Path:
    from oilshock.data.storage import describe_os_error

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(out_dir)
        tmp = Path(tempfile.mkdtemp(prefix=f".{snapshot_date}.tmp-{os.getpid()}-", dir=out_dir))
        # mkdtemp makes it private; published results are read by other users and services.
        tmp.chmod(0o755)
    except OSError as exc:
        raise RecomputeError(
            f"{out_dir}: {describe_os_error(exc)}; nothing was published"
        ) from None
    return tmp


def _run_scenario(
    tmp: Path, job: Job, fits: dict, as_of: dt.date, seed, draws, step
) -> ScenarioRun:
    """Estimate one scenario and write its three files into ``tmp/<name>/``."""
    from oilshock.forecast.simulate import estimate
    from oilshock.report.tables import LONG_COLUMNS, estimate_parts, long_rows, to_csv
    from oilshock.scenario.spec import load_scenario

    name, source = job.name, job.source
    t = time.monotonic()
    try:
        sc = load_scenario(source)
        # Parameters fitted above are reused when the scenario keeps the default as_of.
        p = fits["params"] if (sc.as_of or as_of) == as_of else None
        result = estimate(
            sc,
            as_of=sc.as_of or as_of,
            seed=seed,
            draws=draws,
            directory=fits["directory"],
            params=p,
        )
    except OilshockError as exc:
        raise RecomputeError(
            f"scenario '{name}' ({source}) failed: {exc}; no results were published"
        ) from None
    folder = tmp / name
    folder.mkdir()
    rows = long_rows(estimate_parts(result.to_dict()))
    texts = {
        "estimate.json": result.to_json() + "\n",
        "estimate.csv": to_csv(rows, LONG_COLUMNS),
        "summary.txt": result.summary + "\n",
    }
    for file, text in texts.items():
        (folder / file).write_text(text, encoding="utf-8")
    step(name)
    files = [f"{name}/{f}" for f in texts]
    return ScenarioRun(name, source, result, round(time.monotonic() - t, 3), files)


def _manifest(snap, as_of: dt.date, fits: dict, inputs: dict, runs: list[ScenarioRun]) -> dict:
    import numpy
    import polars

    from oilshock._version import __version__
    from oilshock.forecast.params import fit_code_version

    return {
        "snapshot_date": as_of.isoformat(),  # the folder's name: the estimates' as_of
        "retrieved": snap.raw.get("retrieved"),
        "snapshot_sha256": snap.snapshot_sha256,
        "as_of": as_of.isoformat(),
        "refitted": fits["refitted"],
        "inputs": inputs,
        "versions": {
            "oilshock": __version__,
            "fit_version": fit_code_version(),
            "python": platform.python_version(),
            "numpy": numpy.__version__,
            "polars": polars.__version__,
        },
        "scenarios": [
            {"name": r.name, "source": r.source, "seconds": r.seconds, "files": r.files}
            for r in runs
        ],
    }


def _check_out_dir(out_dir: Path) -> None:
    """Create ``out_dir`` if needed; a place results cannot be written is a usage error
    (exit 2), found before any work."""
    import errno

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if not os.access(out_dir, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as exc:
        raise RecomputeError(
            f"{out_dir}: cannot write results here: {exc.strerror or exc}", exit_code=2
        ) from None


def remove_stale_temporaries(out_dir: Path, max_age_seconds: float = 24 * 3600) -> list[Path]:
    """Remove what killed runs left in ``out_dir``: ``.<date>.tmp-<pid>-*`` folders and ``.latest.link-<pid>`` links.

    A leftover is removed when the process that made it no longer runs on this
    host, or (for names without a process id, or on a shared file system) when
    it is older than ``max_age_seconds`` [s]. A process killed while writing
    (even an abort that runs no clean-up) thus leaves nothing behind for long.

    Returns
    -------
    list of Path
        What was removed.
    """
    import re

    removed = []
    pattern = re.compile(r"\.(?:.+\.tmp-(?:(\d+)-)?|.+\.old-(\d+)$|latest\.link-(\d+)$)")
    try:
        entries = list(Path(out_dir).iterdir())
    except OSError:
        return removed
    now = time.time()
    for p in entries:
        m = pattern.match(p.name)
        if not m:
            continue
        pid = next((int(g) for g in m.groups() if g), None)
        try:
            old = now - p.lstat().st_mtime > max_age_seconds
        except OSError:
            continue
        if pid == os.getpid() or not (old or (pid is not None and not _running(pid))):
            continue
        if p.is_symlink() or not p.is_dir():
            p.unlink(missing_ok=True)
        else:
            shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
