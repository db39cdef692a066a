"""Household and regional cost."""

from __future__ import annotations

import numpy as np
import pytest

from oilshock.model import household


def test_context(params_2026):
    h = params_2026["household"]
    assert 8000 < h["consumption"]["kbd"] < 9500  # US gasoline product supplied, ~9 mb/d (literature.md §6)
    assert h["households"]["million"] == 132.7 and h["households"]["year"] == 2024
    areas = {r["area"] for r in h["regions"]}
    assert {"california", "padd_2", "padd_3", "padd_1a"} <= areas
    ca = next(r for r in h["regions"] if r["area"] == "california")
    assert 0.9 < ca["theta"] < 1.3 and ca["spread_usd_per_gal"] > 0.5  # California's premium (literature.md §6a)


def test_costs_arithmetic(params_2026):
    ctx = params_2026["household"]
    rc = np.full((3, 4), 0.5)  # +50 c/gal for four weeks
    c = household.household_costs(rc, ctx)
    gal = ctx["consumption"]["gal_per_day"]
    assert c["national_usd_total"][0] == pytest.approx(0.5 * 28 * gal)
    assert c["usd_total_per_household"][0] == pytest.approx(0.5 * 28 * gal / 132.7e6)
    assert household.household_costs(np.zeros((2, 5)), ctx)["national_usd_total"].tolist() == [0.0, 0.0]
