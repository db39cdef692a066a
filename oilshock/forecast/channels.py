"""The optional price channels of a model variant, drawn per week and draw.

The news premium (``+news``) and the refinery margin (``+margin``) of the name grammar
:func:`oilshock.model.crude_paths.parse_model`; used by :func:`oilshock.forecast.simulate.run_draws`
and :func:`oilshock.forecast.sweep.sweep` alike, so a grid cell equals the estimate.
"""

from __future__ import annotations

import numpy as np


def news_premium(
    sc, p: dict, week_days: np.ndarray, n: int, stream, under_way: bool
) -> np.ndarray | None:
    """The news premium per week and draw (n_weeks, n) [log points] of a news scenario, or None.

    :func:`oilshock.model.expectations.news_effect` (issue #12 (c)); the caller takes
    ``max(premium, dlog)``. None where :func:`oilshock.model.expectations.news_absent` gives a
    reason (no fit of the news series, a disruption under way, no threatened flow).
    """
    from oilshock.model import expectations

    if expectations.news_absent(p.get("expectations"), sc, under_way) is not None:
        return None
    return expectations.news_effect(p["expectations"], week_days, n, np.random.default_rng(stream))


def margin_coefficients(p: dict, n: int, n_weeks: int, stream) -> np.ndarray | None:
    """The refinery margin's drawn coefficients (n_weeks, n) [USD/gal per log point], or None.

    :func:`oilshock.model.margin.margin_coefficients` (issue #12 (d)); the margin a path adds is
    :func:`oilshock.model.margin.added_margin` of them and its Brent log change.
    """
    from oilshock.model import margin

    fit = p.get("margin") or {"unavailable": "not fitted"}
    if "unavailable" in fit:
        return None
    return margin.margin_coefficients(fit, n, n_weeks, np.random.default_rng(stream))


def regime_factors(p: dict, n: int, stream) -> np.ndarray:
    """Each draw's factor on its multiplier profile for ``+regimes`` (n,).

    :func:`oilshock.model.crude_regimes.regime_factors` of the fit's between-period spread of the
    impact multiplier (``docs/evaluation.md``, amendment 3d); ones for a fit without one.
    """
    from oilshock.model.crude_regimes import regime_factors as factors

    crude = p["crude"]
    return factors(
        float(crude.get("impact_between_period_sd") or 0.0),
        float(crude["multiplier"][0]),
        n,
        np.random.default_rng(stream),
    )
