"""The briefing rendered: HTML (every library and chart inlined) or Markdown, through the templates
in ``templates/`` (:class:`string.Template`); every text is escaped for where it lands."""

from __future__ import annotations

import html
import re
from pathlib import Path
from string import Template

from oilshock.report import export
from oilshock.report.output import script_json

TEMPLATES = Path(__file__).resolve().parent / "templates"


def chart_id(i: int, cid: str) -> str:
    """``chart-<n>-<kind>-<name>`` with only ``[a-z0-9-]``: safe as an HTML id, a CSS selector and a file name.

    Scenario names are checked at load, but a brief can be built from any result
    dict, so the id never carries more than a letter, digit or hyphen of it.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", cid.lower()).strip("-")[:48]
    return f"chart-{i + 1}-{slug}".rstrip("-")


_MD_SPECIAL = re.compile(r"([\\`\[\]|])")


def _md_inline(s: str) -> str:
    """Text for Markdown: no raw HTML (``&<>`` as entities), no links, code or table cells from the data.

    The summary's own ``**bold**`` stays.
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(s, quote=False))


def _html_inline(s: str) -> str:
    """Escape, then turn the summary's **bold** into <strong>."""
    parts = html.escape(s).split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))


def render_html(b: dict) -> str:
    """The brief as one self-contained HTML page."""
    head, rows = b["table"]
    table = (
        "<table><thead><tr>"
        + "".join(f"<th>{html.escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
    )
    table += (
        "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
        + "</tbody></table>"
    )
    specs = {cid: export.spec(c) for cid, _, c in b["charts"]}
    figs = "\n".join(
        f'<figure><div class="chart" id="{html.escape(cid)}" role="img" '
        f'aria-label="{html.escape(specs[cid]["title"]["text"])}"></div>'
        f'<figcaption class="small">{html.escape(cap)}</figcaption></figure>'
        for cid, cap, _ in b["charts"]
    )
    bundle = export.javascript_bundle()
    return Template((TEMPLATES / "brief.html").read_text(encoding="utf-8")).substitute(
        title=html.escape(b["title"]),
        meta=html.escape(b["meta"]),
        disclaimer=html.escape(b["disclaimer"]),
        bottom_line="<ul>"
        + "".join(f"<li>{html.escape(x)}</li>" for x in b["bottom_line"])
        + "</ul>",
        track_record=(
            '<div class="record"><p><strong>Track record</strong></p>'
            + "".join(f"<p>{html.escape(x)}</p>" for x in b["track_record"])
            + "</div>"
            if b["track_record"]
            else ""
        ),
        summary="\n".join(f"<p>{_html_inline(p)}</p>" for p in b["summary"]),
        table=table,
        charts=figs,
        method="<ol>" + "".join(f"<li>{html.escape(m)}</li>" for m in b["method"]) + "</ol>",
        limits="<ul>" + "".join(f"<li>{html.escape(m)}</li>" for m in b["limits"]) + "</ul>",
        provenance='<table class="small">'
        + "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
            for k, v in b["provenance"]
        )
        + "</table>",
        bundle=bundle,
        specs=script_json(specs),
    )


def render_markdown(b: dict, images: dict[str, str]) -> str:
    """The brief as Markdown; ``images`` maps chart id → image file name (relative)."""
    head, rows = b["table"]
    md = _md_inline
    table = "| " + " | ".join(md(h) for h in head) + " |\n|" + "---|" * len(head) + "\n"
    table += "".join("| " + " | ".join(md(c) for c in r) + " |\n" for r in rows)
    figs = "\n\n".join(
        f"![{md(export.spec(c)['title']['text'])}]({images[cid]})\n\n*{md(cap)}*"
        for cid, cap, c in b["charts"]
    )
    return Template((TEMPLATES / "brief.md").read_text(encoding="utf-8")).substitute(
        title=md(b["title"]),
        meta=md(b["meta"]),
        disclaimer=md(b["disclaimer"]),
        bottom_line="\n".join(f"- {md(x)}" for x in b["bottom_line"]),
        track_record=(
            "> **Track record**\n>\n" + "\n>\n".join(f"> {md(x)}" for x in b["track_record"])
            if b["track_record"]
            else ""
        ),
        summary="\n\n".join(md(p) for p in b["summary"]),
        table=table.rstrip(),
        charts=figs,
        method="\n".join(f"{i + 1}. {m}" for i, m in enumerate(b["method"])),
        limits="\n".join(f"- {m}" for m in b["limits"]),
        provenance="\n".join(f"- {md(k)}: {md(v)}" for k, v in b["provenance"]),
    )
