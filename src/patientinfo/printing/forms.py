"""The forms of the consultation, from the same facts and texts as the site.

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

Every document carries ``version_id(treatment, lang)``, a short id derived from the
language-neutral facts and that language's texts (never from the clock or the PDF bytes), and
the review date. Nothing depends on the clock: two builds of the same input are byte-identical.
The large-print leaflet is made in ``leaflet.py``; the list of every printed document is
``registry.py``.
"""

from __future__ import annotations

import datetime as dt

from patientinfo.content.model import Treatment
from patientinfo.model import selection as page_model
from patientinfo.printing.engine import font_files
from patientinfo.printing.text import DocumentText, css_string, html_environment, page_counter, rendered, version_id
from patientinfo.render.pages import LanguageRenderer

# Kind of form -> its template.
FORM_TEMPLATES: dict[str, str] = {
    "questionnaire": "documents/questionnaire.html.j2",
    "consent": "documents/consent.html.j2",
    "record-card": "documents/record-card.html.j2",
}
RECORD_ROWS = 8  # session boxes on the record card: two per A5 page (layout, not a fact)


def form_html(treatment: Treatment, lang: str, day: dt.date, kind: str) -> str:
    """The HTML of one form (``kind`` is a key of FORM_TEMPLATES)."""
    renderer = LanguageRenderer(treatment, lang, day=day)
    text = DocumentText(renderer)
    template = FORM_TEMPLATES[kind]
    version = version_id(treatment, lang)
    review_date = renderer.fmt.date(treatment.facts_file.review.last_reviewed)
    logo = treatment.layout.path(treatment.clinic.logo).as_uri() if treatment.clinic.logo else None
    return rendered(
        template,
        lambda: (
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
                logo=logo,
                phone=treatment.clinic.phone,
            )
        ),
    )
