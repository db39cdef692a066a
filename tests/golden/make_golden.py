"""Regenerate the golden estimates: ``python tests/golden/make_golden.py``.

Run it only when a change to the data or the models is intended; commit the
JSON it writes together with that change, and say why in the commit message.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = {
    "hormuz-partial_2026-02-27": ("hormuz-partial", dt.date(2026, 2, 27)),
    "red-sea_2026-02-27": ("red-sea", dt.date(2026, 2, 27)),
    "2026-hormuz-episode": ("oilshock/evaluate/episodes/2026-hormuz.toml", None),
}
SEED = 20260301
DRAWS = 2000


def golden(scenario: str, as_of):
    from oilshock.forecast.simulate import estimate

    path = Path(scenario)
    if (
        path.suffix == ".toml"
    ):  # an event of the evaluation catalog: a scenario plus its [catalog] table
        from oilshock.evaluate.catalog import load_event

        scenario = load_event(HERE.parents[1] / path).scenario
    d = estimate(scenario, as_of=as_of, seed=SEED, draws=DRAWS).to_dict()
    return {
        "as_of": d["as_of"],
        "baseline": d["baseline"],
        "brent": d["brent"],
        "retail_gasoline": d["retail_gasoline"],
        "household": d["household"],
        "election": {
            k: d["election"].get(k)
            for k in (
                "date",
                "retail_gasoline_change_on_election_day_usd_per_gal",
                "approval_change_points",
                "house_seats_change",
                "house_seats_predictive",
            )
        },
        "regions": [
            {
                k: r[k]
                for k in (
                    "area",
                    "baseline_usd_per_gal",
                    "passthrough_from_national",
                    "price_change_usd_per_gal",
                )
            }
            for r in d["regions"] or []
        ],
        "multiplier": d["models"]["crude_multiplier"]["multiplier"],
        "passthrough": d["models"]["passthrough"]["cents_per_gal_per_usd_per_bbl"],
        "snapshot_sha256": d["provenance"]["snapshot_sha256"],
    }


def politics_golden(as_of=dt.date(2026, 2, 27)):
    """The fitted approval and seat models (tests/model/test_politics.py)."""
    from oilshock.forecast.inputs import load_politics_frames
    from oilshock.model import politics_fit, politics_seats

    frames = load_politics_frames(as_of)
    a, s = politics_fit.fit_approval(frames, as_of), politics_seats.fit_seats(frames, as_of)
    return {"approval": a, "seats": s}


def main(only: tuple[str, ...] = ()) -> None:
    """Write every golden file, or only those named (``python make_golden.py politics_2026-02-27``)."""
    for name, (scenario, as_of) in CASES.items():
        if only and name not in only:
            continue
        out = HERE / f"{name}.json"
        out.write_text(json.dumps(golden(scenario, as_of), indent=2, sort_keys=True) + "\n")
        print(f"wrote {out}")
    if only and "politics_2026-02-27" not in only:
        return
    out = HERE / "politics_2026-02-27.json"
    out.write_text(json.dumps(politics_golden(), indent=2, sort_keys=True) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    import sys

    main(tuple(sys.argv[1:]))
