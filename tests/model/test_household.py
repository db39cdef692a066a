"""Household and regional cost."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from oilshock.model import household


def test_context(params_2026):
    h = params_2026["household"]
    assert (
        8000 < h["consumption"]["kbd"] < 9500
    )  # US gasoline product supplied, ~9 mb/d (literature.md §6)
    assert h["households"]["million"] == 132.7 and h["households"]["year"] == 2024
    areas = {r["area"] for r in h["regions"]}
    assert {"california", "padd_2", "padd_3", "padd_1a"} <= areas
    ca = next(r for r in h["regions"] if r["area"] == "california")
    assert (
        0.9 < ca["theta"] < 1.3 and ca["spread_usd_per_gal"] > 0.5
    )  # California's premium (literature.md §6a)


def test_costs_arithmetic(params_2026):
    ctx = params_2026["household"]
    rc = np.full((3, 4), 0.5)  # +50 c/gal for four weeks
    c = household.household_costs(rc, ctx)
    gal = ctx["consumption"]["gal_per_day"]
    assert c["national_usd_total"][0] == pytest.approx(0.5 * 28 * gal)
    share = ctx["household_share"][
        "share"
    ]  # only households' part of the spending is per-household cost
    assert c["usd_total_per_household"][0] == pytest.approx(0.5 * 28 * gal * share / 132.7e6)
    assert household.household_costs(np.zeros((2, 5)), ctx)["national_usd_total"].tolist() == [
        0.0,
        0.0,
    ]


def test_household_share_from_published_figures(params_2026):
    s = params_2026["household"]["household_share"]
    # BLS CEX 2024 × ACS 2024 households over EIA 2024 volume × price: well below 1, above
    # the light-duty-vehicle floor logic.
    assert s["year"] == 2024
    assert (
        0.6 < s["share"] < 0.92
    )  # EIA: light-duty vehicles, incl. business fleets, burn about 92% (literature.md §6)
    ctx = params_2026["household"]
    c = household.household_costs(np.full((1, 4), 0.5), ctx)
    assert c["usd_total_per_household"][0] == pytest.approx(
        0.5 * 28 * ctx["consumption"]["gal_per_day"] * s["share"] / 132.7e6
    )


def test_aggregates_within_their_parts(params_2026):
    by = {r["area"]: r for r in params_2026["household"]["regions"]}
    for agg, parts in household.PARTS.items():
        thetas = [by[p]["theta"] for p in parts]
        assert min(thetas) <= by[agg]["theta"] <= max(thetas), (agg, by[agg]["theta"], thetas)
        assert by[agg]["parts"] == list(parts)


@pytest.mark.parametrize(
    "scenario,seed",
    [("hormuz-full", 3), ("hormuz-full", 11), ("hormuz-partial", 3), ("red-sea", 5)],
)
def test_region_bands_within_their_parts(params_2026, scenario, seed):
    from oilshock.forecast.simulate import estimate

    # The default model, at seeds where independent regional draws put PADD 1's p95 below all
    # of its parts' (seed 3 of hormuz-full did): one shared z keeps every quantile inside.
    d = estimate(
        scenario, as_of=dt.date(2026, 2, 27), draws=400, seed=seed, params=params_2026
    ).data
    regions = {r["area"]: r for r in d["regions"]}
    for agg, parts in household.PARTS.items():
        for key in ("price_change_usd_per_gal", "household_usd_total"):
            for q in ("p05", "p50", "p95"):
                vals = [regions[p][key][q] for p in parts]
                lo, hi = min(vals), max(vals)
                tol = 10 ** -(4 if key.startswith("price") else 2)  # the bands' rounding
                assert lo - tol <= regions[agg][key][q] <= hi + tol, (agg, key, q)


def test_baselines_use_the_newest_level(params_2026):
    by = {r["area"]: r for r in params_2026["household"]["regions"]}
    # PADD averages run into 2026 in the STEO: their baseline is dated there, not frozen at 2022-10.
    for padd in ("padd_1", "padd_2", "padd_3", "padd_4", "padd_5"):
        assert by[padd]["spread_month"] >= "2026-01-01", by[padd]
    # A state under a current PADD is carried forward by its parent's newest level.
    assert (
        by["texas"]["spread_month"] >= "2026-01-01"
        and "Gulf Coast" in by["texas"]["baseline_basis"]
    )
    # California's premium is a 12-month mean, not the single October 2022 spike (+$1.99 that month).
    assert 1.0 < by["california"]["spread_usd_per_gal"] < 1.7
    assert all(r["baseline_basis"] for r in by.values())
