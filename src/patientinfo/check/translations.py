"""The translation rules of the editors' check: each language's status (reviewed, stale,
unreviewed, missing), placeholders that differ from the source, and texts copied from another
language instead of translated (``identical.yaml`` lists those that are rightly the same)."""

from __future__ import annotations

import re
from pathlib import Path

from patientinfo.check.findings import Finding, LanguageStatus, one_line
from patientinfo.content.layout import Layout
from patientinfo.content.load import as_layout
from patientinfo.content.model import TEXT_DOMAINS, Treatment
from patientinfo.content.schema import PLACEHOLDER, TextEntry
from patientinfo.messages import _
from patientinfo.translate.catalogue import display_text, previous_source_text, source_hash


def translation_findings(
    treatment: Treatment, domains: tuple[str, ...] = TEXT_DOMAINS
) -> tuple[list[Finding], list[LanguageStatus]]:
    findings: list[Finding] = []
    statuses: list[LanguageStatus] = []
    source = treatment.settings.source_language
    for lang in treatment.languages:
        status = LanguageStatus(lang)
        statuses.append(status)
        for domain in domains:
            for text_id, original in treatment.texts[source][domain].root.items():
                status.texts += 1
                finding = None if lang == source else _translation_finding(treatment, lang, domain, text_id, original)
                if finding is None:
                    status.translated += 1
                else:
                    status.count(finding.kind)
                    findings.append(finding)
    return findings, statuses


def _translation_finding(treatment: Treatment, lang: str, domain: str, text_id: str, original) -> Finding | None:
    """What is wrong with the ``lang`` text of ``text_id``: missing, unreviewed or stale; None if nothing."""
    source = treatment.settings.source_language
    entry = treatment.texts[lang][domain].root.get(text_id)
    path = treatment.text_path(lang, domain)
    if entry is None:
        return Finding(
            "missing",
            treatment.text_path(source, domain),
            treatment.text_line(source, domain, text_id),
            _("'{id}' has no text in language '{lang}' ({file})").format(id=text_id, lang=lang, file=path),
            text_id,
            lang,
        )
    line = treatment.text_line(lang, domain, text_id)
    review = _("review it, then run: scripts/check --mark-reviewed {id} {lang}").format(id=text_id, lang=lang)
    if entry.source_hash is None:
        return Finding(
            "unreviewed",
            path,
            line,
            _("'{id}' ({lang}) does not record which {source} text it translates; {review}").format(
                id=text_id, lang=lang, source=source, review=review
            ),
            text_id,
            lang,
        )
    if entry.source_hash != source_hash(original):
        return Finding(
            "stale",
            path,
            line,
            _("'{id}' ({lang}) translates an older version of the {source} text; {review}").format(
                id=text_id, lang=lang, source=source, review=review
            ),
            text_id,
            lang,
            old_source=previous_source_text(treatment, domain, text_id, entry.source_hash),
            new_source=display_text(original),
            translation=display_text(entry),
        )
    return None


def placeholder_findings(treatment: Treatment, domains: tuple[str, ...] = TEXT_DOMAINS) -> list[Finding]:
    """A translation whose {placeholders} differ from the source text's: the page fills only the
    source's, so an extra one may be an error, and a missing one drops a value (a fact's own
    values are checked when the content loads)."""
    source = treatment.settings.source_language
    findings = []
    for lang in treatment.languages:
        if lang == source:
            continue
        for domain in domains:
            if domain == "facts":
                continue
            originals = treatment.texts[source][domain].root
            for text_id, entry in treatment.texts[lang][domain].root.items():
                original = originals.get(text_id)
                if original is None:
                    continue
                wanted = set(PLACEHOLDER.findall(" ".join(original.strings())))
                found = set(PLACEHOLDER.findall(" ".join(entry.strings())))
                if found == wanted:
                    continue
                extra, missing = sorted(found - wanted), sorted(wanted - found)
                findings.append(
                    Finding(
                        "placeholder",
                        treatment.text_path(lang, domain),
                        treatment.text_line(lang, domain, text_id),
                        f"'{text_id}' ({lang}) has placeholders that differ from the {source} text"
                        + (f"; not in the {source} text: {', '.join('{' + n + '}' for n in extra)}" if extra else "")
                        + (f"; missing: {', '.join('{' + n + '}' for n in missing)}" if missing else ""),
                        text_id,
                        lang,
                    )
                )
    return findings


# --------------------------------------------------------------------------- untranslated (issue 12)
# A text that is the same as the French text, or as another language's text of the same id, is
# not a translation, even when its source_hash (copied with it) says it was reviewed. Texts
# that are rightly the same are not reported: those with at most one word once placeholders,
# links' targets, web and e-mail addresses are left out ("{label}", "{n} patient", "Stress",
# "France", "Version {version}"), and those an editor lists in content/<lang>/identical.yaml.
IDENTICAL_FILE = "identical.yaml"
# Texts with fewer words than this may be the same in two languages (names, shared words).
UNTRANSLATED_MIN_WORDS = 2
_NOT_WORDS = re.compile(
    r"\]\([^)]*\)"  # a link's target: [label](https://...)
    r"|(?:https?://|mailto:|tel:)\S+"  # web addresses, e-mail and phone links
    r"|[^\s@()\[\]]+@[^\s@()\[\]]+\.[^\s@()\[\]]+"  # e-mail addresses
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _words(text: str) -> list[str]:
    """The words a translator would translate: not placeholders, numbers, addresses or markup."""
    from patientinfo.content.schema import PLACEHOLDER

    return _WORD.findall(_NOT_WORDS.sub(" ", PLACEHOLDER.sub(" ", text)))


def _same(text: str) -> str:
    """A text with its spacing normalised: a block scalar and a quoted string compare equal."""
    return " ".join(text.split())


def load_identical(where: Layout | Path, lang: str, source_ids: set[str]) -> dict[str, str]:
    """``content/<lang>/identical.yaml``: the text ids that are rightly the same as in another
    language, each with the editor's reason (``id: reason``; a plain list of ids is accepted too).

    Returns {} when the file does not exist; raises ContentError naming the file and line of each
    problem (YAML errors, an entry that is not an id, an id that is not a text of the source)."""
    from patientinfo.content.reading import load_yaml
    from patientinfo.errors import ContentError, Problem

    layout = as_layout(where)
    root = layout.root
    path = layout.path(layout.shown(lang, IDENTICAL_FILE))
    if not path.exists() and not path.is_symlink():
        return {}
    document = load_yaml(path, root)
    data = document.data
    shown = document.path
    fix = "write one 'text-id: why it is the same' line per text (or a list of '- text-id' lines)"
    if data is None:
        return {}
    if isinstance(data, list):
        items = [(index, value, "") for index, value in enumerate(data)]
    elif isinstance(data, dict):
        items = [(key, key, value) for key, value in data.items()]
    else:
        message = f"this file lists texts that are rightly the same in another language: {fix}"
        raise ContentError([Problem(shown, document.line([]), message)])
    problems: list[Problem] = []
    found: dict[str, str] = {}
    for loc, text_id, reason in items:
        line = document.line([loc])
        if not isinstance(text_id, str):
            problems.append(Problem(shown, line, f"'{text_id}' is not a text id: {fix}"))
        elif text_id not in source_ids:
            problems.append(
                Problem(
                    shown,
                    line,
                    f"'{text_id}' is not the id of a text in content/<source language>/*.yaml: "
                    f"correct the spelling or remove it",
                )
            )
        elif reason is not None and not isinstance(reason, str):
            problems.append(Problem(shown, line, f"'{text_id}': the reason must be text, not a list or group"))
        else:
            found[text_id] = reason or ""
    if problems:
        raise ContentError(problems)
    return found


def untranslated_findings(treatment: Treatment) -> list[Finding]:
    """Texts of a translation that are the same as the source text or as another language's text.

    A language is compared with the source language and with the languages listed before it in
    content/settings.yaml (the language copied into a new one is reported there, not here).
    Problems in a content/<lang>/identical.yaml are findings too (and the file is then ignored).
    """
    from patientinfo.errors import ContentError
    from patientinfo.translate.catalogue import entry_fields

    source = treatment.settings.source_language
    source_ids = set(treatment.site_text_ids) or {
        text_id for catalog in treatment.texts[source].values() for text_id in catalog.root
    }
    findings: list[Finding] = []
    earlier: list[str] = [source]
    for lang in treatment.languages:
        if lang == source:
            continue
        try:
            identical = load_identical(treatment.layout, lang, source_ids)
        except ContentError as exc:
            identical = {}
            findings += [Finding("untranslated", p.path, p.line, p.message, None, lang) for p in exc.problems]
        for domain in TEXT_DOMAINS:
            for text_id, entry in treatment.texts[lang][domain].root.items():
                if text_id in identical:
                    continue
                fields = entry_fields(entry)
                matches: list[tuple[str, str, str]] = []  # (language, field, text)
                for other in earlier:
                    other_entry = treatment.texts[other][domain].root.get(text_id)
                    if other_entry is None:
                        continue
                    other_fields = entry_fields(other_entry)
                    for name, text in fields.items():
                        same = name in other_fields and _same(other_fields[name]) == _same(text)
                        if same and len(_words(text)) >= UNTRANSLATED_MIN_WORDS:
                            matches.append((other, name, text))
                if matches:
                    findings.append(_untranslated(treatment, lang, domain, text_id, entry, matches))
        earlier.append(lang)
    return findings


def _language_name(lang: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang).english_name or lang
    except (UnknownLocaleError, ValueError):
        return lang


def _untranslated(
    treatment: Treatment, lang: str, domain: str, text_id: str, entry: TextEntry, matches: list[tuple[str, str, str]]
) -> Finding:
    source = treatment.settings.source_language
    _, name, text = matches[0]
    shown = one_line(text)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    which = "text" if name == "text" else ("note" if name == "note" else f"plural form '{name[6:]}'")
    languages = sorted({m[0] for m in matches}, key=lambda other: (other != source, other))
    described = " and ".join(f"{other} (the source)" if other == source else other for other in languages)
    reviewed = entry.source_hash and entry.source_hash == source_hash(treatment.texts[source][domain].root[text_id])
    copied = "; its source_hash marks it reviewed, but was probably copied with the text" if reviewed else ""
    language = _language_name(lang)
    return Finding(
        "untranslated",
        treatment.text_path(lang, domain),
        treatment.text_line(lang, domain, text_id),
        f"'{text_id}' ({lang}) is not translated: its {which} is the same as in {described}: \"{shown}\"{copied}. "
        f"Fix: translate it into {language}; if it is rightly the same in {language} (a name, a word both "
        f"languages share), add the line '{text_id}: <why>' to {treatment.layout.shown(lang, IDENTICAL_FILE)}",
        text_id,
        lang,
    )
