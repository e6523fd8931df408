"""What the editors' check reports: findings (each with its rule's code, file, line, text id and
language), each language's translation status, and the report printed by ``scripts/check``."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from patientinfo.messages import _
from patientinfo.rules import RULES

if TYPE_CHECKING:
    from patientinfo.check.readability import ReadabilityRow


@dataclass(frozen=True)
class Finding:
    kind: str  # the rule's name in patientinfo.rules: stale, unreviewed, missing, digit, honesty...
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

    @property
    def code(self) -> str:
        return RULES[self.kind].code


@dataclass
class LanguageStatus:
    lang: str
    texts: int = 0
    translated: int = 0
    missing: int = 0
    stale: int = 0
    unreviewed: int = 0
    untranslated: int = 0  # the same words as another language: copied, not translated

    def count(self, kind: str) -> None:
        """One more text of ``kind`` (missing, stale, unreviewed or untranslated)."""
        setattr(self, kind, getattr(self, kind) + 1)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    languages: list[LanguageStatus] = field(default_factory=list)
    readability: list[ReadabilityRow] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "findings": [{**asdict(f), "code": f.code} for f in self.findings],
                "languages": [asdict(s) for s in self.languages],
                "readability": [asdict(r) for r in self.readability],
            },
            ensure_ascii=False,
            indent=2,
        )


def one_line(text: str) -> str:
    return " ".join(text.split())


def format_report(report: Report) -> str:
    lines = [_("Translations"), _("  language  texts  translated  missing  stale  unreviewed  untranslated")]
    for s in report.languages:
        lines.append(
            f"  {s.lang:<8}  {s.texts:>5}  {s.translated:>10}  {s.missing:>7}  {s.stale:>5}  {s.unreviewed:>10}"
            f"  {s.untranslated:>12}"
        )
    if report.readability:
        lines += [
            "",
            _("Readability (per page and language)"),
            _("  page               lang formula       score  min words/sentence  ok"),
        ]
        for r in report.readability:
            if r.note:  # a language with no readability formula says so
                lines.append(f"  {r.page:<18} {r.lang:<4} {r.note}")
                continue
            ok = _("yes") if r.passes else _("NO")
            lines.append(
                f"  {r.page:<18} {r.lang:<4} {r.formula:<13} {r.score:>5.0f} {r.threshold:>4.0f} "
                f"{r.mean_sentence_length:>14.1f}  {ok}"
            )
    lines.append("")
    if report.findings:
        lines.append(_("{count} finding(s):").format(count=len(report.findings)))
        for f in sorted(report.findings, key=lambda f: (f.path, f.line, f.message)):
            lines.append(f"  {f} [{f.code}]")
            if f.kind == "stale":
                then = one_line(f.old_source or _("(not found in git history)"))
                lines.append("      " + _("source then: {text}").format(text=then))
                lines.append("      " + _("source now:  {text}").format(text=one_line(f.new_source or "")))
                lines.append("      " + _("translation: {text}").format(text=one_line(f.translation or "")))
    else:
        lines.append(_("No findings."))
    return "\n".join(lines)
