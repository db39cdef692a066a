"""The estimate: presets, invariants (hypothesis), reproducibility, point in time."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oilshock.forecast.simulate import estimate
from oilshock.scenario.spec import load_scenario, parse_scenario

AS_OF = dt.date(2026, 2, 27)


def case(share=0.5, duration=60, recovery=0, chokepoint="hormuz"):
    return parse_scenario(
        f'[[disruptions]]\nchokepoint = "{chokepoint}"\nshare = {share}\nduration_days = '
        f"{duration}\nrecovery_days = {recovery}\n"
    )


def run(sc, params, draws=400, seed=7):
    return estimate(sc, as_of=AS_OF, params=params, draws=draws, seed=seed).to_dict()


def test_presets_order_sensibly(params_2026):
    p50 = {}
    for name in ("red-sea", "hormuz-partial", "hormuz-full", "hormuz-and-red-sea"):
        d = run(load_scenario(name), params_2026, draws=1000)
        p50[name] = (
            d["brent"]["peak_change_pct"]["p50"],
            d["retail_gasoline"]["peak_change_usd_per_gal"]["p50"],
        )
    for k in (0, 1):
        assert (
            p50["red-sea"][k]
            < p50["hormuz-partial"][k]
            < p50["hormuz-full"][k]
            <= p50["hormuz-and-red-sea"][k]
        ), p50


def test_stock_release_preset_lowers_the_peak(params_2026):
    full = run(load_scenario("hormuz-full"), params_2026)["brent"]["peak_change_pct"]["p50"]
    spr = run(load_scenario("hormuz-full-stock-release"), params_2026)["brent"]["peak_change_pct"][
        "p50"
    ]
    assert spr < full


def test_zero_disruption_zero_change(params_2026):
    d = run(case(share=0.0), params_2026)
    assert d["brent"]["peak_change_pct"] == {"p05": 0.0, "p50": 0.0, "p95": 0.0}
    assert d["retail_gasoline"]["peak_change_usd_per_gal"] == {"p05": 0.0, "p50": 0.0, "p95": 0.0}
    base = d["baseline"]["brent_usd_per_bbl"]
    assert all(w["brent_usd_per_bbl"]["p50"] == pytest.approx(base, abs=1e-3) for w in d["weekly"])


def test_same_inputs_same_bytes(params_2026):
    a = estimate("hormuz-partial", as_of=AS_OF, seed=11, draws=500).to_json()
    b = estimate("hormuz-partial", as_of=AS_OF, seed=11, draws=500).to_json()
    assert a == b
    c = estimate("hormuz-partial", as_of=AS_OF, seed=12, draws=500).to_json()
    assert c != a


def test_json_shape(params_2026):
    d = json.loads(estimate("hormuz-partial", as_of=AS_OF, draws=300).to_json())
    assert d["as_of"] == "2026-02-27"
    assert set(d["baseline"]) >= {"brent_usd_per_bbl", "retail_gasoline_usd_per_gal"}
    assert set(d["brent"]["peak_change_pct"]) == {"p05", "p50", "p95"}
    assert isinstance(d["retail_gasoline"]["weeks_to_peak"], int)
    w = d["weekly"][0]
    assert set(w) >= {"week_ending", "brent_usd_per_bbl", "retail_gasoline_usd_per_gal"}
    assert dt.date.fromisoformat(w["week_ending"]).weekday() == 0  # EIA Mondays
    assert len(d["weekly"]) == 26
    assert d["provenance"]["snapshot_sha256"] and d["provenance"]["oilshock_version"]
    assert d["scenario"]["disruptions"][0]["chokepoint"] == "hormuz"


def test_result_object(params_2026):
    res = estimate("red-sea", as_of=AS_OF, params=params_2026, draws=300)
    frame = res.to_frame()
    assert frame.height == 26 and "retail_usd_per_gal_p50" in frame.columns
    assert "scenario, not a forecast" in res.summary.lower()


shares = st.floats(0.0, 1.0, allow_nan=False)
durations = st.integers(1, 200)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=shares, b=shares, dur=durations)
def test_more_loss_never_lowers_the_peak(params_2026, a, b, dur):
    lo, hi = sorted((a, b))
    x = run(case(share=lo, duration=dur), params_2026, draws=200)
    y = run(case(share=hi, duration=dur), params_2026, draws=200)
    for q in ("p05", "p50", "p95"):
        assert y["brent"]["peak_change_pct"][q] >= x["brent"]["peak_change_pct"][q]
        assert (
            y["retail_gasoline"]["peak_change_usd_per_gal"][q]
            >= x["retail_gasoline"]["peak_change_usd_per_gal"][q] - 1e-9
        )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(share=st.floats(0.05, 1.0), d1=durations, d2=durations)
def test_longer_duration_never_lowers_the_peak(params_2026, share, d1, d2):
    lo, hi = sorted((d1, d2))
    x = run(case(share=share, duration=lo), params_2026, draws=200)
    y = run(case(share=share, duration=hi), params_2026, draws=200)
    assert y["brent"]["peak_change_pct"]["p50"] >= x["brent"]["peak_change_pct"]["p50"]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    share=shares,
    dur=durations,
    rec=st.integers(0, 60),
    cp=st.sampled_from(["hormuz", "bab_el_mandeb", "suez", "malacca"]),
)
def test_bands_are_ordered(params_2026, share, dur, rec, cp):
    d = run(case(share=share, duration=dur, recovery=rec, chokepoint=cp), params_2026, draws=200)
    for band in [d["brent"]["peak_change_pct"], d["retail_gasoline"]["peak_change_usd_per_gal"]] + [
        w["brent_usd_per_bbl"] for w in d["weekly"]
    ]:
        assert band["p05"] <= band["p50"] <= band["p95"]


def test_point_in_time_loads(monkeypatch, tmp_path):
    """Every time series a fit reads is loaded as_of the estimate's date."""
    import oilshock.data.datasets as ds
    from oilshock.data.contracts import get_contract
    from oilshock.forecast.params import fit_all

    seen = []
    real = ds.load_dataset

    def spy(name, as_of=None, directory=None):
        frame = real(name, as_of=as_of, directory=directory)
        c = get_contract(name)
        if (
            c.kind == "series"
            and c.time_column
            and name != "brent_daily"
            or (name == "brent_daily" and as_of is not None)
        ):
            seen.append((name, as_of))
        return frame

    monkeypatch.setattr(ds, "load_dataset", spy)
    as_of = dt.date(2011, 2, 14)
    p = fit_all(as_of)
    assert seen and all(a == as_of for _, a in seen), seen
    assert p["crude"]["sample_last"] < "2011-02-14"
    assert p["pump"]["sample_last"] <= "2011-02-14"
    assert p["baseline"]["retail"]["date"] <= "2011-02-14"


def test_sweep_cell_equals_the_estimate(params_2026):
    """The batched grid uses the estimate's own draws: a cell is that scenario's estimate."""
    from oilshock.forecast.simulate import sweep

    rows = sweep(
        "hormuz-partial",
        [0.25, 0.5],
        [30.0, 60.0],
        as_of=AS_OF,
        params=params_2026,
        draws=400,
        seed=5,
    )
    assert [(r["share"], r["duration_days"]) for r in rows] == [
        (0.25, 30.0),
        (0.25, 60.0),
        (0.5, 30.0),
        (0.5, 60.0),
    ]
    est = estimate("hormuz-partial", as_of=AS_OF, params=params_2026, draws=400, seed=5).to_dict()
    cell = rows[3]
    assert (
        cell["retail_peak_change_usd_per_gal"] == est["retail_gasoline"]["peak_change_usd_per_gal"]
    )
    assert cell["brent_peak_change_pct"] == est["brent"]["peak_change_pct"]
    # More share or longer duration never lowers the central peak.
    p50 = {
        (r["share"], r["duration_days"]): r["retail_peak_change_usd_per_gal"]["p50"] for r in rows
    }
    assert p50[(0.25, 30.0)] <= p50[(0.25, 60.0)] <= p50[(0.5, 60.0)]
    assert p50[(0.25, 30.0)] <= p50[(0.5, 30.0)] <= p50[(0.5, 60.0)]


def test_sweep_counts_a_reroute_above_the_observed_share_as_the_estimate_does():
    """Bab el-Mandeb on 12 Feb 2024: ships already diverted (55% of normal); only a share above
    that is newly missing, in the sweep's cells as in the estimate of each cell's scenario."""
    import datetime as dt

    from oilshock.forecast.simulate import sweep
    from oilshock.scenario.spec import build_scenario

    as_of = dt.date(2024, 2, 12)
    template = build_scenario("bab_el_mandeb", 1.0, 30, recovery_days=30)
    rows = sweep(
        template, [0.2, 0.9], [60], as_of=as_of, chokepoint="bab_el_mandeb", draws=200, seed=4
    )
    for r in rows:
        sc = build_scenario("bab_el_mandeb", r["share"], 60, recovery_days=30)
        est = estimate(sc, as_of=as_of, draws=200, seed=4).to_dict()
        assert r["brent_peak_change_pct"] == est["brent"]["peak_change_pct"]
    assert rows[0]["brent_peak_change_pct"]["p50"] == 0.0 < rows[1]["brent_peak_change_pct"]["p50"]


def test_sweep_chunks_do_not_change_results(params_2026):
    from oilshock.forecast.simulate import sweep

    a = sweep(
        "red-sea",
        [0.5, 1.0],
        [30.0, 90.0, 180.0],
        as_of=AS_OF,
        params=params_2026,
        draws=300,
        chunk_draws=300,
    )
    b = sweep(
        "red-sea",
        [0.5, 1.0],
        [30.0, 90.0, 180.0],
        as_of=AS_OF,
        params=params_2026,
        draws=300,
        chunk_draws=10_000,
    )
    assert a == b


def test_extrapolation_is_flagged(params_2026):
    big = run(case(share=1.0, duration=200, chokepoint="malacca"), params_2026)
    ex = big["drivers"]["extrapolation"]
    assert ex["ratio"] > 1 and "extrapolation" in ex["warning"]
    small = run(case(share=0.3, duration=30), params_2026)
    assert small["drivers"]["extrapolation"]["warning"] is None
    res = estimate(
        case(share=1.0, duration=200, chokepoint="malacca"),
        as_of=AS_OF,
        params=params_2026,
        draws=300,
    )
    assert "WARNING" in res.summary


@pytest.mark.parametrize("setting, expected", [("0", False), ("1", True)])
def test_heap_retention_is_opt_out(setting, expected):
    """The allocator setting is asked for once per process and can be turned off."""
    import os
    import platform
    import subprocess
    import sys

    if expected and (sys.platform != "linux" or platform.libc_ver()[0] != "glibc"):
        pytest.skip("mallopt is glibc's")
    code = "from oilshock.forecast.simulate import retain_freed_memory as r; print(r(), r())"
    env = dict(os.environ, OILSHOCK_RETAIN_HEAP=setting)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(expected)] * 2


def test_grid_over_a_two_disruption_preset(params_2026):
    """The grid varies the first disruption while the second keeps its fixed values."""
    from oilshock.forecast.simulate import sweep

    rows = sweep(
        "hormuz-and-red-sea", [0.5], [30.0], as_of=AS_OF, params=params_2026, draws=300, seed=2
    )
    assert rows[0]["brent_peak_change_pct"]["p50"] > 0
