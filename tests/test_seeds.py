"""Every fact is traceable: quotes appear verbatim in the seed they cite, and every seed is used."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, SHARED
from patientinfo.content.load import load_treatment

SEEDS = SHARED / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repository")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def content():
    return load_treatment(REPO)


def test_every_seed_file_is_a_registered_source(content):
    files = {s.file for s in content.sources.values() if s.type == "clinic_website"}
    assert files == {path.name for path in SEEDS.glob("*.txt")}


def test_quotes_are_verbatim(content):
    seeds = {s.id: squash((SEEDS / s.file).read_text(encoding="utf-8")) for s in content.sources.values() if s.file}
    items = [*content.facts_file.facts, *content.facts_file.excluded]
    missing = []
    for item in items:
        for source_id, quote in item.quotes.items():
            if source_id not in seeds:
                continue
            pieces = [squash(p) for p in quote.split("[...]")]
            if not all(piece in seeds[source_id] for piece in pieces):
                missing.append(f"{item.id} / {source_id}: {quote!r}")
    assert not missing, "quotes not found in their seed:\n" + "\n".join(missing)


def test_every_seed_backs_many_facts(content):
    cited = {}
    for fact in content.facts_file.facts:
        for source in fact.sources:
            cited[source] = cited.get(source, 0) + 1
    for source in content.sources.values():
        if source.type == "clinic_website":
            assert cited.get(source.id, 0) >= 10, source.id


def test_seed_facts_quote_their_seeds(content):
    """A fact that cites a clinic page shows the page's own words for at least one of them."""
    unquoted = [
        f.id for f in content.facts_file.facts if any(s.startswith("seed-") for s in f.sources) and not f.quotes
    ]
    assert not unquoted
