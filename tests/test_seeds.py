"""Every fact is traceable: quotes appear verbatim in the seed they cite, and every seed is used.

The seeds are the clinic pages in ``tests/data/seeds`` (copies kept with the tests, so that this
runs in a clean clone); beside the shared originals, the copies must be identical."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, SHARED
from patientinfo.content.load import load_treatment

SEEDS = REPO / "tests" / "data" / "seeds"
ORIGINALS = SHARED / "seeds"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def content():
    return load_treatment(REPO)


def test_copies_are_the_originals():
    copies = {path.name: path.read_bytes() for path in SEEDS.glob("*.txt")}
    assert len(copies) == 5
    if ORIGINALS.is_dir():  # beside the shared folder: nothing may drift
        assert copies == {path.name: path.read_bytes() for path in ORIGINALS.glob("*.txt")}


def test_a_changed_quote_is_caught(content):
    """The verbatim check is not vacuous: one changed word in a quote is not found in its seed."""
    item = next(i for i in content.facts_file.facts if any(s in i.quotes for s in seed_texts(content)))
    source_id, quote = next((s, q) for s, q in item.quotes.items() if s in seed_texts(content))
    altered = quote.replace(quote.split()[0], "Zzyzx", 1)
    assert not quote_found(altered, seed_texts(content)[source_id])


def test_every_seed_file_is_a_registered_source(content):
    files = {s.file for s in content.sources.values() if s.type == "clinic_website"}
    assert files == {path.name for path in SEEDS.glob("*.txt")}


def seed_texts(content) -> dict[str, str]:
    return {s.id: squash((SEEDS / s.file).read_text(encoding="utf-8")) for s in content.sources.values() if s.file}


def quote_found(quote: str, seed: str) -> bool:
    return all(squash(piece) in seed for piece in quote.split("[...]"))


def test_quotes_are_verbatim(content):
    seeds = seed_texts(content)
    items = [*content.facts_file.facts, *content.facts_file.excluded]
    missing = []
    checked = 0
    for item in items:
        for source_id, quote in item.quotes.items():
            if source_id not in seeds:
                continue
            checked += 1
            if not quote_found(quote, seeds[source_id]):
                missing.append(f"{item.id} / {source_id}: {quote!r}")
    assert checked >= 20
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
