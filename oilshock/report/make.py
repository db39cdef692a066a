"""From scenario names to charts: what ``oilshock chart`` and ``oilshock brief`` both call.

Keeping this in the library (not the CLI) means the command, the briefing and
a notebook build a chart the same way from the same inputs.
"""

from __future__ import annotations

import datetime as dt

from oilshock import periods
from oilshock.report import charts
from oilshock.report import data as rd
from oilshock.report.kinds import KINDS

SENSITIVITY_DRAWS = 300  # per grid cell: 25 cells stay within a few seconds


def resolve_as_of(scenarios, as_of: dt.date | None, directory=None) -> dt.date:
    """The as-of date a set of scenarios is run at: the one given, else the first scenario's, else the snapshot's."""
    from oilshock.forecast.prepare import default_as_of
    from oilshock.scenario.parse import Scenario
    from oilshock.scenario.spec import load_scenario

    if as_of is not None:
        return as_of
    for s in scenarios:
        sc = s if isinstance(s, Scenario) else load_scenario(s)
        if sc.as_of:
            return sc.as_of
    return default_as_of(directory)


def run_estimates(
    scenarios,
    *,
    as_of: dt.date | None = None,
    seed: int | None = None,
    draws: int | None = None,
    directory=None,
    progress=None,
    election_date: dt.date | None = None,
) -> list[dict]:
    """Estimate several scenarios at one as-of date and one seed (common random numbers).

    ``progress(name)``, if given, is called after each scenario. ``election_date`` chooses the
    election (default: the next federal election after the later of as_of and today).

    Returns
    -------
    list of dict
        One :meth:`EstimateResult.to_dict` per scenario, in order.
    """
    from oilshock.forecast.params import get_params
    from oilshock.forecast.prepare import check_work
    from oilshock.forecast.simulate import DEFAULT_DRAWS, estimate
    from oilshock.scenario.parse import Scenario
    from oilshock.scenario.spec import load_scenario

    scenarios = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    # All of them bounded at once, before the first fit (OILSHOCK_MAX_WORK), as a comparison.
    check_work(draws or DEFAULT_DRAWS, [sc.horizon_weeks for sc in scenarios])
    as_of = resolve_as_of(scenarios, as_of, directory)
    params = get_params(as_of, directory)
    step = progress or _no_progress
    out = []
    for s in scenarios:
        out.append(
            estimate(
                s,
                as_of=as_of,
                seed=seed,
                draws=draws,
                directory=directory,
                params=params,
                election_date=election_date,
                # What readers see looks ahead: the next election after today, not a past one.
                election_after=periods.today(),
            ).to_dict()
        )
        step(f"estimate {_label(s)}")
    return out


def _no_progress(name: str | None = None) -> None:
    return None


def _label(scenario) -> str:
    return getattr(scenario, "name", None) or str(scenario)


def chart_steps(kind: str, scenarios=(), episodes=()) -> int:
    """How many times :func:`make_chart` calls its ``progress`` callback for these inputs.

    One per estimate run (per scenario, or per catalog event for ``backtest``), one for the
    fit and one for the grid of ``sensitivity``, and one for drawing the chart.
    """
    if kind == "sensitivity":
        return 3
    if kind == "backtest" and not scenarios:
        from oilshock.evaluate.catalog import list_events

        return len(list(episodes) or list_events()) + 1
    return len(list(scenarios)) + 1


def make_chart(kind: str, scenarios=(), *, progress=None, **options):
    """Build one chart by name: see :func:`_build_chart` for the options.

    ``progress(name)``, if given, is called after each estimate, fit or grid and once the chart
    is drawn: :func:`chart_steps` calls in all.
    """
    step = progress or _no_progress
    chart = _build_chart(kind, scenarios, step=step, **options)
    step("chart")
    return chart


def _build_chart(
    kind: str,
    scenarios=(),
    *,
    as_of: dt.date | None = None,
    chokepoints=(),
    seed: int | None = None,
    draws: int | None = None,
    results: list[dict] | None = None,
    through: dt.date | None = None,
    episodes=(),
    directory=None,
    step=_no_progress,
    election_date: dt.date | None = None,
):
    """Build one chart by name.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    scenarios : sequence of str or Scenario
        Presets or TOML paths. ``path``, ``gallon``, ``sensitivity`` and ``regions`` take one;
        ``compare`` one or more; ``transits`` none or one (its window is shaded).
    as_of : datetime.date, optional
        Data cut-off; default the first scenario's, else the snapshot's latest date.
    chokepoints : sequence of str
        ``transits``: chokepoints shown (default: those the scenario disrupts);
        ``sensitivity``: the chokepoint varied (default: the scenario's).
    seed, draws : int, optional
        Monte Carlo seed and draws (``sensitivity`` uses :data:`SENSITIVITY_DRAWS` per cell).
    results : list of dict, optional
        Estimates already run for ``scenarios`` (the briefing passes its own).
    episodes : sequence of str
        ``backtest``: catalog events (``oilshock evaluate``'s), each estimated as of the day before
        its news; one event gives the two-panel chart, several (or none, with no ``scenarios``) the
        small multiples of every event.
    through : datetime.date, optional
        ``transits``: last day shown (point in time); default ``as_of``, else the scenario's
        as-of date, else all data.
    step : callable
        Called with a name after each estimate, fit or grid.

    Returns
    -------
    altair chart
    """

    def estimates():  # the chart's scenarios, at one as-of date and seed
        return run_estimates(
            scenarios,
            as_of=as_of,
            seed=seed,
            draws=draws,
            directory=directory,
            progress=step,
            election_date=election_date,
        )

    from oilshock.errors import UnknownNameError

    if kind not in KINDS:
        raise UnknownNameError("chart kind", kind, list(KINDS))
    scenarios = list(scenarios)
    one = ("path", "gallon", "sensitivity", "regions")
    if kind in one and len(scenarios) != 1:
        raise rd.ReportError(f"chart {kind}: give exactly one --scenario (got {len(scenarios)})")
    if kind == "compare" and not scenarios:
        raise rd.ReportError("chart compare: give one or more --scenario")
    if kind == "transits" and len(scenarios) > 1:
        raise rd.ReportError("chart transits: give at most one --scenario (its window is shaded)")
    if kind == "transits" and not scenarios and not chokepoints:
        raise rd.ReportError(
            "chart transits: give --chokepoint (one or more) or a --scenario that disrupts one"
        )
    if kind == "sensitivity":
        from oilshock.forecast.params import get_params

        a = resolve_as_of(scenarios, as_of, directory)
        params = get_params(a, directory)
        step("fit")
        cp = chokepoints[0] if chokepoints else None
        rows = rd.sensitivity_grid(
            scenarios[0], as_of=a, params=params, chokepoint=cp, draws=SENSITIVITY_DRAWS, seed=seed
        )
        step("grid")
        from oilshock.scenario.parse import Scenario
        from oilshock.scenario.spec import load_scenario

        sc = scenarios[0] if isinstance(scenarios[0], Scenario) else load_scenario(scenarios[0])
        return charts.sensitivity(
            rows,
            scenario_name=sc.name,
            chokepoint=cp or sc.disruptions[0].chokepoint,
            as_of=a.isoformat(),
            snapshot=params.get("snapshot_sha256"),
            draws=SENSITIVITY_DRAWS,
        )
    if kind == "backtest":
        from oilshock.report import versus

        if scenarios:
            if len(scenarios) != 1 or episodes:
                raise rd.ReportError(
                    "chart backtest: give one --scenario (with --as-of in the past) or --episode, not both"
                )
            return versus.versus_actual(
                estimates()[0],
                directory=directory,
            )
        results = episode_estimates(
            list(episodes), seed=seed, draws=draws, directory=directory, progress=step
        )
        if len(results) == 1:
            return versus.versus_actual(results[0], directory=directory)
        return versus.versus_actual_all(results, directory=directory)
    if results is None and scenarios:
        results = estimates()
    if kind == "path":
        return charts.path(results[0], directory=directory)
    if kind == "compare":
        return charts.compare(results)
    if kind == "gallon":
        return charts.gallon(results[0], directory=directory)
    if kind == "regions":
        return charts.regions(results[0])
    if through is None:
        # Point in time: the chart stops at the as-of date it is labelled with (given, or the scenario's).
        through = as_of or (
            dt.date.fromisoformat(rd.as_dict(results[0])["as_of"]) if results else None
        )
    return charts.transits(
        list(chokepoints) or None,
        result=results[0] if results else None,
        through=through,
        directory=directory,
    )


def episode_estimates(
    names: list[str],
    *,
    seed: int | None = None,
    draws: int | None = None,
    directory=None,
    progress=None,
) -> list[dict]:
    """Each catalog event (every one when ``names`` is empty) estimated as of the day before its news, point in time."""
    from oilshock.evaluate.catalog import list_events, load_catalog
    from oilshock.forecast.prepare import check_work
    from oilshock.forecast.simulate import DEFAULT_DRAWS

    events = load_catalog(names or list_events())
    check_work(draws or DEFAULT_DRAWS, [e.scenario.horizon_weeks for e in events])
    return [
        run_estimates(
            [e.scenario],
            as_of=e.as_of,
            seed=seed,
            draws=draws,
            directory=directory,
            progress=progress,
        )[0]
        for e in events
    ]
