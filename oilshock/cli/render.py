"""Render rows (lists of dicts) as a text table, CSV or JSON for the CLI."""

from __future__ import annotations

import json
from typing import Any

from oilshock.report.tables import format_cell, to_csv

MAX_WIDTH = 100  # columns of a text table


def table(
    rows: list[dict], columns: list[str] | None = None, headers: dict[str, str] | None = None
) -> str:
    """A plain, aligned text table (no dependencies, pipes well into less).

    ``headers`` gives a shorter heading for some columns (the caller prints their legend), so
    that a table of many numeric columns fits :data:`MAX_WIDTH`.
    """
    if not rows:
        return "(no rows)"
    columns = columns or list(rows[0])
    heads = [(headers or {}).get(c, c) for c in columns]
    cells = [[format_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(heads)]
    numeric = [all(_is_num(r.get(c)) for r in rows) for c in columns]
    # Within MAX_WIDTH columns: the widest text column is cut short (…); csv and json keep every character.
    while sum(widths) + 2 * (len(widths) - 1) > MAX_WIDTH:
        text_cols = [
            i for i in range(len(columns)) if not numeric[i] and widths[i] > 24
        ]  # short labels are never cut
        if not text_cols:
            break
        i = max(text_cols, key=lambda j: widths[j])
        widths[i] = max(24, widths[i] - (sum(widths) + 2 * (len(widths) - 1) - MAX_WIDTH))
        for row in cells:
            if len(row[i]) > widths[i]:
                row[i] = row[i][: widths[i] - 1] + "…"

    def fmt(vals: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(vals, widths, numeric)
        ).rstrip()

    out = [fmt(heads), fmt(["-" * w for w in widths])]
    out += [fmt(row) for row in cells]
    return "\n".join(out)


def _is_num(v: Any) -> bool:
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))


def to_json(obj: Any) -> str:
    return json.dumps(obj, indent=2, default=str, allow_nan=False)


def flatten(obj: Any, prefix: str = "") -> list[dict]:
    """Nested dicts and lists as ``key``/``value`` rows (``a.b``, ``a.list[0]``): one table for any JSON result."""
    if isinstance(obj, dict) and obj:
        return [
            row for k, v in obj.items() for row in flatten(v, f"{prefix}.{k}" if prefix else str(k))
        ]
    if (
        isinstance(obj, list)
        and obj
        and not all(isinstance(x, (str, int, float, bool)) or x is None for x in obj)
    ):
        return [row for i, v in enumerate(obj) for row in flatten(v, f"{prefix}[{i}]")]
    if isinstance(obj, list):
        obj = ", ".join(format_cell(x) for x in obj)
    return [{"key": prefix, "value": obj if obj not in ({}, []) else None}]


def key_values(obj: Any, fmt: str) -> str:
    """A JSON-like result in ``fmt``: ``json`` as is, ``csv`` and ``table`` as key/value rows
    (the table within 100 columns)."""
    from oilshock.text import fit

    if fmt == "json":
        return to_json(obj)
    rows = flatten(obj)
    if fmt == "csv":
        return to_csv(rows, ["key", "value"])
    width = min(44, max((len(r["key"]) for r in rows), default=0))
    lines = []
    for r in rows:
        if len(r["key"]) > width:  # a long key gets its own line; its value follows, indented
            lines += [r["key"], f"{'':{width}}  {format_cell(r['value'])}"]
        else:
            lines.append(f"{r['key']:{width}}  {format_cell(r['value'])}")
    return fit(lines)


def progress_bar(label: str, length: int):
    """A progress bar on stderr and the callback that advances it, for commands that take more than a second.

    Nothing at all when stderr is not a terminal (piped, cron, CI): no bar and no stray label line.
    Returns ``(context manager, step)``; call ``step(name)`` once per unit of work.
    """
    import sys

    if not sys.stderr.isatty():
        import contextlib

        return contextlib.nullcontext(), lambda name=None: None
    import click

    bar = click.progressbar(
        length=length, label=label, file=sys.stderr, item_show_func=lambda n: n or ""
    )

    def step(name: str | None = None) -> None:
        bar.update(1, name)

    return bar, step


def echo_rows(rows: list[dict], fmt: str, columns: list[str] | None = None) -> None:
    """Print ``rows`` as the ``--format`` asked: an aligned table, JSON, or CSV."""
    import click

    if fmt == "json":
        click.echo(to_json(rows))
    elif fmt == "csv":
        click.echo(to_csv(rows, columns), nl=False)
    else:
        click.echo(table(rows, columns))
