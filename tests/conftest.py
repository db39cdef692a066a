"""Shared fixtures.

``raw_dir`` is the real public data that stands in for the live sources
(``../shared/data/raw`` beside the repository). Tests that need it skip when
it is absent, e.g. on a machine without the shared folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RAW_DIR = REPO.parent / "shared" / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    if not RAW_DIR.is_dir():
        pytest.skip(f"{RAW_DIR} not present")
    return RAW_DIR


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Fitted parameters go to a per-session cache, never the user's ~/.cache."""
    import os

    if os.environ.get("PYTEST_XDIST_WORKER"):
        # One cache for every worker of this run (pytest-xdist): a fit is keyed by snapshot hash,
        # as_of and fit code and written by rename, so workers share it rather than each refit.
        path = tmp_path_factory.getbasetemp().parent / "oilshock-cache"
        path.mkdir(exist_ok=True)
    else:
        path = tmp_path_factory.mktemp("oilshock-cache")
    old = os.environ.get("OILSHOCK_CACHE_DIR")
    os.environ["OILSHOCK_CACHE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("OILSHOCK_CACHE_DIR", None)
    else:
        os.environ["OILSHOCK_CACHE_DIR"] = old


# Today's date as the commands see it (oilshock.periods.today), pinned so that no test depends on
# the machine's clock: after the snapshot's newest data, before the 2026 midterm. Tests of the
# clock's effect set their own.
TODAY = __import__("datetime").date(2026, 10, 1)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    from oilshock import periods

    monkeypatch.setattr(periods, "today", lambda: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def small_snapshots():
    """Fixture snapshots hold a few rows: lower the contracts' min_rows (tests of that rule unset this).

    Its own MonkeyPatch, so a test calling ``monkeypatch.undo()`` keeps it.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OILSHOCK_MIN_ROWS", "1")
        yield


AS_OF = __import__("datetime").date(2026, 2, 27)


@pytest.fixture(scope="session")
def params_2026(isolated_cache):
    """Parameters fitted on the committed snapshot as of 27 Feb 2026 (eve of the Hormuz closure)."""
    from oilshock.forecast.params import get_params

    return get_params(AS_OF)


@pytest.fixture(scope="session")
def params_now(isolated_cache):
    """Parameters as of the snapshot's newest Brent date, 18 Aug 2026 (Hormuz shut since 1 March)."""
    from oilshock.forecast.params import get_params

    return get_params(__import__("datetime").date(2026, 8, 18))


@pytest.fixture(scope="session")
def params_calm(isolated_cache):
    """Parameters as of 2 Jun 2025, a date with no disruption under way."""
    from oilshock.forecast.params import get_params

    return get_params(__import__("datetime").date(2025, 6, 2))
