"""What translators work on: every translatable string of a language, with its state.

A text entry (``content/<lang>/<domain>.yaml``) has up to three kinds of field: ``text``,
``note`` and plural ``forms``. Each field becomes one *message* for translation tools: its
context names the domain, the id and the field (``facts/claim-proven:note``,
``ui/unit.session:forms.one``), its source is the source-language (French) field, its
translation the target-language field. The PO export (``po_export``) and import
(``po_import``) are built on this module, which also finds, from git history, the source text
that a stale translation was made from (``previous_source_text``; also for ``scripts/check``).

Entries are read through one normalising function, ``entry_fields``, so the shorthand
``id: "text"`` and the mapping ``id: {text: ..., source_hash: ...}`` take the same path in
every language, the source language included.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from patientinfo.content.layout import Layout
from patientinfo.content.model import TEXT_DOMAINS, Treatment
from patientinfo.content.schema import TextEntry, entry_fields, po_text
from patientinfo.errors import ContentError, Problem

CONTEXT = re.compile(r"^(?P<domain>[a-z]+)/(?P<id>[^:\s]+)(?::(?P<field>text|note|forms\.[^:\s]+))?$")

# Entry states, from the translation's source_hash.
REVIEWED = "reviewed"  # translates the current source text
STALE = "stale"  # translates an older source text
UNREVIEWED = "unreviewed"  # records no source text
MISSING = "missing"  # no translation yet


def load_translatable(where: Layout | Path, treatment: str | None = None) -> tuple[Treatment, list[Problem]]:
    """The content, for exchanging texts with translators, and the problems it still has.

    Fully checked when it can be. A language being translated may still lack texts that other
    files need (the heading of a group, the plural forms of a unit): then every file is still
    read and validated on its own (a YAML or schema error is a ContentError), and the problems
    between files are returned, so that an import can tell which ones it did not cause.
    """
    from patientinfo.content.load import (  # load_files: each file on its own, no rule between files
        load_files,
        load_project,
    )

    try:
        # Draft languages and treatments are translated too, without markers in their missing texts.
        site, between_files = load_project(where, drafts=True, mark_missing=False, allow_missing_texts=True), []
    except ContentError as exc:
        between_files = exc.problems
        site, _ = load_files(where, drafts=True)
    if treatment is not None and treatment not in site.treatments:
        raise ContentError(
            [
                Problem(
                    site.layout.settings,
                    1,
                    f"'{treatment}' is not a treatment of this site (treatments: {', '.join(site.treatments)})",
                )
            ]
        )
    return site.treatments[treatment] if treatment else site.first, between_files


def context(domain: str, text_id: str, field: str) -> str:
    return f"{domain}/{text_id}" + ("" if field == "text" else f":{field}")


def parse_context(value: str | None) -> tuple[str, str, str] | None:
    """``facts/claim-proven:note`` -> ("facts", "claim-proven", "note"); None if malformed."""
    match = CONTEXT.match(value or "")
    if not match or match["domain"] not in TEXT_DOMAINS:
        return None
    return match["domain"], match["id"], match["field"] or "text"


@dataclass
class Message:
    """One field of one text, as exchanged with translators."""

    domain: str
    text_id: str
    field: str
    source: str  # current source-language text (po_text form)
    translation: str | None  # current translation (po_text form), None when untranslated
    state: str  # REVIEWED | STALE | UNREVIEWED | MISSING (of the whole entry)
    fuzzy: bool = False  # needs a translator's look before it counts as reviewed
    previous_source: str | None = None  # the source text the translation was made from

    @property
    def context(self) -> str:
        return context(self.domain, self.text_id, self.field)


TYPOGRAPHIC_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def source_hash(entry: TextEntry) -> str:
    """A short fingerprint of a source-language text: it changes when the wording changes, not
    when a plain space becomes a non-breaking one (typography never makes a translation stale)."""
    canonical = json.dumps({"text": entry.text, "note": entry.note, "forms": entry.forms}, sort_keys=True)
    canonical = canonical.replace("\\u00a0", " ").replace("\\u202f", " ").translate(TYPOGRAPHIC_SPACES)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def entry_state(original: TextEntry, translation: TextEntry | None) -> str:
    if translation is None:
        return MISSING
    if translation.source_hash is None:
        return UNREVIEWED
    return REVIEWED if translation.source_hash == source_hash(original) else STALE


def language_messages(treatment: Treatment, lang: str, *, history: bool = True) -> list[Message]:
    """Every message of ``lang`` in source order (domains facts, pages, ui; ids as in the source files).

    A translated field is fuzzy when its entry is unreviewed, or stale and that field's source
    text changed since the review (every field, when the earlier source text cannot be found).
    ``history=False`` skips the git look-up (fields of stale entries are then all fuzzy).
    """
    source_lang = treatment.settings.source_language
    messages: list[Message] = []
    for domain in TEXT_DOMAINS:
        translations = treatment.texts[lang][domain].root
        for text_id, original in treatment.texts[source_lang][domain].root.items():
            translation = translations.get(text_id)
            state = entry_state(original, translation)
            source_fields = entry_fields(original)
            target_fields = entry_fields(translation) if translation is not None else {}
            previous: dict[str, str] | None = None
            if state == STALE and history and translation is not None and translation.source_hash:
                earlier = previous_source_entry(treatment, domain, text_id, translation.source_hash)
                previous = entry_fields(earlier) if earlier is not None else None
            fields = list(source_fields)
            if any(f.startswith("forms.") for f in source_fields):
                fields += [f for f in target_fields if f.startswith("forms.") and f not in source_fields]
            for field in fields:
                # A plural form the source lacks is translated from the source's 'other' form.
                source = source_fields.get(field, source_fields.get("forms.other", ""))
                current = target_fields.get(field)
                message = Message(domain, text_id, field, po_text(source), None, state)
                if current is not None:
                    message.translation = po_text(current)
                    if state == UNREVIEWED:
                        message.fuzzy = True
                    elif state == STALE:
                        before = (previous or {}).get(field)
                        message.fuzzy = previous is None or before is None or po_text(before) != message.source
                        if message.fuzzy and before is not None:
                            message.previous_source = po_text(before)
                messages.append(message)
    return messages


# --------------------------------------------------------------------------- git history
def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8", timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


@lru_cache(maxsize=64)
def _revisions(root: str, relative: str, head: str) -> tuple[tuple[str, str], ...]:
    """(commit, path then) of the commits that changed ``relative``, newest first, following
    the file across renames (``head`` only keys the cache)."""
    out = _git(Path(root), "log", "--follow", "--format=%H", "--name-only", head, "--", relative)
    if not out:
        return ()
    lines = [line for line in out.splitlines() if line.strip()]
    return tuple((lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2))


@lru_cache(maxsize=256)
def _hashes_at(root: str, revision: str, relative: str) -> dict[str, tuple[str, TextEntry]]:
    """source_hash of every entry of ``relative`` as committed in ``revision``, by id."""
    out = _git(Path(root), "show", f"{revision}:./{relative}")
    if out is None:
        return {}
    try:
        data = yaml.load(out, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    found: dict[str, tuple[str, TextEntry]] = {}
    for text_id, raw in (data or {}).items() if isinstance(data, dict) else ():
        try:
            entry = TextEntry.model_validate(raw)
        except ValidationError:
            continue
        found[str(text_id)] = (source_hash(entry), entry)
    return found


def previous_source_entry(treatment: Treatment, domain: str, text_id: str, wanted_hash: str) -> TextEntry | None:
    """The source-language entry ``text_id`` whose source_hash is ``wanted_hash``, from git history.

    Looks through the commits that changed ``content/<source>/<domain>.yaml``, newest first.
    None when the project is not a git repository, the history is shallow or the text never
    had that hash.
    """
    root = treatment.root.resolve()
    relative = treatment.text_path(treatment.settings.source_language, domain)
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    if not head:
        return None
    for revision, path_then in _revisions(str(root), relative, head.strip()):
        found = _hashes_at(str(root), revision, path_then).get(text_id)
        if found and found[0] == wanted_hash:
            return found[1]
    return None


def previous_source_text(treatment: Treatment, domain: str, text_id: str, wanted_hash: str) -> str | None:
    """The earlier source text a stale translation translates, for ``scripts/check``.

    ``domain`` is ``facts``, ``pages``, ``documents`` or ``ui``, of ``treatment``;
    ``wanted_hash`` is the translation's ``source_hash``. Returns the text (for plural forms,
    "one: ... | other: ..."), followed by its note on a new line if it had one; None if not found.
    """
    entry = previous_source_entry(treatment, domain, text_id, wanted_hash)
    return display_text(entry) if entry is not None else None


def display_text(entry: TextEntry) -> str:
    """An entry as one readable string: its text (or "one: ... | other: ..."), then "note: ..."."""
    if entry.text is not None:
        shown = po_text(entry.text)
    else:
        shown = " | ".join(f"{key}: {form}" for key, form in (entry.forms or {}).items())
    return shown + (f"\nnote: {po_text(entry.note)}" if entry.note else "")
