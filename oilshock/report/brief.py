"""The briefing: one self-contained HTML file (or Markdown with images) per set of scenarios.

The content is built once as plain structures (paragraphs, one table, a list
of charts) by :func:`build_brief`, then rendered by :func:`render_html` or
:func:`render_markdown` through the templates in ``templates/``
(:class:`string.Template`, stdlib). Every sentence is written from the
numbers of the estimates, never typed in, so a brief cannot drift from the
estimate it describes.

The HTML inlines Vega, Vega-Lite and vega-embed (vl-convert's JavaScript
bundle) and every chart's spec with its data: it opens with no network, as
briefs are read on closed networks.
"""

from __future__ import annotations

import datetime as dt
import platform
from pathlib import Path

from oilshock.evaluate import track_record
from oilshock.forecast.implied import implied_line
from oilshock.forecast.result import model_of
from oilshock.report import charts, export, versus
from oilshock.report import data as rd
from oilshock.report.brief_render import (  # noqa: F401 (the briefing's public API)
    TEMPLATES,
    chart_id,
    render_html,
    render_markdown,
)
from oilshock.report.brief_words import (  # noqa: F401 (the briefing's public API)
    METHOD,
    NOT_MODELLED,
    _date_words,
    _signed,
    bottom_line,
    election_sentence,
    key_table,
    nowcast_lines,
    scenario_paragraph,
    track_record_lines,
)
from oilshock.report.make import run_estimates
from oilshock.report.output import check_output_path, write_atomic


def build_brief(results: list[dict], *, directory=None) -> dict:
    """Everything a brief says and shows, for rendering.

    Parameters
    ----------
    results : list of dict
        Estimates (:meth:`EstimateResult.to_dict`), run at one as-of date and seed.

    Returns
    -------
    dict
        ``title``, ``meta``, ``disclaimer``, ``summary`` (paragraphs), ``table`` (head, rows),
        ``charts`` (list of ``(id, caption, chart)``), ``method``, ``limits``, ``provenance``
        (list of ``(label, value)``).
    """
    import altair as alt
    import vl_convert as vlc

    from oilshock._version import __version__

    if not results:
        raise rd.ReportError("a brief needs at least one scenario")
    ds = [rd.as_dict(r) for r in results]
    d0 = ds[0]
    as_of = d0["as_of"]
    figs = []
    omitted = []  # charts the data cannot support at this as-of date, said in the limits rather than dropped silently
    if len(ds) > 1:
        figs.append(("compare", "All scenarios side by side.", charts.compare(ds)))
    for d in ds:
        n = d["scenario"]["name"]
        t = d["scenario"][
            "title"
        ]  # captions name the scenario by its title; ids stay in the chart ids and the key table
        figs.append((f"path-{n}", f"{t}: weekly prices.", charts.path(d, directory=directory)))
        if d.get("retail_gasoline"):
            try:
                figs.append(
                    (
                        f"gallon-{n}",
                        f"{t}: what is in a gallon.",
                        charts.gallon(d, directory=directory),
                    )
                )
            except rd.ReportError as exc:
                omitted.append(f"{n}: no gallon chart ({exc})")
        through = dt.date.fromisoformat(d["as_of"])
        cps = [w["chokepoint"] for w in rd.scenario_windows(d) if w["chokepoint"]]
        have = rd.transit_chokepoints(through, directory) if cps else set()
        with_transits = [c for c in dict.fromkeys(cps) if c in have]
        if with_transits:
            # Point in time: a brief as of D shows no transits dated after D.
            figs.append(
                (
                    f"transits-{n}",
                    f"{t}: traffic through the chokepoint, to the as-of date.",
                    charts.transits(with_transits, result=d, through=through, directory=directory),
                )
            )
        if len(with_transits) < len(set(cps)):
            omitted.append(
                f"{n}: no PortWatch transits before {through} for {', '.join(sorted(set(cps) - set(with_transits)))}"
            )
        if d.get("regions"):
            figs.append((f"regions-{n}", f"{t}: by region.", charts.regions(d)))
        if versus.observed_weeks(d, directory)["brent"]:
            # A past as-of date: what followed is in the data, so the estimate is shown against it.
            figs.append(
                (
                    f"backtest-{n}",
                    f"{t}: predicted against what was observed afterwards.",
                    versus.versus_actual(d, directory=directory),
                )
            )
    names = ", ".join(d["scenario"]["name"] for d in ds)
    prov = d0["provenance"]
    return {
        "title": "Oil disruption briefing: "
        + (
            "; ".join(d["scenario"]["title"] for d in ds)
            if len(ds) <= 2
            else f"{len(ds)} scenarios compared"
        ),
        "meta": (
            f"Data as of {_date_words(as_of)} · snapshot {str(prov['snapshot_sha256'])[:12]} · "
            f"model {model_of(d0).get('name', 'default')} · "
            f"oilshock {__version__}"
        ),
        "disclaimer": d0["disclaimer"],
        "bottom_line": bottom_line(ds),
        "track_record": track_record_lines(track_record.load())
        + nowcast_lines(track_record.load_nowcast()),
        # The state at as_of, what the price implies against what the tankers show, then the scenarios.
        "summary": rd.context_lines(d0)
        + ([implied_line(d0["market_implied"])] if d0.get("market_implied") else [])
        + [scenario_paragraph(d) for d in ds],
        "table": key_table(ds),
        "charts": [(chart_id(i, cid), cap, c) for i, (cid, cap, c) in enumerate(figs)],
        "method": METHOD,
        "limits": [
            "A scenario, not a forecast: what the fitted models imply if the disruption happens, all else equal.",
            "Not modelled: " + "; ".join(NOT_MODELLED) + ".",
            "Bands cover the models' uncertainty and the scenario's ranges; actual prices also "
            "move with ordinary market noise, "
            "which widens the range an observed price should be compared with.",
            *(f"Chart omitted: {o}." for o in omitted),
        ],
        "provenance": [
            ("As-of date (no data after it is used)", as_of),
            ("Data snapshot sha256", str(prov["snapshot_sha256"])),
            (
                "Monte Carlo",
                f"seed {prov['seed']}, {prov['draws']} draws (common random numbers across scenarios)",
            ),
            ("Scenarios", names),
            (
                "Software",
                f"oilshock {__version__}, Python {platform.python_version()}, altair {alt.__version__}, "
                f"vl-convert {getattr(vlc, '__version__', '?')}, Vega {vlc.get_vega_version()}, "
                f"vega-embed {vlc.get_vega_embed_version()}",
            ),
            (
                "Sources",
                "EIA (prices, flows, supply, taxes, price breakdown), IMF PortWatch (transits), "
                "FRED, Baumeister–Hamilton "
                "oil supply shocks; each dataset's publisher, URL, terms and file hashes are in "
                "the snapshot's manifest.json",
            ),
        ],
    }


BRIEF_STEPS = (
    "estimates",
    "charts",
    "explorer or images",
    "written",
)  # progress steps of write_brief, in order


def write_brief(
    scenarios,
    output,
    *,
    as_of=None,
    seed=None,
    draws=None,
    images: str = "png",
    results=None,
    directory=None,
    progress=None,
    election_date=None,
) -> list[Path]:
    """Estimate ``scenarios`` and write the brief to ``output`` (``.html`` or ``.md``).

    Parameters
    ----------
    scenarios : list of str or Scenario
        Presets or TOML paths (ignored when ``results`` is given).
    output : str or Path
        ``brief.html`` (self-contained) or ``brief.md`` (images written beside it).
    as_of : datetime.date, optional
        Data cut-off; default the first scenario's, else the snapshot's latest date.
    seed, draws : int, optional
        Monte Carlo seed and draws.
    images : {"png", "svg"}
        Markdown only: the image format.
    results : list of dict, optional
        Estimates already run (e.g. in a notebook).
    progress : callable, optional
        Called once per step of :data:`BRIEF_STEPS`.
    election_date : datetime.date, optional
        The election the estimates look at (default: the next after the later of as_of and today).

    Returns
    -------
    list of Path
        Every file written, the brief first.
    """
    output = Path(output)
    ext = output.suffix.lower()
    if ext not in (".html", ".md"):
        raise rd.ReportError(
            f"{output}: a brief is written as .html or .md, not '{ext or '(none)'}'"
        )
    if images not in ("png", "svg"):
        raise rd.ReportError(f"images must be png or svg, not {images!r}")
    check_output_path(output)  # before the estimates: an unwritable path fails at once
    step = progress or (lambda name: None)
    if results is None:
        results = run_estimates(
            list(scenarios),
            as_of=as_of,
            seed=seed,
            draws=draws,
            directory=directory,
            election_date=election_date,
        )
    step("estimates")
    b = build_brief(results, directory=directory)
    step("charts")
    if ext == ".html":
        b["charts"].append(
            explorer_section(results, seed=seed, directory=directory, position=len(b["charts"]))
        )
        step("explorer")
        written = [write_atomic(output, render_html(b))]
        step("written")
        return written
    written = []
    names = {}
    try:
        for cid, _, c in b["charts"]:
            img = output.with_name(f"{output.stem}-{cid}.{images}")
            export.save(c, img)
            names[cid] = img.name
            written.append(img)
        step("images")
        write_atomic(output, render_markdown(b, names))
        step("written")
    except BaseException:
        for img in written:  # all or nothing: no images without their brief
            img.unlink(missing_ok=True)
        raise
    return [output, *written]


def explorer_section(results, *, seed=None, directory=None, position: int = 0) -> tuple:
    """The interactive explorer as the HTML brief's last chart, for the chokepoints the scenarios name."""
    from oilshock.report import explore

    ds = [rd.as_dict(r) for r in results]
    as_of = dt.date.fromisoformat(ds[0]["as_of"])
    named = [w["chokepoint"] for d in ds for w in rd.scenario_windows(d) if w["chokepoint"]]
    # A brief of few draws (a quick look, a scheduled run with --draws) keeps its explorer as quick:
    # at most the estimates' draws per cell.
    estimate_draws = min(d.get("provenance", {}).get("draws") or explore.DRAWS for d in ds)
    grid = explore.explorer_grid(
        as_of=as_of,
        chokepoints=list(dict.fromkeys(named)) or None,
        draws=min(explore.DRAWS, estimate_draws),
        seed=seed,
        directory=directory,
    )
    caption = (
        "Explore: move the sliders to change the share of normal flow stopped (0 open, 1 closed; "
        "below the share stopped now, a reopening), the days at full strength and the chokepoint."
    )
    return chart_id(position, "explore"), caption, explore.explorer_chart(grid)
