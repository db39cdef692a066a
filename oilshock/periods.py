"""When a period is over: the one rule behind point-in-time filtering.

A value dated by a period (a day, a month, a year) is known only once that period has ended:
a monthly average on its month's last day, an annual figure on 31 December. The scalar form
(:func:`period_end`), the text form (:func:`parse_period`, for dates written ``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``) and the polars form (:func:`known_by`) all apply this rule.

The week convention lives here too: :func:`survey_mondays`, the EIA weekly survey Mondays that
every weekly path is dated by.
"""

from __future__ import annotations

import datetime as dt

RESOLUTIONS = ("day", "month", "year")


def period_end(value, resolution: str) -> dt.date:
    """Last day of the period a time value stands for [date].

    ``day`` → the date itself; ``month`` → the month's last day (a monthly
    average is only known once the month is over); ``year`` → 31 December.
    """
    if resolution == "year":
        return dt.date(int(value), 12, 31)
    if resolution == "month":
        nxt = dt.date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return value


def parse_period(text: str) -> tuple[object, str]:
    """``"2024"`` → ``(2024, "year")``, ``"2024-05"`` → ``(date(2024, 5, 1), "month")``,
    ``"2024-05-03"`` → ``(date(2024, 5, 3), "day")``."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return parts[0], "year"
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1), "month"
    return dt.date(*parts), "day"


def text_period_end(text: str) -> dt.date:
    """The end of a period written as text (:func:`parse_period`)."""
    return period_end(*parse_period(text))


def known_by(column, resolution: str, as_of: dt.date):
    """A polars expression: the rows of ``column`` whose period has ended by ``as_of``."""
    if resolution == "year":
        last = as_of.year if period_end(as_of.year, "year") <= as_of else as_of.year - 1
        return column <= last
    if resolution == "month":
        return column.dt.month_end() <= as_of
    return column <= as_of


def survey_mondays(as_of: dt.date, weeks: int) -> list[dt.date]:
    """The EIA weekly survey Mondays after ``as_of`` (the week convention used everywhere)."""
    first = as_of + dt.timedelta(days=7 - as_of.weekday())
    return [first + dt.timedelta(weeks=k) for k in range(weeks)]


def today() -> dt.date:
    """Today's date from the machine's clock: the one place the commands read it (tests replace it)."""
    return dt.date.today()
