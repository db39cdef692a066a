"""Known-truth bench: simulated oil markets whose price response to a loss is known exactly.

Why
---
History holds few large, long losses, and each is one draw of a noisy world: it cannot say on its
own whether a crude-response shape is right. A simulated market can. Each market of
``bench_markets.toml`` is a monthly world of known structure; a history of it (600 months) is run
through the project's own fit (:func:`oilshock.model.crude.fit_crude_response`, the same LP-IV code
an estimate uses), and every candidate response turns the fit into a predicted path for four
scenarios — a loss of 2% or 11% of world supply lasting one month or four. The market's true path
for the same loss is computed from its structure, so the bench measures bias (the median predicted
peak over the true peak) and the 90% band's coverage of the true monthly path, without looking at
any real outcome (``docs/evaluation.md``, the selection rule).

The markets
-----------
*Flow* (no storage). Demand and supply respond to the current and past log price with cumulative
elasticities that move from their impact to their long-run values geometrically,

.. math::  A_h = \\varepsilon_d^{\\infty} + (\\varepsilon_d^{0} - \\varepsilon_d^{\\infty})\\lambda^h,
           \\qquad q^d_t = \\sum_j (A_j - A_{j-1}) p_{t-j} + d_t,

and likewise :math:`B_h` for supply, :math:`q^s_t = \\sum_j (B_j - B_{j-1}) p_{t-j} + s_t`; the price
clears :math:`q^d_t = q^s_t` each month (the multiplier :math:`1/(\\varepsilon_s + |\\varepsilon_d|)`
of literature.md §2, at each horizon). A persistent loss raises the price most on impact.

*Storage* (linearised competitive storage with rational expectations; Wright & Williams 1982,
Deaton & Laroque 1992, in the linear form of Pindyck 2001). Consumption :math:`c_t = -\\eta p_t +
d_t`, production :math:`s_t` (AR(1) with persistence :math:`\\rho`), stocks :math:`I_t = I_{t-1} +
s_t - c_t` held while the expected price rise pays for them, :math:`I_t = \\kappa(E_t p_{t+1} -
p_t)`. The stable solution is :math:`I_t = c I_{t-1} + e\\, s_t - c\\, d_t` with
:math:`c^2 - (\\eta/\\kappa + 2)c + 1 = 0` (the root below one) and :math:`e = c(1-\\rho)/(1-c\\rho)`;
the price follows from the stock identity. A scenario's loss path is announced at its start, so
its true path solves the same equations under perfect foresight (a banded linear system, stocks
back at their steady state far beyond the horizon). Stocks are not bounded below: the bench does
not contain stock-outs, where a real market's response turns convex.

The instrument is the supply shock's innovation plus independent noise (an identified shock series
is an estimate). Production as the fit sees it is the market's output.

References
----------
Wright, B. D. and Williams, J. C. (1982), Economic Journal 92(367), 596–614. Deaton, A. and
Laroque, G. (1992), Review of Economic Studies 59(1), 1–23. Pindyck, R. S. (2001), Energy Journal
22(3), 1–29. Jordà, Ò. (2005), AER 95(1), 161–182.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from oilshock.errors import ConfigError

MARKETS_FILE = Path(__file__).resolve().parent / "bench_markets.toml"
HISTORY_MONTHS = 600
LAG_MONTHS = 60  # the flow market's lag polynomial is cut where λ^h is negligible
DAYS_PER_MONTH = 365.25 / 12
SCENARIOS = (  # (share of world supply lost, months the loss lasts)
    (0.02, 1),
    (0.02, 4),
    (0.11, 1),
    (0.11, 4),
)
AFTER_MONTHS = 8  # months after the loss ends that the path is compared over
CANDIDATES = (
    "forward-1m",
    "forward-3m",
    "forward-6m",
    "superposition",
    "superposition-raw",
    "superposition-irf",
    "mixture",
    "forward-1m+regimes",
)
REGIMES_SEED = 20261206  # the +regimes factors' own stream (docs/evaluation.md, amendment 3d)
# The shapes a mixture may draw on (docs/evaluation.md, amendment 3b): single shapes without the
# running maximum, which has no basis in a market model.
MIXABLE = ("forward-1m", "forward-3m", "forward-6m", "superposition-raw", "superposition-irf")
DEFAULT_SAMPLES = 20
DEFAULT_BOOT = 200
DEFAULT_SEED = 20261206

_FLOW_KEYS = (
    "demand_elasticity_impact",
    "demand_elasticity_long_run",
    "supply_elasticity_impact",
    "supply_elasticity_long_run",
    "adjustment_per_month",
)
_STORAGE_KEYS = ("demand_elasticity_impact", "storage_slope")
_COMMON_KEYS = (
    "supply_shock_persistence",
    "supply_shock_sd",
    "demand_noise_sd",
    "instrument_noise_ratio",
)


def load_markets(path: Path = MARKETS_FILE) -> list[dict]:
    """The bench's markets, each checked: every parameter present, finite, in its range, and sourced.

    Raises
    ------
    ConfigError
        One line naming the file, the market and the key.
    """
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    markets = doc.get("market")
    if not isinstance(markets, list) or not markets:
        raise ConfigError(f"{path}: no [[market]] table")
    for m in markets:
        name = m.get("name", "?")
        kind = m.get("kind")
        if kind not in ("flow", "storage"):
            raise ConfigError(f"{path}: market {name!r}: kind must be 'flow' or 'storage'")
        keys = (*(_FLOW_KEYS if kind == "flow" else _STORAGE_KEYS), *_COMMON_KEYS)
        for k in keys:
            v = m.get(k)
            if not isinstance(v, int | float) or not np.isfinite(v):
                raise ConfigError(f"{path}: market {name!r}: {k} must be a finite number")
        if not -1 < m["supply_shock_persistence"] < 1:
            raise ConfigError(
                f"{path}: market {name!r}: supply_shock_persistence must lie in (-1, 1)"
            )
        if m["demand_elasticity_impact"] >= 0:
            raise ConfigError(f"{path}: market {name!r}: demand_elasticity_impact must be negative")
        sourced = " ".join(s.get("parameter", "") for s in m.get("source", []))
        missing = [k for k in keys if k not in sourced]
        if missing:
            raise ConfigError(f"{path}: market {name!r}: no [[market.source]] row for {missing[0]}")
    return markets


def _flow_coefficients(m: dict) -> tuple[np.ndarray, np.ndarray]:
    """Lag coefficients of demand and supply on the log price, h = 0..LAG_MONTHS."""
    h = np.arange(LAG_MONTHS + 1)
    lam = m["adjustment_per_month"] ** h
    a = (
        m["demand_elasticity_long_run"]
        + (m["demand_elasticity_impact"] - m["demand_elasticity_long_run"]) * lam
    )
    b = (
        m["supply_elasticity_long_run"]
        + (m["supply_elasticity_impact"] - m["supply_elasticity_long_run"]) * lam
    )
    return np.diff(a, prepend=0.0), np.diff(b, prepend=0.0)


def _flow_prices(m: dict, s: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log price and log output of the flow market for supply shocks ``s`` and demand noise ``d``."""
    a, b = _flow_coefficients(m)
    net = b - a  # supply minus demand response to the price, by lag
    p = np.zeros(s.size)
    for t in range(s.size):
        j = np.arange(1, min(t, LAG_MONTHS) + 1)
        p[t] = (d[t] - s[t] - net[j] @ p[t - j]) / net[0]
    q = np.array(
        [
            b[: min(t, LAG_MONTHS) + 1] @ p[t - np.arange(min(t, LAG_MONTHS) + 1)] + s[t]
            for t in range(s.size)
        ]
    )
    return p, q


def _storage_root(m: dict) -> float:
    eta = -m["demand_elasticity_impact"]
    r = eta / m["storage_slope"] + 2.0
    return (r - np.sqrt(r * r - 4.0)) / 2.0


def _storage_history(m: dict, s: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log price and output of the storage market under rational expectations of AR(1) shocks."""
    eta = -m["demand_elasticity_impact"]
    rho = m["supply_shock_persistence"]
    c = _storage_root(m)
    e = c * (1 - rho) / (1 - c * rho)
    stocks = np.zeros(s.size)
    prev = 0.0
    for t in range(s.size):
        stocks[t] = c * prev + e * s[t] - c * d[t]
        prev = stocks[t]
    before = np.r_[0.0, stocks[:-1]]
    return (stocks - before - s + d) / eta, s.copy()


def _storage_foresight(m: dict, s: np.ndarray) -> np.ndarray:
    """Log price path of the storage market when the supply path ``s`` is known from its start."""
    eta = -m["demand_elasticity_impact"]
    n = s.size + 240  # stocks back at their steady state long after the horizon
    sp = np.r_[s, np.zeros(n + 1 - s.size)]
    # I_{t-1} - (2 + η/κ) I_t + I_{t+1} = s_{t+1} - s_t,  I_{-1} = I_n = 0
    mat = np.zeros((n, n))
    idx = np.arange(n)
    mat[idx, idx] = -(2.0 + eta / m["storage_slope"])
    mat[idx[1:], idx[:-1]] = 1.0
    mat[idx[:-1], idx[1:]] = 1.0
    stocks = np.linalg.solve(mat, sp[1 : n + 1] - sp[:n])
    before = np.r_[0.0, stocks[:-1]]
    return ((stocks - before - sp[:n]) / eta)[: s.size]


def simulate_history(m: dict, rng: np.random.Generator, months: int = HISTORY_MONTHS):
    """One history of market ``m``: the frames :func:`fit_crude_response` reads.

    Returns
    -------
    tuple of polars.DataFrame
        Monthly price [USD/bbl], world output [kb/d] and the instrument (shock innovation plus
        noise), dated from January 1950.
    """
    import polars as pl

    burn = 120
    n = months + burn
    innov = rng.standard_normal(n) * m["supply_shock_sd"]
    s = np.zeros(n)
    for t in range(n):
        s[t] = (m["supply_shock_persistence"] * s[t - 1] if t else 0.0) + innov[t]
    d = rng.standard_normal(n) * m["demand_noise_sd"]
    if m["kind"] == "flow":
        p, q = _flow_prices(m, s, d)
    else:
        p, q = _storage_history(m, s, d)
    z = innov + rng.standard_normal(n) * m["supply_shock_sd"] * m["instrument_noise_ratio"]
    p, q, z = p[burn:], q[burn:], z[burn:]
    dates = [dt.date(1950 + k // 12, k % 12 + 1, 1) for k in range(months)]
    return (
        pl.DataFrame({"date": dates, "price_usd_per_bbl": 50.0 * np.exp(p)}),
        pl.DataFrame({"date": dates, "value_kbd": 80_000.0 * np.exp(q)}),
        pl.DataFrame({"date": dates, "value": z}),
    )


def monthly_loss(share: float, months: int, n_months: int) -> np.ndarray:
    """Log supply of each month [log points] for a loss of ``share`` lasting ``months``: the mean of
    log(1 − x) over the month's days."""
    day = np.arange(int(np.ceil(n_months * DAYS_PER_MONTH)))
    x = np.where(day < months * DAYS_PER_MONTH, share, 0.0)
    month = np.minimum((day / DAYS_PER_MONTH).astype(int), n_months - 1)
    return np.bincount(month, weights=np.log1p(-x), minlength=n_months) / np.bincount(
        month, minlength=n_months
    )


def true_path(m: dict, share: float, months: int, n_months: int) -> np.ndarray:
    """The market's log price change by month [log points] for the scenario, from its steady state."""
    s = monthly_loss(share, months, n_months)
    if m["kind"] == "flow":
        return _flow_prices(m, s, np.zeros(n_months))[0]
    return _storage_foresight(m, s)


def predicted_paths(
    fit: dict,
    candidate: str,
    share: float | np.ndarray,
    months: float | np.ndarray,
    n_months: int,
    pick: np.ndarray | None = None,
) -> np.ndarray:
    """Each draw's predicted log price change by month (n, n_months) [log points].

    The candidate runs on weekly rows, as in an estimate (the week covering days 7k..7k+6 carries the
    share of its days under the loss); the weeks are then averaged within each month.

    Parameters
    ----------
    fit : dict
        A :func:`~oilshock.model.crude.fit_crude_response` result.
    candidate : str
        One of :data:`CANDIDATES`.
    share, months : float or ndarray (n,)
        Share of world supply lost [fraction] and how long the loss lasts [months], the same for every
        draw or one per draw.
    n_months : int
        Months of the path, from the loss's start.
    pick : ndarray (n,), optional
        Bootstrap replicate of each draw (default: every replicate once, n = n_boot).
    """
    from oilshock.model import crude_paths

    draws = np.asarray(fit["draws"], dtype=float)
    pick = np.arange(draws.shape[0]) if pick is None else np.asarray(pick)
    n_weeks = int(np.ceil(n_months * DAYS_PER_MONTH / 7))
    start = 7.0 * np.arange(n_weeks)
    end_day = np.broadcast_to(np.asarray(months, dtype=float) * DAYS_PER_MONTH, pick.shape)
    covered = np.clip((end_day[None, :] - start[:, None]) / 7.0, 0.0, 1.0)
    loss = np.broadcast_to(np.asarray(share, dtype=float), pick.shape)[None, :] * covered
    if candidate not in CANDIDATES:
        raise ValueError(f"unknown bench candidate {candidate!r}; known: {', '.join(CANDIDATES)}")
    spec = crude_paths.parse_model(candidate)
    factor = None
    if spec.regimes:  # each draw's factor from the fit's own spread between periods
        from oilshock.model.crude_regimes import regime_factors

        factor = regime_factors(
            float(fit.get("impact_between_period_sd") or 0.0),
            float(fit["multiplier"][0]),
            pick.size,
            np.random.default_rng(REGIMES_SEED),
        )
    out = crude_paths.variant_log_price_change(spec.crude, fit, pick, loss, start, factor=factor)
    month = np.minimum(((start + 3.5) / DAYS_PER_MONTH).astype(int), n_months - 1)
    sums = np.zeros((n_months, pick.size))
    np.add.at(sums, month, out)
    return (sums / np.bincount(month, minlength=n_months)[:, None]).T


@dataclass
class BenchResult:
    """The bench's rows: one per market × scenario × candidate.

    ``rows`` hold ``market``, ``share``, ``months``, ``candidate``, ``true_peak_pct``,
    ``peak_ratio`` (the median over histories of the median predicted peak over the true peak),
    ``peak_ratio_p05`` / ``peak_ratio_p95`` (its spread over histories), ``coverage90`` (share of
    true monthly points inside the 90% band, pooled over histories) and ``histories``.
    """

    rows: list[dict]
    samples: int
    n_boot: int
    seed: int

    def summary(self) -> list[dict]:
        """Per candidate: the bench score (mean |log peak ratio| over cells), the worst cell's
        ratio, the range of cell coverage, and whether every cell's ratio lies in 0.5–2.0."""
        out = []
        for cand in CANDIDATES:
            rs = [r for r in self.rows if r["candidate"] == cand]
            logs = [abs(np.log(r["peak_ratio"])) for r in rs]
            worst = rs[int(np.argmax(logs))]
            out.append(
                {
                    "candidate": cand,
                    "mean_abs_log_peak_ratio": round(float(np.mean(logs)), 3),
                    "worst_peak_ratio": worst["peak_ratio"],
                    "worst_cell": f"{worst['market']} {worst['share']:.0%} {worst['months']} mo",
                    "coverage90_mean": round(float(np.mean([r["coverage90"] for r in rs])), 3),
                    "coverage90_min": min(r["coverage90"] for r in rs),
                    "coverage90_max": max(r["coverage90"] for r in rs),
                    "admissible": all(0.5 <= r["peak_ratio"] <= 2.0 for r in rs),
                }
            )
        return out


def mixture_components(rows: list[dict]) -> tuple[str, ...]:
    """The shapes the mixture draws on: per market, the candidate of :data:`MIXABLE` with the
    smallest mean |log peak ratio| over that market's scenarios (docs/evaluation.md, amendment 3b).

    Returned in the order of the markets, each shape once.
    """
    out: list[str] = []
    for market in dict.fromkeys(r["market"] for r in rows):
        logs: dict[str, list[float]] = {}
        for r in rows:
            if r["market"] == market and r["candidate"] in MIXABLE:
                logs.setdefault(r["candidate"], []).append(abs(np.log(r["peak_ratio"])))
        best = min(logs, key=lambda c: (np.mean(logs[c]), MIXABLE.index(c)))
        if best not in out:
            out.append(best)
    return tuple(out)


def run_bench(
    *,
    samples: int = DEFAULT_SAMPLES,
    n_boot: int = DEFAULT_BOOT,
    seed: int = DEFAULT_SEED,
    markets: list[dict] | None = None,
    progress=None,
) -> BenchResult:
    """Simulate ``samples`` histories of each market, fit each, and score every candidate.

    Parameters
    ----------
    samples : int
        Histories per market.
    n_boot : int
        Bootstrap replicates of each fit.
    seed : int
        Seed of the histories (each market and history its own spawned stream).
    progress : callable, optional
        Called with the market's name after each of its histories.
    """
    from oilshock.forecast.params import quiet_fits
    from oilshock.model.crude import fit_crude_response

    markets = markets if markets is not None else load_markets()
    n_months = max(mo for _, mo in SCENARIOS) + AFTER_MONTHS + 1
    streams = np.random.SeedSequence(seed).spawn(len(markets))
    rows = []
    for m, stream in zip(markets, streams):
        truth = {(sh, mo): true_path(m, sh, mo, n_months) for sh, mo in SCENARIOS}
        ratios = {(sh, mo, c): [] for sh, mo in SCENARIOS for c in CANDIDATES}
        inside = {(sh, mo, c): [0, 0] for sh, mo in SCENARIOS for c in CANDIDATES}
        for child in stream.spawn(samples):
            rng = np.random.default_rng(child)
            price, prod, shock = simulate_history(m, rng)
            with quiet_fits():
                fit = fit_crude_response(
                    price, prod, shock, n_boot=n_boot, seed=int(child.entropy % 2**32)
                )
            for sh, mo in SCENARIOS:
                true = truth[(sh, mo)][: mo + AFTER_MONTHS]
                true_peak = np.expm1(true.max())
                for c in CANDIDATES:
                    pred = predicted_paths(fit, c, sh, mo, n_months)[:, : mo + AFTER_MONTHS]
                    ratios[(sh, mo, c)].append(np.median(np.expm1(pred.max(axis=1))) / true_peak)
                    lo, hi = np.percentile(pred, [5, 95], axis=0)
                    inside[(sh, mo, c)][0] += int(((true >= lo) & (true <= hi)).sum())
                    inside[(sh, mo, c)][1] += true.size
            if progress is not None:
                progress(m["name"])
        for sh, mo in SCENARIOS:
            for c in CANDIDATES:
                r = np.asarray(ratios[(sh, mo, c)])
                k, n = inside[(sh, mo, c)]
                rows.append(
                    {
                        "market": m["name"],
                        "share": sh,
                        "months": mo,
                        "candidate": c,
                        "true_peak_pct": round(float(100 * np.expm1(truth[(sh, mo)].max())), 2),
                        "peak_ratio": round(float(np.median(r)), 3),
                        "peak_ratio_p05": round(float(np.percentile(r, 5)), 3),
                        "peak_ratio_p95": round(float(np.percentile(r, 95)), 3),
                        "coverage90": round(k / n, 3),
                        "histories": int(r.size),
                    }
                )
    return BenchResult(rows=rows, samples=samples, n_boot=n_boot, seed=seed)


def bench_markdown(result: BenchResult) -> str:
    """The bench as Markdown: the summary per candidate, then every cell."""
    lines = [
        f"{result.samples} simulated histories of 600 months per market, {result.n_boot} bootstrap "
        f"replicates per fit, seed {result.seed}.",
        "",
        "| candidate | mean abs log peak ratio | worst cell (ratio) | 90% coverage: mean (cells) "
        "| admissible (every cell 0.5–2.0) |",
        "|---|---|---|---|---|",
    ]
    for s in result.summary():
        lines.append(
            f"| {s['candidate']} | {s['mean_abs_log_peak_ratio']:.3f} | {s['worst_cell']} "
            f"({s['worst_peak_ratio']:.2f}) | {s['coverage90_mean']:.0%} "
            f"({s['coverage90_min']:.0%}–{s['coverage90_max']:.0%}) | "
            f"{'yes' if s['admissible'] else 'no'} |"
        )
    lines += [
        "",
        "Closest to the truth per market, among the shapes without the running maximum (the "
        "mixture's components): " + ", ".join(mixture_components(result.rows)) + ".",
    ]
    lines += [
        "",
        "| market | loss | months | true peak | candidate "
        "| median peak ratio (5–95% over histories) | 90% coverage |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result.rows:
        lines.append(
            f"| {r['market']} | {r['share']:.0%} | {r['months']} | +{r['true_peak_pct']:.1f}% | "
            f"{r['candidate']} | {r['peak_ratio']:.2f} ({r['peak_ratio_p05']:.2f}–{r['peak_ratio_p95']:.2f}) "
            f"| {r['coverage90']:.0%} |"
        )
    return "\n".join(lines)


def bench_text(result: BenchResult) -> str:
    """The bench for a terminal: the summary per candidate, then each market's cells, within 100
    columns (:mod:`oilshock.text`)."""
    from oilshock.text import fit

    lines = [
        f"Known-truth bench: {result.samples} simulated histories of 600 months per market, "
        f"{result.n_boot} bootstrap replicates per fit, seed {result.seed}.",
        "",
        f"{'response':20}{'mean |log ratio|':>18}{'worst peak ratio':>18}{'90% coverage':>16}"
        f"{'admissible':>12}",
    ]
    for s in result.summary():
        cover = f"{s['coverage90_min']:.0%}–{s['coverage90_max']:.0%}"
        lines.append(
            f"{s['candidate']:20}{s['mean_abs_log_peak_ratio']:>18.3f}{s['worst_peak_ratio']:>18.2f}"
            f"{cover:>16}{'yes' if s['admissible'] else 'no':>12}"
        )
    lines += ["", "Median peak ratio (predicted over true) by market and scenario:"]
    cands = list(CANDIDATES)
    short = {
        "forward-1m": "fwd-1m",
        "forward-3m": "fwd-3m",
        "forward-6m": "fwd-6m",
        "superposition": "sup.",
        "superposition-raw": "sup.raw",
        "superposition-irf": "sup.irf",
        "forward-1m+regimes": "f1m+reg",
    }
    lines.append(f"{'market, loss, months':26}" + "".join(f"{short.get(c, c):>9}" for c in cands))
    cells: dict = {}
    for r in result.rows:
        cells.setdefault((r["market"], r["share"], r["months"]), {})[r["candidate"]] = r
    for (market, share, months), by in cells.items():
        label = f"{market}, {share:.0%}, {months}"
        lines.append(f"{label:26}" + "".join(f"{by[c]['peak_ratio']:>9.2f}" for c in cands))
    lines += [
        "",
        "fwd-Hm: forward-Hm; sup.: superposition (running maximum); sup.raw: without it; sup.irf: "
        "superposition of the impulse response per 1% of impact loss; f1m+reg: forward-1m with the "
        "multiplier's spread between periods; mixture: equal-weight draws of "
        + ", ".join(mixture_components(result.rows))
        + " (the shapes closest to the truth per market). Admissible: within 0.5–2.0 of the true "
        "peak in every cell (the selection rule in docs/evaluation.md).",
    ]
    return fit(lines) + "\n"
