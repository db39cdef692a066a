"""The sensitivity grid: the central change over share blocked × duration, read as the estimate reads it."""

from __future__ import annotations

import datetime as dt

from oilshock.errors import ReportError
from oilshock.text import direction


def sensitivity_grid(
    scenario,
    *,
    as_of: dt.date,
    params: dict,
    chokepoint: str | None = None,
    shares=(0.1, 0.25, 0.5, 0.75, 1.0),
    durations=(14, 30, 60, 90, 120),
    draws: int = 300,
    seed: int | None = None,
) -> list[dict]:
    """p50 peak pump-price change over share blocked × duration for one disrupted flow.

    The first disruption of ``scenario`` is varied (its chokepoint replaced by
    ``chokepoint`` if given); its recovery, its start, the other disruptions and the
    response are kept, so the base scenario is one cell of the grid (its midpoints are
    added to the axes if missing). All cells share ``params`` and ``seed``, so they
    differ only by share and duration (common random numbers).

    Returns
    -------
    list of dict
        ``share`` [fraction], ``duration_days`` [days], ``p50`` the central change [USD/gal] at
        the peak of a rise or the low of an easing (the estimate's reading,
        :func:`oilshock.forecast.result.headline`), ``base`` (True for the base scenario's cell).
    """
    from oilshock.forecast.sweep import sweep
    from oilshock.scenario.parse import Scenario
    from oilshock.scenario.spec import load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    first = sc.disruptions[0]
    cp = chokepoint or first.chokepoint
    if cp is None or cp == "*":
        raise ReportError(
            f"{sc.name}: its first disruption names no single chokepoint; pass a chokepoint to vary the share blocked"
        )
    observed = isinstance(first.share, str)  # share = "observed": no base share to mark
    base_share = (
        (first.share[0] + first.share[1]) / 2
        if first.share and not observed and cp == first.chokepoint
        else None
    )
    base_dur = (first.duration_days[0] + first.duration_days[1]) / 2
    shares = sorted(set(shares) | ({round(base_share, 4)} if base_share is not None else set()))
    durations = sorted(set(durations) | {round(base_dur, 1)})
    cells = sweep(
        sc,
        shares,
        durations,
        as_of=as_of,
        chokepoint=cp,
        params=params,
        draws=draws,
        seed=seed,
    )
    rows = []
    for c in cells:
        r = c["retail_peak_change_usd_per_gal"]
        if r is None:
            raise ReportError(
                f"{sc.name}: no pump-price estimate as of {as_of}, so no sensitivity grid"
            )
        # One reading of a cell's change, the estimate's: a rise at its peak, an easing at its low.
        low = c.get("retail_low_change_usd_per_gal_p50")
        p50 = (
            low
            if low is not None
            and direction(low, 3) == "fall"
            and (direction(r["p50"], 3) != "rise" or abs(low) > abs(r["p50"]))
            else r["p50"]
        )
        rows.append(
            {
                "share": c["share"],
                "duration_days": c["duration_days"],
                "p50": p50,
                "base": base_share is not None
                and c["share"] == round(base_share, 4)
                and c["duration_days"] == round(base_dur, 1),
            }
        )
    point = (
        base_share is not None
        and first.share[0] == first.share[1]
        and first.duration_days[0] == first.duration_days[1]
    )
    if point and any(r["base"] for r in rows):
        # The outlined cell quotes the estimate itself (default draws and seed), so the grid and
        # `oilshock estimate` print one number for the scenario as written.
        from oilshock.forecast.simulate import DEFAULT_DRAWS, estimate

        est = estimate(
            sc,
            as_of=as_of,
            params=params,
            seed=seed,
            draws=DEFAULT_DRAWS,
        )
        from oilshock.forecast.result import headline

        quoted = headline(est.data)["gasoline"]["change"]["p50"]
        for r in rows:
            if r["base"]:
                r["p50"], r["draws"] = quoted, DEFAULT_DRAWS
    return rows
