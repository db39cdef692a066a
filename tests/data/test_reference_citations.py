"""Reference tables cite primary sources, or say plainly that none was found (issue #14 item 8)."""

import csv
from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"

# News aggregators, blogs and republishers seen in the reference tables: a row may still name one (as the
# outlet where the number was read), but then its citation must name the primary or say it was not found.
SECONDARY_DOMAINS = (
    "oilandgaslogistics.wordpress.com",
    "pemedianetwork.com",
    "gulfnews.com",
    "youngherald.com",
    "94ha.com",
    "caliber.az",
    "portnews.ru",
    "mfame.guru",
    "xinhuanet.com",
    "worldenergynews.com",
    "sidtimes.com",
    "thewhistler.ng",
    "hydrocarbonengineering.com",
    "rigzone.com",
    "wlrn.org",
    "talkbusiness.net",
    "prometheus.org",
    "theweek.com",
    "euro-petrole.com",
    "anews.com.tr",
    "newsmax.com",
    "train2invest.com",
    "arynews.tv",
    "morningbrew.com",
    "hessslslslsls.azureedge.net",
    "tnnews.ai",
    "vdocument.in",
    "news.peak-oil.org",
    "jacklimpert.com",
    "planning.maryland.gov",
    "iranwarcost.watson.brown.edu",
)
PRIMARY_MARKERS = ("; primary:", "primary source not found (searched:")


def _rows():
    for path in sorted(REFERENCE_DIR.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                yield path.name, line, row


REFERENCE_ROWS = list(_rows())


def test_reference_tables_found():
    assert len({name for name, _, _ in REFERENCE_ROWS}) >= 10


@pytest.mark.parametrize(
    "name,line,row", REFERENCE_ROWS, ids=lambda v: v if isinstance(v, str) else None
)
def test_every_row_has_a_citation(name, line, row):
    assert (row.get("citation") or "").strip(), f"{name}:{line} has an empty citation"


@pytest.mark.parametrize(
    "name,line,row", REFERENCE_ROWS, ids=lambda v: v if isinstance(v, str) else None
)
def test_secondary_citations_name_the_primary_or_say_not_found(name, line, row):
    text = " ".join(v or "" for v in row.values())
    hits = [d for d in SECONDARY_DOMAINS if d in text]
    if hits:
        citation = row.get("citation") or ""
        assert any(m in citation for m in PRIMARY_MARKERS), (
            f"{name}:{line} cites {hits} without naming the primary source or 'primary source not found'"
        )
