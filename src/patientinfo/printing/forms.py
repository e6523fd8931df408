"""Documents for the consultation (issue 14), from the same facts and texts as the site.

Per language, four A4 PDF/UA files beside the leaflet:

- ``questionnaire-<lang>.pdf``: one yes / no / not sure question per screening fact (its text is
  the question in the patient's words, its note why it is asked, its sources who says so), with
  room to write where the question asks; every contraindication is asked by one of them.
- ``consent-<lang>.pdf``: the plan the doctor fills in (area, reason, products and whether any is
  off-label, cost, practitioner and registration), what the treatment is, what it may do, every
  risk with how often it happens, the warning signs and whom to call, where practice varies, the
  other choices and doing nothing, after-care, the patient's rights and the law of the clinic's
  country; questions, photos, interpreter, dates, signatures; the version of the leaflet given.
  All from the facts; never a clinic's claim.
- ``record-card-<lang>.pdf``: A6 pages a patient keeps: one box per session, then the warning
  signs, the clinic's phone and hours, what to do out of hours and the emergency number.
- ``leaflet-large-<lang>.pdf``: the leaflet's own HTML with a large-print style sheet (16 pt or
  more, one column, no boxes), so its content never drifts from the leaflet's.

Every document carries ``version_id(content, lang)``, a short id derived from the
language-neutral facts and that language's texts (never from the clock or the PDF bytes), and
the review date. Nothing depends on the clock: two builds of the same input are byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from jinja2 import TemplateError, UndefinedError
from markupsafe import escape

from patientinfo.content.load import Project, Treatment
from patientinfo.errors import ContentError, Problem
from patientinfo.model import selection as page_model
from patientinfo.printing.leaflet import (
    LeafletText,
    PdfJob,
    cache_stem,
    css_string,
    font_files,
    html_environment,
    html_to_pdf,
    leaflet_jobs,
    leaflet_key,
    leaflet_name,
    make_pdfs,
    page_counter,
    render_leaflet_html,
)
from patientinfo.render.pages import LanguageRenderer, today

# Kind of document -> template (None: the leaflet's HTML in large print).
DOCUMENTS: dict[str, str | None] = {
    "questionnaire": "documents/questionnaire.html.j2",
    "consent": "documents/consent.html.j2",
    "record-card": "documents/record-card.html.j2",
    "leaflet-large": None,
}
RECORD_ROWS = 8  # session boxes on the record card: two per A5 page (layout, not a fact)
LARGE_PRINT_MIN_PT = 16


def document_name(kind: str, lang: str) -> str:
    """``consent-it.pdf``: what the file is, in English, and its language (like ``leaflet-it.pdf``)."""
    return f"{kind}-{lang}.pdf"


# The title of each document in documents.yaml: the label of its link on the site.
DOCUMENT_TITLES = {
    "questionnaire": "questionnaire.title",
    "consent": "consent.title",
    "record-card": "record.title",
    "leaflet-large": "large.title",
}


def document_links(treatment: Treatment, lang: str) -> list[tuple[str, str]]:
    """(file name, label) of each document of ``lang``, for links beside the leaflet's."""
    renderer = LanguageRenderer(treatment, lang)
    return [(document_name(kind, lang), renderer.plain("documents", DOCUMENT_TITLES[kind])) for kind in DOCUMENTS]


def version_id(treatment: Treatment, lang: str) -> str:
    """A short id of what a patient reads in ``lang``: the facts, sources, clinic and that
    language's texts. Equal content, equal id; any changed fact or text changes it. Comments,
    YAML layout and translators' review marks (``source_hash``) do not."""
    known = treatment.derived.setdefault("version_id", {})
    if lang not in known:
        known[lang] = _version_id(treatment, lang)
    return known[lang]


def _version_id(treatment: Treatment, lang: str) -> str:

    def text(entry) -> dict:
        return {k: v for k, v in entry.model_dump(mode="json").items() if k != "source_hash" and v is not None}

    payload = {
        "facts": treatment.facts_file.model_dump(mode="json"),
        "sources": [treatment.sources[s].model_dump(mode="json") for s in sorted(treatment.sources)],
        "clinic": treatment.clinic.model_dump(mode="json"),
        "locale": treatment.settings.locale(lang),
        "texts": {
            domain: {text_id: text(entry) for text_id, entry in sorted(catalog.root.items())}
            for domain, catalog in sorted(treatment.texts[lang].items())
        },
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{digest[:4]}-{digest[4:8]}".upper()


class DocumentText(LeafletText):
    """Plain texts for the documents: documents.yaml, the facts, the leaflet's helpers."""

    def doc(self, text_id: str, **extra: object) -> str:
        return self.r.plain("documents", text_id, **extra)

    def doc_paragraphs(self, text_id: str) -> list[str]:
        raw = self.r.treatment.entry(self.r.lang, "documents", text_id).text or ""
        return [self.r.plain_text(block) for block in re.split(r"\n\s*\n", raw) if block.strip()]

    def frequency(self, fact_id: str) -> str:
        """How often a risk happened, in the words of the fact that counted it; else "not known"."""
        counted = self.r.treatment.facts[fact_id].frequency
        if counted is None:
            return self.doc("consent.not_known")
        return f"{self.fact(counted)} ({self.sources(counted)})"


def _renderer(treatment: Treatment, lang: str) -> LanguageRenderer:
    # Never the clock: SOURCE_DATE_EPOCH when set (reproducible builds), else the review date.
    build_date = today() if os.environ.get("SOURCE_DATE_EPOCH") else treatment.facts_file.review.last_reviewed
    return LanguageRenderer(treatment, lang, build_date=build_date)


def render_document_html(treatment: Treatment, lang: str, kind: str) -> str:
    """The HTML of one document (``kind`` is a key of DOCUMENTS)."""
    if DOCUMENTS[kind] is None:
        return large_print_html(treatment, lang)
    renderer = _renderer(treatment, lang)
    text = DocumentText(renderer)
    template = DOCUMENTS[kind]
    version = version_id(treatment, lang)
    review_date = renderer.fmt.date(treatment.facts_file.review.last_reviewed)
    try:
        return (
            html_environment()
            .get_template(template)
            .render(
                lang=lang,
                kind=kind,
                t=text,
                r=renderer,
                v=renderer.views,
                s=text.sections(page_model.DOCUMENTS[kind], printed=page_model.PRINTED[kind]),
                clinic=treatment.clinic,
                facts=treatment.facts,
                disputes=treatment.facts_file.disputes,
                version=version,
                review_date=review_date,
                version_line=text.doc("common.version", version=version, date=review_date),
                fonts={k: v.as_uri() for k, v in font_files().items()},
                page_counter=page_counter(text),
                css_string=css_string,
                record_rows=range(RECORD_ROWS),
                logo=(treatment.root / treatment.clinic.logo).as_uri() if treatment.clinic.logo else None,
                phone=treatment.clinic.phone,
            )
        )
    except UndefinedError as exc:
        raise ContentError([Problem(f"src/patientinfo/templates/{template}", 1, f"undefined: {exc.message}")]) from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", 1) or 1
        raise ContentError([Problem(f"src/patientinfo/templates/{template}", line, f"template error: {exc}")]) from None


def _large_print_css(treatment: Treatment, lang: str, text: DocumentText) -> str:
    fonts = {k: v.as_uri() for k, v in font_files().items()}
    before, middle, after = (css_string(part) for part in page_counter(text))
    emergency = text.ui("leaflet.emergency_short", emergency=treatment.clinic.emergency_number)
    footer = css_string(f"{treatment.clinic.name} · {treatment.clinic.phone} · {emergency}")
    size = f"{LARGE_PRINT_MIN_PT}pt"
    return f"""
@font-face {{ font-family: "Leaflet"; src: url("{fonts["regular"]}"); font-weight: 400; font-style: normal; }}
@font-face {{ font-family: "Leaflet"; src: url("{fonts["bold"]}"); font-weight: 700; font-style: normal; }}
@font-face {{ font-family: "Leaflet"; src: url("{fonts["italic"]}"); font-weight: 400; font-style: italic; }}
@font-face {{ font-family: "Leaflet"; src: url("{fonts["bolditalic"]}"); font-weight: 700; font-style: italic; }}
@page {{
  size: A4 portrait;
  margin: 16mm 16mm 22mm 18mm;
  @bottom-left {{ content: {footer}; font: {size} "Leaflet"; color: #000; }}
  @bottom-right {{ content: {before} counter(page) {middle} counter(pages) {after};
                   font: {size} "Leaflet"; color: #000; }}
}}
html {{ font-family: "Leaflet"; font-size: {size}; line-height: 1.5; color: #000; background: #fff; }}
body {{ margin: 0; }}
body * {{ font-size: {size}; columns: auto; column-count: auto; float: none; color: #000; background: none;
          border: none; box-shadow: none; padding: 0; }}
main, header, div, section, aside {{ display: block; }}
h1 {{ font-size: 28pt; line-height: 1.2; margin: 0 0 6mm; }}
h2 {{ font-size: 22pt; line-height: 1.25; margin: 10mm 0 3mm; padding-bottom: 1mm; border-bottom: 2pt solid #000;
      break-after: avoid; }}
h3 {{ font-size: 19pt; line-height: 1.3; margin: 6mm 0 2mm; break-after: avoid; }}
p {{ margin: 0 0 4mm; }}
ul, ol {{ margin: 0 0 4mm; padding-left: 9mm; }}
li {{ margin: 0 0 3mm; }}
strong, b {{ font-weight: 700; }}
/* The leaflet's boxes become plain text under a bold heading: nothing framed breaks across pages;
   except the emergency panel, which stays framed so that it is found at once. At this size it is
   taller than a page: it may continue on the next one (framed on both), but no sign is cut. */
div > strong:first-child {{ display: block; margin: 6mm 0 2mm; font-size: 19pt; break-after: avoid; }}
section.box > strong.title {{ display: block; margin: 0 0 3mm; font-size: 22pt; }}
section.box.alert {{ border: 3pt solid #000; padding: 4mm 5mm; margin: 6mm 0;
                     box-decoration-break: clone; }}
section.box.alert li, section.box.alert p {{ break-inside: avoid; }}
section.box.alert .cols > div {{ display: block; }}
.tel, .url {{ white-space: nowrap; }}
svg {{ display: block; width: 45mm; height: 45mm; margin: 4mm 0; }}
.version {{ margin-top: 10mm; font-weight: 700; }}
img.logo {{ height: 16mm; width: auto; margin-right: 4mm; vertical-align: middle; }}
"""


def large_print_html(treatment: Treatment, lang: str) -> str:
    """The leaflet's HTML with a large-print style sheet, the version line and a title saying so."""
    renderer = _renderer(treatment, lang)
    text = DocumentText(renderer)
    html = render_leaflet_html(treatment, lang)
    style = _large_print_css(treatment, lang, text)
    html, count = re.subn(r"<style>.*?</style>", lambda _: f"<style>{style}</style>", html, count=1, flags=re.S)
    if count != 1:
        raise ContentError([Problem("src/patientinfo/templates/leaflet.html.j2", 1, "the leaflet has no <style>")])
    html = re.sub(r"</title>", lambda _: f" – {escape(text.doc('large.title'))}</title>", html, count=1)
    return html  # the leaflet already ends with its version id and review date


def render_document(treatment: Treatment, lang: str, kind: str, html: str | None = None) -> bytes:
    """The PDF bytes of one document: PDF/UA-1, fonts embedded, dated by the review, reproducible."""
    html = render_document_html(treatment, lang, kind) if html is None else html
    return html_to_pdf(treatment, html, what=f"the {lang} {kind}")


def document_jobs(treatment: Treatment) -> list[PdfJob]:
    """Every document of every language, as PDF jobs; problems of their HTML are collected."""
    jobs: list[PdfJob] = []
    problems: list[Problem] = []
    for lang in treatment.languages:
        for kind in DOCUMENTS:
            try:
                html = render_document_html(treatment, lang, kind)
            except ContentError as exc:
                problems.extend(exc.problems)
                continue
            stem = cache_stem(treatment, document_name(kind, lang))
            reviewed = treatment.facts_file.review.last_reviewed
            jobs.append(
                PdfJob(stem, leaflet_key(treatment, html), html, str(treatment.root), None, f"the {lang} {kind}", reviewed)
            )
    if problems:
        raise ContentError(problems)
    return jobs


def render_documents(treatment: Treatment, cache: Path | None = None) -> dict[str, dict[str, bytes]]:
    """Every document of every language: language -> file name -> PDF bytes. A document is made
    again only when its own HTML (texts, numbers, style) changed; otherwise ``cache`` has it."""
    made = make_pdfs(document_jobs(treatment), cache)
    return {
        lang: {document_name(kind, lang): made[cache_stem(treatment, document_name(kind, lang))] for kind in DOCUMENTS}
        for lang in treatment.languages
    }


def render_pdfs(
    project: Project, cache: Path | None = None, *, workers: int | None = None, background: bool = False
) -> dict[str, dict[str, bytes]]:
    """Every treatment's leaflet and documents, by language and path in the language's folder.
    The missing PDFs are made on ``workers`` processes (default: one per core), of the lowest
    priority when made in the ``background`` of mkdocs serve."""
    jobs: list[PdfJob] = []
    placed: list[tuple[str, str, str]] = []  # (language, path in its folder, stem)
    problems: list[Problem] = []
    for treatment in project.treatments.values():
        try:
            treatment_jobs = leaflet_jobs(treatment) + document_jobs(treatment)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        jobs += treatment_jobs
        for lang in treatment.languages:
            for name in [leaflet_name(lang), *(document_name(kind, lang) for kind in DOCUMENTS)]:
                placed.append((lang, treatment.folder + name, cache_stem(treatment, name)))
    if problems:
        raise ContentError(problems)
    made = make_pdfs(jobs, cache, workers=workers or os.cpu_count() or 1, background=background)
    pdfs: dict[str, dict[str, bytes]] = {lang: {} for lang in project.languages}
    for lang, path, stem in placed:
        pdfs[lang][path] = made[stem]
    return pdfs
