"""Scenarios: what is disrupted, how much, when and for how long.

A scenario is a TOML file (read with :mod:`tomllib`) or a named preset
shipped in ``oilshock/scenario/presets/``. This module reads it;
:mod:`oilshock.scenario.parse` checks its *shape*; numbers that depend on data
(a chokepoint's flow, bypass capacity, stock releases) are resolved later,
point in time, by :mod:`oilshock.model.supply`.

File format (public interface)::

    name = "my-case"            # optional; default: the file's stem
    title = "Free text"         # optional
    description = "..."         # optional
    as_of = 2026-02-27          # optional; default: the snapshot's latest date
    horizon_weeks = 26          # optional, 4..156

    [[disruptions]]             # one or more
    chokepoint = "hormuz"       # an id from the chokepoints table ("*": every one under way) ...
    share = 0.9                 # ... and the fraction of NORMAL flow stopped, 0..1,
                                #     or "observed": the disruption under way continues
    # lost_mbd = 5.7            # or instead: a loss not tied to a chokepoint [mb/d]
    start = 2026-03-01          # optional; default: as_of; may precede as_of
    duration_days = 105         # > 0 (>= 0 with share = "observed": counted from as_of)
    recovery_days = 30          # optional; linear return to normal after the duration
    citation = "..."            # optional: where the loss figure comes from

    [response]                  # optional overrides of the offsets (see RESPONSE_KEYS)
    bypass = true
    stock_release_mbd = 1.4

    [observed]                  # optional: override the observed share of normal flow
    hormuz = 0.8                #   stopped now (AIS counts are a lower bound), 0..1

What a scenario means when a disruption is under way is stated in
:mod:`oilshock.scenario.resolve`.

``share``, ``lost_mbd``, ``duration_days`` and ``recovery_days`` also take a
two-element list ``[low, high]``: the Monte Carlo then draws uniformly in that
range, so scenario uncertainty enters the bands next to model uncertainty.

Every mistake raises :class:`ScenarioError` (exit code 2) naming the file and
the key, with the closest valid key for a typo.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from oilshock.errors import (
    ScenarioError,
    UnknownNameError,
)
from oilshock.scenario.parse import (
    HORIZON_RANGE,
    NAME_PATTERN,
    Range,
    Scenario,
    scenario_from_dict,
)

MAX_FILE_BYTES = 1_000_000


def presets_dir() -> Path:
    return Path(__file__).resolve().parent / "presets"


def list_presets() -> list[str]:
    """Names of the scenario presets shipped with oilshock."""
    return sorted(p.stem for p in presets_dir().glob("*.toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A preset by name, or a scenario TOML file by path.

    Raises
    ------
    ScenarioError
        For a missing file, a TOML syntax error, or a key or value that is wrong.
    UnknownNameError
        For an unknown preset name (with the closest name as a suggestion).
    """
    text = str(name_or_path)
    path = Path(text)
    try:
        is_path = path.suffix == ".toml" or "/" in text or path.exists()
    except (OSError, ValueError) as exc:  # a name too long for a path, a NUL byte
        raise ScenarioError(
            f"{text[:80]!r}: not a scenario file or preset: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    if is_path:
        source = text if text.isprintable() else ascii(text)[1:-1]
        return parse_scenario(read_scenario_text(path), source=source, default_name=path.stem)
    if text not in list_presets():
        raise UnknownNameError("scenario preset", text, list_presets())
    p = presets_dir() / f"{text}.toml"
    return parse_scenario(
        p.read_text(encoding="utf-8"), source=f"preset '{text}'", default_name=text
    )


def read_scenario_text(path: Path) -> str:
    """The text of a scenario file: UTF-8 (as TOML requires), at most :data:`MAX_FILE_BYTES`.

    Raises
    ------
    ScenarioError
        The file is missing, unreadable, too large or not UTF-8; one line naming the file.
    """
    try:
        if not path.is_file():
            raise ScenarioError(f"{path}: scenario file not found")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(f"{path}: scenario file larger than {MAX_FILE_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            f"{path}: cannot read the scenario file: {exc.strerror or exc}"
        ) from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ScenarioError(
            f"{path}: the file is UTF-16; TOML scenario files must be saved as UTF-8"
        )
    if b"\x00" in data:
        raise ScenarioError(
            f"{path}: holds NUL bytes (UTF-16 or binary?); TOML scenario files must be UTF-8 text"
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark is not content
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); TOML "
            "scenario files must be saved as UTF-8"
        ) from None


def check_as_of_known(as_of: dt.date, newest: dt.date, what: str = "as_of") -> dt.date:
    """``as_of`` if the data reach it (``newest`` is the snapshot's latest date), else a :class:`ScenarioError`.

    An as-of date after the newest data would present old data as current.
    """
    if as_of > newest:
        raise ScenarioError(
            f"{what} {as_of.isoformat()} is after the newest data ({newest.isoformat()}); give a date on or before it"
        )
    return as_of


def parse_scenario(
    text: str, source: str = "<scenario>", default_name: str = "scenario"
) -> Scenario:
    """Parse and check a scenario's TOML text; see the module docstring for the format."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: TOML syntax error: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{source}: TOML nested too deeply") from None
    return scenario_from_dict(raw, source, default_name)


# The command-line options of a quick what-if and the scenario keys they set.
WHATIF_OPTIONS = {
    "disruptions[0].chokepoint": "--chokepoint",
    "disruptions[0].share": "--share",
    "disruptions[0].duration_days": "--days",
    "disruptions[0].recovery_days": "--recovery-days",
    "disruptions[0].start": "--start",
    "horizon_weeks": "--horizon-weeks",
    "name": "--name",
}


def build_scenario(
    chokepoint: str,
    share: float | Range | str,
    days: float | Range,
    *,
    recovery_days: float | Range = 0.0,
    start: dt.date | None = None,
    horizon_weeks: int | None = None,
    name: str | None = None,
) -> Scenario:
    """A one-disruption scenario without a file (``oilshock estimate --chokepoint ... --share ... --days ...``).

    Checked by exactly the rules of a scenario file; a mistake names the option.

    Parameters
    ----------
    chokepoint : str
        Chokepoint id (``oilshock data show chokepoints``).
    share : float, (float, float) or "observed"
        Fraction of normal flow stopped [0..1], or a range drawn uniformly.
    days, recovery_days : float or (float, float)
        Days at full strength, then days of linear return to normal [days].
    start : datetime.date, optional
        Default: ``as_of``.
    horizon_weeks : int, optional
        Weeks simulated (default 26).
    name : str, optional
        Default: ``<chokepoint>-<share>-<days>d``.
    """

    def plain(v):
        return list(v) if isinstance(v, tuple) else v

    raw: dict[str, Any] = {
        "disruptions": [
            {"chokepoint": chokepoint, "share": plain(share), "duration_days": plain(days)}
        ]
    }
    if recovery_days not in (0, 0.0):
        raw["disruptions"][0]["recovery_days"] = plain(recovery_days)
    if start is not None:
        raw["disruptions"][0]["start"] = start
    if horizon_weeks is not None:
        raw["horizon_weeks"] = horizon_weeks
    if name is not None:
        raw["name"] = name
    sc = scenario_from_dict(raw, "command line", "what-if", key_names=WHATIF_OPTIONS)
    d = sc.disruptions[0]

    def words(r) -> str:
        return r if isinstance(r, str) else f"{r[0]:g}" if r[0] == r[1] else f"{r[0]:g}-{r[1]:g}"

    # Name and title are built from the checked values only, so nothing unchecked reaches them.
    if name is None:
        default = re.sub(
            r"[^A-Za-z0-9._-]+", "-", f"{d.chokepoint}-{words(d.share)}-{words(d.duration_days)}d"
        )[:64]
        sc = replace(sc, name=default if NAME_PATTERN.fullmatch(default) else "what-if")
    title = f"What-if: {d.chokepoint}, {words(d.share)} of normal flow stopped for {words(d.duration_days)} days"
    return replace(
        sc,
        title=title
        + (f", {words(d.recovery_days)} days' recovery" if d.recovery_days[1] > 0 else ""),
    )


def with_horizon(
    sc: Scenario, horizon_weeks: int | None, option: str = "--horizon-weeks"
) -> Scenario:
    """The scenario with another horizon [weeks], checked like the file key
    (``--horizon-weeks`` on a preset or file)."""
    if horizon_weeks is None:
        return sc
    if (
        not isinstance(horizon_weeks, int)
        or isinstance(horizon_weeks, bool)
        or not HORIZON_RANGE[0] <= horizon_weeks <= HORIZON_RANGE[1]
    ):
        raise ScenarioError(
            f"{option}: must be a whole number of weeks in {HORIZON_RANGE[0]}..{HORIZON_RANGE[1]}, "
            f"got {horizon_weeks!r}"
        )
    return replace(sc, horizon_weeks=horizon_weeks)
