"""``scripts/check --mark-reviewed``: record in a translation which source text it translates
(its ``source_hash``), through the one YAML editor, so only that line of the file changes."""

from __future__ import annotations

from pathlib import Path

from patientinfo.content.editing import EntryChange, apply_changes
from patientinfo.content.model import SHARED_DOMAINS, TEXT_DOMAINS, Project
from patientinfo.translate.catalogue import source_hash


def mark_reviewed(project: Project, text_id: str, lang: str) -> Path:
    """Record that ``text_id`` in ``lang`` translates the current source text. Returns the file
    (the first that has it: the interface's, then each treatment's)."""
    _check_language(project, lang)
    for treatment, domain in ((t, d) for t in project.treatments.values() for d in TEXT_DOMAINS):
        original = treatment.texts[treatment.settings.source_language][domain].root.get(text_id)
        if original is None or text_id not in treatment.texts[lang][domain].root:
            continue
        path = treatment.layout.path(treatment.text_path(lang, domain))
        text = path.read_text(encoding="utf-8")
        path.write_text(
            apply_changes(text, [EntryChange(text_id, new_hash=source_hash(original))], []), encoding="utf-8"
        )
        return path
    raise ValueError(f"no text '{text_id}' in language '{lang}' (and in the source language)")


def mark_all_reviewed(project: Project, lang: str) -> int:
    """Mark every text of ``lang`` reviewed; for a translator who has just reviewed them all."""
    _check_language(project, lang)
    count = 0
    for treatment, domain in ((t, d) for t in project.treatments.values() for d in TEXT_DOMAINS):
        if domain in SHARED_DOMAINS and treatment is not project.first:
            continue  # the interface's and countries' texts are shared: marked once
        originals = treatment.texts[treatment.settings.source_language][domain].root
        changes = [
            EntryChange(text_id, new_hash=source_hash(originals[text_id]))
            for text_id in treatment.texts[lang][domain].root
            if text_id in originals
        ]
        path = treatment.layout.path(treatment.text_path(lang, domain))
        path.write_text(apply_changes(path.read_text(encoding="utf-8"), changes, []), encoding="utf-8")
        count += len(changes)
    return count


def _check_language(project: Project, lang: str) -> None:
    if lang == project.settings.source_language:
        raise ValueError(f"'{lang}' is the source language: its texts are not translations")
    if lang not in project.languages:
        raise ValueError(f"unknown language '{lang}'")
