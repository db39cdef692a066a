"""The crude price multiplier: its algebra, and its fit on the real snapshot."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from oilshock.model import crude, crude_inputs, crude_paths


def test_step_response_recovers_a_known_kernel():
    # Price is a linear filter of production with kernel k; a persistent 1% loss
    # then moves the price by the running sum of k (sign flipped: a loss raises it).
    k = np.array([-3.0, -1.0, -0.5, 0.0, 0.0])
    phi = np.array([1.0, 0.8, 0.5, 0.3, 0.1])
    pi = np.array([sum(k[j] * phi[h - j] for j in range(h + 1)) for h in range(5)])
    np.testing.assert_allclose(crude._step_response(pi, phi), -np.cumsum(k))


def test_log_price_change_zero_and_monotone():
    m = np.array([[4.0]])
    assert crude_paths.log_price_change(m, np.array([[0.0]]))[0, 0] == 0.0
    xs = np.linspace(0, 0.3, 31)[None, :]
    out = crude_paths.log_price_change(np.full_like(xs, 4.0), xs)[0]
    assert np.all(np.diff(out) > 0)
    # The log-log curve is convex: a 15% loss costs more than 15 times a 1% loss.
    assert (
        crude_paths.log_price_change(m, np.array([[0.15]]))[0, 0]
        > 15 * crude_paths.log_price_change(m, np.array([[0.01]]))[0, 0]
    )


def test_multiplier_interpolates_and_caps():
    draws = np.arange(13, dtype=float)[None, :]
    out = crude_paths.multiplier_at(draws, np.array([-1.0, 0.0, 0.5, 2.25, 40.0]))
    np.testing.assert_allclose(out[0], [0.0, 0.0, 0.5, 2.25, 12.0])


def test_fit_on_snapshot(params_2026):
    c = params_2026["crude"]
    m = np.array(c["multiplier"])
    assert len(m) == 13
    # Impact multiplier sits in the published range of 2-4.2 (literature.md §2a: BH 2019 ~2, KM 2014 ~3.6, CCI ~4.2).
    assert 1.5 < m[0] < 5.0
    assert c["first_stage_f"][0] > 100  # a strong instrument on impact
    draws = np.array(c["draws"])
    assert draws.shape == (c["n_boot"], 13) and (draws >= 0).all()
    assert c["sample_last"] <= "2026-02-27"
    # The fit has seen the months after 2017 (production spliced to EIA's 2023-10, the last
    # shock month 12 months before that) and not the months after as_of.
    assert (c["sample_last"], c["data_last"]) == ("2022-10-01", "2023-10-01")
    # Golden: the committed snapshot gives these; see tests/golden/make_golden.py.
    assert m[0] == pytest.approx(2.879, abs=0.01)


def test_log_price_change_takes_scalars():
    assert crude_paths.log_price_change(2.0, 0.1) == pytest.approx(-2.0 * np.log(0.9))


def test_instrument_is_point_in_time():
    """A full-sample shock series is used only once published (finding 4: BH 2019 ends in 2017)."""
    import datetime as dt

    vintages = crude_inputs.load_instrument_vintages()
    assert all(v["citation"] and v["published"] > v["sample_last"] for v in vintages)
    assert crude_inputs.choose_instrument(dt.date(2026, 2, 27))["series"] == "bh2019_oil_supply"
    assert crude_inputs.choose_instrument(dt.date(2019, 4, 30))["series"] == "kilian2009_oil_supply"
    assert crude_inputs.choose_instrument(dt.date(2011, 2, 14))["series"] == "kilian2009_oil_supply"
    assert crude_inputs.choose_instrument(dt.date(2002, 11, 29))["series"] == crude_inputs.RECURSIVE


def test_recursive_shock_uses_only_data_up_to_the_cut():
    """The fallback instrument of an early fit is one-sided: later data do not change its values."""
    import datetime as dt

    import polars as pl

    from oilshock.data.datasets import load_dataset

    rac = load_dataset("crude_acquisition_cost_monthly").select(
        "date", pl.col("rac_imported_usd_per_bbl").alias("price_usd_per_bbl")
    )
    prod = load_dataset("world_oil_supply_monthly").filter(
        pl.col("series") == crude_inputs.PRODUCTION_SERIES
    )
    cut = dt.date(1995, 1, 1)
    early = crude_inputs.recursive_supply_shock(
        rac.filter(pl.col("date") <= cut), prod.filter(pl.col("date") <= cut)
    )
    assert early["date"].max() <= cut and early.height > 200
    assert abs(float(early["value"].mean())) < 1e-12  # OLS residuals with a constant


def test_extrapolation_reference_is_what_the_instrument_identifies(params_2026):
    """Not the raw 9.9% one-month drop of Oct 1975 (a data artefact), but the first stage's largest fitted loss."""
    c = params_2026["crude"]
    assert c["instrument"] == "bh2019_oil_supply+recursive_supply_shock"
    # Since the fit reaches 2022 its largest identified loss is May 2020's (the OPEC+ cut, -12.5% of
    # world crude in the month; 9.0% fitted), no longer a month of the BH sample (7.4%).
    assert 0.05 < c["max_share_in_sample"] < 0.095
    assert c["max_share_in_sample"] != pytest.approx(0.0991, abs=0.002)


def test_readme_states_the_fitted_first_stage_f(params_2026):
    """README's fitted-figures table quotes the impact first-stage F the code gives (finding 4: not '> 1,000')."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\| first-stage F \(impact\) \| ([0-9,]+) ", text)
    assert m, "README lost its first-stage F row"
    assert int(m.group(1).replace(",", "")) == round(params_2026["crude"]["first_stage_f"][0])


def test_superposition_matches_its_definition():
    """Variant (a): the response is the sum of the loss steps times the running-max M at their lags (brute force)."""
    rng = np.random.default_rng(3)
    n_weeks, n_boot, n = 12, 5, 7
    table = rng.uniform(
        0.0, 3.0, size=(n_boot, crude.HORIZONS)
    )  # not monotone: the envelope is exercised
    days = np.r_[0.0, 7.0, 9.0, 16.0 + 7 * np.arange(n_weeks - 3)]  # uneven spacing
    pick = rng.integers(0, n_boot, size=n)
    share = np.zeros((n_weeks, n))
    share[2:6] = rng.uniform(0.01, 0.2, size=(4, n))
    got = crude_paths.superposed_log_price_change(table, pick, share, days)
    L = -np.log1p(-share)
    steps = np.diff(L, axis=0, prepend=0.0)

    def m(
        i, lag_days
    ):  # the running maximum over the monthly horizons, interpolated linearly between them
        nodes = [max(table[i][: k + 1]) for k in range(crude.HORIZONS)]
        return np.interp(lag_days / crude.DAYS_PER_MONTH, np.arange(crude.HORIZONS), nodes)

    want = np.array(
        [
            [
                sum(steps[w, i] * m(pick[i], days[t] - days[w]) for w in range(t + 1))
                for i in range(n)
            ]
            for t in range(n_weeks)
        ]
    )
    np.testing.assert_allclose(got, want, atol=1e-12)
    assert np.all(got[:2] == 0)


def test_superposition_keeps_a_persistent_loss_and_decays_an_ended_one():
    table = np.tile(np.linspace(2.0, 6.0, crude.HORIZONS), (1, 1))  # rising M, one replicate
    days = 7.0 * np.arange(30)
    lag_m = crude_paths.multiplier_at(table, days / crude.DAYS_PER_MONTH)[0]
    pick = np.zeros(1, dtype=int)
    x = 0.1
    persistent = np.full((30, 1), x)
    np.testing.assert_allclose(
        crude_paths.superposed_log_price_change(table, pick, persistent, days)[:, 0],
        -np.log1p(-x) * lag_m,
    )
    ended = persistent.copy()
    ended[10:] = 0.0
    out = crude_paths.superposed_log_price_change(table, pick, ended, days)[:, 0]
    # After the loss ends the price does not snap back to the baseline: L [M(t) - M(t - 10)] > 0.
    np.testing.assert_allclose(out[10:], -np.log1p(-x) * (lag_m[10:] - lag_m[:20]))
    assert np.all(out[10:] > 0)


@settings(max_examples=60, deadline=None)
@given(
    table=arrays(np.float64, (3, 13), elements=st.floats(0.0, 10.0)),
    base=arrays(np.float64, (16, 1), elements=st.floats(0.0, 0.3)),
    extra=arrays(np.float64, (16, 1), elements=st.floats(0.0, 0.3)),
)
def test_superposition_is_monotone_in_the_loss_path(table, base, extra):
    """More disruption (a loss path larger in every week) never lowers the price, whatever the shape of M."""
    pick = np.array([0, 1, 2])
    days = 7.0 * np.arange(16)
    lo = crude_paths.superposed_log_price_change(table, pick, np.tile(base, 3), days)
    hi = crude_paths.superposed_log_price_change(
        table, pick, np.tile(np.minimum(base + extra, 0.6), 3), days
    )
    assert np.all(hi >= lo - 1e-9) and np.all(lo >= -1e-12)


def test_forward_variant_prices_the_loss_ahead_at_the_impact_multiplier():
    """Variant (b): M(0) times the mean shortfall over the next H months; it can fall, and it anticipates."""
    impact = np.array([2.0, 4.0])
    pick = np.array([0, 1])
    x = 0.1
    L = -np.log1p(-x)
    constant = np.full((40, 2), x)
    np.testing.assert_allclose(
        crude_paths.forward_log_price_change(impact, pick, constant, 3.0),
        np.tile(L * impact, (40, 1)),
        rtol=1e-12,
    )
    path = np.zeros((40, 2))
    path[10:20] = x  # a loss from week 10 to week 19, known in advance
    out = crude_paths.forward_log_price_change(impact, pick, path, 1.0)[:, 0]
    k = round(crude.DAYS_PER_MONTH / 7)  # 4 weeks
    assert out[10 - k] == 0 and out[10 - k + 1] > 0  # priced before it starts
    np.testing.assert_allclose(out[10 : 20 - k + 1], 2.0 * L)  # the full window inside the loss
    assert np.all(np.diff(out[20 - k : 21]) < 0) and np.all(
        out[20:] == 0
    )  # falls as the end nears, gone after
    with pytest.raises(ValueError, match="unknown crude model"):
        crude_paths.variant_log_price_change(
            "nope", [[1.0] * crude.HORIZONS], pick, path, 7.0 * np.arange(40)
        )


def _fit_at(as_of, n_boot=20):
    """The crude fit as ``fit_all`` makes it, on the snapshot's frames known by ``as_of``."""
    import polars as pl

    from oilshock.forecast.inputs import load_fit_frames

    f = load_fit_frames(as_of)
    price = f["crude_acquisition_cost_monthly"].select(
        "date", pl.col("rac_imported_usd_per_bbl").alias("price_usd_per_bbl")
    )
    return crude_inputs.fit_crude_at(
        price, f["world_oil_supply_monthly"], f["oil_supply_shocks_monthly"], as_of, n_boot=n_boot
    )


def _months_read(c) -> str:
    """The last month any part of a fit reads: regression data, production splice, instrument pieces."""
    return max(
        c["data_last"],
        c["production"]["primary_last"],
        c["production"]["extension_last"] or "",
        *(p["last"] for p in c["instrument_pieces"]),
    )


def test_a_fit_as_of_2023_uses_the_months_after_2017():
    """The issue: BH and Känzig's production stop in 2017, so every later fit was the 1975-2016 fit."""
    import datetime as dt

    c = _fit_at(dt.date(2023, 6, 30))
    assert c["sample_last"] == "2022-06-01" and c["data_last"] == "2023-06-01"
    assert c["production"]["extension"] == crude_inputs.EXTENSION_SERIES
    assert c["production"]["extension_first"] == "2018-01-01"
    published, recursive = c["instrument_pieces"]
    assert (published["series"], published["last"]) == ("bh2019_oil_supply", "2017-12-01")
    assert recursive["series"] == crude_inputs.RECURSIVE and recursive["rows_first"] == "2018-01-01"
    assert recursive["rows"] == 54  # 2018-01 .. 2022-06
    assert c["n_obs"] == published["rows"] + recursive["rows"]


def test_a_fit_as_of_2018_reads_no_month_after_as_of():
    """Point in time: January 2018 has not ended on the 15th, so nothing of it enters."""
    import datetime as dt

    c = _fit_at(dt.date(2018, 1, 15))
    assert _months_read(c) <= "2017-12-01"
    # Before BH's publication: Kilian 2009 to 2007-12, then the recursive shock to the last month known.
    assert c["instrument"] == "kilian2009_oil_supply+recursive_supply_shock"
    assert c["instrument_pieces"][1]["last"] == "2017-12-01"


def test_a_fit_on_the_eve_of_abqaiq_sees_no_abqaiq_month():
    """As of 2019-09-01 the attack of 14 September 2019 is not in the fit; by November it is, as a loss."""
    import datetime as dt

    before = _fit_at(dt.date(2019, 9, 1))
    assert _months_read(before) <= "2019-08-01"
    after = _fit_at(dt.date(2019, 11, 1))
    assert after["instrument_pieces"][1]["last"] == "2019-10-01"  # the guard is not vacuous


def test_the_spliced_instrument_has_unit_variance_per_piece():
    """Each piece is standardised over its own months: mean 0, sd 1, the pieces contiguous and disjoint."""
    import datetime as dt

    import polars as pl

    from oilshock.forecast.inputs import load_fit_frames

    as_of = dt.date(2026, 2, 27)
    f = load_fit_frames(as_of)
    price = f["crude_acquisition_cost_monthly"].select(
        "date", pl.col("rac_imported_usd_per_bbl").alias("price_usd_per_bbl")
    )
    prod, _ = crude_inputs.splice_production(f["world_oil_supply_monthly"])
    published = f["oil_supply_shocks_monthly"].filter(pl.col("series") == "bh2019_oil_supply")
    z, pieces = crude_inputs.splice_instrument(
        crude_inputs.recursive_supply_shock(price, prod), published, "bh2019_oil_supply"
    )
    assert [p["series"] for p in pieces] == ["bh2019_oil_supply", crude_inputs.RECURSIVE]
    assert z["date"].is_unique().all() and z["date"].is_sorted()
    for p in pieces:
        v = z.filter(
            pl.col("date").is_between(
                dt.date.fromisoformat(p["first"]), dt.date.fromisoformat(p["last"])
            )
        )["value"]
        assert v.len() == p["months"]
        assert abs(v.mean()) < 1e-12 and v.std(ddof=1) == pytest.approx(1.0, abs=1e-12)
    assert (pieces[0]["last"], pieces[1]["first"]) == ("2017-12-01", "2018-01-01")
    # The raw pieces are on very different scales (BH in its own units, the recursive one in log points).
    assert pieces[0]["sd"] > 50 * pieces[1]["sd"]


def test_a_short_tail_piece_is_left_out_and_one_piece_changes_nothing():
    """Fewer than MIN_PIECE_MONTHS months have no variance to scale by; a lone piece's scale is immaterial."""
    import datetime as dt

    import polars as pl

    months = [dt.date(2000 + i // 12, i % 12 + 1, 1) for i in range(60)]
    rng = np.random.default_rng(0)
    rec = pl.DataFrame({"date": months, "value": rng.normal(size=60)})
    pub = rec.head(60 - crude_inputs.MIN_PIECE_MONTHS + 1).with_columns(pl.col("value") * 40 + 3)
    z, pieces = crude_inputs.splice_instrument(rec, pub, "published")
    assert [p["series"] for p in pieces] == ["published"] and z.height == pub.height
    # The recursive shock alone (before any publication): standardising it leaves the fit as it was.
    c = _fit_at(dt.date(2002, 11, 29))
    assert c["instrument"] == crude_inputs.RECURSIVE and len(c["instrument_pieces"]) == 1
    assert c["production"]["extension"] is None  # Känzig's series still runs past as_of
    np.testing.assert_allclose(c["multiplier"][0], 0.266, atol=0.001)  # as before the splice


def test_the_production_splice_chains_eias_growth_where_kanzig_ends():
    """Känzig's series as published to 2017-12, EIA's month-on-month growth after; the overlap agrees."""
    import datetime as dt

    import polars as pl

    from oilshock.data.datasets import load_dataset

    world = load_dataset("world_oil_supply_monthly", as_of=dt.date(2026, 2, 27))
    prod, rec = crude_inputs.splice_production(world)
    assert rec["overlap_months"] >= 300 and rec["overlap_growth_corr"] > 0.8
    assert rec["extension_first"] == "2018-01-01" and rec["extension_last"] == "2023-10-01"

    def series(name):
        return world.filter(pl.col("series") == name).sort("date")

    k, e = series(crude_inputs.PRODUCTION_SERIES), series(crude_inputs.EXTENSION_SERIES)
    assert prod.filter(pl.col("date") <= dt.date(2017, 12, 1))["value_kbd"].equals(k["value_kbd"])
    tail = prod.filter(pl.col("date") >= dt.date(2017, 12, 1))["value_kbd"].to_numpy()
    eia = e.filter(pl.col("date") >= dt.date(2017, 12, 1))["value_kbd"].to_numpy()
    np.testing.assert_allclose(np.diff(np.log(tail)), np.diff(np.log(eia)), atol=1e-12)
    # An extension whose growth does not track the primary's is not spliced.
    noise = np.random.default_rng(1).normal(0, 0.05, e.height)
    bad = pl.concat([k, e.with_columns(pl.col("value_kbd") * np.exp(noise))])
    prod_bad, rec_bad = crude_inputs.splice_production(bad)
    assert rec_bad["extension"] is None and "disagree" in rec_bad["why_not"]
    assert prod_bad["date"].max() == dt.date(2017, 12, 1)
