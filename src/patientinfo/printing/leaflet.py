"""The leaflet: an A4 handout per language, from the same facts and texts as the site, and its
large-print edition (the same HTML with a 16 pt one-column style sheet, so it never drifts).

The leaflet is HTML printed by WeasyPrint (PDF/UA-1: tagged, with language and title). Fonts come
from the ``fontpkg-atkinson-hyperlegible`` package (designed for low-vision readers). The QR code
opens the same language online. The only date that matters is the build's day, which decides
whether the "review overdue" notice shows: no date of the clock is printed.
"""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import escape

from patientinfo.content.memo import per_treatment
from patientinfo.content.model import Treatment
from patientinfo.errors import ContentError, Problem
from patientinfo.model import selection as page_model
from patientinfo.printing.engine import font_files
from patientinfo.printing.text import (
    DocumentText,
    LeafletText,
    css_string,
    html_environment,
    language_url,
    page_counter,
    qr_svg,
    rendered,
    version_id,
)
from patientinfo.render.pages import LanguageRenderer
from patientinfo.rules import code

LARGE_PRINT_MIN_PT = 16


@per_treatment
def leaflet_html(treatment: Treatment, lang: str, day: dt.date) -> str:
    """The leaflet's HTML (made once per treatment, language and day: the large print reuses it)."""
    renderer = LanguageRenderer(treatment, lang, day=day)
    text = LeafletText(renderer)
    printed = page_model.PRINTED["leaflet"]
    url = language_url(treatment, lang)
    logo = treatment.layout.path(treatment.clinic.logo).as_uri() if treatment.clinic.logo else None
    return rendered(
        "leaflet.html.j2",
        lambda: (
            html_environment()
            .get_template("leaflet.html.j2")
            .render(
                lang=lang,
                t=text,
                r=renderer,
                v=renderer.views,
                clinic=treatment.clinic,
                sources=treatment.sources,
                s=text.sections(page_model.LEAFLET, printed=printed),
                review=renderer.review(page_model.shown_facts(treatment, page_model.LEAFLET, printed=printed)),
                version=version_id(treatment, lang),
                logo=logo,
                url=url,
                qr=qr_svg(url, text.ui("leaflet.qr_alt", url=url)),
                facts=treatment.facts,
                studied_ids={fact.id for fact in treatment.facts_file.facts if fact.studied_in},
                fonts={k: v.as_uri() for k, v in font_files().items()},
                page_counter=page_counter(text),
                css_string=css_string,
            )
        ),
    )


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


def large_print_html(treatment: Treatment, lang: str, day: dt.date) -> str:
    """The leaflet's HTML with a large-print style sheet, the version line and a title saying so."""
    text = DocumentText(LanguageRenderer(treatment, lang, day=day))
    style = _large_print_css(treatment, lang, text)
    html, count = re.subn(
        r"<style>.*?</style>",
        lambda _: f"<style>{style}</style>",
        leaflet_html(treatment, lang, day),
        count=1,
        flags=re.S,
    )
    if count != 1:
        problem = Problem(
            "src/patientinfo/templates/leaflet.html.j2", 1, "the leaflet has no <style>", code=code("template")
        )
        raise ContentError([problem])
    return re.sub(r"</title>", lambda _: f" – {escape(text.doc('large.title'))}</title>", html, count=1)
