"""The wording rules of the editors' check: no number typed into prose (numbers live in the
facts), no HTML or template syntax, French spaces, and review dates that have passed."""

from __future__ import annotations

import datetime as dt
import re

from patientinfo.check.findings import Finding
from patientinfo.content.markup import MARKUP
from patientinfo.content.model import TEXT_DOMAINS, Treatment

DIGIT = re.compile(r"\d")

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
                                    f"the facts with a placeholder, or declare it in {treatment.layout.settings} "
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
    document = treatment.yaml_files[treatment.facts_path]
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
