"""docs/politics.md's seat table is the fit's: every specification, with its coefficient and LOO RMSE."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from oilshock.forecast.inputs import load_politics_frames
from oilshock.model import politics_seats

DOC = Path(__file__).resolve().parents[2] / "docs" / "politics.md"


def test_every_seat_specification_is_in_the_docs_with_the_fitted_numbers():
    as_of = dt.date(2026, 2, 27)
    specs = politics_seats.fit_seats(load_politics_frames(as_of), as_of)["specifications"]
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## 4. Seat model") : text.index("## 5.")]
    assert not re.search(r"^(levels|post impact)", section, re.M)  # no stray debug output
    for name, s in specs.items():
        row = next((x for x in section.splitlines() if x.startswith(f"| `{name}` |")), None)
        assert row, name
        assert f"{s['coefficients']['approval_pct']:+.3f} ({s['se']['approval_pct']:.3f})" in row, (
            name
        )
        assert f"{s['loo_rmse_common']:.2f}" in row, name
