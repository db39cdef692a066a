"""The numbers behind the charts, as plain rows (lists of dicts).

Charts (:mod:`oilshock.report.charts`) only draw; everything they state is
computed here from an estimate's result dict (:meth:`EstimateResult.to_dict`)
or from snapshot datasets, so the briefing's text and tables quote exactly
the figures the charts show, and tests can check the figures without parsing
a chart.
"""

from oilshock.errors import ReportError
from oilshock.report.data.common import _date, _mid, as_dict, scenario_label, snapshot_of
from oilshock.report.data.estimate import (
    POINT_LABEL,
    context_lines,
    election_date,
    election_label,
    no_disruption_rows,
    peak,
    scenario_windows,
    status_quo_rows,
    weekly_rows,
)
from oilshock.report.data.gallon import (
    COMPONENTS,
    gallon_rows,
    latest_component_shares,
    latest_taxes,
)
from oilshock.report.data.regions import REGION_GROUPS, region_rows
from oilshock.report.data.sensitivity import sensitivity_grid
from oilshock.report.data.transits import (
    chokepoint_names,
    transit_chokepoints,
    transit_finding,
    transit_rows,
)

__all__ = [
    "COMPONENTS",
    "POINT_LABEL",
    "REGION_GROUPS",
    "ReportError",
    "_date",
    "_mid",
    "as_dict",
    "chokepoint_names",
    "context_lines",
    "election_date",
    "election_label",
    "gallon_rows",
    "latest_component_shares",
    "latest_taxes",
    "no_disruption_rows",
    "peak",
    "region_rows",
    "scenario_label",
    "scenario_windows",
    "sensitivity_grid",
    "snapshot_of",
    "status_quo_rows",
    "transit_chokepoints",
    "transit_finding",
    "transit_rows",
    "weekly_rows",
]
