"""Rolling origin: a fit as of a date is the same whether or not later data exist in the snapshot."""

from __future__ import annotations

import datetime as dt

import pytest

AS_OF = dt.date(2011, 2, 14)


def _truncating(load, as_of):
    """load_dataset that never returns a row dated after ``as_of``, whatever the caller asks for."""
    import polars as pl

    cut = as_of

    def wrapped(name, as_of=None, directory=None):  # the caller's as_of is overridden by the cut
        frame = load(name, as_of=cut, directory=directory)
        for col in ("as_of", "published"):
            if col in frame.columns and frame.schema[col] == pl.Date:
                frame = frame.filter(pl.col(col) <= cut)
        return frame

    return wrapped


@pytest.mark.parametrize(
    ("as_of", "instrument"),
    [
        (AS_OF, "kilian2009_oil_supply+recursive_supply_shock"),
        (dt.date(2026, 2, 27), "bh2019_oil_supply+recursive_supply_shock"),
    ],
)
def test_fit_uses_nothing_after_as_of(monkeypatch, as_of, instrument):
    """Every dataset truncated at ``as_of`` gives the same fitted parameters: nothing later leaks in."""
    from oilshock.data import datasets
    from oilshock.forecast.params import fit_all

    full = fit_all(as_of)
    monkeypatch.setattr(datasets, "load_dataset", _truncating(datasets.load_dataset, as_of))
    cut = fit_all(as_of)
    for key in ("crude", "pump", "baseline"):
        assert cut[key] == full[key], key
    for key in ("world_supply", "stocks", "chokepoints"):
        assert cut["supply"][key] == full["supply"][key], key
    assert full["crude"]["instrument"] == instrument  # a shock series only once published
    assert full["crude"]["data_last"] <= as_of.isoformat()  # then the recursive shock, to as_of
    assert full["pump"]["sample_last"] <= as_of.isoformat()


@pytest.mark.parametrize(
    "name", ["brent_daily", "retail_gasoline_weekly", "world_oil_supply_monthly"]
)
def test_the_truncating_loader_really_truncates(name):
    """Guard for the test above: the wrapper drops later rows, so equality is not vacuous."""
    from oilshock.data.datasets import load_dataset

    later = load_dataset(name)
    assert later["date"].max() > AS_OF
    assert _truncating(load_dataset, AS_OF)(name)["date"].max() <= AS_OF
