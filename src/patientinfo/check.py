"""The editors' check: stale translations, typed numbers, review dates, balance, readability.

Each finding names ``path:line``, the text id and the language. Locally findings are warnings;
with ``--strict`` (or CI=true) any finding fails the check. ``mark_reviewed`` records in a
translation which version of the source text it translates, editing only that one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from .content import TEXT_DOMAINS, Content
from .readability import ReadabilityRow, page_readability
from .schema import TextEntry

DIGIT = re.compile(r"\d")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|\{\{|\{%|\}\}|%\}")


@dataclass(frozen=True)
class Finding:
    kind: str  # stale | unreviewed | missing | digit | markup | overdue | readability
    path: str
    line: int
    message: str
    text_id: str | None = None
    lang: str | None = None

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


def source_hash(entry: TextEntry) -> str:
    """A short fingerprint of a source-language text: it changes when the wording changes."""
    canonical = json.dumps({"text": entry.text, "note": entry.note, "forms": entry.forms}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def translation_findings(content: Content) -> tuple[list[Finding], list[LanguageStatus]]:
    findings: list[Finding] = []
    statuses: list[LanguageStatus] = []
    source = content.settings.source_language
    for lang in content.languages:
        status = LanguageStatus(lang)
        statuses.append(status)
        for domain in TEXT_DOMAINS:
            originals = content.texts[source][domain].root
            translations = content.texts[lang][domain].root
            for text_id, original in originals.items():
                status.texts += 1
                if lang == source:
                    status.translated += 1
                    continue
                entry = translations.get(text_id)
                path = content.text_path(lang, domain)
                if entry is None:
                    status.missing += 1
                    findings.append(
                        Finding(
                            "missing",
                            content.text_path(source, domain),
                            content.text_line(source, domain, text_id),
                            f"'{text_id}' has no text in language '{lang}' ({path})",
                            text_id,
                            lang,
                        )
                    )
                    continue
                line = content.text_line(lang, domain, text_id)
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
                        )
                    )
                else:
                    status.translated += 1
    return findings, statuses


def wording_findings(content: Content) -> list[Finding]:
    """Digits typed into prose, and HTML or template syntax that would show literally."""
    allowed = {(a.lang, a.id, a.text) for a in content.settings.check.allowed_digits}
    findings = []
    for lang in content.languages:
        for domain in TEXT_DOMAINS:
            for text_id, entry in content.texts[lang][domain].root.items():
                path, line = content.text_path(lang, domain), content.text_line(lang, domain, text_id)
                for text in entry.strings():
                    for number in re.findall(r"\d+(?:[.,]\d+)*", text):
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


def review_findings(content: Content, today: dt.date) -> list[Finding]:
    """The treatment's review and each fact's own review, once past their next review date."""
    document = content.documents["content/facts.yaml"]
    findings = []
    review = content.facts_file.review
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
    for index, fact in enumerate(content.facts_file.facts):
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


def run_check(content: Content, today: dt.date, *, readability: bool = True) -> Report:
    report = Report()
    findings, report.languages = translation_findings(content)
    report.findings += findings
    report.findings += wording_findings(content)
    report.findings += review_findings(content, today)
    if readability:
        report.readability = page_readability(content)
        for row in report.readability:
            if not row.passes:
                report.findings.append(
                    Finding(
                        "readability",
                        content.text_path(row.lang, "pages"),
                        content.text_line(row.lang, "pages", f"{row.page}.title"),
                        f"page '{row.page}' ({row.lang}): {row.formula} {row.score:.0f} is below {row.threshold:.0f} "
                        f"(mean sentence length {row.mean_sentence_length:.1f} words)",
                        f"{row.page}.title",
                        row.lang,
                    )
                )
    return report


def format_report(report: Report) -> str:
    lines = ["Translations", "  language  texts  translated  missing  stale  unreviewed"]
    for s in report.languages:
        lines.append(
            f"  {s.lang:<8}  {s.texts:>5}  {s.translated:>10}  {s.missing:>7}  {s.stale:>5}  {s.unreviewed:>10}"
        )
    if report.readability:
        lines += [
            "",
            "Readability (per page and language)",
            f"  {'page':<18} {'lang':<4} {'formula':<13} {'score':>5} {'min':>4} {'words/sentence':>14}  ok",
        ]
        for r in report.readability:
            lines.append(
                f"  {r.page:<18} {r.lang:<4} {r.formula:<13} {r.score:>5.0f} {r.threshold:>4.0f} "
                f"{r.mean_sentence_length:>14.1f}  {'yes' if r.passes else 'NO'}"
            )
    lines.append("")
    if report.findings:
        lines.append(f"{len(report.findings)} finding(s):")
        lines += [f"  {f}" for f in sorted(report.findings, key=lambda f: (f.path, f.line, f.message))]
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


def mark_reviewed(content: Content, text_id: str, lang: str) -> Path:
    """Record that ``text_id`` in ``lang`` translates the current source text. Returns the file."""
    if lang == content.settings.source_language:
        raise ValueError(f"'{lang}' is the source language: its texts are not translations")
    if lang not in content.languages:
        raise ValueError(f"unknown language '{lang}'")
    for domain in TEXT_DOMAINS:
        original = content.texts[content.settings.source_language][domain].root.get(text_id)
        if original is None or text_id not in content.texts[lang][domain].root:
            continue
        path = content.root / content.text_path(lang, domain)
        text = path.read_text(encoding="utf-8")
        key, value = _entry_nodes(text)[text_id]
        path.write_text(_with_hash(text, key, value, source_hash(original)), encoding="utf-8")
        return path
    raise ValueError(f"no text '{text_id}' in language '{lang}' (and in the source language)")


def mark_all_reviewed(content: Content, lang: str) -> int:
    """Mark every text of ``lang`` reviewed; for a translator who has just reviewed them all."""
    count = 0
    for domain in TEXT_DOMAINS:
        originals = content.texts[content.settings.source_language][domain].root
        path = content.root / content.text_path(lang, domain)
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
