"""Rules on a whole dataset, declared in each contract's ``[shape]`` table.

A dataset that meets its column contract row by row can still be wrong as a whole: a header-only
file, a file cut in half, a row dated 2099, a column whose values came through empty. The rules
(``min_rows``, ``date_grid``, ``no_future_dates``, ``keep_coverage``, ``max_row_drop_pct``,
``max_null_pct``) are parsed with the contract (:mod:`oilshock.data.contracts`) and checked here, on
every dataset of every refresh and by ``data validate --dataset``.
"""

from __future__ import annotations

import datetime as dt

from oilshock.data.contracts import DATE_GRIDS, Contract
from oilshock.errors import ShapeError

MIN_ROWS_ENV = "OILSHOCK_MIN_ROWS"


def min_rows(contract: Contract) -> int:
    """The contract's ``min_rows``, lowered to ``$OILSHOCK_MIN_ROWS`` if that is set and smaller.

    The override exists for small test snapshots; the other shape rules still apply.
    """
    import os

    declared = int(contract.shape.get("min_rows", 0))
    raw = os.environ.get(MIN_ROWS_ENV)
    if raw is None or raw == "":
        return declared
    if not raw.strip().isdigit():
        from oilshock.errors import ConfigError

        raise ConfigError(f"{MIN_ROWS_ENV}={raw[:40]!r} is not a non-negative integer")
    return min(declared, int(raw))


def check_shape(
    frame,
    contract: Contract,
    source: str,
    *,
    previous: dict | None = None,
    allow_shrink: bool = False,
    today: dt.date | None = None,
    previous_frame=None,
) -> None:
    """Check the rules on the whole dataset declared in the contract's ``[shape]`` table.

    Parameters
    ----------
    frame : polars.DataFrame
        The dataset, already valid row by row (:func:`validate`).
    contract : Contract
    source : str
        File or URL named in the error.
    previous : dict, optional
        The dataset's manifest entry in the current snapshot (``rows``,
        ``last``); the rules comparing with it are skipped when absent.
    allow_shrink : bool
        Skip the comparisons with ``previous`` (``refresh --allow-shrink``).
    today : datetime.date, optional
        Default today (UTC).
    previous_frame : polars.DataFrame, optional
        The dataset in the current snapshot: with it, ``keep_coverage`` also refuses rows
        dropped from the middle and values turned null (not only an earlier end).

    Raises
    ------
    ShapeError
        One line naming the source, the dataset and the rule.

    Notes
    -----
    Rules: ``min_rows`` (at least this many rows); ``date_grid`` (every date on the
    contract's grid: ``month_start``, ``monday``, ``friday`` or ``weekday``); ``no_future_dates`` (no
    time value after today); ``keep_coverage`` (the last time value is no
    earlier than the current snapshot's; with ``previous_frame``, every time
    value of the current snapshot is still there with as many rows and as
    many non-null values in each column); ``max_row_drop_pct`` (at most this
    many percent fewer rows than the current snapshot); ``max_null_pct`` (a table of
    column = percent: at most this share of the column's values null, checked on every
    build, the first included, and by ``data validate --dataset``).
    """
    shape, name = contract.shape, contract.name

    def fail(rule: str, detail: str, hint: str = "") -> ShapeError:
        return ShapeError(f"{source}: dataset '{name}' breaks shape rule {rule}: {detail}{hint}")

    keep = "; the current snapshot was kept (pass --allow-shrink if the source really shrank)"
    need = min_rows(contract)
    if frame.height < need:
        raise fail(f"min_rows = {need}", f"{frame.height} row(s)")
    for col, pct in shape.get("max_null_pct", {}).items():
        nulls = frame[col].null_count() if col in frame.columns else 0
        if frame.height and 100 * nulls / frame.height > pct:
            raise fail(
                f"max_null_pct.{col} = {pct:g}",
                f"{nulls} of {frame.height} {col} value(s) are null "
                f"({100 * nulls / frame.height:.1f}%)",
            )
    grid = shape.get("date_grid")
    if grid is not None and contract.time_column in frame.columns:
        off = _off_grid(frame[contract.time_column], grid)
        if off:
            count, example = off
            raise fail(
                f"date_grid = {grid}",
                f"{count} {contract.time_column} value(s) not on {DATE_GRIDS[grid]} "
                f"(such as {example})",
            )
    _, last = first_last(frame, contract)
    today = today or dt.datetime.now(dt.UTC).date()
    if (
        shape.get("no_future_dates")
        and last is not None
        and _time_key(last) > _time_key(today.isoformat() if len(last) == 10 else str(today.year))
    ):
        raise fail(
            "no_future_dates", f"{contract.time_column} reaches {last}, after today ({today})"
        )
    if previous is None or allow_shrink:
        return
    prev_last, prev_rows = previous.get("last"), previous.get("rows")
    if (
        shape.get("keep_coverage")
        and prev_last is not None
        and (last is None or _time_key(last) < _time_key(prev_last))
    ):
        raise fail(
            "keep_coverage",
            f"{contract.time_column} ends {last}, before the current snapshot's {prev_last}",
            keep,
        )
    pct = shape.get("max_row_drop_pct")
    if (
        pct is not None
        and isinstance(prev_rows, int)
        and frame.height < prev_rows * (1 - pct / 100)
    ):
        drop = 100 * (prev_rows - frame.height) / prev_rows
        raise fail(
            f"max_row_drop_pct = {pct:g}",
            f"{frame.height} rows, {drop:.1f}% fewer than the current snapshot's {prev_rows}",
            keep,
        )
    if previous_frame is not None and shape.get("keep_coverage"):
        _check_kept_values(
            frame, previous_frame, contract, lambda d: fail("keep_coverage", d, keep)
        )


def _off_grid(column, grid: str) -> tuple[int, str] | None:
    """The count and first of the dates in ``column`` off ``grid`` (None: all on it)."""
    import polars as pl

    dates = column.drop_nulls()
    if dates.dtype != pl.Date or dates.is_empty():
        return None
    if grid == "month_start":
        bad = dates.dt.day() != 1
    elif grid == "monday":
        bad = dates.dt.weekday() != 1
    elif grid == "friday":
        bad = dates.dt.weekday() != 5
    else:  # weekday
        bad = dates.dt.weekday() > 5
    wrong = dates.filter(bad)
    if wrong.is_empty():
        return None
    return wrong.len(), str(wrong[0])


def _check_kept_values(frame, previous_frame, contract: Contract, fail) -> None:
    """Rows dropped from the middle, and values turned null, count as lost coverage.

    Compared per time value with the current snapshot: a time value (a date, a year) the
    current snapshot holds and the new data lack inside their own span, fewer rows at it,
    or fewer non-null values of a column at it. New time values are not compared (a new
    row may be partial).
    A dataset without a time column is compared by each column's non-null count.
    """
    import polars as pl

    tcol = contract.time_column
    cols = [
        c.name
        for c in contract.columns
        if c.name in frame.columns and c.name in previous_frame.columns
    ]
    if tcol is None or tcol not in cols:
        for c in cols:
            had, has = (
                previous_frame.height - previous_frame[c].null_count(),
                frame.height - frame[c].null_count(),
            )
            if has < had:
                raise fail(f"column {c} holds {has} value(s), the current snapshot {had}")
        return
    values = [c for c in cols if c != tcol]

    def counts(f):
        return f.group_by(tcol).agg(
            pl.len().alias("__rows"), *[pl.col(c).count().alias(c) for c in values]
        )

    old, new = counts(previous_frame), counts(frame)
    joined = old.join(new, on=tcol, how="left", suffix="__new").sort(tcol)
    # Only inside the new data's span: an earlier start is a shorter series, which
    # max_row_drop_pct judges by the totals; a gap inside it is lost coverage.
    first, last = frame[tcol].min(), frame[tcol].max()
    missing = joined.filter(
        pl.col("__rows__new").is_null() & (pl.col(tcol) >= first) & (pl.col(tcol) <= last)
    )
    if missing.height:
        examples = ", ".join(str(v) for v in missing[tcol].head(3).to_list())
        raise fail(
            f"{missing.height} {tcol} value(s) of the current snapshot are missing "
            f"(such as {examples}), though the new data run to {first_last(frame, contract)[1]}"
        )
    short = joined.filter(pl.col("__rows__new") < pl.col("__rows"))
    if short.height:
        raise fail(
            f"fewer rows than the current snapshot at {short.height} {tcol} value(s) "
            f"(such as {short[tcol][0]})"
        )
    for c in values:
        lost = joined.filter(pl.col(f"{c}__new") < pl.col(c))
        if lost.height:
            n = int((lost[c] - lost[f"{c}__new"]).sum())
            examples = ", ".join(str(v) for v in lost[tcol].head(3).to_list())
            raise fail(
                f"column {c} lost {n} value(s) the current snapshot holds, now null "
                f"(at {tcol} {examples}{', …' if lost.height > 3 else ''})"
            )


def _time_key(value: str) -> tuple:
    """A sortable key for a manifest time value (``YYYY-MM-DD`` or a year)."""
    if len(value) == 10:
        d = dt.date.fromisoformat(value)
        return (d.year, d.month, d.day)
    return (int(value), 12, 31)


def first_last(frame, contract) -> tuple[str | None, str | None]:
    """The first and last value of the dataset's time column as the manifest records them (``None`` if none)."""
    col = contract.time_column
    if col is None:
        for c in contract.columns:
            if c.dtype == "date" or c.name in ("year", "date"):
                col = c.name
                break
    if col is None or frame.height == 0:
        return None, None
    s = frame[col].drop_nulls()
    if s.len() == 0:
        return None, None
    return str(s.min()), str(s.max())
