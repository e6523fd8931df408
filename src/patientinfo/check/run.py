"""The editors' check: every rule of ``patientinfo.rules`` of severity ``warning``, over every
treatment, in one report (the ``error`` rules ran when the content was loaded).

Each finding names ``path:line``, the text id, the language and its rule's code. Locally findings
are warnings; in a strict build (``--strict``, CI) any finding fails.
"""

from __future__ import annotations

import datetime as dt

from patientinfo.check.findings import Finding, Report
from patientinfo.check.honesty import honesty_findings
from patientinfo.check.translations import placeholder_findings, translation_findings, untranslated_findings
from patientinfo.check.wording import review_findings, typography_findings, wording_findings
from patientinfo.content.model import SHARED_DOMAINS, TEXT_DOMAINS, TREATMENT_DOMAINS, Project, Treatment


def run_project_check(project: Project, today: dt.date, *, readability: bool = True) -> Report:
    """The check of every treatment, in one report; the shared texts (ui.yaml, countries.yaml)
    are checked and counted once."""
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
    domains = TEXT_DOMAINS if with_ui else TREATMENT_DOMAINS
    findings, report.languages = translation_findings(treatment, domains)
    findings += wording_findings(treatment)
    findings += typography_findings(treatment)
    findings += review_findings(treatment, today)
    findings += honesty_findings(treatment, countries=with_ui)
    findings += placeholder_findings(treatment, domains)
    copied = untranslated_findings(treatment)  # issue 12
    if not with_ui:
        ui_paths = {treatment.text_path(lang, d) for lang in treatment.languages for d in SHARED_DOMAINS}
        findings = [f for f in findings if f.path not in ui_paths]
        copied = [f for f in copied if f.path not in ui_paths]
    report.findings += findings
    report.findings += copied
    for status in report.languages:  # a copied text is not a translated one
        texts = {(f.path, f.text_id) for f in copied if f.lang == status.lang}
        status.untranslated = len(texts)
        status.translated = max(0, status.translated - len(texts))
    if readability:
        from patientinfo.check.readability import documents_readability, page_readability

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
