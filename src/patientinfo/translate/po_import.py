"""``patientinfo translations import FILE``: bring a translated PO file back into content/<lang>/.

Every entry is checked before anything is written: its id must exist, its placeholders must be
those of the source text, it must not type a number or contain markup, and it must fit where the
layout limits its length. Any problem is reported as ``FILE:line: message`` and nothing is
written. An entry still marked fuzzy is a draft: it stays in the PO file and is not published.
An empty translation means "no change", never a deletion. A non-fuzzy entry whose every field
came back is marked reviewed (its ``source_hash`` records the current source text).

The YAML files are edited in place, only where a value changes (``yaml_edit``), so comments,
order, quoting and layout stay as they were, and an import without changes writes nothing.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polib
from pydantic import ValidationError

from patientinfo.content.editing import EditError, EntryChange, apply_changes
from patientinfo.content.layout import Layout
from patientinfo.content.markup import MARKUP
from patientinfo.content.model import TEXT_DOMAINS, Treatment
from patientinfo.content.schema import PLACEHOLDER, TextEntry
from patientinfo.errors import ContentError, Problem
from patientinfo.translate.catalogue import (
    Message,
    entry_fields,
    language_messages,
    load_translatable,
    parse_context,
    po_text,
    source_hash,
)
from patientinfo.translate.po_export import layout_limit

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Outcomes of one PO entry, in the order of the summary.
NEW, CHANGED, UNCHANGED, FUZZY, UNTRANSLATED, OUTDATED, REFUSED = (
    "new",
    "changed",
    "unchanged",
    "still fuzzy",
    "untranslated",
    "outdated",
    "refused",
)
OUTCOMES = (NEW, CHANGED, UNCHANGED, FUZZY, UNTRANSLATED, OUTDATED, REFUSED)


@dataclass
class ImportResult:
    lang: str | None = None
    errors: list[Problem] = field(default_factory=list)  # nothing is written when there is one
    notices: list[Problem] = field(default_factory=list)  # drafts and outdated entries, not published
    counts: Counter = field(default_factory=Counter)
    reviewed: int = 0  # entries whose source_hash was updated
    written: list[str] = field(default_factory=list)  # files changed (relative paths)

    def summary(self) -> str:
        parts = ", ".join(f"{self.counts.get(o, 0)} {o}" for o in OUTCOMES)
        return f"{self.lang or '?'}: {parts}; {self.reviewed} marked reviewed"


def read_po(path: Path, shown: str) -> polib.POFile:
    """Parse ``path``; a file polib cannot read becomes ``FILE:line: message``."""
    if not path.is_file():
        raise ContentError([Problem(shown, 1, "file not found")])
    try:
        return polib.pofile(str(path), check_for_duplicates=False)
    except (OSError, ValueError, UnicodeError) as exc:
        text = str(exc)
        found = re.search(r"line (\d+)", text)
        detail = text.split("): ", 1)[1] if "): " in text else "syntax error"
        if isinstance(exc, UnicodeError):
            detail = "not valid UTF-8 text"
        raise ContentError([Problem(shown, int(found[1]) if found else 1, f"not a valid PO file: {detail}")]) from None


def _msgstr_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _line_of(lines: list[str], entry: polib.POEntry) -> int:
    """The line of the entry's msgstr (where the translator typed), else where the entry starts."""
    start = (entry.linenum or 1) - 1
    for number in range(start, min(len(lines), start + 400)):
        if lines[number].startswith("msgstr"):
            return number + 1
    return entry.linenum or 1


def _language(po: polib.POFile, path: Path) -> str:
    declared = (po.metadata.get("Language") or "").strip()
    return re.split(r"[_@.-]", declared or path.stem)[0].lower()


def problems_of(message: Message, new: str, lang: str, treatment: Treatment) -> list[str]:
    """What is wrong with ``new`` as the translation of ``message`` (empty list: nothing)."""
    found: list[str] = []
    wanted = set(PLACEHOLDER.findall(message.source))
    used = set(PLACEHOLDER.findall(new))
    for name in sorted(wanted - used):
        found.append(f"placeholder '{{{name}}}' is missing: keep every placeholder of the source text")
    for name in sorted(used - wanted):
        found.append(f"placeholder '{{{name}}}' is not in the source text: remove it")
    bare = PLACEHOLDER.sub("", new)
    if "{" in bare or "}" in bare:
        found.append("a brace '{' or '}' that is not a placeholder: placeholders look like {name}")
    allowed = {(a.lang, a.id, a.text) for a in treatment.settings.check.allowed_digits}
    for number in NUMBER.findall(bare):
        if (lang, message.text_id, number) not in allowed:
            found.append(
                f"types the number '{number}': numbers come from the facts through placeholders "
                f"(or are declared in {treatment.layout.settings} under check.allowed_digits)"
            )
    if MARKUP.search(new):
        found.append("contains HTML or template syntax, which would be shown literally")
    limit = layout_limit(message.domain, message.text_id, message.field)
    if limit and len(new) > limit[0]:
        found.append(f"is {len(new)} characters long; at most {limit[0]} fit ({limit[1]})")
    return found


def _treatment(po: polib.POFile) -> str | None:
    """The treatment the file's texts belong to (its X-Treatment header), else the site's first."""
    return po.metadata.get("X-Treatment") or None


def import_po(where: Layout | Path, path: Path, shown: str, *, dry_run: bool = False) -> ImportResult:
    """Check every entry of the PO file at ``path``, then write the translations (all or nothing)."""
    result = ImportResult()
    try:
        po = read_po(path, shown)
        lines = _msgstr_lines(path)
        result.lang = _language(po, path)
        treatment, known = load_translatable(where, _treatment(po))
    except ContentError as exc:
        result.errors = list(exc.problems)
        return result
    header_line = next((i + 1 for i, line in enumerate(lines) if line.startswith('"Language:')), 1)
    wrong_language = _language_problem(treatment, result.lang)
    if wrong_language:
        result.errors.append(Problem(shown, header_line, wrong_language))
        return result
    entries = _Entries(treatment, result.lang, shown, result)
    for entry in po:
        if not (entry.obsolete or (not entry.msgctxt and entry.msgid == "")):
            entries.take(entry, _line_of(lines, entry))
    changes = entries.changes()
    if not result.errors:
        _write(treatment, result.lang, changes, result, known, dry_run=dry_run)
    return result


def _language_problem(treatment: Treatment, lang: str) -> str | None:
    """Why texts of ``lang`` cannot be imported into this site, if they cannot."""
    folder = treatment.layout.language_folder(lang)
    if lang not in treatment.languages:
        known = ", ".join(treatment.languages)
        return (
            f"language '{lang}' is not a language of this site ({treatment.layout.settings} "
            f"languages: {known}); add it there and create {folder}/ first"
        )
    if lang == treatment.settings.source_language:
        return f"'{lang}' is the source language: its texts are edited in {folder}/ directly, not imported"
    return None


class _Entries:
    """The entries of one PO file, judged one by one; what they change, once all are read."""

    def __init__(self, treatment: Treatment, lang: str, shown: str, result: ImportResult) -> None:
        self.treatment, self.lang, self.shown, self.result = treatment, lang, shown, result
        self.source_lang = treatment.settings.source_language
        self.messages = {m.context: m for m in language_messages(treatment, lang, history=False)}
        self.sources = {d: treatment.texts[self.source_lang][d].root for d in TEXT_DOMAINS}
        self.seen: dict[str, int] = {}
        self.fields: dict[tuple[str, str], dict[str, str]] = {}
        self.settled: dict[tuple[str, str], set[str]] = {}  # fields back non-fuzzy and translated
        self.blocked: set[tuple[str, str]] = set()  # entries with a fuzzy, outdated or refused field

    def refuse(self, line: int, message: str) -> None:
        self.result.errors.append(Problem(self.shown, line, message))
        self.result.counts[REFUSED] += 1

    def notice(self, line: int, message: str) -> None:
        self.result.notices.append(Problem(self.shown, line, message))

    def take(self, entry: polib.POEntry, line: int) -> None:
        """Judge one entry: refused, outdated, a draft, unchanged or a change to write."""
        message = self._message_of(entry, line)
        if message is None:
            return
        domain, text_id, field_name = message.domain, message.text_id, message.field
        key = (domain, text_id)
        if po_text(entry.msgid) != message.source:
            self.notice(
                line,
                f"'{entry.msgctxt}': the {self.source_lang} text changed since this file was "
                "exported, so this entry was not imported; export again and translate the new text",
            )
            self.result.counts[OUTDATED] += 1
            self.blocked.add(key)
            return
        new = po_text(entry.msgstr)
        new = new if new.strip() else ""
        current = message.translation
        if "fuzzy" in entry.flags:
            self.blocked.add(key)
            self.result.counts[FUZZY] += 1
            if new and new != current:
                self.notice(
                    line,
                    f"'{entry.msgctxt}' is still marked fuzzy: kept as a draft in this file, not "
                    "published; remove the fuzzy mark when it is right, then import again",
                )
            return
        if not new or new == current:
            # An empty translation is "no change": an existing text is kept, never deleted.
            self.result.counts[UNTRANSLATED if current is None else UNCHANGED] += 1
            if current is not None:
                self.settled.setdefault(key, set()).add(field_name)
            return
        wrong = problems_of(message, new, self.lang, self.treatment)
        if wrong:
            self.blocked.add(key)
            for problem in wrong:
                self.result.errors.append(Problem(self.shown, line, f"'{entry.msgctxt}' ({self.lang}): {problem}"))
            self.result.counts[REFUSED] += 1
            return
        self.result.counts[NEW if current is None else CHANGED] += 1
        self.fields.setdefault(key, {})[field_name] = new
        self.settled.setdefault(key, set()).add(field_name)

    def _message_of(self, entry: polib.POEntry, line: int) -> Message | None:
        """The site's message the entry translates; None (and refused) if it has none."""
        parsed = parse_context(entry.msgctxt)
        if parsed is None:
            self.refuse(
                line,
                f"'{entry.msgctxt or ''}' is not the context of a text (expected e.g. "
                "'facts/risk-redness' or 'ui/unit.session:forms.one'); was this file exported by "
                "patientinfo translations export?",
            )
            return None
        domain, text_id, field_name = parsed
        message = self.messages.get(entry.msgctxt)
        where = self.treatment.text_path(self.source_lang, domain)
        if message is None:
            if text_id not in self.sources[domain]:
                self.refuse(line, f"unknown id '{text_id}': it is not in {where}")
            else:
                self.refuse(line, f"'{text_id}' has no field '{field_name}' in {where}")
            return None
        if entry.msgctxt in self.seen:
            self.refuse(line, f"'{entry.msgctxt}' appears twice (first on line {self.seen[entry.msgctxt]})")
            return None
        self.seen[entry.msgctxt] = line
        if entry.msgid_plural:
            self.refuse(
                line,
                f"'{entry.msgctxt}': plural entries (msgid_plural) are not used; each plural form is its own entry",
            )
            return None
        return message

    def changes(self) -> dict[str, list[EntryChange]]:
        """By domain, the entries to write. An entry is marked reviewed when every field of its
        source text came back, translated and not fuzzy."""
        by_domain: dict[str, list[EntryChange]] = {d: [] for d in TEXT_DOMAINS}
        keys = sorted(set(self.fields) | set(self.settled), key=lambda k: (TEXT_DOMAINS.index(k[0]), k[1]))
        for domain, text_id in keys:
            key = (domain, text_id)
            original = self.sources[domain][text_id]
            translation = self.treatment.texts[self.lang][domain].root.get(text_id)
            new_hash = None
            if key not in self.blocked and set(entry_fields(original)) <= self.settled.get(key, set()):
                wanted = source_hash(original)
                if translation is None or translation.source_hash != wanted:
                    new_hash = wanted
            if key in self.fields or new_hash:
                self.result.reviewed += bool(new_hash)
                by_domain[domain].append(EntryChange(text_id, self.fields.get(key, {}), new_hash))
        return by_domain


def _final_entry(current: TextEntry | None, change: EntryChange) -> dict:
    data = current.model_dump(exclude_none=True) if current is not None else {}
    for name, value in change.fields.items():
        if name.startswith("forms."):
            data.setdefault("forms", {})[name.removeprefix("forms.")] = value
        else:
            data[name] = value
    if change.new_hash:
        data["source_hash"] = change.new_hash
    return data


def _write(
    treatment: Treatment,
    lang: str,
    entry_changes: dict[str, list[EntryChange]],
    result: ImportResult,
    known: list[Problem],
    *,
    dry_run: bool,
) -> None:
    """Edit each changed file in memory, prove the result loads, then write (all files or none).

    ``known`` are the problems the content had before: only a problem the import would add
    refuses it (a language being translated may still miss texts that another file needs).
    """
    new_texts: dict[str, str] = {}
    for domain, changes in entry_changes.items():
        if changes:
            edited = _edited_file(treatment, lang, domain, changes, result)
            if edited is not None:
                new_texts[treatment.text_path(lang, domain)] = edited
    if result.errors or not new_texts:
        return
    result.errors.extend(_problems_added(treatment, new_texts, known))
    if result.errors:
        return
    if not dry_run:
        for relative, text in new_texts.items():
            treatment.layout.path(relative).write_text(text, encoding="utf-8")
    result.written = sorted(new_texts)


def _edited_file(
    treatment: Treatment, lang: str, domain: str, changes: list[EntryChange], result: ImportResult
) -> str | None:
    """The text file of ``domain`` with ``changes`` made; None (and errors) if one cannot be."""
    relative = treatment.text_path(lang, domain)
    catalog = treatment.texts[lang][domain].root
    for change in changes:
        try:
            TextEntry.model_validate(_final_entry(catalog.get(change.text_id), change))
        except ValidationError as exc:
            reason = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            line = treatment.text_line(lang, domain, change.text_id)
            result.errors.append(Problem(relative, line, f"'{change.text_id}' ({lang}) cannot be written: {reason}"))
    old = treatment.layout.path(relative).read_text(encoding="utf-8")
    order = list(treatment.texts[treatment.settings.source_language][domain].root)
    try:
        return apply_changes(old, changes, order)
    except EditError as exc:
        result.errors.append(Problem(relative, exc.line, exc.message))
        return None


def _problems_added(treatment: Treatment, new_texts: dict[str, str], known: list[Problem]) -> list[Problem]:
    """Problems the edited files would add, found by loading them in a scratch copy of the content:
    a file that would not build is never written."""
    with tempfile.TemporaryDirectory(prefix="patientinfo-import-") as scratch:
        layout = treatment.layout
        scratch_layout = Layout(Path(scratch), layout.content_dir)
        shutil.copytree(layout.content, scratch_layout.content)
        for relative, text in new_texts.items():
            scratch_layout.path(relative).write_text(text, encoding="utf-8")
        try:
            after = load_translatable(scratch_layout, treatment.id)[1]
        except ContentError as exc:
            after = exc.problems
    before = {(p.path, p.message) for p in known}
    return [p for p in after if (p.path, p.message) not in before]
