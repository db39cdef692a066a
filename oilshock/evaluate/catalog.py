"""The frozen event catalog: historical disruptions and threats, with the inputs known at the time.

Each event is a file in ``oilshock/evaluate/episodes/``: an ordinary scenario (the
format of :mod:`oilshock.scenario.spec`) followed by a ``[catalog]`` table that
says, for every number the scenario uses, where it comes from and when it
was published. :func:`load_catalog` validates every file; a rule broken is a
:class:`CatalogError` naming the file, the key and the rule.

Rules (the evaluation protocol, ``docs/evaluation.md``)
-------------------------------------------------------
* ``as_of`` precedes the event (``catalog.event_date``): the forecast is made
  on the eve of the news, and every fit uses data up to ``as_of`` only.
* Every numeric scenario input (``disruptions[i].share``, ``lost_mbd``,
  ``duration_days``, ``recovery_days`` and every ``response`` number) has
  exactly one ``[[catalog.inputs]]`` entry with the same ``key`` and
  ``value``, a ``source`` (a literature.md tag in brackets, or a URL) and
  one of three bases:

  - ``ex_ante``: published on or before ``as_of``;
  - ``first_report``: a magnitude or an expectation stated in the first
    official or wire reports, published within :data:`FIRST_REPORT_DAYS`
    days of the event — a forecast conditional on the event, made with what
    was said as it broke; never a realised outcome;
  - ``at_risk``: the pre-event output or exports of the affected producer
    (public production statistics at ``as_of``; the reference may be later),
    used only for a volume (``lost_mbd``);
  - ``no_figure``: nothing was published; a duration then takes the
    catalog's wide range :data:`UNKNOWN_DURATION_DAYS`.
* A duration is never ``at_risk``, and never a figure learned later.
* A ``threat`` event has no loss: every share or volume is zero.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from oilshock.errors import (
    CatalogError,
)

FIRST_REPORT_DAYS = 21
# The duration range used where nothing was published at the time: one month to one year. A protocol
# choice fixed before any score was seen, the same for every event (not a published figure).
UNKNOWN_DURATION_DAYS = [30.0, 365.0]
KINDS = ("loss", "threat")
BASES = ("ex_ante", "first_report", "at_risk", "no_figure")
_VOLUME_KEYS = ("share", "lost_mbd")
_DURATION_KEYS = ("duration_days", "recovery_days")
_TAG = re.compile(r"\[[A-Za-z0-9][^\]]*\]|https?://")


@dataclass(frozen=True)
class Event:
    """One catalog event: its scenario and the provenance of every input."""

    name: str
    kind: str
    event_date: dt.date
    held_out: bool
    scenario: object  # oilshock.scenario.parse.Scenario
    inputs: tuple = field(default_factory=tuple)
    path: str = ""

    @property
    def as_of(self) -> dt.date:
        return self.scenario.as_of


def catalog_dir() -> Path:
    return Path(__file__).resolve().parent / "episodes"


def list_events() -> list[str]:
    return sorted(p.stem for p in catalog_dir().glob("*.toml"))


def load_catalog(names: list[str] | None = None) -> list[Event]:
    """Every event (or the named ones), validated; unknown names raise UnknownNameError."""
    from oilshock.errors import UnknownNameError

    known = list_events()
    for n in names or []:
        if n not in known:
            raise UnknownNameError("event", n, known)
    return [load_event(catalog_dir() / f"{n}.toml") for n in (names or known)]


def load_event(path: Path) -> Event:
    """Read and validate one catalog file (see the module docstring for the rules)."""
    from oilshock.scenario.spec import parse_scenario

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    src = str(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{src}: TOML syntax error: {exc}") from None
    meta = raw.get("catalog")
    if not isinstance(meta, dict):
        raise CatalogError(f"{src}: key 'catalog': missing; every event needs a [catalog] table")
    # The [catalog] table comes last; the text before it is the scenario.
    m = re.search(r"^\[\[?catalog[\].]", text, flags=re.MULTILINE)
    head = text[: m.start()] if m else text
    if tomllib.loads(head) != {k: v for k, v in raw.items() if k != "catalog"}:
        raise CatalogError(
            f"{src}: key 'catalog': the [catalog] tables must come after the scenario"
        )
    sc = parse_scenario(head, source=src, default_name=path.stem)
    event = Event(
        name=sc.name,
        kind=meta.get("kind"),
        event_date=meta.get("event_date"),
        held_out=bool(meta.get("held_out", False)),
        scenario=sc,
        inputs=tuple(meta.get("inputs", [])),
        path=src,
    )
    validate_event(event, raw)
    return event


def scenario_inputs(raw: dict) -> dict[str, object]:
    """Every numeric input of a scenario's raw TOML, keyed as in ``[[catalog.inputs]]``."""
    out: dict[str, object] = {}
    for i, d in enumerate(raw.get("disruptions", [])):
        for k in _VOLUME_KEYS + _DURATION_KEYS:
            if k in d:
                out[f"disruptions[{i}].{k}"] = d[k]
    for k, v in raw.get("response", {}).items():
        if not isinstance(v, bool):
            out[f"response.{k}"] = v
    return out


def validate_event(event: Event, raw: dict) -> None:
    """Raise :class:`CatalogError` for the first broken rule."""
    src = event.path

    def fail(key, rule):
        return CatalogError(f"{src}: key '{key}': {rule}")

    if event.kind not in KINDS:
        raise fail("catalog.kind", f"must be one of {', '.join(KINDS)}, got {event.kind!r}")
    if not isinstance(event.event_date, dt.date):
        raise fail("catalog.event_date", "must be a date (the day the news broke)")
    if event.as_of is None or not event.as_of < event.event_date:
        raise fail("as_of", f"must precede the event ({event.event_date})")
    needed = scenario_inputs(raw)
    seen: set[str] = set()
    for j, inp in enumerate(event.inputs):
        where = f"catalog.inputs[{j}]"
        key = inp.get("key")
        if key not in needed:
            raise fail(
                f"{where}.key",
                f"{key!r} is not a numeric input of the scenario ({', '.join(needed) or 'none'})",
            )
        if key in seen:
            raise fail(f"{where}.key", f"{key!r} is cited twice")
        seen.add(key)
        if inp.get("value") != needed[key]:
            raise fail(
                f"{where}.value",
                f"{inp.get('value')!r} differs from the scenario's {needed[key]!r}",
            )
        if not isinstance(inp.get("source"), str) or not _TAG.search(inp["source"]):
            raise fail(f"{where}.source", "cite a literature.md tag like [IEA-2011] or a URL")
        basis = inp.get("basis")
        if basis not in BASES:
            raise fail(f"{where}.basis", f"must be one of {', '.join(BASES)}, got {basis!r}")
        field_name = key.rsplit(".", 1)[-1]
        published = inp.get("published")
        if basis == "no_figure":
            if field_name == "duration_days" and inp["value"] != UNKNOWN_DURATION_DAYS:
                raise fail(
                    f"{where}.value",
                    f"no published duration: use the catalog's wide range {UNKNOWN_DURATION_DAYS}",
                )
            if not inp.get("note"):
                raise fail(f"{where}.note", "say what was (not) published")
            continue
        if not isinstance(published, dt.date):
            raise fail(f"{where}.published", "must be the date the source was published")
        if basis == "ex_ante" and published > event.as_of:
            raise fail(
                f"{where}.published", f"{published} is after as_of {event.as_of}: not ex_ante"
            )
        if basis == "first_report" and (published - event.event_date).days > FIRST_REPORT_DAYS:
            raise fail(
                f"{where}.published",
                f"{published} is more than {FIRST_REPORT_DAYS} days after the event: not a first report",
            )
        if basis == "at_risk" and field_name != "lost_mbd":
            raise fail(
                f"{where}.basis",
                "at_risk is for a volume (lost_mbd) only; a duration must have been published then",
            )
    missing = [k for k in needed if k not in seen]
    if missing:
        raise fail(missing[0], "a scenario input without a [[catalog.inputs]] citation")
    if event.kind == "threat":
        for k, v in needed.items():
            if k.rsplit(".", 1)[-1] in _VOLUME_KEYS and v not in (0, 0.0, [0, 0]):
                raise fail(k, "a threat event has no loss: the volume must be 0")
