"""One exception type per kind of user mistake.

The CLI turns each into one line on stderr and a documented exit code
(see :mod:`oilshock.cli`); the library never prints.
"""

from __future__ import annotations


class OilshockError(Exception):
    """Base class of every error oilshock raises on purpose."""

    exit_code = 1


class DataContractError(OilshockError):
    """A dataset broke its contract in ``schemas/``.

    Attributes
    ----------
    dataset : str
        Name of the contract that was checked.
    source : str
        The file (or URL) the offending data came from.
    failures : list of dict
        One entry per failed rule: ``column``, ``rule``, ``rows`` (the first
        offending 0-based row numbers) and ``values`` (their values).
    """

    exit_code = 1

    def __init__(self, dataset: str, source: str, failures: list[dict]):
        self.dataset = dataset
        self.source = source
        self.failures = failures
        super().__init__(self._render())

    def _render(self) -> str:
        # One line: every failed rule after the file and dataset, each value cut short.
        parts = []
        for f in self.failures:
            rows = ", ".join(str(r) for r in f.get("rows", [])[:5])
            vals = ", ".join(_short(repr(v)) for v in f.get("values", [])[:5])
            where = f" data rows [{rows}] (0-based, header excluded)" if rows else ""
            what = f" values [{vals}]" if vals else ""
            more = f" (+{f['count'] - 5} more)" if f.get("count", 0) > 5 else ""
            at = f" at{where}{what}{more}" if where or what else ""
            parts.append(
                f"column '{_short(str(f['column']))}': rule {_short(str(f['rule']), 200)} failed{at}"
            )
        return (
            f"{self.source}: does not meet the contract of dataset '{self.dataset}': "
            + "; ".join(parts)
        )


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


KNOWN_SHOWN = 24  # names an unknown-name message lists before "and N more"


class UnknownNameError(OilshockError):
    """A name (dataset, preset, chokepoint) that does not exist; suggests the closest."""

    exit_code = 2

    def __init__(self, kind: str, name: str, known: list[str]):
        import difflib

        self.kind, self.name, self.known = kind, name, sorted(known)
        close = difflib.get_close_matches(name, self.known, n=1, cutoff=0.4)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        shown = (
            name if name.isprintable() and len(name) <= 100 else ascii(name[:100])[1:-1]
        )  # one line, whatever was typed
        # A long list (the scored model names) is cut so the message stays one readable line.
        listed = ", ".join(self.known[:KNOWN_SHOWN])
        if len(self.known) > KNOWN_SHOWN:
            listed += f" and {len(self.known) - KNOWN_SHOWN} more"
        super().__init__(f"unknown {kind} '{shown}'.{hint} Known: {listed}")


class SourceError(OilshockError):
    """A raw source could not be read or parsed (missing file, changed format, HTTP failure)."""

    exit_code = 1


class SnapshotError(OilshockError):
    """The data directory is missing, incomplete, or its files do not match the manifest."""

    exit_code = 1


class ConfigError(OilshockError):
    """An environment variable holds a malformed value (a usage error)."""

    exit_code = 2


class ScenarioDataError(OilshockError):
    """The scenario needs data the snapshot does not have as of the date (exit code 2)."""

    exit_code = 2


class CatalogError(OilshockError):
    """A catalog file breaks a rule (exit code 1: a data problem)."""

    exit_code = 1


class LockBusyError(OilshockError):
    """Another refresh or recompute holds the lock of this data directory."""

    exit_code = 1


class StorageError(OilshockError):
    """The data directory cannot be written as asked."""

    exit_code = 1


class StaleDataError(OilshockError):
    """The snapshot's newest data are older than the allowed age (``--max-age``)."""

    exit_code = 3


class OutputError(OilshockError):
    """An output file could not be written; nothing was left behind."""

    exit_code = 2


class ReportError(OilshockError):
    """A chart or briefing cannot be drawn from the input given (a usage problem, exit code 2)."""

    exit_code = 2


class ContractDefinitionError(OilshockError):
    """A ``schemas/*.toml`` file is itself malformed (a developer error)."""


class ShapeError(OilshockError):
    """A dataset broke a rule on its whole shape (``[shape]`` in its contract); one line."""

    exit_code = 1


class ScenarioError(OilshockError):
    """A scenario file or preset is malformed; the message names the file and the key."""

    exit_code = 2


class IngestError(OilshockError):
    """A build cannot proceed (for example the target directory is not a snapshot)."""


class RecomputeError(OilshockError):
    """A scenario failed or the output directory cannot be written; nothing was published."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code  # 2 for a bad option (a missing scenario folder, an unwritable results folder)
