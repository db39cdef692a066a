"""Chart specs checked structurally: marks, encodings, data rows, and titles that state the computed figure."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from oilshock.report import charts
from oilshock.report import data as rd

from .conftest import body, footnote, regions_dict, spec_values


def layers_of(spec: dict, data=None) -> list[dict]:
    """Every unit spec (one mark each) in a (v/h-concatenated, layered) Vega-Lite spec,
    with the data it inherits from its parent (altair hoists shared data to the layer)."""
    data = spec.get("data", data)
    out = []
    for key in ("vconcat", "hconcat", "layer"):
        for sub in spec.get(key, []):
            out += layers_of(sub, data)
    if "mark" in spec:
        out.append({**spec, "data": data})
    return out


def mark(u: dict) -> str:
    return u["mark"]["type"] if isinstance(u["mark"], dict) else u["mark"]


def test_path_bands_line_baseline_and_title(results_2026):
    d = results_2026["hormuz-partial"]
    raw = charts.path(d, history_weeks=8).to_dict()
    spec = body(raw)
    assert len(raw["title"]["subtitle"]) == 1  # one line: the rest is in the footnote
    p = rd.peak(d)
    title = spec["title"]["text"]
    assert (
        f"${p['retail_peak']['p50']:.2f}" in title and f"+${p['retail_change']['p50']:.2f}" in title
    )
    assert f"{p['weeks']} weeks in" in title
    footer = footnote(raw)[-1]
    assert (
        "2026-02-27" in footer
        and d["provenance"]["snapshot_sha256"][:12] in footer
        and "Source:" in footer
    )
    assert len(spec["vconcat"]) == 2  # gasoline, Brent
    units = layers_of(spec["vconcat"][0])
    kinds = [mark(u) for u in units]
    # band, the no-disruption path (a dashed line with the seasonal drift; it was a flat rule at
    # the price before the shock, changed with issue #26's one baseline), p50, observed
    assert kinds[:3] == ["area", "line", "line"] and "line" in kinds[3:]
    band, base, line = units[:3]
    assert band["encoding"]["y"]["field"] == "p05" and band["encoding"]["y2"]["field"] == "p95"
    assert line["encoding"]["y"]["field"] == "p50" and band["encoding"]["x"]["field"] == "week"
    # The simulated weeks plus the last observed week the band starts from.
    assert (
        len(band["data"]["values"])
        == d["scenario"]["horizon_weeks"] + 1
        == len(line["data"]["values"])
    )
    assert base["data"]["values"][0]["value"] == d["baseline"]["retail_gasoline_usd_per_gal"]
    assert len(units[3]["data"]["values"]) == 8  # observed weeks before as_of
    assert spec["config"]["range"]["category"][0] == "#0072B2"  # Okabe–Ito
    # No election marker: election day (Nov 2026) lies beyond the 26-week horizon.
    assert "Election" not in str(spec)


def test_path_election_marker_inside_horizon(results_2026):
    d = copy.deepcopy(results_2026["red-sea"])
    d["election"] = {"date": d["weekly"][10]["week_ending"]}
    spec = body(charts.path(d, history_weeks=0).to_dict())
    rules = [
        u
        for u in layers_of(spec)
        if mark(u) == "rule" and u["encoding"].get("x", {}).get("field") == "date"
    ]
    assert len(rules) == 2  # one per panel
    assert rules[0]["data"]["values"][0]["date"] == d["weekly"][10]["week_ending"]
    d["election"] = {"date": "2030-11-05"}  # beyond the horizon: no marker
    assert "Election" not in str(charts.path(d, history_weeks=0).to_dict())


def test_compare_ranks_scenarios(results_2026):
    spec = body(charts.compare([results_2026["red-sea"], results_2026["hormuz-partial"]]).to_dict())
    hp = results_2026["hormuz-partial"]["retail_gasoline"]["peak_change_usd_per_gal"]["p50"]
    assert (
        spec["title"]["text"].startswith("hormuz-partial hits hardest")
        and f"+${hp:.2f}" in spec["title"]["text"]
    )
    assert len(spec["hconcat"]) == 2
    units = layers_of(spec["hconcat"][0])
    assert [mark(u) for u in units] == ["rule", "point", "text"]
    assert (
        units[0]["encoding"]["x"]["field"] == "g05" and units[0]["encoding"]["x2"]["field"] == "g95"
    )
    assert units[0]["encoding"]["y"]["sort"] == ["hormuz-partial", "red-sea"]
    assert len(units[0]["data"]["values"]) == 2


def test_gallon_adds_up_and_uses_reference_tables(results_2026):
    d = results_2026["hormuz-partial"]
    rows = rd.gallon_rows(d)
    basis = rows[0]["basis"]
    assert (
        basis["taxes"]["federal_cents"] == 18.40 and basis["taxes"]["state_average_cents"] == 32.61
    )
    assert (
        basis["shares"]["period_first"] == "2023-01-01"
    )  # latest EIA breakdown known on 2026-02-27
    for state in (0, 1):
        part = [r for r in rows if r["state"] == state]
        assert [r["component"] for r in part] == list(rd.COMPONENTS)
        assert sum(r["usd_per_gal"] for r in part) == pytest.approx(
            part[0]["retail_usd_per_gal"], abs=1e-3
        )
        assert all(r["usd_per_gal"] > 0 for r in part)
    assert rows[0]["usd_per_gal"] == pytest.approx(
        d["baseline"]["brent_usd_per_bbl"] / 42, abs=1e-4
    )
    assert rows[1]["usd_per_gal"] / rows[2]["usd_per_gal"] == pytest.approx(2.0, rel=1e-3)  # 20:10
    spec = body(charts.gallon(d).to_dict())
    units = layers_of(spec)
    assert [mark(u) for u in units] == ["bar", "text"] and len(units[0]["data"]["values"]) == 8
    assert units[0]["encoding"]["color"]["field"] == "component"
    assert (
        f"${rows[-1]['retail_usd_per_gal']:.2f}" in spec["title"]["text"]
        and "$0.51" in spec["title"]["text"]
    )


def test_transits_showcase_hormuz_2026(results_2026):
    d = results_2026["hormuz-partial"]
    spec = body(charts.transits(result=d).to_dict())
    # The 2026 collapse: the 7-day mean of Hormuz tanker transits fell by over 90%.
    f = rd.transit_finding("hormuz", __import__("datetime").date(2026, 2, 27))
    assert f["change_pct"] < -90
    assert spec["title"]["text"].startswith(
        f"Strait of Hormuz tanker traffic fell {-f['change_pct']:.0f}%"
    )
    units = layers_of(spec)
    assert [mark(u) for u in units] == ["rect", "circle", "line"]
    window = units[0]["data"]["values"]
    assert (
        window[0]["start"] == "2026-02-27"
        and window[0]["end"] == "2026-04-28"
        and window[1]["end"] == "2026-05-28"
    )
    days = units[1]["data"]["values"]
    assert days[0]["date"] == "2025-02-27" and {r["chokepoint"] for r in days} == {"hormuz"}
    assert units[2]["encoding"]["y"]["field"] == "mean7"


def test_transits_point_in_time_and_several_chokepoints():
    import datetime as dt

    spec = body(
        charts.transits(["hormuz", "bab_el_mandeb"], through=dt.date(2025, 12, 31)).to_dict()
    )
    assert len(spec["vconcat"]) == 2
    dates = [r["date"] for p in spec["vconcat"] for u in layers_of(p) for r in u["data"]["values"]]
    assert max(dates) <= "2025-12-31"
    # The chokepoints are compared on one time axis.
    assert spec["resolve"]["scale"]["x"] == "shared"


def test_transit_panels_share_their_days_and_keep_the_legend_above_the_footnote(results_2026):
    import copy

    d = copy.deepcopy(results_2026["hormuz-partial"])
    spec = charts.transits(["hormuz", "bab_el_mandeb"], result=d).to_dict()
    inner = body(spec)
    assert inner["resolve"]["scale"]["x"] == "shared"
    legends = [
        u["encoding"]["opacity"]["legend"]
        for p in inner["vconcat"]
        for u in layers_of(p)
        if "opacity" in u["encoding"]
    ]
    assert legends and all(lg["orient"] == "top" for lg in legends)
    assert spec["resolve"]["legend"]["opacity"] == "independent"


def test_transits_needs_a_chokepoint():
    with pytest.raises(rd.ReportError):
        charts.transits([])


def test_sensitivity_grid_is_monotone_and_outlines_the_scenario(params_2026):
    import datetime as dt

    rows = rd.sensitivity_grid(
        "hormuz-partial",
        as_of=dt.date(2026, 2, 27),
        params=params_2026,
        shares=(0.25, 1.0),
        durations=(30, 120),
        draws=200,
    )
    assert len(rows) == 3 * 3  # the scenario's own 50% and 60 days are added
    by = {(r["share"], r["duration_days"]): r["p50"] for r in rows}
    assert by[(1.0, 120)] > by[(0.5, 60)] > by[(0.25, 30)] >= 0
    assert [r for r in rows if r["base"]] == [
        r for r in rows if (r["share"], r["duration_days"]) == (0.5, 60)
    ]
    spec = body(
        charts.sensitivity(
            rows,
            scenario_name="hormuz-partial",
            chokepoint="hormuz",
            as_of="2026-02-27",
            snapshot="x" * 64,
            draws=200,
        ).to_dict()
    )
    units = layers_of(spec)
    assert [mark(u) for u in units] == ["rect", "text", "rect"]
    assert units[0]["encoding"]["color"]["field"] == "p50" and len(units[0]["data"]["values"]) == 9
    assert (
        f"+${by[(0.5, 60)]:.2f}" in spec["title"]["text"]
        and f"+${by[(1.0, 120)]:.2f}" in spec["title"]["text"]
    )


def test_regions_chart_from_hand_built_dict(results_2026):
    d = regions_dict(results_2026["hormuz-partial"])
    spec = body(charts.regions(d).to_dict())
    assert (
        spec["title"]["text"].startswith("Pump prices rise most in West Coast: +$0.56/gal")
        and "$131" in spec["title"]["text"]
    )
    (section,) = spec["vconcat"]  # all three are PADDs: one section
    left, right = section["hconcat"]
    assert [mark(u) for u in layers_of(left)] == ["rule", "point"]
    assert layers_of(left)[1]["encoding"]["x"]["field"] == "price_p50"
    assert layers_of(right)[1]["encoding"]["x"]["field"] == "household_p50"
    assert len(layers_of(left)[0]["data"]["values"]) == 3


def test_regions_chart_groups_padds_sub_padds_and_states(results_2026):
    d = results_2026["hormuz-partial"]
    spec = body(charts.regions(d).to_dict())
    titles = [sec["title"]["text"] for sec in spec["vconcat"]]
    assert titles == ["PADDs (petroleum districts)", "Sub-PADD regions", "States"]
    groups = {r["area"]: r["group"] for r in d["regions"]}
    for sec, group in zip(spec["vconcat"], ("padd", "sub_padd", "state")):
        names = {v["area"] for v in layers_of(sec["hconcat"][0])[0]["data"]["values"]}
        assert names and all(groups[a] == group for a in names)
    # One x scale for every section, so sections compare.
    domains = {
        json.dumps(layers_of(sec["hconcat"][0])[0]["encoding"]["x"]["scale"]["domain"])
        for sec in spec["vconcat"]
    }
    assert len(domains) == 1


def test_regions_missing_is_a_clear_error(results_2026):
    d = dict(results_2026["hormuz-partial"])
    d.pop("regions", None)
    with pytest.raises(rd.ReportError, match="no 'regions'") as exc:
        charts.regions(d)
    assert exc.value.exit_code == 2


def test_transits_chart_stops_at_the_as_of_date_it_is_labelled_with(params_2026):
    from oilshock.report.make import make_chart

    raw = make_chart("transits", [], as_of=dt.date(2026, 2, 27), chokepoints=["hormuz"]).to_dict()
    spec = body(raw)
    dates = [r["date"] for r in spec_values(spec, "date")]
    assert dates and max(dates) <= "2026-02-27"
    assert "data as of 2026-02-27" in " ".join(footnote(raw))


def test_style_numbers_read_as_printed():
    from oilshock.report import style
    from oilshock.report.brief import _signed

    assert style.signed_usd(-0.001) == "$0.00" and style.signed_usd(0.004) == "$0.00"
    assert style.signed_usd(-0.126) == "−$0.13" and style.signed_usd(3.8) == "+$3.80"
    assert _signed(-0.04) == "0.0" and _signed(-0.06) == "−0.1" and _signed(0.25) == "+0.2"
    assert style.plural(1, "tanker") == "1 tanker" and style.plural(0, "tanker") == "0 tankers"


def test_path_joins_observed_and_simulated_on_one_time_axis(results_2026):
    d = results_2026["hormuz-partial"]
    spec = body(charts.path(d).to_dict())
    assert spec["resolve"]["scale"]["x"] == "shared"
    bands = [r for r in spec_values(spec, "p50")]
    gas = sorted((r for r in bands if r["series"] == "gasoline"), key=lambda r: r["week"])
    brent = sorted((r for r in bands if r["series"] == "brent"), key=lambda r: r["week"])
    # The simulated band starts at the last observed price, on its date.
    assert (
        gas[0]["week"] == d["baseline"]["retail_gasoline_date"]
        and gas[0]["p50"] == rd.peak(d)["retail_before"]
    )
    assert (
        brent[0]["week"] == d["as_of"]
        and brent[0]["p05"] == brent[0]["p95"] == rd.peak(d)["brent_before"]
    )


def test_gallon_quotes_the_same_peak_as_the_path_and_cuts_no_label(results_2026):
    d = results_2026["hormuz-partial"]
    peak = style_usd(rd.peak(d)["retail_peak"]["p50"])
    gallon = body(charts.gallon(d).to_dict())
    assert peak in gallon["title"]["text"] and peak in charts.path(d).to_dict()["title"]["text"]
    assert gallon["layer"][0]["encoding"]["color"]["legend"]["labelLimit"] == 0


def style_usd(x):
    from oilshock.report import style

    return style.usd(x)


def test_sensitivity_outlined_cell_is_the_estimate(params_2026):
    from oilshock.forecast.simulate import DEFAULT_DRAWS, DEFAULT_SEED, estimate
    from oilshock.report.make import chart_steps, make_chart

    as_of = dt.date(2026, 2, 27)
    steps = []
    spec = body(
        make_chart("sensitivity", ["hormuz-partial"], as_of=as_of, progress=steps.append).to_dict()
    )
    # The progress bar covers the fit, the grid and the drawing, and ends exactly at 100%.
    assert steps == ["fit", "grid", "chart"] == steps[: chart_steps("sensitivity")]
    base = [r for r in spec_values(spec, "base") if r["base"]]
    est = estimate(
        "hormuz-partial", as_of=as_of, params=params_2026, seed=DEFAULT_SEED, draws=DEFAULT_DRAWS
    ).to_dict()
    assert (
        len(base) == 1
        and base[0]["p50"] == est["retail_gasoline"]["peak_change_usd_per_gal"]["p50"]
    )
    assert "Strait of Hormuz" in json.dumps(spec) and "Share of hormuz" not in json.dumps(spec)


def test_peak_level_is_one_number_in_summary_chart_and_gallon(results_2026):
    # With the seasonal drift the peak level is the no-disruption path at the peak week plus the change,
    # in the estimate's summary table, the path chart's title and the gallon chart alike.
    from oilshock.forecast.result import EstimateResult

    d = results_2026["hormuz-partial"]
    level = rd.peak(d)["retail_peak"]["p50"]
    line = next(
        x for x in EstimateResult(d).summary.splitlines() if x.startswith("Gasoline at peak")
    )
    assert round(float(line.split()[-2]), 2) == round(level, 2)
    assert f"${level:.2f}" in charts.path(d).to_dict()["title"]["text"]
    assert f"${level:.2f}" in charts.gallon(d).to_dict()["title"]["text"]


def test_chart_progress_counts_every_estimate(params_2026):
    from oilshock.report.make import chart_steps, make_chart

    steps = []
    make_chart(
        "compare",
        ["hormuz-partial", "red-sea"],
        as_of=dt.date(2026, 2, 27),
        draws=200,
        progress=steps.append,
    )
    assert steps == ["estimate hormuz-partial", "estimate red-sea", "chart"]
    assert len(steps) == chart_steps("compare", ["hormuz-partial", "red-sea"])


def _series_rows(spec: dict, tooltip_title: str) -> list[dict]:
    """The rows of the weekly line whose tooltip names ``tooltip_title`` (first panel)."""
    for u in layers_of(spec["vconcat"][0]):
        tips = u["encoding"].get("tooltip") or []
        if any(t.get("title") == tooltip_title for t in tips if isinstance(t, dict)):
            return u["data"]["values"]
    return []


def test_path_for_a_past_as_of_shows_what_happened_and_the_steo_of_that_date(results_2026):
    from oilshock.evaluate.nowcast import observed_weekly

    d = results_2026["hormuz-partial"]  # as_of 2026-02-27: the data run on to August
    raw = charts.path(d).to_dict()
    spec = body(raw)
    actual = _series_rows(spec, "what happened")
    weeks = [w["week_ending"] for w in d["weekly"]]
    assert actual and all(r["week"] in weeks for r in actual)
    _, retail = observed_weekly()
    assert all(r["value"] == round(retail[dt.date.fromisoformat(r["week"])], 4) for r in actual)
    # EIA's outlook in use on 27 Feb 2026 is the February vintage (known from 15 Feb).
    steo = _series_rows(spec, "EIA STEO (month)")
    assert steo and steo[0]["week"] == "2026-02-15"
    assert all(r["week"][8:] == "15" and r["week"] <= weeks[-1] for r in steo)
    assert "Short-Term Energy Outlook of February 2026" in " ".join(footnote(raw))


def test_path_at_the_newest_data_starts_before_the_onset_and_shows_no_outcome(params_2026):
    from oilshock.report.charts.path import WEEKS_BEFORE_ONSET, onset
    from oilshock.report.make import run_estimates

    (d,) = run_estimates(["hormuz-partial"], draws=200)  # the newest data: the closure under way
    start = onset(d)
    assert start == dt.date(2026, 3, 1)  # Hormuz disrupted since 1 March 2026
    spec = body(charts.path(d).to_dict())
    history = _series_rows(spec, "observed")
    assert history[0]["week"] <= (start - dt.timedelta(weeks=WEEKS_BEFORE_ONSET - 1)).isoformat()
    assert history[-1]["week"] <= d["as_of"]
    # Nothing after the newest data to show, and no outlook current in August 2026.
    assert not _series_rows(spec, "what happened") and not _series_rows(spec, "EIA STEO (month)")


def test_sensitivity_reads_an_easing_at_its_low_as_the_estimate_does():
    # At the newest data Hormuz is shut: half of its flow stopped is a reopening. The grid's cells
    # report that easing at its low, the estimate's headline figure — not the first week's smaller
    # fall (the largest change of the draws, which a peak of a rise would be).
    from oilshock.forecast.params import get_params
    from oilshock.forecast.prepare import default_as_of
    from oilshock.forecast.result import headline
    from oilshock.forecast.simulate import estimate

    as_of = default_as_of()
    p = get_params(as_of)
    rows = rd.sensitivity_grid(
        "hormuz-partial",
        as_of=as_of,
        params=p,
        shares=(0.5,),
        durations=(60, 90),
        draws=400,
        seed=7,
    )
    computed = next(r for r in rows if r["duration_days"] == 90)
    est = estimate("hormuz-partial", as_of=as_of, params=p, seed=7).to_dict()
    low = headline(est)["gasoline"]
    assert low["direction"] == "fall" and low["change"]["p50"] < -0.3
    # 90 days closed rather than 60: close to the estimate's low, far below the first week's fall.
    assert abs(computed["p50"] - low["change"]["p50"]) < 0.1
    base = next(r for r in rows if r["base"])
    assert base["p50"] == low["change"]["p50"]
