"""The Markdown data dictionary, generated from the contracts (``docs/data-dictionary.md``)."""

from __future__ import annotations

from typing import Any

from oilshock.data.contracts import Contract, load_contracts


def render_data_dictionary(contracts: dict[str, Contract] | None = None) -> str:
    """The Markdown data dictionary, generated from the contracts (``docs/data-dictionary.md``)."""
    contracts = contracts or load_contracts()
    out = [
        "# Data dictionary",
        "",
        "Generated from `schemas/*.toml` by `oilshock data dictionary`; do not edit by hand.",
        "A test fails when this file and the contracts disagree.",
        "",
        "Every time series has a `date` column (`datetime.date`): the trading day for daily data,",
        "the EIA survey Monday for weekly retail prices, the first day of the month for monthly",
        "data. Point-in-time loads (`as_of`) keep a row only once its period has ended.",
        "",
        "| dataset | kind | frequency | primary key | publisher |",
        "|---|---|---|---|---|",
    ]
    for c in contracts.values():
        out.append(
            f"| [`{c.name}`](#{c.name}) | {c.kind} | {c.frequency} | {', '.join(c.primary_key)} | "
            f"{c.source['publisher']} |"
        )
    for c in contracts.values():
        s = c.source
        out += ["", f"## {c.name}", "", f"**{c.title}**", "", c.description, ""]
        out.append(f"- File in the data directory: `{c.file}`")
        if c.time_column:
            out.append(
                f"- Time column: `{c.time_column}` (known once its {c.time_resolution} has ended)"
            )
        out.append(f"- Publisher: {s['publisher']}")
        if s.get("series_ids"):
            out.append(f"- Series: {', '.join('`' + i + '`' for i in s['series_ids'])}")
        out.append(f"- Source: <{s['url']}>")
        if s.get("api_url"):
            out.append(f"- Live endpoint: `{s['api_url']}`")
        out.append(f"- Terms: {s['terms']}")
        if s.get("citation"):
            out.append(f"- Cite: {s['citation']}")
        out += [
            "",
            "| column | dtype | unit | nullable | checks | description |",
            "|---|---|---|---|---|---|",
        ]
        for col in c.columns:
            checks = "; ".join(f"{k} {_fmt(v)}" for k, v in col.checks.items())
            out.append(
                f"| `{col.name}` | {col.dtype} | {col.unit} | {'yes' if col.nullable else 'no'} | "
                f"{checks} | {col.description} |"
            )
    return "\n".join(out) + "\n"


def _fmt(v: Any) -> str:
    if isinstance(v, list):
        return "{" + ", ".join(str(x) for x in v) + "}"
    if v is True:
        return ""
    return str(v).replace("|", "\\|")
