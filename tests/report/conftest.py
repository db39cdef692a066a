"""Estimates shared by the report tests: two scenarios at one seed, few draws (fast)."""

from __future__ import annotations

import datetime as dt

import pytest

AS_OF = dt.date(2026, 2, 27)
DRAWS = 400


@pytest.fixture(scope="session")
def results_2026(params_2026):
    from oilshock.report.make import run_estimates

    hp, rs = run_estimates(["hormuz-partial", "red-sea"], as_of=AS_OF, draws=DRAWS)
    return {"hormuz-partial": hp, "red-sea": rs}


def regions_dict(base: dict) -> dict:
    """A result with a hand-built ``regions`` list in the shape the household layer adds."""
    d = dict(base)
    d["regions"] = [
        {"area": "padd_1", "name": "East Coast", "baseline_usd_per_gal": 3.01,
         "price_change_usd_per_gal": {"p05": 0.2, "p50": 0.45, "p95": 0.8}, "household_usd_total": {"p05": 50.0, "p50": 110.0, "p95": 200.0}},
        {"area": "padd_3", "name": "Gulf Coast", "baseline_usd_per_gal": 2.61,
         "price_change_usd_per_gal": {"p05": 0.18, "p50": 0.41, "p95": 0.75}, "household_usd_total": {"p05": 45.0, "p50": 98.0, "p95": 180.0}},
        {"area": "padd_5", "name": "West Coast", "baseline_usd_per_gal": 4.2,
         "price_change_usd_per_gal": {"p05": 0.3, "p50": 0.56, "p95": 0.95}, "household_usd_total": {"p05": 60.0, "p50": 131.0, "p95": 240.0}},
    ]
    return d
