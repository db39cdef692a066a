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
