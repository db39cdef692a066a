"""What every run starts from: the scenario, its as-of date and the fitted parameters.

:func:`prepare` is the one place that turns what a caller gives (a preset name, a file or a
:class:`~oilshock.scenario.parse.Scenario`; an optional as-of date; optional parameters already
fitted) into the three things :mod:`oilshock.forecast.simulate` and :mod:`oilshock.forecast.sweep` run on.
:func:`describe_scenario` (``oilshock scenarios show``) starts from the same place.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from oilshock.errors import ScenarioDataError

# Draws × simulated weeks × scenarios one command may ask for. Every preset at the largest
# --draws (100,000) and horizon (156 weeks) is 109 million (measured: 56 s and 1.6 GB);
# one scenario at those settings, 15.6 million, stays within the cap.
MAX_WORK = 20_000_000
MAX_WORK_ENV = "OILSHOCK_MAX_WORK"


def max_work() -> int:
    """The cap on draws × weeks × scenarios: ``$OILSHOCK_MAX_WORK``, else :data:`MAX_WORK`.

    Raises
    ------
    ConfigError
        (exit code 2) The variable is set but not a positive integer.
    """
    import os

    raw = os.environ.get(MAX_WORK_ENV)
    if raw is None or raw.strip() == "":
        return MAX_WORK
    text = raw.strip().replace("_", "")
    if not text.isdigit() or int(text) < 1:
        from oilshock.errors import ConfigError

        raise ConfigError(f"{MAX_WORK_ENV}={raw[:40]!r} is not a positive integer")
    return int(text)


def check_work(draws: int, weeks: list[int], *, noun: str = "scenarios") -> None:
    """Refuse a run whose draws × weeks, summed over its scenarios, exceed :func:`max_work`.

    The one check of every command that simulates: ``estimate``, a comparison, ``brief`` and
    ``chart`` over several scenarios or events, and the ``explore`` grid.

    Parameters
    ----------
    draws : int
        Monte Carlo draws per scenario.
    weeks : list of int
        Each scenario's horizon [weeks].
    noun : str
        What the message calls them (``scenarios``, ``grid cells``).

    Raises
    ------
    ScenarioDataError
        (exit code 2) Naming the product, the cap and how to raise it; checked before any
        fit or draw, so an oversized request costs nothing.
    """
    work = draws * sum(weeks)
    cap = max_work()
    if work > cap:
        n = len(weeks)
        raise ScenarioDataError(
            f"{draws:,} draws × {sum(weeks):,} simulated weeks"
            + (f" over {n:,} {noun}" if n > 1 else "")
            + f" = {work:,}, more than the cap of {cap:,} ({MAX_WORK_ENV}); use fewer draws, "
            f"weeks or scenarios, or raise {MAX_WORK_ENV}"
        )


class Prepared(NamedTuple):
    """A scenario ready to run."""

    scenario: object  # oilshock.scenario.parse.Scenario
    as_of: dt.date
    params: dict


def default_as_of(directory=None) -> dt.date:
    """The snapshot's latest Brent date: the default ``as_of``."""
    from oilshock.data.manifest import read_manifest

    return dt.date.fromisoformat(read_manifest(directory).entry("brent_daily")["last"])


def check_as_of(as_of: dt.date | None, directory=None) -> dt.date:
    """``as_of``, or the newest Brent date when None; a date outside the Brent series is refused.

    The one date guard of every command with ``--as-of`` (``oilshock.cli.options``) and of
    :func:`prepare`.

    Parameters
    ----------
    as_of : datetime.date or None
        The date asked for.
    directory : path, optional
        The data directory (default: the current one).

    Returns
    -------
    datetime.date
        The date to use.

    Raises
    ------
    ScenarioDataError
        (exit code 2) ``as_of`` after the newest data (old data would be shown as current) or
        before the oldest (nothing could be fitted).
    """
    from oilshock.data.manifest import read_manifest

    entry = read_manifest(directory).entry("brent_daily")
    newest = dt.date.fromisoformat(entry["last"])
    if as_of is None:
        return newest
    if as_of > newest:
        raise ScenarioDataError(
            f"as_of {as_of} is after the newest data: brent_daily ends {newest}; "
            f"give --as-of {newest} or earlier"
        )
    oldest = dt.date.fromisoformat(entry["first"])
    if as_of < oldest:
        raise ScenarioDataError(
            f"as_of {as_of} is before the Brent data begin ({oldest}); "
            f"give --as-of {oldest} or later"
        )
    return as_of


def prepare(
    scenario,
    *,
    as_of: dt.date | None = None,
    directory=None,
    params: dict | None = None,
    check: bool = False,
) -> Prepared:
    """The scenario, its as-of date (given, else the scenario's, else the newest data's) and
    the parameters fitted at that date (``params`` if given, else from
    :func:`oilshock.forecast.params.get_params`).

    ``check=True`` refuses an as-of date after the newest data when the parameters are fitted
    here (given parameters were fitted by the caller, who checked).
    """
    from oilshock.scenario.parse import Scenario
    from oilshock.scenario.spec import load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    as_of = as_of or sc.as_of or default_as_of(directory)
    if params is None:
        from oilshock.forecast.params import get_params

        if check:
            check_as_of(as_of, directory)
        params = get_params(as_of, directory)
    return Prepared(sc, as_of, params)


def describe_scenario(scenario, *, as_of: dt.date | None = None, directory=None) -> dict:
    """The scenario as written plus every resolved parameter with its source (``scenarios show``)."""
    from oilshock.scenario.parse import RESPONSE_KEYS
    from oilshock.scenario.resolve import resolve_scenario

    sc, as_of, p = prepare(scenario, as_of=as_of, directory=directory)
    _, _, prov = resolve_scenario(sc, p["supply"], as_of)
    return {
        "scenario": sc.to_dict(),
        "description": sc.description,
        "as_of": as_of.isoformat(),
        "resolved": prov,
        "response_keys": dict(RESPONSE_KEYS),
    }
