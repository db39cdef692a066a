"""Regional price change and household cost, one row per region."""

from __future__ import annotations

from oilshock.errors import ReportError
from oilshock.report.data.common import scenario_label

# Sections of the regions chart, in order: (group key of the result's regions, label).
REGION_GROUPS = (
    ("padd", "PADDs (petroleum districts)"),
    ("sub_padd", "Sub-PADD regions"),
    ("state", "States"),
)


def region_rows(d: dict) -> list[dict]:
    """Regional price change and household cost, one row per region.

    Raises
    ------
    ReportError
        When the result has no ``regions`` (they come with the household layer).
    """
    regions = d.get("regions")
    if not regions:
        raise ReportError(
            f"{scenario_label(d)}: the result has no 'regions' (price change and household cost by region "
            "come with the household layer); the regions chart needs them"
        )
    rows = []
    for r in regions:
        pc, hh = r["price_change_usd_per_gal"], r["household_usd_total"]
        rows.append(
            {
                "area": r["area"],
                "name": r.get("name") or r["area"],
                # Results from before the grouping carry no group: PADD areas are named padd_<n>.
                "group": r.get("group")
                or (
                    "padd"
                    if r["area"] in {f"padd_{i}" for i in range(1, 6)}
                    else "sub_padd"
                    if r["area"].startswith("padd_")
                    else "state"
                ),
                "baseline": r.get("baseline_usd_per_gal"),
                **{f"price_{q}": pc[q] for q in ("p05", "p50", "p95")},
                # No household cost when the snapshot has no household count for as_of.
                **{f"household_{q}": None if hh is None else hh[q] for q in ("p05", "p50", "p95")},
            }
        )
    return rows
