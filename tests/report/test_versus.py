"""Predicted against observed (``oilshock chart backtest``, #14 item 1)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from oilshock.cli import main
from oilshock.report import versus
from oilshock.report.make import episode_estimates, make_chart

from .conftest import body, spec_values


def test_one_episode_against_what_followed(isolated_cache):
    (d,) = episode_estimates(["2026-hormuz"], draws=400)
    obs = versus.observed_weeks(d)
    # Every simulated week of the 20-week horizon... is observed in the snapshot, measured as the model measures it.
    assert [r["week"] for r in obs["gasoline"]] == [
        w["week_ending"] for w in d["weekly"][: len(obs["gasoline"])]
    ]
    assert len(obs["gasoline"]) >= 20 and obs["gasoline"][0]["week"] > d["as_of"]
    spec = body(versus.versus_actual(d).to_dict())
    inside, n = versus._inside(d, obs["gasoline"], "retail_gasoline_predictive_usd_per_gal")
    assert f"in {inside} of {n} weeks" in spec["title"]["text"] and n == len(obs["gasoline"])
    assert {r["value"] for r in spec_values(spec, "value")} >= {r["value"] for r in obs["brent"]}
    # The predictive band (with market noise) is never narrower than the effect band.
    for w in d["weekly"]:
        e, p = w["retail_gasoline_usd_per_gal"], w["retail_gasoline_predictive_usd_per_gal"]
        assert p["p95"] - p["p05"] >= e["p95"] - e["p05"] - 1e-9


def test_small_multiples_one_panel_per_episode(isolated_cache):
    spec = body(make_chart("backtest", episodes=["2022-russia", "2011-libya"], draws=300).to_dict())
    panels = [c for row in spec["vconcat"] for c in row["hconcat"]]
    assert (
        len(panels) == 2
        and "2022-russia" in json.dumps(panels[0]["title"])
        and "Across 2 episodes" in spec["title"]["text"]
    )


def test_no_observed_weeks_is_one_line(isolated_cache, tmp_path):
    res = CliRunner().invoke(
        main,
        ["chart", "backtest", "-s", "red-sea", "--draws", "200", "-o", str(tmp_path / "x.json")],
    )
    assert (
        res.exit_code != 0
        and "no observed prices after" in res.output
        and "Traceback" not in res.output
    )
    res = CliRunner().invoke(
        main, ["chart", "path", "--episode", "2026-hormuz", "-o", str(tmp_path / "x.json")]
    )
    assert res.exit_code == 2 and "--episode is for" in res.output


def test_brief_shows_the_comparison_only_when_actuals_exist(isolated_cache):
    from oilshock.report.brief import build_brief
    from oilshock.report.make import run_estimates

    past = build_brief(
        run_estimates(["red-sea"], draws=300, as_of=__import__("datetime").date(2026, 2, 27))
    )
    now = build_brief(run_estimates(["red-sea"], draws=300))
    assert any("backtest" in cid for cid, _, _ in past["charts"]) and not any(
        "backtest" in cid for cid, _, _ in now["charts"]
    )
