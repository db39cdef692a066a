"""Net supply loss: flows, bypass, rerouting, stocks — resolved point in time from the data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from oilshock.model import supply
from oilshock.scenario.resolve import resolve_scenario
from oilshock.scenario.spec import parse_scenario

AS_OF = dt.date(2026, 2, 27)


def resolve(text, ctx):
    sc = parse_scenario(text)
    return resolve_scenario(sc, ctx, AS_OF)


def loss(text, ctx, n=200, weeks=26, seed=0):
    d, r, _ = resolve(text, ctx)
    days = np.array(
        [(w - AS_OF).days for w in [AS_OF + dt.timedelta(days=3 + 7 * k) for k in range(weeks)]],
        float,
    )
    return supply.draw_net_loss(d, r, ctx["world_supply"]["mbd"], days, n, seed)


def test_context_uses_only_published_figures(params_2026):
    ctx = params_2026["supply"]
    h = ctx["chokepoints"]["hormuz"]["flow"]
    # The 2025 figure was published on 11 Mar 2026, after as_of: the 2024 EIA figure is the latest known.
    assert h["reference_mbd"] == 20.0 and h["reference_period"][0] == "2024-01-01"
    assert 0.7 < h["portwatch"]["ratio"] < 1.1
    assert sorted(b["unused_mbd"] for b in ctx["chokepoints"]["hormuz"]["bypass"]) == [2.6, 3.5]
    assert ctx["chokepoints"]["bab_el_mandeb"]["reroute"]
    # World *crude* production (about 82 mb/d), the concept of the crude multiplier, not STEO all liquids.
    assert ctx["world_supply"]["concept"] == "crude" and 75 < ctx["world_supply"]["mbd"] < 90


def test_zero_share_zero_loss(params_2026):
    out = loss(
        '[[disruptions]]\nchokepoint = "hormuz"\nshare = 0\nduration_days = 30\n',
        params_2026["supply"],
    )
    assert np.all(out["net_mbd"] == 0) and np.all(out["share"] == 0)


def test_bypass_and_stocks_offset_but_never_below_zero(params_2026):
    out = loss(
        '[[disruptions]]\nchokepoint = "hormuz"\nshare = 0.1\nduration_days = 60\n',
        params_2026["supply"],
    )
    assert np.all(out["net_mbd"] >= 0)
    # 10% of ~18 mb/d is less than the 2.6-3.5 mb/d of unused bypass: fully offset.
    assert np.allclose(out["net_mbd"], 0)


def test_reroute_only_delays(params_2026):
    out = loss(
        '[[disruptions]]\nchokepoint = "bab_el_mandeb"\nshare = 1\nduration_days = 180\n',
        params_2026["supply"],
    )
    net = out["net_mbd"].mean(axis=0)
    assert net[0] > 0 or net[1] > 0
    assert np.all(net[4:] == 0)  # after the 12-15 extra transit days the barrels arrive


def test_unknown_chokepoint(params_2026):
    from oilshock.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="Did you mean 'suez'"):
        resolve(
            '[[disruptions]]\nchokepoint = "sues"\nshare = 1\nduration_days = 5\n',
            params_2026["supply"],
        )


def test_provenance_names_sources(params_2026):
    _, _, prov = resolve(
        '[[disruptions]]\nchokepoint = "hormuz"\nshare = 1\nduration_days = 5\n',
        params_2026["supply"],
    )
    text = str(prov)
    assert "EIA-TIE-2025-06" in text and "PortWatch" in text and "world_supply" in prov


def _brute_force(draws, week_days, step=1 / 1024):
    """Weekly means of the gross loss and of the part the pipelines cannot carry, on a fine grid of days.

    Straight from the definitions: disruption ``d`` stops ``vol * p(t - start)``, with ``p`` 1 for the
    duration and then falling linearly to 0 over the recovery; rerouted barrels are missing only for
    the first ``reroute_days``; the bypass carries up to its unused capacity. A jump inside one grid
    cell (a rerouting cut-off) errs by at most ``vol * step / 5`` [mb/d], about 1e-3 here.
    """
    n = max(v.size for d in draws["disruptions"] for v in d.values())
    lo, hi = supply.WEEK_WINDOW_DAYS
    days = np.arange(0, step * round((hi - lo) / step), step)
    gross = np.zeros((n, len(week_days)))
    after = np.zeros((n, len(week_days)))
    for w, day in enumerate(week_days):
        t = day + lo + days + step / 2  # midpoints of [day + lo, day + hi)
        for d in draws["disruptions"]:
            get = {k: np.broadcast_to(v, (n,))[:, None] for k, v in d.items()}
            x = t[None, :] - get["start"]
            dur, rec = get["duration_days"], get["recovery_days"]
            with np.errstate(divide="ignore", invalid="ignore"):
                fall = np.where(rec > 0, 1 - (x - dur) / rec, 0.0)
            p = np.where(
                (x >= 0) & (x < dur), 1.0, np.where((x >= dur) & (x < dur + rec), fall, 0.0)
            )
            p = np.where(x < get["reroute_days"], p, 0.0)
            lost = get["volume_mbd"] * p
            gross[:, w] += lost.mean(axis=1)
            after[:, w] += np.maximum(lost - get["bypass_mbd"], 0).mean(axis=1)
    return gross, after


@pytest.mark.parametrize(
    "text",
    [
        '[[disruptions]]\nchokepoint = "hormuz"\nshare = [0.2, 0.9]\nduration_days = [10, '
        "50]\nrecovery_days = [0, 40]\n",
        '[[disruptions]]\nchokepoint = "bab_el_mandeb"\nshare = 1\nduration_days = 180\nrecovery_days = 30\n'
        '[[disruptions]]\nchokepoint = "hormuz"\nshare = 0.3\nstart = 2026-03-20\nduration_days = '
        "20\nrecovery_days = 9\n",
    ],
)
@pytest.mark.parametrize("weekly", [True, False])
def test_loss_equals_the_integral_of_its_definition(params_2026, text, weekly):
    """Closed-form weekly integration (shared edges, work cut after the last loss) against a brute-force integral."""
    ctx = params_2026["supply"]
    d, r, _ = resolve(text, ctx)
    draws = supply.draw_scenario_params(d, r, 40, 9)
    days = (
        np.arange(3.0, 3 + 7 * 20, 7)
        if weekly
        else np.array([3.0, 12.0, 13.0, 40.0, 41.5, 100.0, 300.0])
    )
    want_gross, want_after = _brute_force(draws, days)
    for dtype, tol in ((np.float64, 2e-3), (np.float32, 2e-3)):
        got = supply.net_loss_paths(draws, r, ctx["world_supply"]["mbd"], days, dtype)
        assert got["gross_mbd"].dtype == dtype
        np.testing.assert_allclose(
            np.broadcast_to(got["gross_mbd"], want_gross.shape), want_gross, atol=tol
        )
        np.testing.assert_allclose(
            np.broadcast_to(got["gross_mbd"] - got["bypass_mbd"], want_after.shape),
            want_after,
            atol=tol,
        )
    assert (
        want_gross[:, -1].max() == 0
    )  # the last week lies after every disruption: the cut-off is exercised


def test_fixed_and_drawn_disruptions_mix(params_2026):
    """One disruption with drawn ranges beside one with fixed values (arrays of n and of 1)."""
    text = (
        '[[disruptions]]\nchokepoint = "hormuz"\nshare = [0.2, 0.6]\nduration_days = [20, '
        "60]\nrecovery_days = [0, 30]\n"
        '[[disruptions]]\nchokepoint = "bab_el_mandeb"\nshare = 1\nduration_days = 90\n'
    )
    d, r, _ = resolve(text, params_2026["supply"])
    draws = supply.draw_scenario_params(d, r, 30, 2)
    days = np.arange(3.0, 3 + 7 * 20, 7)
    got = supply.net_loss_paths(draws, r, params_2026["supply"]["world_supply"]["mbd"], days)
    want_gross, want_after = _brute_force(draws, days)
    np.testing.assert_allclose(got["gross_mbd"], want_gross, atol=2e-3)
    np.testing.assert_allclose(got["gross_mbd"] - got["bypass_mbd"], want_after, atol=2e-3)
    # Days out of order are computed in full, and agree with the same days in order.
    shuffled = supply.net_loss_paths(
        draws, r, params_2026["supply"]["world_supply"]["mbd"], days[::-1]
    )
    np.testing.assert_allclose(shuffled["net_mbd"][:, ::-1], got["net_mbd"], atol=1e-12)


def _buffers(rows):
    import polars as pl

    return pl.DataFrame(
        rows,
        schema={
            "buffer": pl.String,
            "as_of": pl.Date,
            "rate_mbd": pl.Float64,
            "days_to_market": pl.Float64,
            "qualifier": pl.String,
            "citation": pl.String,
        },
        orient="row",
    )


def test_stock_range_respects_qualifiers():
    """An upper bound caps the range; it never becomes the low end of a wider one (finding 4)."""
    d = dt.date(2016, 12, 31)
    rows = [
        ("spr_effective_drawdown", d, 2.1, None, "high", "a"),
        ("spr_effective_drawdown", d, 1.4, None, "low", "a"),
        ("spr_max_drawdown", d, 4.4, 13.0, "exact", "b"),
    ]
    assert supply._stock_defaults(_buffers(rows), dt.date(2020, 1, 1))["rate_mbd"] == [1.4, 2.1]
    capped = rows + [
        ("spr_effective_drawdown", dt.date(2022, 12, 31), 1.1, None, "upper_bound", "c")
    ]
    # Before the bound was published it does not count; after, it caps both ends (was [1.1, 2.1]).
    assert supply._stock_defaults(_buffers(capped), dt.date(2020, 1, 1))["rate_mbd"] == [1.4, 2.1]
    assert supply._stock_defaults(_buffers(capped), dt.date(2026, 2, 27))["rate_mbd"] == [1.1, 1.1]
    loose = rows + [("spr_effective_drawdown", d, 3.0, None, "upper_bound", "c")]
    assert supply._stock_defaults(_buffers(loose), dt.date(2020, 1, 1))["rate_mbd"] == [1.4, 2.1]
    with pytest.raises(supply.ScenarioDataError, match="qualifier"):
        supply._stock_defaults(
            _buffers(rows + [("spr_effective_drawdown", d, 1.0, None, "guess", "c")]),
            dt.date(2020, 1, 1),
        )


def test_world_supply_is_crude_production_like_the_multiplier():
    """Numerator and denominator of the loss share are the concept the multiplier is fitted on (finding 4)."""
    import polars as pl

    from oilshock.data.datasets import load_dataset
    from oilshock.model import crude_inputs

    world = load_dataset("world_oil_supply_monthly", as_of=AS_OF)
    got = supply._world_supply(world, AS_OF)
    steo = (
        world.filter(pl.col("series") == "steo_papr_world")
        .sort("date")
        .tail(12)["value_kbd"]
        .mean()
        / 1000
    )
    assert got["concept"] == "crude" and got["mbd"] < 0.85 * steo  # all liquids is about 24% larger
    # Where the crude fit's own series is the only one, the denominator is exactly its 12-month mean.
    early = load_dataset("world_oil_supply_monthly", as_of=dt.date(1990, 8, 1))
    fit_series = (
        early.filter(pl.col("series") == crude_inputs.PRODUCTION_SERIES).sort("date").tail(12)
    )
    assert supply._world_supply(early, dt.date(1990, 8, 1))["mbd"] == pytest.approx(
        fit_series["value_kbd"].mean() / 1000
    )


def test_a_chokepoint_flow_is_the_same_share_of_crude_as_eias_table_makes_it_of_all_oil(
    params_2026,
):
    """Flows are crude and products; the denominator is crude: the flow enters in crude-equivalent
    barrels, so Hormuz is EIA's 20.5% of world supply, not 20.9 / 81.7 = 25.6%."""
    import polars as pl

    from oilshock.data.datasets import load_dataset

    ctx = params_2026["supply"]
    table = load_dataset("chokepoint_flows_annual", as_of=AS_OF)
    liquids_2023 = table.filter(pl.col("year") == 2023)["world_supply_mbd"][0]
    world = load_dataset("world_oil_supply_monthly", as_of=AS_OF)
    crude_2023 = (
        world.filter(
            (pl.col("series") == "eia_intl_crude_incl_condensate")
            & (pl.col("date").dt.year() == 2023)
        )["value_kbd"].mean()
        / 1000
    )
    assert 0.75 < crude_2023 / liquids_2023 < 0.85
    for cid, c in ctx["chokepoints"].items():
        if c["flow"] is None:
            continue
        f = c["flow"]
        # every flow figure of this date belongs to the 2023 table or later: the 2023 ratio
        assert f["crude_equivalent_mbd"] == pytest.approx(
            f["normal_mbd"] * crude_2023 / liquids_2023
        ), cid
    hormuz = ctx["chokepoints"]["hormuz"]["flow"]
    sc = parse_scenario(
        'name = "x"\n[[disruptions]]\nchokepoint = "hormuz"\nshare = 1.0\nduration_days = 30\n'
        "[response]\nbypass = false\nstock_release_mbd = 0\n"
    )
    pieces, _, _ = resolve_scenario(sc, ctx, AS_OF)
    assert pieces[0].flow_mbd == pytest.approx(hormuz["crude_equivalent_mbd"])


def test_an_all_liquids_denominator_takes_the_flow_as_it_is(params_2026):
    from oilshock.model.supply_context import _crude_equivalent

    flow = params_2026["supply"]["chokepoints"]["hormuz"]["flow"]
    got = _crude_equivalent(flow, None, None, {"concept": "all_liquids"})
    assert got["crude_factor"] == 1.0 and got["crude_equivalent_mbd"] == flow["normal_mbd"]
