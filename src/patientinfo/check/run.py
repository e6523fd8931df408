"""The editors' check: stale translations, typed numbers, review dates, balance, readability,
and honesty (every number of a fact still appears in the words it quotes from its source).

Each finding names ``path:line``, the text id and the language. Locally findings are warnings;
with ``--strict`` (or CI=true) any finding fails the check. ``mark_reviewed`` records in a
translation which version of the source text it translates, editing only that one line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from patientinfo.content.load import TEXT_DOMAINS, Project, Treatment
from patientinfo.content.schema import OWN_SOURCE_TYPES, PLACEHOLDER, TextEntry
from patientinfo.translate.catalogue import display_text, previous_source_text

if TYPE_CHECKING:
    from patientinfo.check.readability import ReadabilityRow

DIGIT = re.compile(r"\d")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|\{\{|\{%|\}\}|%\}")


@dataclass(frozen=True)
class Finding:
    kind: str  # stale | unreviewed | missing | digit | markup | overdue | readability | honesty
    path: str
    line: int
    message: str
    text_id: str | None = None
    lang: str | None = None
    # stale translations: the source text it was made from (None if git history lacks it), the
    # source text now, and the translation now
    old_source: str | None = None
    new_source: str | None = None
    translation: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class LanguageStatus:
    lang: str
    texts: int = 0
    translated: int = 0
    missing: int = 0
    stale: int = 0
    unreviewed: int = 0
    untranslated: int = 0  # the same words as another language: copied, not translated


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    languages: list[LanguageStatus] = field(default_factory=list)
    readability: list[ReadabilityRow] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "findings": [asdict(f) for f in self.findings],
                "languages": [asdict(s) for s in self.languages],
                "readability": [asdict(r) for r in self.readability],
            },
            ensure_ascii=False,
            indent=2,
        )


TYPOGRAPHIC_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def source_hash(entry: TextEntry) -> str:
    """A short fingerprint of a source-language text: it changes when the wording changes, not
    when a plain space becomes a non-breaking one (typography never makes a translation stale)."""
    canonical = json.dumps({"text": entry.text, "note": entry.note, "forms": entry.forms}, sort_keys=True)
    canonical = canonical.replace("\\u00a0", " ").replace("\\u202f", " ").translate(TYPOGRAPHIC_SPACES)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


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
            originals = treatment.texts[source][domain].root
            translations = treatment.texts[lang][domain].root
            for text_id, original in originals.items():
                status.texts += 1
                if lang == source:
                    status.translated += 1
                    continue
                entry = translations.get(text_id)
                path = treatment.text_path(lang, domain)
                if entry is None:
                    status.missing += 1
                    findings.append(
                        Finding(
                            "missing",
                            treatment.text_path(source, domain),
                            treatment.text_line(source, domain, text_id),
                            f"'{text_id}' has no text in language '{lang}' ({path})",
                            text_id,
                            lang,
                        )
                    )
                    continue
                line = treatment.text_line(lang, domain, text_id)
                if entry.source_hash is None:
                    status.unreviewed += 1
                    findings.append(
                        Finding(
                            "unreviewed",
                            path,
                            line,
                            f"'{text_id}' ({lang}) does not record which {source} text it translates; "
                            f"review it, then run: scripts/check --mark-reviewed {text_id} {lang}",
                            text_id,
                            lang,
                        )
                    )
                elif entry.source_hash != source_hash(original):
                    status.stale += 1
                    findings.append(
                        Finding(
                            "stale",
                            path,
                            line,
                            f"'{text_id}' ({lang}) translates an older version of the {source} text; "
                            f"review it, then run: scripts/check --mark-reviewed {text_id} {lang}",
                            text_id,
                            lang,
                            old_source=previous_source_text(
                                treatment.root, domain, text_id, entry.source_hash, treatment.id
                            ),
                            new_source=display_text(original),
                            translation=display_text(entry),
                        )
                    )
                else:
                    status.translated += 1
    return findings, statuses


LINK_TARGET = re.compile(r"\]\((?:https?://|mailto:|tel:)[^()\s]*\)")


def wording_findings(treatment: Treatment) -> list[Finding]:
    """Digits typed into prose, and HTML or template syntax that would show literally."""
    allowed = {(a.lang, a.id, a.text) for a in treatment.settings.check.allowed_digits}
    findings = []
    for lang in treatment.languages:
        for domain in TEXT_DOMAINS:
            for text_id, entry in treatment.texts[lang][domain].root.items():
                path, line = treatment.text_path(lang, domain), treatment.text_line(lang, domain, text_id)
                for text in entry.strings():
                    # A link's address is not prose: its digits are the page's, not a value.
                    prose = LINK_TARGET.sub("]", text)
                    for number in re.findall(r"\d+(?:[.,]\d+)*", prose):
                        if (lang, text_id, number) not in allowed:
                            findings.append(
                                Finding(
                                    "digit",
                                    path,
                                    line,
                                    f"'{text_id}' ({lang}) types the number '{number}': insert it from "
                                    f"the facts with a placeholder, or declare it in content/settings.yaml "
                                    f"under check.allowed_digits",
                                    text_id,
                                    lang,
                                )
                            )
                    if MARKUP.search(text):
                        findings.append(
                            Finding(
                                "markup",
                                path,
                                line,
                                f"'{text_id}' ({lang}) contains HTML or template syntax; it will be "
                                f"shown literally, not interpreted",
                                text_id,
                                lang,
                            )
                        )
    return findings


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


FRENCH_PLAIN_SPACE = re.compile(r"(?<=\S) (?=[:;!?»])|(?<=«) ")


def typography_findings(treatment: Treatment) -> list[Finding]:
    """French typography: a non-breaking space before : ; ! ? » and after «. A plain space there
    lets a line break leave the sign alone at the start of the next line. Changing a plain space
    to a non-breaking one never makes a translation stale (see source_hash)."""
    findings = []
    for lang in treatment.languages:
        if not treatment.settings.locale(lang).startswith("fr"):
            continue
        for domain in treatment.texts[lang]:
            for text_id, entry in treatment.texts[lang][domain].root.items():
                for text in entry.strings():
                    for match in FRENCH_PLAIN_SPACE.finditer(text):
                        sign = text[match.end()] if match.group(0) == " " and match.end() < len(text) else "«"
                        shown = text[max(0, match.start() - 12) : match.end() + 2].replace("\n", " ")
                        findings.append(
                            Finding(
                                "typography",
                                treatment.text_path(lang, domain),
                                treatment.text_line(lang, domain, text_id),
                                f"'{text_id}' ({lang}): a plain space next to '{sign}' in \"{shown}\"; French "
                                f"typography needs a non-breaking space there (U+00A0, Option+Space on a Mac, "
                                f"Ctrl+Shift+Space in most word processors)",
                                text_id,
                                lang,
                            )
                        )
    return findings


def review_findings(treatment: Treatment, today: dt.date) -> list[Finding]:
    """The treatment's review and each fact's own review, once past their next review date."""
    document = treatment.documents[treatment.facts_path]
    findings = []
    review = treatment.facts_file.review
    if today > review.next_review:
        findings.append(
            Finding(
                "overdue",
                document.path,
                document.line(["review", "next_review"]),
                f"the review was due on {review.next_review.isoformat()}; every page now shows a "
                f"notice until a doctor reviews the content and the dates are updated",
            )
        )
    for index, fact in enumerate(treatment.facts_file.facts):
        if fact.review and today > fact.review.next_review:
            findings.append(
                Finding(
                    "overdue",
                    document.path,
                    document.line(["facts", index, "review", "next_review"]),
                    f"fact '{fact.id}' was due for review on {fact.review.next_review.isoformat()}; "
                    f"the pages showing it carry a notice",
                    fact.id,
                )
            )
    return findings


# --------------------------------------------------------------------------- honesty
# A clinic's web page is cited for what it says, so a fact that cites one must quote its words;
# publications, regulations and the clinic's own protocols may be cited without a quote.

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])")
# Numbers written as words in the languages of the sources. Articles count as "one": a quote
# saying "une séance" supports a value of 1.
_NUMBER_WORD_LISTS = {
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf vingt",
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici "
    "sedici diciassette diciotto diciannove venti",
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty",
}
NUMBER_WORDS: dict[str, int] = {
    word: number for words in _NUMBER_WORD_LISTS.values() for number, word in enumerate(words.split())
}
NUMBER_WORDS.update(
    {
        "une": 1,
        "un": 1,
        "una": 1,
        "trente": 30,
        "quarante": 40,
        "cinquante": 50,
        "soixante": 60,
        "cent": 100,
        "mille": 1000,
        "douzaine": 12,
        "quinzaine": 15,
        "trenta": 30,
        "quaranta": 40,
        "cinquanta": 50,
        "sessanta": 60,
        "cento": 100,
        "dozzina": 12,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "hundred": 100,
        "thousand": 1000,
        "dozen": 12,
    }
)


def quoted_numbers(quote: str) -> set[float]:
    """Every number a quote may mean: "3-5" gives 3 and 5, "0,5" 0.5, "1.000" 1 or 1000,
    "1 000" 1000, "10/12" 10 and 12, "six semaines" 6."""
    numbers: set[float] = set()
    for token in _TOKEN.findall(quote):
        separators = [c for c in token if c in ".,"]
        digits_only = token.replace(".", "").replace(",", "")
        if not separators:
            numbers.add(float(token))
            continue
        if len(separators) == 1:  # "0,5" or "0.5"; "1.000" may also be a thousand
            numbers.add(float(token.replace(",", ".")))
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token) or re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
            numbers.add(float(digits_only))
        grouped_decimal = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+),(\d+)|(\d{1,3}(?:,\d{3})+)\.(\d+)", token)
        if grouped_decimal:
            whole = (grouped_decimal.group(1) or grouped_decimal.group(3)).replace(".", "").replace(",", "")
            fraction = grouped_decimal.group(2) or grouped_decimal.group(4)
            numbers.add(float(f"{whole}.{fraction}"))
    for grouped in _SPACE_GROUPED.findall(quote):
        numbers.add(float(re.sub(r"\D", "", grouped)))
    lowered = quote.lower()
    for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", lowered):
        if word in NUMBER_WORDS:
            numbers.add(float(NUMBER_WORDS[word]))
            continue
        parts = [NUMBER_WORDS.get(part) for part in word.split("-")]
        if len(parts) == 2 and None not in parts and parts[0] >= 20 and parts[1] < 10:  # vingt-deux
            numbers.add(float(parts[0] + parts[1]))
        else:
            numbers.update(float(part) for part in parts if part is not None)
    return numbers


def _month_names(treatment: Treatment) -> dict[str, int]:
    from babel import Locale

    names: dict[str, int] = {}
    locales = {treatment.settings.locale(lang) for lang in treatment.languages} | {"en", "fr", "it"}
    for locale_name in sorted(locales):
        locale = Locale.parse(locale_name)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    names[name.lower().rstrip(".")] = number
    return names


def quoted_dates(quote: str, months: dict[str, int]) -> set[dt.date]:
    """Full dates written in a quote: 2011-04-11, 11/04/2011, 11.04.2011, 11 avril 2011, April 11, 2011."""
    found: set[dt.date] = set()

    def add(year: str, month: int | str, day: str) -> None:
        with contextlib.suppress(ValueError):  # "31/02/2011" is not a date
            found.add(dt.date(int(year), int(month), int(day)))

    for year, month, day in re.findall(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)", quote):
        add(year, month, day)
    for day, month, year in re.findall(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)", quote):
        add(year, month, day)
    month_pattern = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    lowered = quote.lower()
    for day, month, year in re.findall(
        rf"(?<!\d)(\d{{1,2}})(?:er|st|nd|rd|th|°)?\s+({month_pattern})\.?\s+(\d{{4}})(?!\d)", lowered
    ):
        add(year, months[month], day)
    for month, day, year in re.findall(
        rf"\b({month_pattern})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", lowered
    ):
        add(year, months[month], day)
    return found


def _shown(number: float | int) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def _date_in_quote(day: dt.date, quote: str, months: dict[str, int]) -> bool:
    """The full date as written, or its year when the quote gives no other date in that year."""
    dates = quoted_dates(quote, months)
    if day in dates:
        return True
    same_year = [d for d in dates if d.year == day.year]
    return not same_year and float(day.year) in quoted_numbers(quote)


def honesty_findings(treatment: Treatment) -> list[Finding]:
    """Facts whose numbers no longer appear in the words they quote, and sources cited without their
    words (every source but the clinic's own protocol and the site's own reading, ``editorial``)."""
    document = treatment.documents[treatment.facts_path]
    months = _month_names(treatment)
    findings: list[Finding] = []
    fix_value = (
        "Fix: read the source again and correct the value in the treatment's facts.yaml; if the source "
        "really gives this number, replace the quote with the source's exact words that give it."
    )
    for index, fact in enumerate(treatment.facts_file.facts):
        for field_name in ("sources", "note_sources", "studied_in"):
            for position, source_id in enumerate(getattr(fact, field_name)):
                source = treatment.sources.get(source_id)
                if source is None or source.type in OWN_SOURCE_TYPES or source_id in fact.quotes:
                    continue
                what = "the clinic page" if source.type == "clinic_website" else "the source"
                findings.append(
                    Finding(
                        "honesty",
                        document.path,
                        document.line(["facts", index, field_name, position]),
                        f"fact '{fact.id}' cites {what} {source_id} ({source.label}) without quoting it. "
                        f"Fix: under 'quotes', add '{source_id}:' with the source's exact words that say this; "
                        f"if the source does not say it, remove {source_id} from the fact's {field_name} (the "
                        f"clinic's own rules cite clinic-protocol, the site's own conclusions cite editorial).",
                        fact.id,
                    )
                )
        if not fact.quotes:
            continue  # the clinic's own protocol and the site's own reading: no outside words to compare with
        for name, quantity in fact.values.items():
            line = document.line(["facts", index, "values", name])
            if quantity.date is not None:
                if any(_date_in_quote(quantity.date, q, months) for q in fact.quotes.values()):
                    continue
                wanted = quantity.date.isoformat()
                missing_text = f"the date {wanted} (or its year {quantity.date.year})"
            else:
                numbers = [n for n in (quantity.value, quantity.about, quantity.min, quantity.max) if n is not None]
                best: list[float | int] | None = None
                for quote in fact.quotes.values():
                    present = quoted_numbers(quote)
                    missing = [n for n in numbers if not any(abs(float(n) - p) < 1e-9 for p in present)]
                    if best is None or len(missing) < len(best):
                        best = missing
                if not best:
                    continue
                wanted = " to ".join(_shown(n) for n in numbers) if quantity.shape == "range" else _shown(numbers[0])
                missing_text = " or ".join(_shown(n) for n in best)
            quotes = "; ".join(f'{source_id}: "{quote}"' for source_id, quote in fact.quotes.items())
            findings.append(
                Finding(
                    "honesty",
                    document.path,
                    line,
                    f"fact '{fact.id}' value '{name}' is {wanted}, but {missing_text} is not in the words "
                    f"it quotes ({quotes}). {fix_value}",
                    fact.id,
                )
            )
    return findings


# --------------------------------------------------------------------------- documents
def documents_readability(treatment: Treatment) -> list[ReadabilityRow]:
    """One readability row per language for the texts of the consultation documents."""
    import textstat

    from patientinfo.check.readability import FORMULAS, ReadabilityRow, _use_offline_dictionary
    from patientinfo.content.schema import PLACEHOLDER

    _use_offline_dictionary()
    rows = []
    for lang in treatment.languages:
        rule = treatment.settings.check.readability.get(lang)
        catalog = treatment.texts[lang].get("documents")
        if rule is None or catalog is None:
            continue
        sentences = []
        for entry in catalog.root.values():
            for line in re.split(r"\n\s*\n|\n", entry.text or ""):
                line = PLACEHOLDER.sub("X", line).strip().rstrip(":").strip()
                if line:
                    sentences.append(line if line[-1] in ".!?…»" else line + ".")
        text = " ".join(sentences)
        score = FORMULAS[rule.formula](text)
        count = max(1, textstat.sentence_count(text))
        words = textstat.lexicon_count(text)
        rows.append(
            ReadabilityRow("documents", lang, rule.formula, round(score, 1), rule.min, round(words / count, 1), words)
        )
    return rows


def run_project_check(project: Project, today: dt.date, *, readability: bool = True) -> Report:
    """The check of every treatment, in one report; the shared interface texts (ui.yaml) are
    checked and counted once."""
    report = Report()
    for index, treatment in enumerate(project.treatments.values()):
        part = run_check(treatment, today, readability=readability, with_ui=index == 0)
        report.findings += part.findings
        report.readability += part.readability
        if not report.languages:
            report.languages = part.languages
            continue
        for total, status in zip(report.languages, part.languages, strict=True):
            for name in ("texts", "translated", "missing", "stale", "unreviewed", "untranslated"):
                setattr(total, name, getattr(total, name) + getattr(status, name))
    return report


def run_check(treatment: Treatment, today: dt.date, *, readability: bool = True, with_ui: bool = True) -> Report:
    """The check of one treatment (and, ``with_ui``, of the site's interface texts)."""
    report = Report()
    domains = TEXT_DOMAINS if with_ui else tuple(d for d in TEXT_DOMAINS if d != "ui")
    findings, report.languages = translation_findings(treatment, domains)
    findings += wording_findings(treatment)
    findings += typography_findings(treatment)
    findings += review_findings(treatment, today)
    findings += honesty_findings(treatment)
    findings += placeholder_findings(treatment, domains)
    copied = untranslated_findings(treatment)  # issue 12
    if not with_ui:
        ui_paths = {treatment.text_path(lang, "ui") for lang in treatment.languages}
        findings = [f for f in findings if f.path not in ui_paths]
        copied = [f for f in copied if f.path not in ui_paths]
    report.findings += findings
    report.findings += copied
    for status in report.languages:  # a copied text is not a translated one
        texts = {(f.path, f.text_id) for f in copied if f.lang == status.lang}
        status.untranslated = len(texts)
        status.translated = max(0, status.translated - len(texts))
    if readability:
        from patientinfo.check.readability import page_readability

        report.readability = page_readability(treatment) + documents_readability(treatment)
        for row in report.readability:
            if not row.passes:
                # The consultation documents' texts are one file; a page's texts start at its title.
                domain, text_id = ("documents", None) if row.page == "documents" else ("pages", f"{row.page}.title")
                report.findings.append(
                    Finding(
                        "readability",
                        treatment.text_path(row.lang, domain),
                        treatment.text_line(row.lang, domain, text_id) if text_id else 1,
                        f"page '{row.page}' ({row.lang}): {row.formula} {row.score:.0f} is below {row.threshold:.0f} "
                        f"(mean sentence length {row.mean_sentence_length:.1f} words)",
                        text_id,
                        row.lang,
                    )
                )
    return report


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_report(report: Report) -> str:
    lines = ["Translations", "  language  texts  translated  missing  stale  unreviewed  untranslated"]
    for s in report.languages:
        lines.append(
            f"  {s.lang:<8}  {s.texts:>5}  {s.translated:>10}  {s.missing:>7}  {s.stale:>5}  {s.unreviewed:>10}"
            f"  {s.untranslated:>12}"
        )
    if report.readability:
        lines += [
            "",
            "Readability (per page and language)",
            f"  {'page':<18} {'lang':<4} {'formula':<13} {'score':>5} {'min':>4} {'words/sentence':>14}  ok",
        ]
        for r in report.readability:
            if r.note:  # a language with no readability formula says so
                lines.append(f"  {r.page:<18} {r.lang:<4} {r.note}")
                continue
            lines.append(
                f"  {r.page:<18} {r.lang:<4} {r.formula:<13} {r.score:>5.0f} {r.threshold:>4.0f} "
                f"{r.mean_sentence_length:>14.1f}  {'yes' if r.passes else 'NO'}"
            )
    lines.append("")
    if report.findings:
        lines.append(f"{len(report.findings)} finding(s):")
        for f in sorted(report.findings, key=lambda f: (f.path, f.line, f.message)):
            lines.append(f"  {f}")
            if f.kind == "stale":
                lines.append(f"      source then: {_one_line(f.old_source or '(not found in git history)')}")
                lines.append(f"      source now:  {_one_line(f.new_source or '')}")
                lines.append(f"      translation: {_one_line(f.translation or '')}")
    else:
        lines.append("No findings.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- marking reviewed
def _entry_nodes(text: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {key.value: (key, value) for key, value in root.value}


def _with_hash(text: str, key: yaml.Node, value: yaml.Node, new_hash: str) -> str:
    """Return ``text`` with ``source_hash: new_hash`` set in the entry, touching nothing else."""
    quoted = f'"{new_hash}"'
    if isinstance(value, yaml.MappingNode):
        for child_key, child_value in value.value:
            if child_key.value == "source_hash":
                return text[: child_value.start_mark.index] + quoted + text[child_value.end_mark.index :]
        indent = " " * value.value[0][0].start_mark.column
        position = value.end_mark.index
        if value.flow_style:
            return text[: position - 1].rstrip() + f", source_hash: {quoted}" + "}" + text[position:]
        last_end = value.value[-1][1].end_mark.index
        if text[last_end - 1 : last_end] == "\n":
            return text[:last_end] + f"{indent}source_hash: {quoted}\n" + text[last_end:]
        return text[:last_end] + f"\n{indent}source_hash: {quoted}" + text[last_end:]
    # Shorthand "id: text": turn it into a mapping with the original scalar kept as written.
    indent = " " * (key.start_mark.column + 2)
    before, after = text[: value.start_mark.index].rstrip(" "), text[value.end_mark.index :]
    scalar = text[value.start_mark.index : value.end_mark.index]
    if value.style in ("|", ">"):
        head, _, body = scalar.partition("\n")
        body = "".join("  " + line if line.strip() else line for line in body.splitlines(keepends=True))
        return before + f"\n{indent}text: {head}\n{body}{indent}source_hash: {quoted}\n" + after
    return before + f"\n{indent}text: {scalar}\n{indent}source_hash: {quoted}" + after


def mark_reviewed(project: Project, text_id: str, lang: str) -> Path:
    """Record that ``text_id`` in ``lang`` translates the current source text. Returns the file
    (the first that has it: the interface's, then each treatment's)."""
    if lang == project.settings.source_language:
        raise ValueError(f"'{lang}' is the source language: its texts are not translations")
    if lang not in project.languages:
        raise ValueError(f"unknown language '{lang}'")
    for treatment, domain in ((c, d) for c in project.treatments.values() for d in TEXT_DOMAINS):
        original = treatment.texts[treatment.settings.source_language][domain].root.get(text_id)
        if original is None or text_id not in treatment.texts[lang][domain].root:
            continue
        path = treatment.root / treatment.text_path(lang, domain)
        text = path.read_text(encoding="utf-8")
        key, value = _entry_nodes(text)[text_id]
        path.write_text(_with_hash(text, key, value, source_hash(original)), encoding="utf-8")
        return path
    raise ValueError(f"no text '{text_id}' in language '{lang}' (and in the source language)")


def mark_all_reviewed(project: Project, lang: str) -> int:
    """Mark every text of ``lang`` reviewed; for a translator who has just reviewed them all."""
    count = 0
    first = project.first
    for treatment, domain in ((c, d) for c in project.treatments.values() for d in TEXT_DOMAINS):
        if domain == "ui" and treatment is not first:
            continue  # the interface's texts are shared: marked once
        originals = treatment.texts[treatment.settings.source_language][domain].root
        path = treatment.root / treatment.text_path(lang, domain)
        text = path.read_text(encoding="utf-8")
        nodes = _entry_nodes(text)
        # Edit from the end of the file so that earlier positions stay valid.
        for text_id in sorted(nodes, key=lambda i: nodes[i][0].start_mark.index, reverse=True):
            if text_id in originals:
                key, value = nodes[text_id]
                text = _with_hash(text, key, value, source_hash(originals[text_id]))
                count += 1
        path.write_text(text, encoding="utf-8")
    return count


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


def load_identical(root: Path, lang: str, source_ids: set[str]) -> dict[str, str]:
    """``content/<lang>/identical.yaml``: the text ids that are rightly the same as in another
    language, each with the editor's reason (``id: reason``; a plain list of ids is accepted too).

    Returns {} when the file does not exist; raises ContentError naming the file and line of each
    problem (YAML errors, an entry that is not an id, an id that is not a text of the source)."""
    from patientinfo.content.reading import load_yaml
    from patientinfo.errors import ContentError, Problem

    path = root / "content" / lang / IDENTICAL_FILE
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
            identical = load_identical(treatment.root, lang, source_ids)
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
    shown = _one_line(text)
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
        f"languages share), add the line '{text_id}: <why>' to content/{lang}/{IDENTICAL_FILE}",
        text_id,
        lang,
    )
