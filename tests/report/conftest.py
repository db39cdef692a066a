"""Estimates shared by the report tests: two scenarios at one seed, few draws (fast)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest

AS_OF = dt.date(2026, 2, 27)
DRAWS = 400
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Never skipped silently: CI installs chromium (.ci/run); elsewhere install the Debian
# package `chromium` or opt out explicitly with OILSHOCK_SKIP_BROWSER=1.
needs_browser = pytest.mark.skipif(
    os.environ.get("OILSHOCK_SKIP_BROWSER") == "1", reason="OILSHOCK_SKIP_BROWSER=1"
)


def dump_dom(page, profile) -> subprocess.CompletedProcess:
    """Open ``page`` in headless Chromium with no network and return the rendered DOM (stdout) and log (stderr)."""
    assert CHROMIUM, (
        "chromium not found: install the Debian package 'chromium' (or set OILSHOCK_SKIP_BROWSER=1)"
    )
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        # No network: every request goes to a closed port (loopback too).
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=20000",
        "--dump-dom",
        page.as_uri(),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr[-2000:]
    return res


def console_lines(res: subprocess.CompletedProcess) -> list[str]:
    """The page's console messages (errors and warnings) from Chromium's log."""
    return [line for line in res.stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="session")
def results_2026(params_2026):
    from oilshock.report.make import run_estimates

    hp, rs = run_estimates(["hormuz-partial", "red-sea"], as_of=AS_OF, draws=DRAWS)
    return {"hormuz-partial": hp, "red-sea": rs}


@pytest.fixture(scope="session")
def every_kind(results_2026, params_2026):
    """One chart of every kind (:data:`oilshock.report.kinds.KINDS`), and the regions chart by PADD."""
    from oilshock.report import charts, versus
    from oilshock.report import data as rd
    from oilshock.report.kinds import KINDS
    from oilshock.report.make import make_chart

    hp, rs = results_2026["hormuz-partial"], results_2026["red-sea"]
    rows = rd.sensitivity_grid(
        "hormuz-partial",
        as_of=AS_OF,
        params=params_2026,
        shares=(0.25, 1.0),
        durations=(30, 120),
        draws=200,
    )
    built = {
        "path": charts.path(hp),
        "compare": charts.compare([hp, rs]),
        "gallon": charts.gallon(hp),
        "transits": make_chart(
            "transits", [], as_of=AS_OF, chokepoints=["hormuz", "bab_el_mandeb"]
        ),
        "sensitivity": charts.sensitivity(
            rows,
            scenario_name="hormuz-partial",
            chokepoint="hormuz",
            as_of=str(AS_OF),
            snapshot="x" * 64,
            draws=200,
        ),
        "regions": charts.regions(hp),
        "backtest": versus.versus_actual(hp),
    }
    assert set(built) == set(KINDS)
    built["regions-padds"] = charts.regions(regions_dict(hp))
    return built


def regions_dict(base: dict) -> dict:
    """A result with a hand-built ``regions`` list in the shape the household layer adds."""
    d = dict(base)
    d["regions"] = [
        {
            "area": "padd_1",
            "name": "East Coast",
            "baseline_usd_per_gal": 3.01,
            "price_change_usd_per_gal": {"p05": 0.2, "p50": 0.45, "p95": 0.8},
            "household_usd_total": {"p05": 50.0, "p50": 110.0, "p95": 200.0},
        },
        {
            "area": "padd_3",
            "name": "Gulf Coast",
            "baseline_usd_per_gal": 2.61,
            "price_change_usd_per_gal": {"p05": 0.18, "p50": 0.41, "p95": 0.75},
            "household_usd_total": {"p05": 45.0, "p50": 98.0, "p95": 180.0},
        },
        {
            "area": "padd_5",
            "name": "West Coast",
            "baseline_usd_per_gal": 4.2,
            "price_change_usd_per_gal": {"p05": 0.3, "p50": 0.56, "p95": 0.95},
            "household_usd_total": {"p05": 60.0, "p50": 131.0, "p95": 240.0},
        },
    ]
    return d


def spec_values(spec, key):
    """Every inline data row of a Vega-Lite spec that has ``key``."""
    out = []

    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("values"), list):
                out.extend(r for r in x["values"] if isinstance(r, dict) and key in r)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(spec)
    return out


def body(spec: dict) -> dict:
    """A finished chart's own view (the footnote under it left out), with the chart's title."""
    from oilshock.report import style

    assert style.footnote_lines(spec)[-1].startswith("Source:")
    inner = spec["vconcat"][0]
    return {**{k: v for k, v in spec.items() if k != "vconcat"}, **inner, "title": spec["title"]}


def footnote(spec: dict) -> list[str]:
    """The footnote's lines under a finished chart, the source line last."""
    from oilshock.report import style

    return style.footnote_lines(spec)
