"""Every chart kind is memo-ready as rendered: no axis prints a tick label twice, a one-line
subtitle (warnings, state and provenance in a footnote at the bottom), true minus signs, and
a diverging palette centred on zero for signed heat maps."""

from __future__ import annotations

import re

from oilshock.report import data as rd


def axis_labels(svg: str) -> list[list[str]]:
    """The tick labels of every axis in a rendered SVG, one list per axis."""
    import html

    return [
        [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", block)]
        for block in re.findall(r'class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg, re.S)
    ]


def svg_of(chart) -> str:
    from oilshock.report.export import to_svg

    return to_svg(chart)


def test_no_axis_repeats_a_tick_label_and_negatives_carry_a_true_minus(every_kind):
    for kind, chart in every_kind.items():
        axes = axis_labels(svg_of(chart))
        assert axes, kind
        for labels in axes:
            assert len(labels) == len(set(labels)), (kind, labels)
            assert not any(re.match(r"^[-$+]*-\$?\d", x) for x in labels), (kind, labels)


def test_the_theme_prints_negative_numbers_with_a_true_minus(every_kind):
    for kind, chart in every_kind.items():
        assert chart.to_dict()["config"]["locale"]["number"]["minus"] == "\u2212", kind


def test_the_sensitivity_heat_map_diverges_from_zero(every_kind):
    spec = every_kind["sensitivity"].to_dict()["vconcat"][0]
    (heat,) = [u for u in spec["layer"] if u["mark"] == "rect" or u["mark"].get("type") == "rect"][
        :1
    ]
    scale = heat["encoding"]["color"]["scale"]
    assert scale["domainMid"] == 0 and scale["scheme"] in ("blueorange", "redblue")
    # The legend beside the grid, not under the footnote.
    assert heat["encoding"]["color"]["legend"]["orient"] == "right"


def test_one_line_subtitle_and_a_footnote_with_warnings_state_and_source(every_kind, results_2026):
    from oilshock.report import style

    for kind, chart in every_kind.items():
        spec = chart.to_dict()
        sub = spec["title"]["subtitle"]
        assert isinstance(sub, str) or len(sub) == 1, (kind, sub)
        # Within the chart's width: what does not fit moved to the footnote.
        assert all(len(x) <= style.SUBTITLE_CHARS for x in [sub] if isinstance(x, str)) and all(
            len(x) <= style.SUBTITLE_CHARS for x in ([] if isinstance(sub, str) else sub)
        ), (kind, sub)
        # Each legend stays with its chart, above the footnote.
        assert spec["resolve"]["legend"]["color"] == "independent", kind
        foot = style.footnote_lines(spec)
        assert foot[-1].startswith("Source:") and "data as of" in foot[-1], kind
        # The footnote is drawn: its lines are in the rendered image (here the SVG).
        assert foot[-1].replace("&", "&amp;")[:40] in svg_of(chart), kind
    # The estimate's state line goes under the chart, not into the subtitle.
    hp = results_2026["hormuz-partial"]
    state = rd.context_lines(hp)
    if state:
        joined = " ".join(style.footnote_lines(every_kind["path"].to_dict()))
        assert state[0].split()[0] in joined


def test_a_subtitle_too_wide_for_the_chart_moves_whole_sentences_to_the_footnote():
    from oilshock.report import style

    first = "Strait of Hormuz: half of the oil flow stopped for two months (hormuz-partial)."
    second = "Change at the peak against the no-disruption path (p05–p95): +$0.12 to +$0.37."
    head, rest = style.fit_subtitle(f"{first} {second}")
    assert head == [first] and rest == second
    assert style.fit_subtitle("Short. Also short.") == (["Short. Also short."], "")
    # One sentence longer than the width (a long scenario title) is wrapped, never cut.
    long = "A scenario title " * 12
    head, rest = style.fit_subtitle(long)
    assert rest == "" and " ".join(head) == long.strip() and len(head) == 3
    assert all(len(x) <= style.SUBTITLE_CHARS for x in head)


def test_heat_map_cells_read_as_the_text_prints_them(every_kind):
    from oilshock.report import style

    spec = every_kind["sensitivity"].to_dict()["vconcat"][0]
    cells = [
        r
        for u in spec["layer"]
        for r in (u.get("data") or spec.get("data") or {}).get("values", [])
    ]
    cells = cells or spec["data"]["values"]
    assert cells and all(r["label"] == style.signed_usd(r["p50"]) for r in cells)
    assert "+$0.00" not in svg_of(every_kind["sensitivity"])
