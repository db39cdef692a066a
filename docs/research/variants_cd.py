"""Issue #12 (c) and (d): what the news premium and the margin link would add to the default central path.

For every catalog event before 2026 (events whose ``as_of`` year is 2026 are
excluded: the held-out test is not looked at), from its ``as_of`` with every
fit on data dated on or before it:

* the default model's central path: the median over draws of the Brent effect
  (``superposition``), and the pump model at its point coefficients driven by
  that central Brent, plus the normal seasonal drift (``+seasonal``);
* (c) that path with the news premium (:mod:`oilshock.model.expectations`, a
  one-standard-deviation news shock, converting as the scenario's median loss
  arrives), passed to the pump the same way;
* (d) that path with the added margin (:mod:`oilshock.model.margin`) from the
  central Brent log change, added to the pump price one for one.

Targets as the harness (:mod:`oilshock.evaluate.run`): weekly-mean Brent over
days d-7..d-3 of survey Monday d, US regular retail, weeks 1-20. Reports the
mean absolute error of each central path and the change each term makes.

Run: ``python docs/research/variants_cd.py`` (writes ``docs/research/variants_cd.md``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from oilshock import load_dataset
from oilshock.evaluate.catalog import load_catalog
from oilshock.evaluate.run import WEEKS, _Actuals
from oilshock.forecast.params import get_params
from oilshock.forecast.simulate import run_draws
from oilshock.model import expectations, margin, pump
from oilshock.model.seasonal import seasonal_profile
from oilshock.units import GAL_PER_BBL

DRAWS = 400
SEED = 20260227
THREAT_SD = (
    1.0  # a one-standard-deviation news shock, the normalisation of Känzig (2021)'s responses
)
OUT = Path(__file__).with_suffix(".md")


def pump_central(p: dict, brent: np.ndarray) -> np.ndarray:
    """Retail change [USD/gal] for one Brent path [USD/bbl] at the pump fit's point coefficients."""
    coef = np.asarray(p["pump"]["params"], dtype=float)[None, :]
    b0 = p["baseline"]["brent_usd_per_bbl"]
    shocked = pump.simulate_retail_change(p["pump"], coef, (brent / GAL_PER_BBL)[None, :])[0]
    flat = pump.simulate_retail_change(p["pump"], coef, np.full((1, brent.size), b0 / GAL_PER_BBL))[
        0
    ]
    return shocked - flat


def mae(path: np.ndarray, actual: np.ndarray) -> float:
    ok = np.isfinite(actual) & np.isfinite(path)
    return float(np.mean(np.abs(path[ok] - actual[ok]))) if ok.any() else float("nan")


def main() -> None:
    brent_daily = load_dataset("brent_daily")
    data = _Actuals(brent_daily, load_dataset("retail_gasoline_weekly"))
    crack = margin.weekly_crack(load_dataset("wholesale_gasoline_daily"), brent_daily)
    shocks = load_dataset("oil_supply_shocks_monthly")
    brent_m = expectations.monthly_brent(brent_daily)
    rows, fits = [], []
    for e in load_catalog():
        if e.as_of.year >= 2026:
            continue  # held out: never looked at here
        p = get_params(e.as_of)
        sim = run_draws(
            replace(e.scenario, horizon_weeks=WEEKS),
            dict(p, crude_model="superposition"),
            e.as_of,
            DRAWS,
            SEED,
        )
        weeks = sim["weeks"][:WEEKS]
        b0, r0 = p["baseline"]["brent_usd_per_bbl"], p["baseline"]["retail"]["usd_per_gal"]
        actual_b = np.array([data.brent_week(w) for w in weeks])
        actual_r = np.array([data.retail_on(w) for w in weeks])
        brent = b0 * (1 + np.median(sim["brent_change_pct"], axis=0)[:WEEKS] / 100)
        has_pump = p["pump"] is not None  # no pump fit before enough weekly retail history (1990)
        season = seasonal_profile(data, e.as_of, weeks, p["pump"]["beta"]) if has_pump else None
        season = np.zeros(WEEKS) if season is None else season
        retail = r0 + pump_central(p, brent) + season if has_pump else np.full(WEEKS, np.nan)

        share = np.asarray(sim["loss"]["share"], dtype=float)
        share = share if share.shape[-1] == DRAWS else share.T  # (weeks, draws)
        share_med = np.median(share, axis=-1)[:WEEKS]
        nf = expectations.fit_news_premium(shocks, brent_m, e.as_of)
        expected = float(np.median(share.max(axis=0)))
        prem = expectations.premium_path(
            nf, np.arange(1, WEEKS + 1), THREAT_SD, share_med, expected or None
        )
        brent_c = brent * np.exp(prem)
        retail_c = r0 + pump_central(p, brent_c) + season if has_pump else np.full(WEEKS, np.nan)

        mf = margin.fit_margin_response(crack, None, e.as_of)
        add_m = margin.central_margin_path(mf, np.log(brent / b0))
        retail_d = retail + add_m

        fits.append((e.name, e.as_of, nf, mf))
        rows.append(
            {
                "event": e.name,
                "kind": e.kind,
                "as_of": e.as_of,
                "brent_mae": mae(brent, actual_b),
                "brent_mae_c": mae(brent_c, actual_b),
                "retail_mae": mae(retail, actual_r),
                "retail_mae_c": mae(retail_c, actual_r),
                "retail_mae_d": mae(retail_d, actual_r),
                "prem_w1_pct": 100 * (np.exp(prem[0]) - 1),
                "prem_max_usd": float(np.max(brent_c - brent)),
                "margin_max": float(np.max(add_m)),
                "margin_w20": float(add_m[-1]),
            }
        )
        print(
            e.name,
            {k: round(v, 3) for k, v in rows[-1].items() if isinstance(v, float)},
            flush=True,
        )
    OUT.write_text(render(rows, fits), encoding="utf-8")


def _f(v, d=3):
    return "—" if v is None or not np.isfinite(v) else f"{v:+.{d}f}" if d else f"{v:.0f}"


def render(rows: list[dict], fits: list) -> str:
    lines = [
        "# Variants (c) news premium and (d) refinery margin: effect on the default central path",
        "",
        "Generated by `docs/research/variants_cd.py` on the committed snapshot; do not edit by hand.",
        "Events before 2026 only (the 2026 held-out event is excluded and was not looked at).",
        "",
        "This is the study made before (c) and (d) were wired into the model. The wired variants differ:",
        "(c) takes the larger of the premium and the crude response's effect instead of the conversion",
        "factor below, and uses the news series only from its publication (April 2021); both draw their",
        "coefficients. Their scores, with every other variant's, are in `docs/evaluation.md`.",
        "",
        "## Method",
        "",
        "* Origin: each catalog event's `as_of`; every fit (`get_params`, the news-premium and margin fits)",
        "  uses data dated on or before it.",
        "* Default central path: median over draws of the `superposition` Brent effect; gasoline = the",
        "  pump model at its point coefficients driven by that central Brent, plus the seasonal drift",
        "  (`oilshock.model.seasonal.seasonal_profile`) — the `superposition+seasonal` default.",
        "* (c) `oilshock.model.expectations`: local projection of the cumulative monthly log Brent change on",
        "  Känzig's (2021) oil supply news shock, h = 0..12 months, Newey–West errors, months before `as_of`.",
        f"  Term: a {THREAT_SD:g}-standard-deviation news shock at `as_of`, `sd * b(h)`, scaled by",
        "  `1 - min(L_t / L_expected, 1)` with the scenario's median loss path and median peak loss",
        "  (no conversion for threats with no loss). Brent is multiplied by `exp(term)`; gasoline via the pump.",
        "* (d) `oilshock.model.margin`: local projection of the NY Harbor conventional gasoline crack's",
        "  deviation from its 5-year same-week norm on the positive Brent log change, h = 1..26 weeks,",
        "  Newey–West errors, weeks on or before `as_of`; the added margin `max(b_h,0) * max(dlog_h,0)` of the",
        "  central Brent path is added to the pump price one for one. Wholesale data end 2025-06-16.",
        "* Targets (harness): weekly-mean Brent over days d−7..d−3 of survey Monday d; US regular retail on d;",
        "  weeks 1–20. Error: mean absolute error of the central path over observed weeks.",
        "  Δ = error with the term minus error without (negative: the term moves the path toward the actuals).",
        "",
        "## Per event",
        "",
        "| event | kind | as_of | Brent MAE [USD/bbl] | (c) Δ Brent MAE | (c) premium wk1 [%] | "
        "(c) max added Brent [USD/bbl] | gasoline MAE [USD/gal] | (c) Δ gas MAE | (d) max added margin "
        "[USD/gal] | (d) Δ gas MAE |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['event']} | {r['kind']} | {r['as_of']} | {r['brent_mae']:.2f} | "
            f"{_f(r['brent_mae_c'] - r['brent_mae'], 2)} | {_f(r['prem_w1_pct'], 1)} | {_f(r['prem_max_usd'], 2)} | "
            f"{r['retail_mae']:.3f} | {_f(r['retail_mae_c'] - r['retail_mae'])} | {_f(r['margin_max'])} | "
            f"{_f(r['retail_mae_d'] - r['retail_mae'])} |"
        )
    n = len(rows)
    better_c = sum(r["brent_mae_c"] < r["brent_mae"] for r in rows)
    better_cg = sum(r["retail_mae_c"] < r["retail_mae"] for r in rows)
    ng = sum(np.isfinite(r["retail_mae"]) for r in rows)
    better_d = sum(r["retail_mae_d"] < r["retail_mae"] for r in rows)
    lines += [
        "",
        f"(c) lowers the Brent error in {better_c} of {n} events and the gasoline error in {better_cg} of {ng};",
        f"(d) lowers the gasoline error in {better_d} of {ng} (ties count as not lower).",
        f"Mean Δ: (c) Brent {np.mean([r['brent_mae_c'] - r['brent_mae'] for r in rows]):+.2f} USD/bbl, "
        f"gasoline {np.nanmean([r['retail_mae_c'] - r['retail_mae'] for r in rows]):+.3f} USD/gal; "
        f"(d) gasoline {np.nanmean([r['retail_mae_d'] - r['retail_mae'] for r in rows]):+.3f} USD/gal.",
        "",
        "## Fitted values per origin",
        "",
        "| event | as_of | (c) b_0 [log/shock] (se) | b_1 | b_3 | b_6 | shock sd | months | "
        "(d) b_4wk [USD/gal per log] (se) | b_8wk | b_13wk | b_20wk (se) | weeks |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, as_of, nf, mf in fits:
        b = nf["coef_dlog_per_shock"]
        b = np.full(13, np.nan) if b is None else b  # no fit: too few months before as_of
        se = nf["se"]
        m, mse = mf["coef_usd_per_gal_per_dlog"], mf["se"]
        lines.append(
            f"| {name} | {as_of} | {b[0]:.3f} ({se[0]:.3f}) | {b[1]:.3f} | {b[3]:.3f} | {b[6]:.3f} | "
            f"{nf['shock_sd']:.3f} | {nf['n_obs'][0]} | {m[3]:.3f} ({mse[3]:.3f}) | {m[7]:.3f} | {m[12]:.3f} | "
            f"{m[19]:.3f} ({mse[19]:.3f}) | {_f(mf['n_obs'][0], 0)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
