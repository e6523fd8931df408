"""What a release recorded of each treatment, to say what the next one changes: every fact's
category and numbers, every text of every language, and each fact's words as patients read
them then (a removed fact is named by its old words)."""

from __future__ import annotations

import json
from pathlib import Path

from patientinfo.content.model import Treatment
from patientinfo.content.releases import FOLDER, TreatmentRelease, ValueChange
from patientinfo.content.schema.facts import Quantity
from patientinfo.errors import ContentError
from patientinfo.render.texts import texts_of

Snapshot = dict  # {"facts": {id: {name: quantity}}, "texts": {lang: {domain/id: entry}}, "words": ...}


def snapshot_path(root: Path, treatment: str) -> Path:
    """The last release's snapshot of a treatment (earlier ones are in the git history)."""
    return root / FOLDER / treatment / "last-release.json"


def take(treatment: Treatment) -> Snapshot:
    facts = {
        fact_id: {name: quantity.model_dump(mode="json", exclude_none=True) for name, quantity in fact.values.items()}
        for fact_id, fact in treatment.facts.items()
    }
    texts = {
        lang: {
            f"{domain}/{text_id}": entry.model_dump(mode="json", exclude_none=True, exclude={"source_hash"})
            for domain, catalog in sorted(treatment.texts[lang].items())
            for text_id, entry in sorted(catalog.root.items())
        }
        for lang in treatment.languages
    }
    return {"facts": facts, "texts": texts, "words": {lang: _words(treatment, lang) for lang in treatment.languages}}


def _words(treatment: Treatment, lang: str) -> dict[str, str]:
    texts = texts_of(treatment, lang)
    found = {}
    for fact_id, fact in treatment.facts.items():
        own = {name: texts.fmt.quantity(quantity) for name, quantity in fact.values.items()}  # {sessions}
        try:
            found[fact_id] = texts.plain("facts", fact_id, **own)
        except (ContentError, KeyError, ValueError):
            continue  # a fact shown with plural forms only: named by its id
    return found


def read(root: Path, treatment: str) -> Snapshot | None:
    path = snapshot_path(root, treatment)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def write(root: Path, treatment: str, snapshot: Snapshot) -> None:
    path = snapshot_path(root, treatment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def changes(before: Snapshot | None, now: Snapshot, released: TreatmentRelease) -> TreatmentRelease:
    """``released`` with what changed from ``before`` to ``now`` (nothing for a first release)."""
    if before is None:
        return released
    old_facts, new_facts = before["facts"], now["facts"]
    added = [fact_id for fact_id in new_facts if fact_id not in old_facts]
    removed = [fact_id for fact_id in old_facts if fact_id not in new_facts]
    values = [
        ValueChange(
            fact=fact_id,
            value=name,
            before=Quantity.model_validate(old_facts[fact_id][name]) if name in old_facts[fact_id] else None,
            after=Quantity.model_validate(new_facts[fact_id][name]) if name in new_facts[fact_id] else None,
        )
        for fact_id in new_facts
        if fact_id in old_facts
        for name in sorted({*old_facts[fact_id], *new_facts[fact_id]})
        if old_facts[fact_id].get(name) != new_facts[fact_id].get(name)
    ]
    texts = {}
    for lang, entries in now["texts"].items():
        old = before["texts"].get(lang, {})
        changed = [key for key, entry in entries.items() if key in old and old[key] != entry]
        if changed:
            texts[lang] = changed
    named = {*added, *removed, *(change.fact for change in values)}
    words = {
        lang: {
            fact_id: (now["words"].get(lang, {}).get(fact_id) or before["words"].get(lang, {}).get(fact_id) or fact_id)
            for fact_id in sorted(named)
        }
        for lang in now["words"]
    }
    return released.model_copy(
        update={
            "facts_added": added,
            "facts_removed": removed,
            "values_changed": values,
            "texts_changed": texts,
            "words": words,
        }
    )
