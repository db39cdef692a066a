"""``oilshock chart`` and ``oilshock brief`` through CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from oilshock.cli import main


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_chart_path_png_and_compare_json(params_2026, tmp_path):
    out = tmp_path / "path.png"
    res = invoke(
        "chart",
        "path",
        "-s",
        "hormuz-partial",
        "--as-of",
        "2026-02-27",
        "--draws",
        "300",
        "-o",
        str(out),
    )
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = tmp_path / "compare.json"
    res = invoke(
        "chart",
        "compare",
        "-s",
        "hormuz-partial",
        "-s",
        "red-sea",
        "--as-of",
        "2026-02-27",
        "--draws",
        "300",
        "-o",
        str(out),
    )
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["title"]["text"].startswith("hormuz-partial hits hardest")


def test_chart_transits_by_chokepoint(tmp_path):
    out = tmp_path / "t.svg"
    res = invoke("chart", "transits", "-c", "hormuz", "-c", "bab_el_mandeb", "-o", str(out))
    assert res.exit_code == 0, res.output
    assert out.read_text().lstrip().startswith("<svg")


def test_chart_usage_errors_exit_2(tmp_path):
    res = invoke("chart", "pie", "-s", "hormuz-partial", "-o", str(tmp_path / "x.png"))
    assert res.exit_code == 2 and "pie" in res.output
    res = invoke("chart", "path", "-s", "hormuz-partial", "-o", str(tmp_path / "x.gif"))
    assert (
        res.exit_code == 2
        and "unknown output format '.gif'" in res.output
        and not (tmp_path / "x.gif").exists()
    )
    res = invoke(
        "chart", "path", "-s", "hormuz-partial", "-s", "red-sea", "-o", str(tmp_path / "x.png")
    )
    assert res.exit_code == 2 and "exactly one --scenario" in res.output
    res = invoke("chart", "transits", "-c", "atlantis", "-o", str(tmp_path / "x.png"))
    assert res.exit_code == 2 and "atlantis" in res.output
    res = invoke("brief", "-s", "red-sea", "-o", str(tmp_path / "brief.pdf"))
    assert res.exit_code == 2 and ".html or .md" in res.output


def test_brief_markdown(params_2026, tmp_path):
    out = tmp_path / "brief.md"
    res = invoke(
        "brief", "-s", "red-sea", "--as-of", "2026-02-27", "--draws", "300", "-o", str(out)
    )
    assert res.exit_code == 0, res.output
    assert (
        "# Oil disruption briefing: Red Sea closed to tankers" in out.read_text()
    )  # the title, not the id
    assert list(tmp_path.glob("brief-chart-*.png"))
