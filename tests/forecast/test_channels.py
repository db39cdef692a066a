"""Variants (c) news premium and (d) refinery margin in the simulation (issue #12): wiring and invariants."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from oilshock.forecast.simulate import run_draws, seed_streams
from oilshock.model import crude_paths, expectations, margin
from oilshock.scenario.spec import parse_scenario

AS_OF = dt.date(2026, 2, 27)


def case(share=0.5, duration=60, chokepoint="hormuz"):
    return parse_scenario(
        f'horizon_weeks = 20\n[[disruptions]]\nchokepoint = "{chokepoint}"\nshare = {share}\n'
        f"duration_days = {duration}\n"
    )


CALM = parse_scenario("horizon_weeks = 20\n[[disruptions]]\nlost_mbd = 0\nduration_days = 30\n")


def sim(sc, p, model, n=300, seed=5):
    return run_draws(sc, dict(p, crude_model=model), AS_OF, n, seed)


@pytest.mark.parametrize(
    ("name", "spec"),
    [
        ("superposition", ("superposition", False, False, False, False)),
        ("superposition+seasonal", ("superposition", True, False, False, False)),
        ("v1+news", ("v1", False, True, False, False)),
        ("forward-3m+margin+seasonal", ("forward-3m", True, False, True, False)),
        ("superposition+news+margin+seasonal", ("superposition", True, True, True, False)),
        ("forward-1m+regimes+margin+seasonal", ("forward-1m", True, False, True, True)),
    ],
)
def test_model_names_parse_into_their_parts(name, spec):
    assert tuple(crude_paths.parse_model(name)) == spec


@pytest.mark.parametrize(
    "name", ["x", "superposition+seasonal+news", "v1+news+news", "v1+", "+news", "v1+margin+news"]
)
def test_bad_model_names_are_refused(name):
    with pytest.raises(ValueError, match="unknown crude model"):
        crude_paths.parse_model(name)


def test_news_fit_is_point_in_time_and_plain_json(params_2026):
    fit = params_2026["expectations"]
    json.dumps(fit)
    assert fit["sample"][1] < "2026-02-01"
    assert fit["coef_dlog_per_shock"][0] > 0  # Känzig (2021): news of a supply cut raises the price
    assert "2021" in fit["citation"]


def test_no_news_fit_before_the_series_was_published():
    from oilshock.forecast.inputs import load_fit_frames

    frames = load_fit_frames(dt.date(2019, 9, 13))
    fit = expectations.fit_news_premium_at(
        frames["oil_supply_shocks_monthly"], frames["brent_daily"], dt.date(2019, 9, 13)
    )
    assert "published" in fit["unavailable"]


def test_margin_fit_is_plain_json_and_uses_weeks_up_to_as_of(params_2026):
    fit = params_2026["margin"]
    json.dumps(fit)
    assert fit["sample"][1] <= AS_OF.isoformat()
    assert len(fit["coef_usd_per_gal_per_dlog"]) == margin.MAX_HORIZON_WEEKS


def test_is_news():
    # A chokepoint named at risk with nothing lost: a threat.
    assert expectations.is_news(case(share=0.0))
    assert not expectations.is_news(CALM)
    assert expectations.is_news(
        parse_scenario("[[disruptions]]\nlost_mbd = [0, 2]\nduration_days = 30\n")
    )


def test_a_threat_moves_brent_only_with_news(params_2026):
    threat = case(share=0.0)
    plain = sim(threat, params_2026, "superposition")
    news = sim(threat, params_2026, "superposition+news")
    assert np.all(plain.brent_change_pct == 0)
    first = np.median(news.brent_change_pct[:, 0])
    # One standard deviation of the news shock at its fitted impact response.
    fit = params_2026["expectations"]
    assert first == pytest.approx(
        100 * np.expm1(fit["shock_sd"] * fit["coef_dlog_per_shock"][0]), rel=0.25
    )
    assert np.all(news.brent_change_pct >= 0)
    assert np.median(news.retail_change[:, 8]) > 0


def test_no_news_no_premium_and_no_margin(params_2026):
    for model in ("superposition+news", "superposition+margin", "superposition+news+margin"):
        out = sim(CALM, params_2026, model)
        assert np.all(out.brent_change_pct == 0), model
        assert np.all(out.retail_change == 0), model


def test_news_is_the_larger_of_premium_and_loss(params_2026):
    sc = case(share=0.6, duration=90)
    plain = sim(sc, params_2026, "superposition")
    news = sim(sc, params_2026, "superposition+news")
    assert np.all(news.brent_change_pct >= plain.brent_change_pct - 1e-4)
    # A large loss prices far above the premium: the two agree where the loss dominates.
    assert np.median(news.brent_change_pct[:, 6]) == pytest.approx(
        np.median(plain.brent_change_pct[:, 6]), rel=1e-6
    )


def test_margin_adds_to_the_pump_price_only(params_2026):
    sc = case(share=0.6, duration=90)
    plain = sim(sc, params_2026, "superposition")
    with_margin = sim(sc, params_2026, "superposition+margin")
    np.testing.assert_array_equal(plain.brent_change_pct, with_margin.brent_change_pct)
    assert np.all(with_margin.retail_change >= plain.retail_change - 1e-5)
    assert np.any(with_margin.retail_change > plain.retail_change + 1e-4)


def test_a_new_stream_keeps_every_earlier_draw():
    streams = seed_streams(11)
    earlier = np.random.SeedSequence(11).spawn(5)
    for got, want in zip(streams[:5], earlier, strict=True):
        assert got.generate_state(4).tolist() == want.generate_state(4).tolist()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    low=st.floats(0.0, 0.9),
    extra=st.floats(0.0, 0.5),
    duration=st.integers(7, 200),
)
@example(low=0.25, extra=0.125, duration=7)  # a draw's retail peak dips here (see below)
def test_more_disruption_never_lowers_the_price_with_both_channels(
    params_2026, low, extra, duration
):
    high = min(1.0, low + extra)
    model = "superposition+news+margin"
    a = sim(case(share=round(low, 3), duration=duration), params_2026, model, n=64)
    b = sim(case(share=round(high, 3), duration=duration), params_2026, model, n=64)
    assert np.all(b.brent_change_pct >= a.brent_change_pct - 1e-3)
    # Brent is monotone draw by draw; the pump price is not quite: the fitted asymmetric ECM's lagged
    # falls can leave one draw's retail peak a fraction of a cent lower after a larger spike that
    # ends (0.13 cents found at share 0.25 vs 0.375 for 7 days). The documented invariant is on the
    # peak's bands, as tests/forecast/test_simulate.py checks it for the default model.
    qa = np.percentile(a.retail_change.max(axis=1), [5, 50, 95])
    qb = np.percentile(b.retail_change.max(axis=1), [5, 50, 95])
    assert np.all(qb >= qa - 1e-6), (qa, qb)


def test_sweep_cell_equals_the_estimate_with_both_channels(params_2026):
    from oilshock.forecast.simulate import estimate
    from oilshock.forecast.sweep import sweep

    p = dict(params_2026, crude_model="superposition+news+margin+seasonal")
    rows = sweep("hormuz-partial", [0.1, 0.5], [60.0], as_of=AS_OF, params=p, draws=300, seed=5)
    est = estimate("hormuz-partial", as_of=AS_OF, params=p, draws=300, seed=5).to_dict()
    assert rows[1]["brent_peak_change_pct"] == est["brent"]["peak_change_pct"]
    assert (
        rows[1]["retail_peak_change_usd_per_gal"]
        == est["retail_gasoline"]["peak_change_usd_per_gal"]
    )
    plain = sweep(
        "hormuz-partial",
        [0.1],
        [60.0],
        as_of=AS_OF,
        params=dict(params_2026, crude_model="superposition"),
        draws=300,
        seed=5,
    )
    assert rows[0]["brent_peak_change_pct"]["p50"] >= plain[0]["brent_peak_change_pct"]["p50"]


def test_the_estimate_names_its_model_and_channels(params_2026):
    from oilshock.forecast.simulate import estimate

    default = estimate(case(), as_of=AS_OF, params=params_2026, draws=200, seed=3)
    m = default.to_dict()["models"]["model"]
    assert m["name"] == crude_paths.DEFAULT_MODEL
    spec = crude_paths.parse_model(crude_paths.DEFAULT_MODEL)
    assert (m["news_premium"] is None) == (not spec.news)
    assert spec.margin and len(m["refinery_margin"]["usd_per_gal_per_dlog_brent_by_week"]) == 26
    assert "refinery margin: +" in default.summary
    news = estimate(
        case(),
        as_of=AS_OF,
        params=dict(params_2026, crude_model="superposition+news"),
        draws=200,
        seed=3,
    ).to_dict()["models"]["model"]
    assert news["refinery_margin"] is None
    assert news["news_premium"]["impact_dlog_per_sd"] > 0


def test_every_listed_model_name_parses_and_none_other_is_listed():
    names = crude_paths.model_names()
    assert len(names) == len(set(names)) == len(crude_paths.MODELS) * 2 ** len(crude_paths.SUFFIXES)
    for n in names:
        crude_paths.parse_model(n)
    assert crude_paths.DEFAULT_MODEL in names
    from oilshock.evaluate.run import ALL_MODELS

    assert set(ALL_MODELS) <= set(names)


def test_presets_that_continue_the_observed_state_are_no_news(params_2026):
    from oilshock.scenario.spec import load_scenario

    for name in ("now", "hormuz-reopens"):
        sc = load_scenario(name)
        assert not expectations.is_news(sc), name
        out = sim(sc, params_2026, "superposition+news+margin")  # nothing disrupted at 2026-02-27
        assert np.all(out.brent_change_pct == 0), name
        assert np.all(out.retail_change == 0), name


def test_cached_fits_are_strict_json_and_unfitted_horizons_carry_the_last_fit():
    coef = [0.05, None, 0.08, None, None]
    fit = {"coef_usd_per_gal_per_dlog": coef, "se": [0.0] * 5}
    c = margin.margin_coefficients(fit, 3, 7, np.random.default_rng(0))
    np.testing.assert_allclose(c[:, 0], [0.05, 0.05, 0.08, 0.08, 0.08, 0.08, 0.08])
    assert expectations.plain_list(np.array([1.0, np.nan])) == [1.0, None]
    from oilshock.forecast.inputs import load_fit_frames

    as_of = dt.date(1993, 3, 1)  # few weeks of the crack: later horizons have no fit
    frames = load_fit_frames(as_of)
    early = margin.fit_margin_at(frames["wholesale_gasoline_daily"], frames["brent_daily"], as_of)
    text = json.dumps(early, allow_nan=False)  # raises on NaN
    assert "null" in text


def test_outputs_name_the_model_and_why_news_is_absent(params_2026):
    from oilshock.forecast.simulate import estimate
    from oilshock.report.tables import estimate_parts

    p = dict(params_2026, expectations={"unavailable": "no news series by then"})
    res = estimate(case(), as_of=AS_OF, params=p, draws=200, seed=3, model="superposition+news")
    assert "model superposition+news (scored" in res.summary
    assert "news premium: none — no news series by then" in res.summary
    summary = estimate_parts(res.to_dict())["summary"]
    assert any(
        r.get("figure") == "model" and r.get("text") == "superposition+news" for r in summary
    )


def test_a_margin_fitted_on_old_data_is_flagged(params_2026):
    from oilshock.forecast.simulate import estimate

    stale = estimate(case(), as_of=AS_OF, params=params_2026, draws=100, seed=3).summary
    assert "NOTE: the margin's wholesale gasoline prices end 2025-06-23" in stale
    fresh_fit = dict(
        params_2026["margin"], sample=[params_2026["margin"]["sample"][0], "2026-02-23"]
    )
    fresh = estimate(
        case(), as_of=AS_OF, params=dict(params_2026, margin=fresh_fit), draws=100, seed=3
    ).summary
    assert "refinery margin: +" in fresh and "NOTE: the margin's" not in fresh
