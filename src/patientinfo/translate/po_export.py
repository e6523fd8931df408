"""``patientinfo translations export LANG``: one gettext PO file for translators' tools.

Each field of each text is one entry: ``msgctxt`` names it (``facts/risk-redness``,
``facts/claim-proven:note``, ``ui/unit.session:forms.one``), ``msgid`` is the source-language
text, ``msgstr`` the current translation (empty when there is none). Extracted comments (``#.``)
tell the translator what the text is about: the fact's category, its sources and their own
words, what each ``{placeholder}`` becomes, the plural category of a form, a maximum length
where the layout needs one. A translation whose source text changed since its review is
``fuzzy``, with the earlier source text as ``#| msgid`` when git history still has it.
The output is deterministic: exporting the same content twice gives the same bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from babel import Locale
from babel.messages.plurals import get_plural

from patientinfo import __version__
from patientinfo.content.model import Treatment
from patientinfo.content.schema import PLACEHOLDER
from patientinfo.render.formatting import FormatError, Formatter
from patientinfo.translate.catalogue import MISSING, STALE, UNREVIEWED, Message, _git, language_messages

# Where the layout has room for a limited number of characters: (id suffix in pages.yaml, max, why).
LAYOUT_LIMITS = (
    (".title", 60, "page title: browser tab, navigation, search results"),
    (".description", 160, "summary shown by search engines under the title"),
)

# Placeholders that the page templates fill in (ui.yaml and pages.yaml).
TEMPLATE_PLACEHOLDERS = {
    "n": "the number, formatted for the language",
    "q": "a number with its unit, already formatted (e.g. '4 mm')",
    "min": "the smaller number of a range",
    "max": "the larger number of a range",
    "list": "a list already joined with commas and 'and' in this language",
    "label": "the short name of a source (e.g. 'Faetani 2021', or a clinic's letter)",
    "date": "a date, written out in this language",
    "last": "the date of the last review",
    "next": "the date of the next review",
    "by": "the name of the doctor who reviewed the content",
    "language": "the name of a language, from the language.* texts",
    "file": "a file name",
    "url": "the address of the page",
    "page": "the page number",
    "pages": "the number of pages",
    "version": "the version of the document",
}
# Inline marks a text may carry (markup.py): emphasis, strong emphasis, links.
INLINE_MARKS = re.compile(r"\*[^*\s]|\[[^\]]+\]\(")


def layout_limit(domain: str, text_id: str, field: str) -> tuple[int, str] | None:
    if domain != "pages" or field != "text":
        return None
    for suffix, limit, why in LAYOUT_LIMITS:
        if text_id.endswith(suffix):
            return limit, why
    return None


def plural_examples(locale: Locale) -> dict[str, str]:
    """CLDR plural category -> the first whole numbers that use it ('1', '0, 2, 3, 4, 5, …')."""
    samples: dict[str, list[int]] = {}
    for number in range(0, 1001):
        samples.setdefault(locale.plural_form(number), []).append(number)
    return {cat: ", ".join(map(str, nums[:6])) + (", …" if len(nums) > 6 else "") for cat, nums in samples.items()}


class Commenter:
    """Builds the extracted comments (``#.``) of each message of one language."""

    def __init__(self, treatment: Treatment, lang: str):
        self.treatment = treatment
        self.lang = lang
        self.locale = Locale.parse(treatment.settings.locale(lang))
        try:
            self.language_name = Locale.parse(lang).english_name or lang
        except (ValueError, TypeError):
            self.language_name = self.locale.english_name or lang
        self.formatter = Formatter(treatment.settings.locale(lang), treatment.texts[lang]["ui"].root.get)
        self.plurals = plural_examples(self.locale)
        file = treatment.facts_file
        self.disputes = {d.id: d for d in file.disputes}
        self.faq = {q.id: q for q in file.faq}
        self.excluded = {e.id: e for e in file.excluded}

    def source_lines(self, source_ids: list[str], quotes: dict[str, str], what: str = "Source") -> list[str]:
        lines = []
        for source_id in source_ids:
            source = self.treatment.sources.get(source_id)
            if source is None:
                continue
            if source.type == "clinic_website":
                described = f"web page of clinic {source.label} (promotional; cited for what the clinic says)"
            else:
                described = f"{source.label}, {source.type.replace('_', ' ')}: {source.citation}"
            lines.append(f"{what} {source_id}: {described}")
            if source_id in quotes:
                lines.append(f"Quote ({source_id}, verbatim): «{quotes[source_id]}»")
        return lines

    def shown(self, quantity) -> str:
        try:
            return f"«{self.formatter.quantity(quantity).replace(chr(160), ' ')}»"
        except (FormatError, KeyError, ValueError):
            return "(formatted from the facts)"

    def placeholder_lines(self, message: Message) -> list[str]:
        names = list(dict.fromkeys(PLACEHOLDER.findall(message.source)))
        if not names:
            return []
        facts = self.treatment.facts
        fact = facts.get(message.text_id) if message.domain == "facts" else None
        clinic = self.treatment.clinic.model_dump()
        lines = ["Placeholders: keep each {name} exactly as it is; never type its number or words yourself."]
        for name in names:
            owner, _, value = name.partition(".")
            if fact is not None and name in fact.values:
                quantity = fact.values[name]
                raw = ", ".join(f"{k} {v}" for k, v in quantity.model_dump(exclude_none=True).items())
                meaning = f"this fact's value '{name}' ({raw}), shown in {self.language_name} as {self.shown(quantity)}"
            elif owner == "clinic" and value in clinic:
                meaning = f"the clinic's {value.replace('_', ' ')} (now: {clinic[value]})"
            elif owner in facts and value in facts[owner].values:
                quantity = facts[owner].values[value]
                meaning = f"value '{value}' of fact '{owner}', shown in {self.language_name} as {self.shown(quantity)}"
            else:
                meaning = TEMPLATE_PLACEHOLDERS.get(name, "filled in by the page template")
            lines.append(f"{{{name}}} = {meaning}")
        return lines

    def about_fact_text(self, text_id: str, field: str) -> list[str]:
        """What a text of the facts domain is: a fact, a disagreement, a question or a claim left out."""
        lines: list[str] = []
        fact = self.treatment.facts.get(text_id)
        if fact is not None:
            details = [f"category '{fact.category}'"]
            for name in ("group", "severity", "step"):
                if getattr(fact, name):
                    details.append(f"{name} '{getattr(fact, name)}'")
            if fact.category == "summary":
                details.append("a key message, first on the home page and the leaflet")
            if fact.category == "screening":
                details.append("a question of the questionnaire (the note says why it is asked)")
            lines.append(f"Fact '{text_id}': {', '.join(details)}.")
            if field == "note":
                lines.append("This is the note shown after the fact's text (a comment on what the sources say).")
                lines += self.source_lines(fact.note_sources, {}, "Source of the note")
            else:
                lines += self.source_lines(fact.sources, fact.quotes)
        elif text_id in self.disputes:
            facts = ", ".join(self.disputes[text_id].facts)
            lines.append(f"Introduces a disagreement between sources; the facts that disagree follow: {facts}.")
        elif text_id in self.faq:
            item = self.faq[text_id]
            answered = ", ".join([*item.facts, *item.disputes])
            part = "the short answer" if field == "note" else "the question"
            lines.append(f"Frequently asked question, {part}; answered on the page by: {answered}.")
        elif text_id in self.excluded:
            left_out = self.excluded[text_id]
            lines.append("A statement of a source deliberately left out, said openly on the 'about' page.")
            lines += self.source_lines(left_out.sources, left_out.quotes)
        return lines

    def about(self, message: Message) -> list[str]:
        """The translator's comment of one message: what the text is, where it shows, its limits."""
        domain, text_id, field = message.domain, message.text_id, message.field
        lines: list[str] = []
        if domain == "facts":
            lines += self.about_fact_text(text_id, field)
        elif domain == "pages":
            page, _, part = text_id.partition(".")
            lines.append(f"Page '{page}': {part.replace('_', ' ') or 'text'}.")
            if "\n\n" in message.source:
                lines.append("A blank line starts a new paragraph.")
        else:
            lines.append("Interface text, used by the page templates and the leaflet.")
        if field.startswith("forms."):
            key = field.removeprefix("forms.")
            if key.startswith("="):
                lines.append(f"Form used when the number is exactly {key[1:]}.")
            elif key == "other" and len(self.plurals) > 1:
                lines.append(
                    f"Plural form 'other': in {self.language_name}, used for {self.plurals.get('other', '…')}."
                )
            else:
                lines.append(f"Plural form '{key}': in {self.language_name}, used for {self.plurals.get(key, '—')}.")
        limit = layout_limit(domain, text_id, field)
        if limit:
            lines.append(f"Maximum length: {limit[0]} characters ({limit[1]}).")
        lines += self.placeholder_lines(message)
        if INLINE_MARKS.search(message.source):
            lines.append("Keep the marks *emphasis*, **strong** and [link text](address); translate the words inside.")
        if message.fuzzy:
            if message.state == UNREVIEWED:
                lines.append("Needs review: this translation does not record which source text it translates.")
            elif message.previous_source is None and message.state == STALE:
                lines.append("Needs review: the source text changed since this translation was reviewed.")
        return lines


def content_date(treatment: Treatment) -> str:
    """The date of the last committed change to the content folder (stable); outside git, the
    day the content was last reviewed (never the clock: the same content gives the same file)."""
    layout = treatment.layout
    out = _git(layout.root, "log", "-1", "--format=%cd", "--date=format:%Y-%m-%d %H:%M%z", "--", layout.content_dir)
    if out and out.strip():
        return out.strip()
    return f"{treatment.facts_file.review.last_reviewed.isoformat()} 00:00+0000"


def export_catalog(treatment: Treatment, lang: str) -> tuple[polib.POFile, list[Message]]:
    """The PO catalog of ``lang`` (a target language) and the messages it holds."""
    source_lang = treatment.settings.source_language
    locale = treatment.settings.locale(lang)
    messages = language_messages(treatment, lang)
    commenter = Commenter(treatment, lang)
    po = polib.POFile(wrapwidth=79, check_for_duplicates=False)
    po.header = (
        f"Texts of the patient information on '{treatment.id}' ({treatment.clinic.name}),\n"
        f"to translate from '{source_lang}' into '{lang}'.\n"
        f"Made by: patientinfo translations export {lang}\n"
        "Bring back with: patientinfo translations import FILE (then scripts/check, scripts/build)."
    )
    date = content_date(treatment)
    po.metadata = {
        "Project-Id-Version": f"{treatment.id} (patientinfo {__version__})",
        "Report-Msgid-Bugs-To": treatment.clinic.email,
        "POT-Creation-Date": date,
        "PO-Revision-Date": date,
        "Last-Translator": "",
        "Language-Team": commenter.language_name,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": get_plural(locale).plural_forms,
        "X-Generator": f"patientinfo {__version__}",
        "X-Source-Language": source_lang,
        "X-Treatment": treatment.id,
    }
    for message in messages:
        flags = []
        if message.fuzzy:
            flags.append("fuzzy")
        if PLACEHOLDER.search(message.source):
            flags.append("python-brace-format")
        limit = layout_limit(message.domain, message.text_id, message.field)
        if limit:
            flags.append(f"max-length:{limit[0]}")
        occurrences = [(treatment.text_path(source_lang, message.domain), str(_line(treatment, source_lang, message)))]
        if message.state != MISSING:
            occurrences.append((treatment.text_path(lang, message.domain), str(_line(treatment, lang, message))))
        entry = polib.POEntry(
            msgctxt=message.context,
            msgid=message.source,
            msgstr=message.translation or "",
            comment="\n".join(commenter.about(message)),
            flags=flags,
            occurrences=occurrences,
        )
        if message.previous_source is not None:
            entry.previous_msgctxt = message.context
            entry.previous_msgid = message.previous_source
        po.append(entry)
    return po, messages


def _line(treatment: Treatment, lang: str, message: Message) -> int:
    document = treatment.yaml_files.get(treatment.text_path(lang, message.domain))
    if document is None:
        return 1
    loc: list[str] = [message.text_id]
    if (
        message.field != "text"
        or not isinstance(document.data, dict)
        or isinstance(document.data.get(message.text_id), dict)
    ):
        loc += message.field.split(".", 1)
    return document.line(loc)


def export_file(treatment: Treatment, lang: str, output: Path | None) -> tuple[str, list[Message]]:
    """Write the PO file (or return its text when ``output`` is None)."""
    po, messages = export_catalog(treatment, lang)
    text = str(po)
    if not text.endswith("\n"):
        text += "\n"
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    return text, messages
