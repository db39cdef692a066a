"""oilshock benchmarks: ``python benchmarks/run.py [--quick] [--json FILE]``.

Measures the targets of the performance issue on this machine, as ratios or
medians within one run (never as timed tests):

1. warm ``oilshock estimate --scenario hormuz-partial --format json``, whole
   process, against ``python -c "import polars, numpy"`` (median of interleaved
   runs, target ratio ≤ 1.5), and its peak memory (target ≤ 250 MB);
2. the Monte Carlo: 10,000 draws × 52 weeks for one scenario (target ≤ 50 ms),
   and a 21 × 13 share × duration grid with 2,000 draws per cell (≤ 2 s);
3. cold cache (first estimate after a refresh, fitting everything, ≤ 15 s),
   ``oilshock backtest`` (≤ 60 s) and ``oilshock recompute`` with charts and
   the briefing (≤ 60 s);
4. the whole evaluation, ``oilshock evaluate`` (every event and calm origin,
   each with its own fits), cold and then warm in the same cache, and the
   known-truth bench (``oilshock.evaluate.bench.run_bench``), the cold run and
   the bench together ≤ 120 s (``--evaluate-only`` measures just these);
5. ``--suite``: the README's test command, ``python -m pytest -q -n auto``, wall
   time of the whole suite (≤ 180 s on the 2-core machine), and of the quick
   inner loop ``-m "not slow"``;
6. ``--reports``: a warm ``oilshock brief`` of two scenarios (charts, explorer, every library
   inlined) and a warm ``oilshock explore`` at the newest data, whole processes, median of 3
   after one run that warms the cache (each ≤ 10 s).

Each child process gets a fresh cache directory where the measurement calls
for one, so nothing measured depends on the machine's earlier state.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2026-02-27"
TARGETS = {
    "estimate_warm_ratio": 1.5,
    "estimate_peak_mb": 250,
    "montecarlo_10k_x52_ms": 50,
    "sensitivity_21x13x2000_s": 2.0,
    "cold_estimate_s": 15,
    "backtest_s": 60,
    "recompute_s": 60,
    "evaluate_cold_s": 120,
    "evaluate_warm_s": 120,
    "bench_s": 120,
    "evaluate_cold_with_bench_s": 120,
}
SUITE_TARGETS = {"suite_s": 180, "suite_not_slow_s": 180}
REPORT_TARGETS = {"brief_warm_s": 10, "explore_warm_s": 10}


# Commands run from a neutral folder, as a user runs them: from the repository root ``python -m
# oilshock`` would import the source tree instead of the installed package (and, where
# PYTHONDONTWRITEBYTECODE is set, compile it anew on every run).
NEUTRAL_CWD = tempfile.gettempdir()


def _run(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall time [s] and peak RSS of the child [MB] of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(
        cmd,
        env=env,
        cwd=NEUTRAL_CWD,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(after, before) / 1024


def _peak_rss_mb(cmd: list[str], env: dict) -> float:
    """Peak RSS of one command, measured in a fresh interpreter so earlier children do not mask it."""
    code = (
        "import resource, subprocess, sys\n"
        f"subprocess.run({cmd!r}, check=True, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=NEUTRAL_CWD,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip()) / 1024


def bench_cli(env: dict, runs: int) -> dict:
    oilshock = [sys.executable, "-m", "oilshock"]
    estimate = oilshock + ["estimate", "--scenario", "hormuz-partial", "--format", "json"]
    baseline = [sys.executable, "-c", "import polars, numpy"]
    _run(estimate, env)  # warm the parameter cache
    est, base = [], []
    for _ in range(runs):  # interleaved, so drift in machine load hits both alike
        est.append(_run(estimate, env)[0])
        base.append(_run(baseline, env)[0])
    m_est, m_base = statistics.median(est), statistics.median(base)
    return {
        "estimate_warm_s": m_est,
        "import_polars_numpy_s": m_base,
        "estimate_warm_ratio": m_est / m_base,
        "estimate_peak_mb": _peak_rss_mb(estimate, env),
        "runs": runs,
    }


def bench_montecarlo(repeats: int) -> dict:
    """The Monte Carlo and the grid, timed in this process (run in a child by :func:`montecarlo_in_child`)."""
    import datetime as dt

    import numpy as np

    from oilshock.forecast.params import get_params
    from oilshock.forecast.simulate import run_draws
    from oilshock.forecast.sweep import sweep
    from oilshock.scenario.spec import load_scenario, parse_scenario

    as_of = dt.date.fromisoformat(AS_OF)
    p = get_params(as_of)
    sc = parse_scenario(
        'horizon_weeks = 52\n[[disruptions]]\nchokepoint = "hormuz"\nshare = 0.5\nduration_days = '
        "60\nrecovery_days = 30\n"
    )
    run_draws(sc, p, as_of, 10_000, 1)
    mc, faults = [], []
    for _ in range(repeats):
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t = time.perf_counter()
        run_draws(sc, p, as_of, 10_000, 1)
        mc.append(time.perf_counter() - t)
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
    shares, durations = np.linspace(0, 1, 21), np.linspace(10, 190, 13)
    base = load_scenario("hormuz-partial")
    grid = []
    for _ in range(max(1, repeats // 3)):
        t = time.perf_counter()
        sweep(base, shares, durations, as_of=as_of, params=p, draws=2000)
        grid.append(time.perf_counter() - t)
    return {
        "montecarlo_10k_x52_ms": 1000 * statistics.median(mc),
        "montecarlo_page_faults": statistics.median(faults),
        "sensitivity_21x13x2000_s": statistics.median(grid),
    }


def montecarlo_in_child(env: dict, repeats: int) -> dict:
    """:func:`bench_montecarlo` in a fresh interpreter (so the allocator setting under test is the only one)."""
    out = subprocess.run(
        [sys.executable, __file__, "--montecarlo-child", str(repeats)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.splitlines()[-1])


def bench_cold(env: dict) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as cache:
        e = dict(env, OILSHOCK_CACHE_DIR=cache)
        out["cold_estimate_s"] = _run(
            [
                sys.executable,
                "-m",
                "oilshock",
                "estimate",
                "--scenario",
                "hormuz-partial",
                "--format",
                "json",
            ],
            e,
        )[0]
    with tempfile.TemporaryDirectory() as cache:
        e = dict(env, OILSHOCK_CACHE_DIR=cache)
        out["backtest_s"] = _run([sys.executable, "-m", "oilshock", "backtest"], e)[0]
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as results:
        e = dict(env, OILSHOCK_CACHE_DIR=cache)
        out["recompute_s"] = _run(
            [sys.executable, "-m", "oilshock", "recompute", "--out", results], e
        )[0]
    return out


def bench_evaluate(env: dict) -> dict:
    """``oilshock evaluate`` (all events, calm origins) with an empty cache, then again with the fits cached."""
    with tempfile.TemporaryDirectory() as cache:
        e = dict(env, OILSHOCK_CACHE_DIR=cache)
        cmd = [sys.executable, "-m", "oilshock", "evaluate", "--format", "json"]
        cold = _run(cmd, e)[0]
        warm = _run(cmd, e)[0]
        bench = [sys.executable, "-c", "from oilshock.evaluate.bench import run_bench; run_bench()"]
        bench_s = _run(bench, e)[0]
    return {
        "evaluate_cold_s": cold,
        "evaluate_warm_s": warm,
        "bench_s": bench_s,
        "evaluate_cold_with_bench_s": cold + bench_s,
    }


def bench_suite() -> dict:
    """Wall time of the README's test command, then of its quick form (``-m "not slow"``)."""
    root = Path(__file__).resolve().parents[1]
    out = {}
    for key, extra in (("suite_s", []), ("suite_not_slow_s", ["-m", "not slow"])):
        cmd = [sys.executable, "-m", "pytest", "-q", "-n", "auto", "-p", "no:cacheprovider", *extra]
        t = time.perf_counter()
        subprocess.run(cmd, cwd=root, check=True, stdout=subprocess.DEVNULL)
        out[key] = time.perf_counter() - t
    return out


def bench_reports(env: dict, runs: int = 3) -> dict:
    """Warm ``oilshock brief`` (two scenarios) and ``oilshock explore``, median wall time [s]."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        oilshock = [sys.executable, "-m", "oilshock"]
        cmds = {
            "brief_warm_s": oilshock
            + ["brief", "-s", "hormuz-partial", "-s", "red-sea", "-o", f"{tmp}/brief.html"],
            "explore_warm_s": oilshock + ["explore", "-o", f"{tmp}/explorer.html"],
        }
        for key, cmd in cmds.items():
            _run(cmd, env)  # warm the parameter cache
            out[key] = statistics.median(_run(cmd, env)[0] for _ in range(runs))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--json", type=Path, help="also write the figures to FILE")
    ap.add_argument("--evaluate-only", action="store_true", help="time only oilshock evaluate")
    ap.add_argument(
        "--suite", action="store_true", help="time only the test suite (README's command)"
    )
    ap.add_argument("--reports", action="store_true", help="time only the warm brief and explorer")
    ap.add_argument("--montecarlo-child", type=int, metavar="REPEATS", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.reports:
        res = bench_reports(dict(os.environ))
        for k, v in res.items():
            target = REPORT_TARGETS[k]
            print(f"{k:30}{v:>12.3f}{target:>10}  {'yes' if v <= target else 'NO'}")
        if args.json:
            args.json.write_text(json.dumps(res, indent=2) + "\n")
        return
    if args.evaluate_only:
        res = bench_evaluate(dict(os.environ))
        for k, v in res.items():
            print(f"{k:30}{v:>12.3f}{TARGETS[k]:>10}  {'yes' if v <= TARGETS[k] else 'NO'}")
        if args.json:
            args.json.write_text(json.dumps(res, indent=2) + "\n")
        return
    if args.suite:
        res = bench_suite()
        for k, v in res.items():
            print(
                f"{k:30}{v:>12.3f}{SUITE_TARGETS[k]:>10}  {'yes' if v <= SUITE_TARGETS[k] else 'NO'}"
            )
        if args.json:
            args.json.write_text(json.dumps(res, indent=2) + "\n")
        return
    if args.montecarlo_child:
        print(json.dumps(bench_montecarlo(args.montecarlo_child)))
        return
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, OILSHOCK_CACHE_DIR=cache)
        os.environ["OILSHOCK_CACHE_DIR"] = cache
        res = {}
        res |= bench_cli(env, runs=5 if args.quick else 9)
        repeats = 5 if args.quick else 9
        res |= montecarlo_in_child(env, repeats)
        # The same with freed memory handed back to the kernel after each run (glibc's default).
        returned = montecarlo_in_child(dict(env, OILSHOCK_RETAIN_HEAP="0"), repeats)
        res["montecarlo_10k_x52_ms_heap_returned"] = returned["montecarlo_10k_x52_ms"]
        res["montecarlo_page_faults_heap_returned"] = returned["montecarlo_page_faults"]
        res |= bench_cold(env)
        res |= bench_evaluate(env)
    print(f"{'measure':30}{'value':>12}{'target':>10}  met")
    for k, target in TARGETS.items():
        v = res[k]
        print(f"{k:30}{v:>12.3f}{target:>10}  {'yes' if v <= target else 'NO'}")
    print(
        f"(estimate {res['estimate_warm_s']:.3f} s vs import polars, numpy "
        f"{res['import_polars_numpy_s']:.3f} s; median of {res['runs']})"
    )
    print(
        f"(Monte Carlo {res['montecarlo_page_faults']:.0f} page faults a run; with OILSHOCK_RETAIN_HEAP=0 "
        f"{res['montecarlo_10k_x52_ms_heap_returned']:.1f} ms and "
        f"{res['montecarlo_page_faults_heap_returned']:.0f} faults)"
    )
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
