"""An estimate as an Excel workbook an analyst can use as it opens.

:func:`write_estimate_workbook` writes, in this order:

=========  ==================================================================================
sheet      content
=========  ==================================================================================
About      what the workbook is: scenario, as_of, snapshot, model, draws and seed, sources,
           the units of every column
summary …  the parts of :func:`oilshock.report.tables.estimate_parts`, one sheet each
weekly     one row per survey week (Monday-to-Monday EIA weeks, dated by ``week_ending``)
monthly    the weekly Brent and gasoline bands averaged by calendar month (EIA STEO style)
quarterly  the same by calendar quarter
=========  ==================================================================================

Every data sheet is an Excel table with a frozen header row (and first column) and an
autofilter; dates are Excel dates (``yyyy-mm-dd``), and numbers carry the format of their
unit, read from the column's (or, on the summary-like sheets, the figure's) name suffix in
:data:`UNITS`, the one place that maps a unit to a number format. Text from a scenario file is
written as text, never as a formula or a link.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from oilshock.report.tables import BAND, estimate_parts

DATE_FORMAT = "yyyy-mm-dd"

# A column's or figure's unit, from its name less any band suffix (``_p05``, ``_p50``, ``_p95``):
# the first pattern that matches (``re.search``) wins.
# (pattern, unit, Excel number format, meaning)
UNITS: tuple[tuple[str, str, str, str], ...] = (
    (r"(^|_)week_ending$|(^|_)date$|(^|_)as_of$", "date", DATE_FORMAT, "calendar date"),
    (
        r"^national_usd_total$|_usd_bn$",
        "USD",
        '#,##0.0,,," bn"',
        "US dollars for the whole country, shown in billions (the cell holds dollars)",
    ),
    (r"_usd_per_bbl(_|$)", "USD/bbl", "0.00", "US dollars per barrel"),
    (r"_usd_per_gal(_|$)", "USD/gal", "0.000", "US dollars per US gallon"),
    (r"_mbd(_|$)", "mb/d", "0.00", "million barrels per day"),
    (r"_pct(_|$)", "%", "0.0", "percent (4.5 means 4.5%)"),
    (r"(^|_)share(_of|$)", "fraction", "0.0%", "a fraction of one, shown as a percent"),
    (r"seats_per_point$", "seats/point", "0.00", "House seats per point of approval"),
    (r"seats", "seats", "0.0", "House seats"),
    (r"(^|_)points($|_)", "points", "0.00", "percentage points"),
    (r"(^|_)usd($|_)", "USD", "#,##0", "US dollars (per household where the name says so)"),
    (r"(^|_)gal(lons)?_per_", "gal", "#,##0", "US gallons (per day or per household-month)"),
    (r"_million$", "million", "#,##0.0", "millions"),
    (r"(^|_)weeks(_|$)|^n$|^n_|_n$", "count", "#,##0", "a count (weeks, months, observations)"),
    (r"(^|_)months$", "months", "0.0", "months"),
)
BAND_MEANING = {
    "p05": "5th percentile of the draws (low)",
    "p50": "median of the draws (central)",
    "p95": "95th percentile of the draws (high)",
}
# The weekly columns the monthly and quarterly sheets average [USD/bbl, USD/gal].
AVERAGED = tuple(
    f"{stem}_{q}" for stem in ("brent_usd_per_bbl", "retail_gasoline_usd_per_gal") for q in BAND
)
SHEETS = {
    "About": "this sheet: what the workbook is, its provenance and units",
    "summary": "the baseline, the Brent and gasoline turning points, the status quo comparison",
    "drivers": "what the Brent peak is made of: lost flow, bypass, stocks, spare capacity",
    "household": "cost per household and for the country",
    "election": "election-day price change, approval and House seats, models and caveats",
    "regions": "one row per PADD, region and state: price change and household cost",
    "weekly": "one row per survey week: Brent and gasoline bands, with market noise, net loss",
    "monthly": "weekly p05/p50/p95 of Brent and gasoline averaged by calendar month",
    "quarterly": "weekly p05/p50/p95 of Brent and gasoline averaged by calendar quarter",
}
# Long sheets (one row per figure): the unit is the figure's, so formats go cell by cell.
_LONG_NUMBERS = (*BAND, "value")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Widest a column is made by autofit [pixels]: long notes wrap in the formula bar instead.
_MAX_WIDTH = 420
_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True}


def _stem(name: str) -> str:
    """A name less its dotted prefix, list index and band suffix: ``a.b[0].x_pct_p05`` → ``x_pct``."""
    last = re.sub(r"\[\d+\]", "", name).rsplit(".", 1)[-1]
    for q in BAND:
        if last.endswith(f"_{q}"):
            return last[: -len(q) - 1]
    return last


def unit_of(name: str) -> tuple[str, str, str] | None:
    """The unit a column or figure name carries, by :data:`UNITS`.

    Parameters
    ----------
    name : str
        A column name (``brent_usd_per_bbl_p05``) or a figure (``brent.peak_change_pct``).

    Returns
    -------
    tuple of str or None
        ``(unit, Excel number format, meaning)``, or None for a name with no known unit.
    """
    stem = _stem(name)
    for pattern, unit, fmt, meaning in UNITS:
        if re.search(pattern, stem):
            return unit, fmt, meaning
    return None


def period_averages(weekly: list[dict], every: str):
    """The weekly Brent and gasoline bands averaged by calendar month or quarter.

    Parameters
    ----------
    weekly : list of dict
        The ``weekly`` part of :func:`oilshock.report.tables.estimate_parts`: ``week_ending``
        (``YYYY-MM-DD``) and the band columns of :data:`AVERAGED` [USD/bbl, USD/gal].
    every : {"1mo", "1q"}
        Calendar month or calendar quarter; a week belongs to the period of its
        ``week_ending``.

    Returns
    -------
    polars.DataFrame
        ``month`` (``2026-09``) or ``quarter`` (``2026Q3``), ``weeks`` (survey weeks averaged),
        then the mean of each weekly column present [USD/bbl, USD/gal]: the average of the
        weekly p50 (p05, p95), as the EIA's STEO averages a period's prices, not a band of the
        period's mean.
    """
    import polars as pl

    label = {"1mo": "month", "1q": "quarter"}[every]
    cols = [c for c in AVERAGED if weekly and c in weekly[0]]
    if not weekly:
        return pl.DataFrame(schema={label: pl.String, "weeks": pl.Int64})
    frame = pl.DataFrame(
        [{"week_ending": w["week_ending"], **{c: w.get(c) for c in cols}} for w in weekly],
        schema={"week_ending": pl.String, **dict.fromkeys(cols, pl.Float64)},
    ).with_columns(pl.col("week_ending").str.to_date())
    out = (
        frame.sort("week_ending")
        .group_by_dynamic("week_ending", every=every)
        .agg(pl.len().cast(pl.Int64).alias("weeks"), *(pl.col(c).mean() for c in cols))
    )
    start = pl.col("week_ending")
    name = (
        start.dt.strftime("%Y-%m")
        if every == "1mo"
        else start.dt.year().cast(pl.String) + "Q" + start.dt.quarter().cast(pl.String)
    )
    return out.select(name.alias(label), "weeks", *cols)


def about(d: dict, sources: list[dict] | None = None) -> list[tuple[str, object]]:
    """The About sheet's ``(field, value)`` rows for an estimate.

    Parameters
    ----------
    d : dict
        :meth:`oilshock.forecast.result.EstimateResult.to_dict`.
    sources : list of dict, optional
        The snapshot's datasets (:func:`snapshot_sources`); only their publishers are named
        here.

    Returns
    -------
    list of (str, object)
        Values are text, numbers or dates (``as_of``); text from the scenario file stays text.
    """
    from oilshock.forecast.result import model_of

    sc = d.get("scenario") or {}
    prov = d.get("provenance") or {}
    ctx = d.get("context") or {}
    publishers = sorted({s["publisher"] for s in sources or [] if s.get("publisher")})
    rows: list[tuple[str, object]] = [
        (
            "What this is",
            "oilshock estimate: how a disruption scenario moves Brent crude and US gasoline "
            "prices, with p05/p50/p95 bands over Monte Carlo draws",
        ),
        ("Scenario", sc.get("title")),
        ("Scenario name", sc.get("name")),
        ("As of (no data after it is used)", _as_date(d.get("as_of"))),
        ("Horizon [weeks]", sc.get("horizon_weeks") or len(d.get("weekly") or []) or None),
        ("Data snapshot sha256", prov.get("snapshot_sha256")),
        ("Model", (model_of(d) or {}).get("name") or "default"),
        ("Draws", prov.get("draws")),
        ("Seed", prov.get("seed")),
        ("oilshock version", prov.get("oilshock_version")),
        (
            "Bands",
            "p05 / p50 / p95: 5th percentile, median and 95th percentile of the draws; "
            "the monthly and quarterly sheets average the weekly figures",
        ),
        (
            "Publishers",
            "; ".join(publishers)
            if publishers
            else "EIA, IMF PortWatch, FRED and others: each dataset's publisher, URL, terms and "
            "file hashes are in the snapshot's manifest.json",
        ),
    ]
    rows += [
        (k, v)
        for k, v in (("State", ctx.get("state_line")), ("Data age", ctx.get("data_warning")))
        if v
    ]
    if d.get("disclaimer"):
        rows.append(("Disclaimer", d["disclaimer"]))
    rows += [(f"Sheet: {name}", text) for name, text in SHEETS.items() if name != "About"]
    return rows


def units_table(sheets: dict[str, list[dict]]) -> list[dict]:
    """One row per column of the workbook's data sheets that has a unit: ``column``,
    ``sheets``, ``unit``, ``format`` and ``meaning`` (see :data:`UNITS`)."""
    where: dict[str, list[str]] = {}
    for sheet, rows in sheets.items():
        for col in dict.fromkeys(k for r in rows for k in r):
            if col in _LONG_NUMBERS and "figure" in (rows[0] if rows else {}):
                continue
            where.setdefault(col, []).append(sheet)
    out = []
    for col, names in where.items():
        u = unit_of(col)
        if u is None:
            continue
        q = next((q for q in BAND if col.endswith(f"_{q}")), None)
        meaning = u[2] + (f"; {BAND_MEANING[q]}" if q else "")
        out.append(
            {
                "column": col,
                "sheets": ", ".join(names),
                "unit": u[0],
                "format": u[1],
                "meaning": meaning,
            }
        )
    out.append(
        {
            "column": "p05, p50, p95, value",
            "sheets": "summary, drivers, household, election",
            "unit": "the figure's",
            "format": "by the figure's name",
            "meaning": "one row per figure; its name ends in its unit (brent.peak_change_pct: %)",
        }
    )
    return out


def _as_date(v):
    if isinstance(v, str) and _ISO_DATE.fullmatch(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            return v
    return v


def _frame(rows: list[dict]):
    """Rows as a polars frame; a text column holding only ISO dates becomes a date column."""
    import polars as pl

    frame = pl.DataFrame(rows, infer_schema_length=None)
    dates = [
        c
        for c, t in frame.schema.items()
        if t == pl.String
        and frame[c].drop_nulls().len() > 0
        and frame[c].drop_nulls().str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    ]
    return frame.with_columns(pl.col(c).str.to_date(strict=False) for c in dates)


class _Formats:
    """One xlsxwriter format per number format, made once per workbook."""

    def __init__(self, wb):
        self.wb, self.cache = wb, {}

    def __call__(self, num_format: str, **more):
        key = (num_format, tuple(sorted(more.items())))
        if key not in self.cache:
            self.cache[key] = self.wb.add_format({"num_format": num_format, **more})
        return self.cache[key]


def _data_sheet(wb, fmt: _Formats, name: str, rows: list[dict]) -> None:
    """One part as an Excel table: frozen header and first column, autofilter, unit formats."""
    import polars as pl

    rows = rows or [{"figure": "(none at this as-of date)"}]
    frame = _frame(rows)
    column_formats = {
        c: u[1]
        for c, t in frame.schema.items()
        if t.is_numeric() and (u := unit_of(c)) is not None and c not in _LONG_NUMBERS
    }
    frame.write_excel(
        wb,
        worksheet=name,
        column_formats=column_formats or None,
        # A number whose name has no unit is shown as it is, not rounded to three decimals.
        dtype_formats={pl.Date: DATE_FORMAT, pl.Float64: "General"},
        autofilter=True,
        autofit=True,
        freeze_panes=(1, 1),
        table_style="TableStyleMedium2",
    )
    ws = wb.get_worksheet_by_name(name)
    if "figure" in frame.columns:
        _format_long(ws, fmt, frame)
    ws.autofit(_MAX_WIDTH)


def _format_long(ws, fmt: _Formats, frame) -> None:
    """Cell by cell on a one-row-per-figure sheet: each number in its figure's unit format,
    each ISO date in the ``text`` column as an Excel date."""
    cols = list(frame.columns)
    for i, row in enumerate(frame.iter_rows(named=True), start=1):
        u = unit_of(str(row["figure"]))
        for c in _LONG_NUMBERS:
            v = row.get(c)
            if u and isinstance(v, (int, float)) and not isinstance(v, bool) and u[0] != "date":
                ws.write_number(i, cols.index(c), v, fmt(u[1]))
        text = row.get("text")
        if isinstance(text, str) and isinstance(day := _as_date(text), dt.date):
            ws.write_datetime(i, cols.index("text"), day, fmt(DATE_FORMAT, align="left"))


def _about_sheet(
    wb,
    fmt: _Formats,
    rows: list[tuple[str, object]],
    sheets: dict,
    sources: list[dict] | None,
    heading: str = "oilshock estimate workbook",
) -> None:
    import polars as pl

    ws = wb.add_worksheet("About")
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws.write_string(0, 0, heading, wb.add_format({"bold": True, "font_size": 14}))
    r = 2
    for field, value in rows:
        ws.write_string(r, 0, field, bold)
        if isinstance(value, dt.date):
            ws.write_datetime(r, 1, value, fmt(DATE_FORMAT, align="left"))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(r, 1, value, fmt("0", align="left"))
        elif value is not None:
            # Text from a scenario file: always a string cell, never a formula or a link.
            ws.write_string(r, 1, str(value), wrap)
        r += 1
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 100)
    ws.set_column(2, 4, 28)
    for title, rows in (
        ("Units", units_table(sheets)),
        ("Datasets of the snapshot", sources or []),
    ):
        if not rows:
            continue
        r += 1
        ws.write_string(r, 0, title, bold)
        frame = _frame(rows)
        frame.write_excel(
            wb,
            worksheet=ws,
            position=(r + 1, 0),
            dtype_formats={pl.Date: DATE_FORMAT},
            table_style="TableStyleLight1",
        )
        r += frame.height + 2


def snapshot_sources(snapshot_sha256: str | None) -> list[dict] | None:
    """The current snapshot's datasets (``dataset``, ``publisher``, ``first``, ``last``) when it
    is the snapshot the estimate names, else None (no snapshot, or another one)."""
    if not snapshot_sha256:
        return None
    from oilshock.data.datasets import list_datasets
    from oilshock.data.manifest import read_manifest
    from oilshock.errors import SnapshotError

    try:
        if read_manifest().snapshot_sha256 != snapshot_sha256:
            return None
        return [
            {"dataset": s["name"], "publisher": s["source"], "first": s["first"], "last": s["last"]}
            for s in list_datasets()
        ]
    except (SnapshotError, OSError):
        return None


def write_workbook(parts: dict[str, list[dict]], path: str | Path) -> Path:
    """Write tables as an Excel workbook, one formatted data sheet per entry (in order).

    Written by polars' ``write_excel`` (XlsxWriter) into memory, then placed with
    :func:`oilshock.report.output.write_atomic`, so a failed write leaves nothing behind.
    """
    return _write(
        lambda wb, fmt: [_data_sheet(wb, fmt, n, rows) for n, rows in parts.items()], path
    )


def write_estimate_workbook(
    d: dict, path: str | Path, *, sources: list[dict] | None = None
) -> Path:
    """Write an estimate as an analyst's workbook: About, the parts, monthly and quarterly.

    Parameters
    ----------
    d : dict
        :meth:`oilshock.forecast.result.EstimateResult.to_dict` (or its JSON read back).
    path : str or Path
        The ``.xlsx`` file to write (replaced whole, or left as it was on failure).
    sources : list of dict, optional
        The snapshot's datasets for the About sheet (``dataset``, ``publisher``, ``first``,
        ``last``); default: read from the current snapshot when its hash is the estimate's.

    Returns
    -------
    Path
        ``path``.
    """
    parts = estimate_parts(d)
    for every, name in (("1mo", "monthly"), ("1q", "quarterly")):
        parts[name] = period_averages(parts["weekly"], every).to_dicts()
    if sources is None:
        sources = snapshot_sources((d.get("provenance") or {}).get("snapshot_sha256"))

    def fill(wb, fmt):
        _about_sheet(wb, fmt, about(d, sources), parts, sources)
        for name, rows in parts.items():
            _data_sheet(wb, fmt, name, rows)

    return _write(fill, path)


def about_comparison(
    rows: list[dict], *, context: list[str], seed, draws, model: str | None, snapshot: str | None
) -> list[tuple[str, object]]:
    """The About sheet's ``(field, value)`` rows for scenarios compared at one as_of and seed."""
    first = rows[0] if rows else {}
    out: list[tuple[str, object]] = [
        (
            "What this is",
            "oilshock comparison: several disruption scenarios estimated at one as-of date and one "
            "seed (common random numbers), so their differences are not Monte Carlo noise; one row "
            "per scenario on the compare sheet",
        ),
        ("As of (no data after it is used)", _as_date(first.get("as_of"))),
        ("Data snapshot sha256", snapshot),
        ("Model", model or first.get("model") or "default"),
        ("Draws", draws),
        ("Seed", seed),
        (
            "Turning points",
            "a rise is reported at its peak, an easing at its low (the *_turn_* columns); "
            "p05 / p50 / p95 are the 5th percentile, median and 95th percentile of the draws",
        ),
    ]
    out += [(f"Scenario: {r.get('scenario')}", r.get("title")) for r in rows]
    out += [("State" if i == 0 else "Note", line) for i, line in enumerate(context)]
    return out


def write_comparison_workbook(
    rows: list[dict],
    path: str | Path,
    *,
    context: list[str],
    seed=None,
    draws=None,
    model: str | None = None,
) -> Path:
    """Write a comparison of scenarios as a workbook: About, then the compare sheet.

    The snapshot is the current one (the comparison was just run on it); its datasets and
    publishers are listed on the About sheet.
    """
    from oilshock.data.manifest import read_manifest
    from oilshock.errors import SnapshotError

    try:
        snapshot = read_manifest().snapshot_sha256
    except (SnapshotError, OSError):
        snapshot = None
    sources = snapshot_sources(snapshot)
    parts = {"compare": rows}
    info = about_comparison(
        rows, context=context, seed=seed, draws=draws, model=model, snapshot=snapshot
    )

    def fill(wb, fmt):
        _about_sheet(wb, fmt, info, parts, sources, heading="oilshock comparison workbook")
        _data_sheet(wb, fmt, "compare", rows)

    return _write(fill, path)


def _write(fill, path) -> Path:
    from xlsxwriter import Workbook

    from oilshock.report.output import write_atomic

    buf = io.BytesIO()
    # Every cell is data: text from a scenario file ("=HYPERLINK(...)") must stay text, never
    # become a formula or a link, and a non-finite number is shown as an error, not a crash.
    with Workbook(buf, _OPTIONS) as wb:
        fill(wb, _Formats(wb))
    return write_atomic(path, buf.getvalue())
