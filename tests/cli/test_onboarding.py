"""Small onboarding items: --share as a percentage; status tells normal, reduced and disrupted apart."""

from __future__ import annotations

import json

from click.testing import CliRunner

from oilshock.cli import main
from oilshock.model.chokepoint_state import REDUCED_BELOW, THRESHOLD, state_label, state_line


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_share_as_a_percentage_or_a_fraction(params_2026):
    base = ("estimate", "--chokepoint", "hormuz", "--days", "30", "--as-of", "2026-02-27")
    pct = invoke(*base, "--share", "50%", "--draws", "200", "--format", "json")
    frac = invoke(*base, "--share", "0.5", "--draws", "200", "--format", "json")
    assert pct.exit_code == 0 and frac.exit_code == 0, pct.output
    assert json.loads(pct.output)["brent"] == json.loads(frac.output)["brent"]
    rng = invoke(*base, "--share", "40%,60%", "--draws", "200")
    assert rng.exit_code == 0 and "0.4-0.6 of normal flow" in rng.output
    for bad in ("150%", "x%", "half"):
        res = invoke(*base, "--share", bad)
        errors = [x for x in res.output.splitlines() if x.startswith("Error")]
        assert res.exit_code == 2 and len(errors) == 1 and "--share" in errors[0], res.output


def test_three_states_with_thresholds_defined_once():
    assert THRESHOLD < REDUCED_BELOW < 1
    assert state_label({"level": 0.02, "under_way": True, "onset": "2026-03-01"}) == "disrupted"
    assert state_label({"level": 0.69, "under_way": False}) == "reduced"
    assert state_label({"level": 0.89, "under_way": False}) == "normal"
    assert state_line("bab_el_mandeb", {"level": 0.69, "under_way": False}).startswith(
        "bab_el_mandeb: reduced, tankers at 69%"
    )


def test_status_labels_bab_el_mandeb_reduced(params_now):
    res = invoke("status", "--format", "json")
    cps = json.loads(res.output)["chokepoints"]
    assert cps["hormuz"]["state"] == "disrupted"
    assert cps["bab_el_mandeb"]["state"] == "reduced"
    assert cps["malacca"]["state"] == "normal"
    text = invoke("status").output
    assert "bab_el_mandeb: reduced" in text and "bab_el_mandeb: normal" not in text
