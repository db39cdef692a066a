"""``oilshock refresh``, ``recompute`` and ``update``: keep the snapshot and the results current.

Exit codes (also in the README, section "Scheduled updates"):

====  =====================================================================
code  meaning
====  =====================================================================
0     success (or nothing to do)
1     failure; the last good snapshot and results are kept unchanged. The
      message names the source and why (HTTP status, timeout, contract
      rule), or that another refresh holds the lock.
2     usage problem (bad option, unknown dataset name)
3     the snapshot's data are older than ``--max-age`` days (judged on the
      last Brent date, the estimates' default ``as_of``), whether or not the
      refresh itself succeeded
====  =====================================================================

All three commands hold the lock of the data directory (``<data dir>.lock``);
a second one waits ``--wait`` seconds, then exits 1 saying who holds it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from oilshock.cli import render
from oilshock.cli.options import compose, draws_option


class _FiniteFloat(click.ParamType):
    """A finite number in ``[lo, hi]``: click's FloatRange lets ``nan`` and ``inf`` through."""

    name = "seconds"

    def __init__(self, lo: float, hi: float):
        self.lo, self.hi = lo, hi

    def convert(self, value, param, ctx):
        import math

        try:
            x = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(x) or not self.lo <= x <= self.hi:
            self.fail(
                f"{value!r} is not a finite number between {self.lo:g} and {self.hi:g}", param, ctx
            )
        return x


def _from_option(help: str):
    return click.option(
        "--from",
        "from_dir",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        default=None,
        help=help,
    )


_KEEP = click.option(
    "--keep",
    type=click.IntRange(1, 1000),
    default=3,
    show_default=True,
    help="Good snapshots to keep, the new one included.",
)
_MAX_AGE = click.option(
    "--max-age",
    type=click.IntRange(0, 1_000_000),
    default=None,
    help="Exit 3 if the newest Brent date is older than DAYS.",
)
_WAIT = click.option(
    "--wait",
    type=_FiniteFloat(0, 86_400),
    default=0,
    show_default=True,
    help="Seconds to wait for another refresh.",
)
_ALLOW_SHRINK = click.option(
    "--allow-shrink",
    is_flag=True,
    help="Accept datasets that end earlier or hold more than a few percent fewer rows than the current snapshot's.",
)
_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Data directory to replace (default: OILSHOCK_DATA_DIR, else the user data directory).",
)


def _target(explicit: Path | None) -> Path:
    """The data directory a refresh writes; never the packaged snapshot unless named with --data-dir."""
    import os

    from oilshock.data.location import packaged_data_dir, user_data_dir

    if explicit is not None:
        return explicit
    env = os.environ.get("OILSHOCK_DATA_DIR")
    target = Path(env) if env else user_data_dir()
    packaged = packaged_data_dir().resolve()
    resolved = target.resolve()
    if resolved == packaged or "site-packages" in resolved.parts:
        raise click.UsageError(
            f"{target} is the snapshot packaged with oilshock; refresh writes there only when named with --data-dir"
        )
    return target


def _do_refresh(
    target: Path,
    from_dir: Path | None,
    datasets: tuple[str, ...],
    keep: int,
    wait: float,
    allow_shrink: bool = False,
) -> dict:
    from oilshock.data.contracts import load_contracts
    from oilshock.ingest import build_snapshot
    from oilshock.ingest.live import build_live_snapshot
    from oilshock.sources.http import HttpConfig

    # A malformed OILSHOCK_HTTP_* value or source URL is a usage error (exit 2), found before anything starts.
    config = None if from_dir is not None else HttpConfig.from_env()
    bar, step = render.progress_bar(
        "refresh " + ("files" if from_dir else "live"), len(load_contracts())
    )
    with bar:
        if from_dir is not None:
            return build_snapshot(
                from_dir, target, keep=keep, wait=wait, progress=step, allow_shrink=allow_shrink
            )
        return build_live_snapshot(
            target,
            datasets=list(datasets) or None,
            keep=keep,
            wait=wait,
            progress=step,
            config=config,
            allow_shrink=allow_shrink,
        )


def _report_failure(exc: Exception, target: Path) -> None:
    """One line: the error, and that the data directory was left as it was."""
    import os

    from oilshock.data import storage
    from oilshock.sources.redaction import excerpt

    try:
        cur = storage.current(target)
    except OSError:
        cur = None
    kept = f"snapshot {cur.name}" if cur is not None else "no snapshot yet"
    # Parse errors may quote a server's text: one line, control characters escaped, the key masked, bounded.
    text = excerpt(
        "; ".join(line.strip() for line in str(exc).splitlines() if line.strip()),
        [os.environ.get("EIA_API_KEY", "")],
        limit=1000,
    )
    click.echo(f"Error: {text} — refresh failed; {target} was left unchanged ({kept}).", err=True)


def _check_age(target: Path, max_age: int | None) -> bool:
    """True (and a message) if the data are older than ``max_age`` days."""
    from oilshock.data import storage
    from oilshock.data.location import data_dir

    if max_age is None:
        return False
    from oilshock.errors import OilshockError

    directory = target if (target / "manifest.json").is_file() else data_dir()
    try:
        age, last = storage.data_age_days(directory)
    except OilshockError as exc:
        # A damaged snapshot has no trustworthy age: report it as stale rather than crash or pass.
        click.echo(f"Stale: the age of the data in {directory} cannot be read ({exc}).", err=True)
        return True
    if age > max_age:
        click.echo(
            f"Stale: the newest Brent price in {directory} is {last}, {age} days old (--max-age {max_age}).",
            err=True,
        )
        return True
    return False


def _finish(failed: Exception | None, stale: bool) -> None:
    if stale:
        sys.exit(3)
    if failed is not None:
        sys.exit(failed.exit_code)


@click.command()
@_from_option("Read the sources from DIR, laid out like shared/data/raw, instead of the live APIs.")
@_DATA_DIR
@click.option(
    "--dataset",
    "datasets",
    multiple=True,
    help="Live: fetch only this dataset (repeatable); carry the others.",
)
@_KEEP
@_MAX_AGE
@_WAIT
@_ALLOW_SHRINK
def refresh(
    from_dir: Path | None,
    data_dir: Path | None,
    datasets,
    keep: int,
    max_age,
    wait: float,
    allow_shrink: bool,
) -> None:
    """Rebuild every dataset, validate it, and replace the snapshot only if all pass.

    Without --from, fetches EIA API v2 (key from EIA_API_KEY), FRED and IMF
    PortWatch, and carries the datasets without a live source over from the
    current snapshot. Any failure leaves the data directory byte-identical.

    \b
    Examples:
      EIA_API_KEY=... oilshock refresh --max-age 10
      oilshock refresh --from ../shared/data/raw --data-dir data
    """
    from oilshock.errors import OilshockError

    target = _target(data_dir)
    if from_dir is not None and datasets:
        raise click.UsageError("--dataset applies to the live refresh, not to --from")
    failed = None
    try:
        manifest = _do_refresh(target, from_dir, datasets, keep, wait, allow_shrink)
    except OilshockError as exc:
        if exc.exit_code == 2:
            raise
        _report_failure(exc, target)
        failed = exc
    else:
        rows = [
            {
                "name": k,
                "origin": v.get("origin", ""),
                "rows": v["rows"],
                "first": v["first"],
                "last": v["last"],
            }
            for k, v in sorted(manifest["datasets"].items())
        ]
        click.echo(render.table(rows))
        click.echo(f"snapshot {manifest['snapshot_sha256'][:12]} written to {target}")
    _finish(failed, _check_age(target, max_age))


def _do_recompute(target: Path | None, out_dir, scenarios_dir, draws, force) -> dict:
    from oilshock.scenario.spec import list_presets
    from oilshock.schedule.recompute import EXTRA_STEPS
    from oilshock.schedule.recompute import recompute as run

    n = len(list_presets()) + (
        len(list(Path(scenarios_dir).glob("*.toml")))
        if scenarios_dir and Path(scenarios_dir).is_dir()
        else 0
    )
    bar, step = render.progress_bar("recompute", n + len(EXTRA_STEPS))
    with bar:
        return run(
            out_dir,
            data_dir=target,
            scenarios_dir=scenarios_dir,
            draws=draws,
            force=force,
            progress=step,
        )


_RECOMPUTE_OPTIONS = [
    click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Results root (default: OILSHOCK_RESULTS_DIR, else ~/.local/share/oilshock-results).",
    ),
    click.option(
        "--scenarios-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Your scenario TOML files (default: OILSHOCK_SCENARIOS_DIR).",
    ),
    draws_option(),
    click.option("--force", is_flag=True, help="Rerun even if this snapshot's results exist."),
]


def _print_run(run: dict) -> None:
    names = ", ".join(s["name"] for s in run["scenarios"])
    click.echo(
        f"results for snapshot {run['snapshot_sha256'][:12]} ({run['snapshot_date']}): {run['status']}; {names}"
    )


@click.command()
@_DATA_DIR
@compose(*_RECOMPUTE_OPTIONS)
@_WAIT
def recompute(
    data_dir: Path | None, out_dir, scenarios_dir, draws, force: bool, wait: float
) -> None:
    """Rerun every preset and your scenario files on the current snapshot.

    Refits the models when the snapshot changed (the fits are cached per
    snapshot hash) and writes estimate.json, estimate.csv and summary.txt per
    scenario to OUT/<snapshot-date>/, with a manifest.json and a `latest` link.

    \b
    Example:
      oilshock recompute --out ~/oilshock-results --scenarios-dir ~/my-scenarios
    """
    from oilshock.data import storage
    from oilshock.data.location import configured_data_dir

    target = data_dir or configured_data_dir()
    with storage.lock(target, wait, what="recompute", read_only=True):
        _print_run(_do_recompute(target, out_dir, scenarios_dir, draws, force))


@click.command()
@_from_option("Read the sources from DIR instead of the live APIs.")
@_DATA_DIR
@_KEEP
@_MAX_AGE
@_WAIT
@_ALLOW_SHRINK
@compose(*_RECOMPUTE_OPTIONS)
def update(
    from_dir, data_dir, keep, max_age, wait, allow_shrink, out_dir, scenarios_dir, draws, force
) -> None:
    """Refresh, then recompute: the one command for cron, systemd or CI.

    If the refresh fails the results are recomputed on the last good
    snapshot only if they are missing; the exit code is still 1 (or 3 if
    the data are older than --max-age).

    \b
    Example:
      EIA_API_KEY=... oilshock update --max-age 10 --out /srv/oilshock/results
    """
    from oilshock.data import storage
    from oilshock.errors import OilshockError

    target = _target(data_dir)
    failed = None
    with storage.lock(target, wait, what="update"):
        try:
            manifest = _do_refresh(target, from_dir, (), keep, wait, allow_shrink)
            click.echo(f"snapshot {manifest['snapshot_sha256'][:12]} written to {target}")
        except OilshockError as exc:
            if exc.exit_code == 2:
                raise
            _report_failure(exc, target)
            failed = exc
        if (target / "manifest.json").is_file():
            try:
                _print_run(_do_recompute(target, out_dir, scenarios_dir, draws, force))
            except OilshockError as exc:
                click.echo(f"Error: {exc}", err=True)
                failed = failed or exc
    _finish(failed, _check_age(target, max_age))
