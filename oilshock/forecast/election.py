"""The ``election`` block of a result: election-day pump price, approval and House seats, in words a briefer can quote.

Two seat figures are kept apart on purpose: the scenario's effect on the
*expected* seat change (the approval slope's uncertainty only), and the
predictive range of the seat change itself (adding the scatter of single
midterms around the fitted line, about ±16–18 seats). Any part of a band on
the other side of zero is explained from the draws: which fitted mechanism
put it there (docs/politics.md).

An election already held on today's date is a retrospective (:func:`retrospective`): labelled
so, and set beside what happened where the data hold it (:func:`election_outcome`). Every block
says what it covers and what not (:func:`coverage`); in a presidential year that is the
presidential vote itself and coattails, which a midterm seat model has no term for.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from oilshock.forecast.bands import band
from oilshock.text import by_sign, money, num

CORRELATION_NOTE = (
    "The seat figures rest on a correlation across midterms between approval (and income growth) and seats; "
    "they are not a measured causal effect of an approval change caused by gasoline prices."
)


RETROSPECTIVE = "retrospective: this election has taken place"

COVERS_MIDTERM = (
    "the pump price on election day, the president's approval and the House seat change of the "
    "president's party at a midterm"
)
NOT_COVERED_MIDTERM = "the Senate, governors and other races"
COVERS_PRESIDENTIAL = (
    "the pump price on election day and the president's approval; the House seat figures apply a "
    "model fitted on midterms"
)
NOT_COVERED_PRESIDENTIAL = (
    "the presidential vote itself (who wins the White House) and coattails (House races moving with "
    "the race at the top of the ticket), which a midterm model has no term for; the sitting president "
    "need not be on the ballot; the Senate, governors and other races"
)


def coverage(day: dt.date) -> dict:
    """What the election block covers and what it does not, for a midterm or a presidential year."""
    from oilshock.model.politics import is_midterm

    if is_midterm(day):
        return {"covers": COVERS_MIDTERM, "not_covered": NOT_COVERED_MIDTERM}
    return {"covers": COVERS_PRESIDENTIAL, "not_covered": NOT_COVERED_PRESIDENTIAL}


def _seats_words(n: int) -> str:
    """``lost 9 House seats`` / ``gained 5 House seats`` / ``kept the same number of House seats``."""
    if n < 0:
        return f"lost {-n} House seat{'s' if n != -1 else ''}"
    if n > 0:
        return f"gained {n} House seat{'s' if n != 1 else ''}"
    return "kept the same number of House seats"


def election_outcome(day: dt.date, directory=None) -> dict:
    """What happened at the election on ``day``: the president's party's House seat change, where
    the snapshot holds it (``midterms_app_table``: the American Presidency Project's figures, the
    primary values of ``midterms``), with the row's source and citation; else a plain note.

    The whole table is read, not only the rows known at ``as_of``: this is the outcome the estimate
    is set beside, never an input to it.
    """
    import polars as pl

    from oilshock.data.datasets import load_dataset
    from oilshock.model.politics import is_midterm

    if not is_midterm(day):
        return {
            "house_seats_change": None,
            "text": (
                "the outcome is not in the data: the data hold House seat changes at midterms only, "
                "not at presidential-year elections"
            ),
        }
    table = load_dataset("midterms_app_table", directory=directory)
    row = table.filter(pl.col("year") == day.year)
    if row.height == 0:
        return {
            "house_seats_change": None,
            "text": (
                f"the outcome of the {day.year} midterm is not in the data yet (the midterm table "
                f"ends with {int(table['year'].max())})"
            ),
        }
    r = row.row(0, named=True)
    n = int(r["house_seat_change"])
    return {
        "house_seats_change": n,
        "president": r["president"],
        "party": r["party"],
        "dataset": "midterms_app_table",
        "source": r["source"],
        "citation": r["citation"],
        "text": (
            f"the president's party ({r['party']}, {r['president']}) {_seats_words(n)} "
            f"({num(n, 0, sign=True)}; {r['source']}, dataset midterms_app_table)"
        ),
    }


def beside_model(e: dict) -> str | None:
    """Where the actual seat change falls against the model's 90% predictive range, in words."""
    n = (e.get("what_happened") or {}).get("house_seats_change")
    p = e.get("house_seats_predictive")
    if n is None or not p:
        return None
    span = f"{num(p['p05'], 0, sign=True)} to {num(p['p95'], 0, sign=True)}"
    if n < p["p05"]:
        where = f"below the model's 90% predictive range ({span})"
    elif n > p["p95"]:
        where = f"above the model's 90% predictive range ({span})"
    else:
        where = f"inside the model's 90% predictive range ({span})"
    return f"{where}; the model's central figure was {num(p['p50'], 0, sign=True)}"


def retrospective(e: dict, directory=None) -> dict:
    """Label an election block whose day has passed as a retrospective and set it beside what
    happened (in place); returns ``e``."""
    day = dt.date.fromisoformat(e["date"])
    e["retrospective"] = True
    e["retrospective_label"] = RETROSPECTIVE
    e["what_happened"] = election_outcome(day, directory)
    versus = beside_model(e)
    if versus:
        e["what_happened"]["versus_model"] = versus
    return e


def _pick(fit: dict, keys: tuple) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in fit.items() if k in keys}


def _pct(share: float) -> str:
    return "under 1%" if 0 < share < 0.01 else f"{100 * share:.0f}%"


def explain_other_side(pol: dict, ap: dict) -> dict:
    """Why part of the approval and gasoline bands lies on the other side of zero from the centre, per fitted mechanism.

    Approval: a draw ends above zero either because its drawn gasoline slope
    is zero or positive (the fitted slope's own uncertainty) or because the
    pump price has fallen back below today's by election day (the fitted
    price path's fall after the disruption) while the earlier rise's effect
    has decayed at the fitted rate. Gasoline: the share of draws whose path
    ends below today's price.
    """
    out = {}
    r = pol["retail_change"]
    below = r < 0
    if below.any() and np.median(r) > 0:
        out["gasoline"] = {
            "share_of_draws": round(float(below.mean()), 4),
            "text": (
                f"In {_pct(below.mean())} of draws the pump price on election day is below "
                "the no-disruption path: after the disruption ends, "
                "the fitted crude and pump-price dynamics carry the price back past that path in those draws "
                "(the fall after the peak overshoots)."
            ),
        }
    if "approval" not in pol:
        return out
    a = pol["approval"]
    wrong = a > 0 if np.median(a) <= 0 else a < 0
    if wrong.any():
        slope = pol["approval_impact"]
        by_slope = wrong & (slope >= 0)
        by_path = wrong & (slope < 0) & (pol["excursion_last_month"] < 0)
        if by_path.mean() < 0.005:
            by_path = np.zeros_like(wrong)  # too few to name: counted with the rest
        rest = wrong & ~by_slope & ~by_path
        parts = [f"In {_pct(wrong.mean())} of draws approval ends on the other side of zero."]
        if by_slope.any():
            parts.append(
                f"In {_pct(by_slope.mean())} of draws the drawn gasoline slope is zero or positive: the fitted slope "
                f"({num(ap['impact_points_per_log_point'], 2, sign=True)} points per log point in the first "
                f"month, se {np.sqrt(ap['form_cov'][1][1]):.2f}) "
                "cannot be told from zero, so some draws of it are positive."
            )
        if by_path.any():
            hl = ap.get("half_life_months")
            parts.append(
                f"In {_pct(by_path.mean())} of draws the pump price has fallen below the no-disruption path by "
                "election day, and with the fitted decay"
                + (f" (half-life {hl:.0f} months)" if hl else "")
                + " the recent fall weighs more than the earlier rise."
            )
        if rest.mean() >= 0.005:
            parts.append(
                f"In {_pct(rest.mean())} of draws the drawn decay and lag terms together put it "
                "there (the model's dynamics under parameter uncertainty)."
            )
        out["approval"] = {
            "share_of_draws": round(float(wrong.mean()), 4),
            "slope_uncertainty": round(float(by_slope.mean()), 4),
            "price_below_today": round(float(by_path.mean()), 4),
            "text": " ".join(parts),
        }
    if "seats" in pol:
        sw = pol["seats"] > 0 if np.median(pol["seats"]) <= 0 else pol["seats"] < 0
        if sw.any():
            same = float((sw & wrong).sum() / sw.sum()) if wrong.any() else 0.0
            out["seats"] = {
                "share_of_draws": round(float(sw.mean()), 4),
                "text": (
                    f"The expected-seat effect is on the other side of zero in {_pct(sw.mean())} of draws, "
                    f"{_pct(same)} of them the same draws as approval: it is the approval change times the seat slope, "
                    "so it crosses zero where approval does."
                ),
            }
    return out


def build_election(sim: dict, params: dict, weeks, published) -> dict:
    """The ``election`` block (JSON) from the simulation's election-day draws."""
    from oilshock.model.politics import is_midterm

    day = sim["election"]
    out: dict = {
        "date": day.isoformat(),
        "is_midterm": is_midterm(day),
        "in_horizon": sim["election_week"] is not None and sim["election_week"] < len(weeks),
        "retail_gasoline_change_on_election_day_usd_per_gal": None,
        "approval_change_points": None,
        "house_seats_change": None,
        **coverage(day),
    }
    pol = sim["politics"]
    if pol is None:
        out["note"] = (
            "not estimated: election day lies more than 156 weeks after as_of, beyond what is "
            "simulated (choose another with --election)"
            if sim["election_week"] is None
            else "not estimated: no pump-price model as of this date"
        )
        return out
    out["survey_week_before_election"] = (
        sim["weeks_all"][sim["election_week"]].isoformat() if "weeks_all" in sim else None
    )
    out["retail_gasoline_change_on_election_day_usd_per_gal"] = band(pol["retail_change"], 4)
    if sim["retail_change"] is not None:
        med = np.percentile(sim["retail_change"], 50, axis=0)
        out["peak_before_election"] = bool(weeks[int(np.argmax(med))] < day)
    ap, st = params["approval"], params["seats"]
    caveats = [
        (
            "Approval responds to much besides gasoline; this is only the part associated with "
            "real gasoline prices in monthly "
            "Gallup data since 1990, through a model whose effect fades (docs/politics.md), and "
            "published estimates disagree."
        ),
    ]
    if "approval" in pol:
        out["approval_change_points"] = band(pol["approval"], 2)
        out["approval_points_per_usd_per_gal"] = band(pol["approval_per_dollar"], 2)
        keys = (
            "method",
            "specification",
            "uses_post_2009_slope",
            "rho",
            "half_life_months",
            "impact_points_per_log_point",
            "points_per_log_point",
            "points_per_log_point_se",
            "n_months",
            "sample",
            "levels_points_per_log_point",
            "engle_granger_p",
        )
        out["approval_model"] = _pick(ap, keys)
        out["approval_published"] = published("approval_per_log_gas_price")
    else:
        out["approval_note"] = ap.get("unavailable")
    if "seats" in pol:
        out["house_seats_change"] = band(pol["seats"], 2)
        out["house_seats_change_meaning"] = (
            "effect of the scenario on the expected seat change (approval slope uncertainty only)"
        )
        cov = st.get("covariates_for_election") or {}
        if "seats_predictive" in pol and cov.get("year") == day.year and is_midterm(day):
            out["house_seats_predictive"] = band(pol["seats_predictive"], 1)
            x0 = np.array([1.0] + [cov["values"][c] for c in st["regressors"]])
            out["house_seats_expected_without_scenario"] = round(
                float(x0 @ np.asarray(st["coefficients"])), 1
            )
            out["house_seats_predictive_basis"] = cov["basis"]
        else:
            out["house_seats_predictive_note"] = (
                f"no predictive range for {day.year}: the seat model's inputs are known only for the next midterm"
                if is_midterm(day)
                else "no predictive range: the seat model is for midterms"
            )
        out["seats_model"] = _pick(
            st,
            (
                "method",
                "specification",
                "regressors",
                "seats_per_point",
                "seats_per_point_se",
                "resid_sd_seats",
                "n",
                "years",
                "r2",
            ),
        )
        out["seats_published"] = published("house_seats_per_approval_point")
        caveats.append(CORRELATION_NOTE)
        caveats.append(
            f"The seat model rests on {st['n']} midterms; around its fitted line a single midterm varies by about "
            f"±{st['resid_sd_seats']:.0f} seats (one standard deviation) whatever gasoline does."
        )
        if not is_midterm(day):
            caveats.append(
                "This is a presidential-election year: the seat model is fitted on midterms, so "
                "here it is an extrapolation."
            )
    out["other_side_of_zero"] = explain_other_side(pol, ap)
    out["caveats"] = caveats
    return out


def election_lines(e: dict | None) -> list[str]:
    """The election block as text (``oilshock election`` and the estimate summary)."""
    if not e:
        return []
    kind = "midterm" if e["is_midterm"] else "presidential"
    if e.get("retrospective"):
        kind += f"; {RETROSPECTIVE}"
    out = ["", f"Election day {e['date']} ({kind}):"]
    r = e.get("retail_gasoline_change_on_election_day_usd_per_gal")
    if r is None:
        return out + [f"  {e.get('note', 'not estimated')}"] + _outcome_lines(e) + _cover_lines(e)
    word = by_sign(r["p50"], "higher", "lower", "about the same")
    amount = "" if word == "about the same" else f"{money(abs(r['p50']))}/gal "
    out.append(
        f"  Gasoline on election day: {amount}{word} {'as' if word == 'about the same' else 'than'} "
        "on the no-disruption path "
        f"({money(r['p05'], sign=True)} to {money(r['p95'], sign=True)}); "
        f"the central path is highest {'before' if e.get('peak_before_election') else 'after'} "
        "the election."
    )
    a = e.get("approval_change_points")
    if a:
        m = e["approval_model"]
        apd = e["approval_points_per_usd_per_gal"]
        decay = (
            f"its effect fades by half in {m['half_life_months']:.0f} months"
            if m.get("half_life_months")
            else "no fitted decay"
        )
        out.append(
            f"  President's approval: {num(a['p50'], 1, sign=True)} points "
            f"({num(a['p05'], 1, sign=True)} to {num(a['p95'], 1, sign=True)}) from this price path."
        )
        out.append(
            f"    Model: {m['specification']}{', post-2009 slope' if m.get('uses_post_2009_slope') else ''}; {decay}; "
            f"+$1/gal held until election day: {num(apd['p50'], 1, sign=True)} points."
        )
        pub = ", ".join(
            f"{p['study']} {num(p['value'], 1, sign=True)}" for p in e.get("approval_published", [])
        )
        if pub:
            out.append(
                f"    For comparison only, published levels estimates for one presidency: {pub} points per log point "
                "(the same levels regression on our data: "
                f"{num(m['levels_points_per_log_point'], 1, sign=True)}; trending series inflate it)."
            )
    s = e.get("house_seats_change")
    if s:
        sm = e["seats_model"]
        out.append("  House seats of the president's party:")
        out.append(
            f"    Effect of this scenario on the expected seat change: {num(s['p50'], 1, sign=True)} seats "
            f"({num(s['p05'], 1, sign=True)} to {num(s['p95'], 1, sign=True)}); "
            "slope uncertainty only."
        )
        p = e.get("house_seats_predictive")
        if p:
            out.append(
                f"    The seat change itself, with this scenario: {num(p['p50'], 0, sign=True)} seats, 90% "
                f"predictive range {num(p['p05'], 0, sign=True)} to {num(p['p95'], 0, sign=True)} "
                f"(expected without the scenario: {num(e['house_seats_expected_without_scenario'], 0, sign=True)})."
            )
            out.append(f"    Inputs: {'; '.join(e['house_seats_predictive_basis'].values())}.")
        elif e.get("house_seats_predictive_note"):
            out.append(f"    The seat change itself: {e['house_seats_predictive_note']}.")
        out += _outcome_lines(e, indent="    ")
        out.append(
            f"    Seat model: {sm['seats_per_point']:.2f} seats per approval point (se "
            f"{sm['seats_per_point_se']:.2f}), "
            f"{sm['n']} midterms {sm['years'][0]}–{sm['years'][1]}, single midterms scatter "
            f"±{sm['resid_sd_seats']:.0f} seats around the line."
        )
    else:
        out += _outcome_lines(e)
    out += _cover_lines(e)
    for k in ("gasoline", "approval", "seats"):
        if k in (e.get("other_side_of_zero") or {}):
            out.append(
                f"  Why part of the band crosses zero ({k}): {e['other_side_of_zero'][k]['text']}"
            )
    out += [f"  Note: {c}" for c in e.get("caveats", [])]
    return out


def _outcome_lines(e: dict, indent: str = "  ") -> list[str]:
    """What happened, for a retrospective; nothing otherwise."""
    w = e.get("what_happened") if e.get("retrospective") else None
    if not w:
        return []
    line = f"{indent}What happened: {w['text']}"
    if w.get("versus_model"):
        line += f", {w['versus_model']}"
    return [line + "."]


def _cover_lines(e: dict) -> list[str]:
    """In a presidential year, what the seat model does not cover."""
    if e.get("is_midterm") or not e.get("not_covered"):
        return []
    return [
        "  Not covered in a presidential year (the seat model is fitted on midterms): "
        f"{e['not_covered']}."
    ]
