"""One rule for when a period is over: the scalar, text and polars forms agree."""

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from oilshock.periods import known_by, parse_period, period_end, text_period_end

DATES = st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2030, 12, 31))


def test_text_periods():
    assert text_period_end("2024") == dt.date(2024, 12, 31)
    assert text_period_end("2024-02") == dt.date(2024, 2, 29)
    assert text_period_end("2023-12") == dt.date(2023, 12, 31)
    assert text_period_end("2024-05-03") == dt.date(2024, 5, 3)
    assert parse_period("2024-05") == (dt.date(2024, 5, 1), "month")


@given(value=DATES, as_of=DATES)
def test_polars_form_agrees_with_period_end(value, as_of):
    month = value.replace(day=1)
    for col, v, res in (("d", value, "day"), ("m", month, "month"), ("y", value.year, "year")):
        frame = pl.DataFrame({col: [v]})
        kept = frame.filter(known_by(pl.col(col), res, as_of)).height == 1
        assert kept == (period_end(v, res) <= as_of), (v, res, as_of)
