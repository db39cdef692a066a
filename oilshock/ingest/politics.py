"""Recipes: politics datasets (presidential approval, generic ballot, midterms).

The contracts in ``schemas/`` (``approval_monthly``, ``generic_ballot_monthly``,
``midterms``) say what each dataset means; this module says how it is made.
Reference tables (``presidents``, ``midterms_app_table``) are read through
:func:`oilshock.ingest.build_dataset`, so they are checked against their own
contracts before anything is joined to them, and their files are hashed into
the manifest with the raw files.
"""

from __future__ import annotations

from pathlib import Path

from oilshock.errors import SourceError
from oilshock.ingest import Built, build_dataset, raw_file, recipe
from oilshock.sources.elections import read_govt6139_midterms_csv, read_house_party_divisions_csv
from oilshock.sources.polls import (
    read_electindex_approval_csv,
    read_electindex_generic_ballot_csv,
    read_ruffino_approval_csv,
)

RUFFINO = "us_presidential_approval/historical_approval_polls_1937_2025.csv"
TERM2 = "us_presidential_approval/trump_term2_approval_polls_2025_2026.csv"
GENERIC_BALLOT = "us_midterms/generic_ballot_polls_2025_2026.csv"
HOUSE_DIVISIONS = "us_midterms/house_party_divisions_1789_2021.csv"
GOVT6139 = "us_midterms/midterms_1946_2018_approval_seatchange_rdi_govt6139.csv"
# The midterms the GOVT6139 table covers (as its name says): every one must be there, once,
# with its approval, or the joined columns would turn null silently.
GOVT6139_YEARS = range(1946, 2019, 4)

# ElectIndex gives this rating to pollsters it bans; their polls are not averaged.
BANNED_RATING = 0.0
TERM2_PRESIDENT = "Donald Trump"


def monthly_mean(polls, keys: list[str], values: dict[str, str], date: str):
    """Average poll toplines by the calendar month of ``date``.

    Parameters
    ----------
    polls : polars.DataFrame
        One row per poll.
    keys : list of str
        Columns to group by besides the month.
    values : dict of str to str
        Poll column → output column, each averaged without weights.
    date : str
        The poll's field-end date column.

    Returns
    -------
    polars.DataFrame
        ``date`` (first day of the month), ``keys``, the averaged columns and
        ``n_polls``; months without polls are absent.
    """
    import polars as pl

    return (
        polls.with_columns(pl.col(date).dt.truncate("1mo").alias("_month"))
        .group_by([*keys, "_month"])
        .agg(
            *(pl.col(src).mean().alias(dst) for src, dst in values.items()),
            pl.len().cast(pl.Int64).alias("n_polls"),
        )
        .rename({"_month": "date"})
    )


def _drop_repeats(frame, subset: list[str]):
    """One row per distinct poll (compilations sometimes list the same poll twice); returns ``(frame, dropped)``."""
    out = frame.unique(subset=subset, keep="first", maintain_order=True)
    return out, frame.height - out.height


def _attach_party(frame, presidents, source: str):
    import polars as pl

    parties = presidents.select("president", "party").unique()
    clash = parties.group_by("president").len().filter(pl.col("len") > 1)
    if clash.height:
        raise SourceError(
            f"{source}: presidents with more than one party: {clash['president'].to_list()}"
        )
    unknown = frame.join(parties, on="president", how="anti")["president"].unique().sort().to_list()
    if unknown:
        raise SourceError(f"{source}: president(s) {unknown} not in the presidents reference table")
    return frame.join(parties, on="president", how="left")


@recipe("approval_monthly")
def build_approval_monthly(raw_dir: Path) -> Built:
    """Gallup-only (1937–2025) and all-pollster (2025–2026) monthly approval means; see the contract."""
    import polars as pl

    presidents, ref_files, _ = build_dataset("presidents", raw_dir)
    ruffino_path = raw_file(raw_dir, RUFFINO)
    term2_path = raw_file(raw_dir, TERM2)
    ruffino, _ = read_ruffino_approval_csv(ruffino_path)
    term2, _ = read_electindex_approval_csv(term2_path)

    gallup_hist = ruffino.filter(pl.col("polling_institute").str.starts_with("Gallup"))
    gallup_hist, gallup_repeats = _drop_repeats(
        gallup_hist, ["president", "poll_start", "poll_end", "approval", "disapproval"]
    )
    banned = term2.filter(pl.col("rating") == BANNED_RATING).height
    term2 = term2.filter(pl.col("rating") != BANNED_RATING)
    term2, term2_repeats = _drop_repeats(term2, term2.columns)
    term2 = term2.with_columns(pl.lit(TERM2_PRESIDENT).alias("president"))

    def polls(frame, series: str, end: str, approve: str, disapprove: str):
        return frame.select(
            pl.lit(series).alias("series"),
            pl.col("president"),
            pl.col(end).alias("end"),
            pl.col(approve).alias("approve"),
            pl.col(disapprove).alias("disapprove"),
        )

    all_polls = pl.concat(
        [
            polls(gallup_hist, "gallup", "poll_end", "approval", "disapproval"),
            polls(
                term2.filter(pl.col("pollster") == "Gallup"),
                "gallup",
                "end_date",
                "approve",
                "disapprove",
            ),
            polls(term2, "all_pollsters", "end_date", "approve", "disapprove"),
        ]
    )
    monthly = monthly_mean(
        all_polls,
        ["series", "president"],
        {"approve": "approve_pct", "disapprove": "disapprove_pct"},
        "end",
    )
    monthly = _attach_party(monthly, presidents, str(ref_files[0]))
    frame = monthly.select(
        "series", "date", "president", "party", "approve_pct", "disapprove_pct", "n_polls"
    ).sort("series", "date", "president")
    notes = [
        "approve_pct/disapprove_pct: unweighted mean of poll toplines by month of field-end date; "
        "months without polls absent.",
        f"gallup: {gallup_hist.height} Ruffino rows labelled Gallup* after dropping {gallup_repeats} repeated listings "
        "(same president, field dates and toplines under two labels), plus ElectIndex Gallup polls from 2025-01-20.",
        f"all_pollsters: ElectIndex Trump term-2 list; {banned} poll(s) from a banned pollster (rating 0) "
        f"and {term2_repeats} exact duplicate row(s) excluded.",
    ]
    return Built(frame, [ruffino_path, term2_path, *ref_files], notes)


@recipe("generic_ballot_monthly")
def build_generic_ballot_monthly(raw_dir: Path) -> Built:
    """Monthly mean generic-ballot shares from the ElectIndex poll list; see the contract."""
    import polars as pl

    path = raw_file(raw_dir, GENERIC_BALLOT)
    polls, _ = read_electindex_generic_ballot_csv(path)
    banned = polls.filter(pl.col("rating") == BANNED_RATING).height
    polls = polls.filter(pl.col("rating") != BANNED_RATING)
    polls, repeats = _drop_repeats(polls, polls.columns)
    monthly = monthly_mean(polls, [], {"dem": "dem_pct", "rep": "rep_pct"}, "end_date")
    frame = monthly.select("date", "dem_pct", "rep_pct", "n_polls").sort("date")
    notes = [
        "dem_pct/rep_pct: unweighted mean of poll toplines by month of field-end date; months without polls absent.",
        f"{banned} poll(s) from a banned pollster (rating 0) and {repeats} exact duplicate row(s) excluded.",
    ]
    return Built(frame, [path], notes)


def compute_midterm_seat_change(divisions, years: list[int], parties: list[str]):
    """House seat change of the president's party at each midterm, from seats at the start of each Congress.

    Parameters
    ----------
    divisions : polars.DataFrame
        House party divisions as read by
        :func:`~oilshock.sources.elections.read_house_party_divisions_csv`.
    years : list of int
        Midterm election years.
    parties : list of str
        The president's party at each election, ``"D"`` or ``"R"``.

    Returns
    -------
    polars.DataFrame
        ``year`` and ``house_seat_change_historian`` [seats]: seats of the
        Congress starting in ``year + 1`` minus those of the Congress starting
        in ``year - 1``; null when either Congress is not in ``divisions``.

    Raises
    ------
    SourceError
        When a Congress's first and second parties are not Democrats and
        Republicans, so the party's seat column cannot be chosen.
    """
    import polars as pl

    seats = {}
    for row in divisions.iter_rows(named=True):
        seats[row["year_start"]] = row
    out = []
    for year, party in zip(years, parties):
        before, after = seats.get(year - 1), seats.get(year + 1)
        if before is None or after is None:
            out.append(None)
            continue
        for cong in (before, after):
            if (cong["p1"], cong["p2"]) != ("Democrats", "Republicans"):
                raise SourceError(
                    f"Congress {cong['congress']}: parties are {cong['p1']!r}/{cong['p2']!r}, "
                    "expected 'Democrats'/'Republicans'"
                )
        col = {"D": "np1", "R": "np2"}[party]
        out.append(after[col] - before[col])
    return pl.DataFrame(
        {"year": years, "house_seat_change_historian": out},
        schema={"year": pl.Int64, "house_seat_change_historian": pl.Int64},
    )


def _check_govt6139_complete(govt, path: Path) -> None:
    """Refuse a GOVT6139 table lacking a midterm it covers, repeating one, or without its approval.

    A header-only, halved or one-row-short file would otherwise join as null
    ``approval_pct_govt6139`` and ``rdi_change_pct`` under the same rows.
    """
    years = govt["year"].to_list()
    missing = [y for y in GOVT6139_YEARS if y not in years]
    if missing:
        shown = ", ".join(str(y) for y in missing[:6]) + (", …" if len(missing) > 6 else "")
        raise SourceError(
            f"{path}: lacks {len(missing)} of the {len(GOVT6139_YEARS)} midterms "
            f"{GOVT6139_YEARS[0]}–{GOVT6139_YEARS[-1]} it covers ({shown}); the file is incomplete"
        )
    repeated = sorted({y for y in years if years.count(y) > 1})
    if repeated:
        raise SourceError(f"{path}: midterm year(s) {repeated} appear more than once")
    blank = govt.filter(govt["approval"].is_null())["year"].to_list()
    if blank:
        raise SourceError(f"{path}: approval is blank in year(s) {blank}")


@recipe("midterms")
def build_midterms(raw_dir: Path) -> Built:
    """The APP midterm table joined with GOVT6139 approval/income and a House Historian seat count; see the contract."""
    import polars as pl

    app, ref_files, _ = build_dataset("midterms_app_table", raw_dir)
    div_path = raw_file(raw_dir, HOUSE_DIVISIONS)
    govt_path = raw_file(raw_dir, GOVT6139)
    divisions, _ = read_house_party_divisions_csv(div_path)
    govt, _ = read_govt6139_midterms_csv(govt_path)
    _check_govt6139_complete(govt, govt_path)

    clash = app.join(govt, on="year", how="inner").filter(pl.col("party") != pl.col("party_right"))
    if clash.height:
        raise SourceError(
            f"{govt_path}: party differs from the APP table in year(s) {clash['year'].to_list()}"
        )
    historian = compute_midterm_seat_change(
        divisions, app["year"].to_list(), app["party"].to_list()
    )
    frame = (
        app.join(historian, on="year", how="left")
        .join(
            govt.select(
                "year",
                pl.col("approval").alias("approval_pct_govt6139"),
                pl.col("rdi_change").alias("rdi_change_pct"),
            ),
            on="year",
            how="left",
        )
        .select(
            "year",
            "president",
            "party",
            "approval_pct",
            "house_seat_change",
            "senate_seat_change",
            "house_seat_change_historian",
            "approval_pct_govt6139",
            "rdi_change_pct",
        )
        .sort("year")
    )
    unused = sorted(set(govt["year"].to_list()) - set(app["year"].to_list()))
    notes = [
        "Primary columns are the APP table (data/reference/midterms_app_table.csv).",
        "GOVT6139 seat.change not used (disagrees with the House Historian in 1954, 1970, 1974, 1978, 2002).",
        "house_seat_change_historian: seats at start of next Congress minus previous; null where "
        "the next Congress is missing.",
    ]
    if unused:
        notes.append(f"GOVT6139 years not in the APP table, not used: {unused}")
    return Built(frame, [div_path, govt_path, *ref_files], notes)
