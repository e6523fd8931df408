"""What every printed document shares: plain texts for HTML (no Markdown), the clinic's numbers
that never break across lines, CSS strings and page counters in the language, the QR code, one
Jinja environment, the version id printed on each page, and template errors in editors' words.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from functools import cache

import segno
from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateError, UndefinedError, select_autoescape
from markupsafe import Markup

from patientinfo.content.memo import per_treatment
from patientinfo.content.model import Treatment
from patientinfo.errors import ContentError, Problem
from patientinfo.model import selection as page_model
from patientinfo.model.selection import Selection
from patientinfo.render.pages import LanguageRenderer
from patientinfo.rules import code

TEMPLATES = "src/patientinfo/templates"


def language_url(treatment: Treatment, lang: str) -> str:
    """The treatment's address in ``lang``: the default language sits at the root."""
    base = treatment.clinic.website
    return (base if lang == treatment.languages[0] else f"{base}{lang}/") + treatment.folder


def qr_svg(url: str, alternative: str) -> Markup:
    """The QR code as inline SVG; its <title> is the figure's alternative text in the tagged PDF
    (what a screen reader says: where the code leads)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=2, dark="#000000", xmldecl=False, svgns=True, title=alternative, desc=None
    )
    return Markup(buffer.getvalue().decode("utf-8"))


class LeafletText:
    """Plain texts for the leaflet: what the site says, without Markdown."""

    def __init__(self, renderer: LanguageRenderer):
        self.r = renderer

    def page(self, text_id: str, **extra: object) -> str:
        return self.r.plain("pages", text_id, **extra)

    def ui(self, text_id: str, **extra: object) -> str:
        return self.r.plain("ui", text_id, **extra)

    def paragraphs(self, text_id: str) -> list[str]:
        raw = self.r.treatment.entry(self.r.lang, "pages", text_id).text or ""
        blocks = [b for b in raw.split("\n\n") if b.strip()]
        return [self.r.texts.plain_text(b, addresses=True) for b in blocks]

    def fact(self, fact_id: str) -> str:
        return self.r.views.fact_plain(fact_id)

    def note(self, fact_id: str) -> str | None:
        note = self.r.treatment.entry(self.r.lang, "facts", fact_id).note
        return self.r.texts.plain_text(note, addresses=True) if note else None

    def punctuation(self, text_id: str) -> str:
        """A ui text used as punctuation (' : ' in French), spaces kept."""
        return self.r.treatment.entry(self.r.lang, "ui", text_id).text or ""

    def fact_inline(self, fact_id: str) -> str:
        """A fact's text inside a sentence: its first letter in lower case (unless an acronym)."""
        return self.inline(self.fact(fact_id))

    @staticmethod
    def inline(text: str) -> str:
        """A text put inside a sentence or brackets: its first letter in lower case, unless it
        starts an acronym ("ORL") or a name of the other words' kind ("En France" stays a clause)."""
        if len(text) > 1 and text[0].isupper() and not text[1].isupper():
            return text[0].lower() + text[1:]
        return text

    def calls(self) -> dict[str, str]:
        """The clinic's numbers for {phone} and {emergency}, never broken across lines on paper."""
        clinic = self.r.treatment.clinic
        return {"phone": nobreak(clinic.phone), "emergency": nobreak(clinic.emergency_number or "")}

    def warning_heading(self, urgency: str) -> str:
        """What to do about a group of warning signs: call the emergency number now, or the clinic."""
        return self.ui(f"warning.{urgency}", **self.calls())

    def hours_line(self) -> str:
        """When the clinic answers the phone, in this language (or that it gave no hours)."""
        clinic = self.r.treatment.clinic
        line = (
            self.ui("contact.hours", hours=self.r.fmt.opening_hours(clinic.opening_hours))
            if clinic.opening_hours
            else self.ui("contact.no_hours")
        )
        if clinic.out_of_hours_phone:
            line += f" {self.ui('contact.out_of_hours_phone')} {nobreak(clinic.out_of_hours_phone)}"
        return line

    def sources(self, *fact_ids: str) -> str:
        """The labels of the facts' sources, each once, joined in the language ("A, B et C")."""
        ids = dict.fromkeys(s for fact_id in fact_ids for s in self.r.treatment.facts[fact_id].sources)
        return self.r.fmt.join([self.r.views.source_ref(s).label for s in ids])

    def sections(self, selections: dict[str, Selection], *, printed: bool) -> dict[str, object]:
        """The page model's selections for a leaflet or form, as fact ids (and disputes, and lists
        by group); a printed handout leaves out the facts marked ``leaflet: false``."""
        return {name: page_model.resolve(self.r.treatment, sel, printed=printed) for name, sel in selections.items()}


def nobreak(number: str) -> str:
    """A phone number whose spaces never break a line (non-breaking spaces)."""
    return number.replace(" ", "\u00a0")


def page_counter(text: LeafletText) -> tuple[str, str, str]:
    """ "Page {page} of {pages}" in the language, cut around the numbers for the CSS page counters."""
    page_of = text.ui("leaflet.page_of", page="\x00", pages="\x01")
    before, rest = page_of.split("\x00")
    middle, after = rest.split("\x01")
    return before, middle, after


def css_string(text: str) -> Markup:
    """A CSS string literal; every character outside plain ASCII letters is an escape, so that
    nothing in a clinic's name can end the string or the style sheet (``</style>``)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in " .,:;+-_/@()'") else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{safe}"')


@cache
def html_environment() -> Environment:
    """One Jinja environment for every printed document: templates are compiled once per process
    (and again only when a template file changes: Jinja checks its date)."""
    return Environment(
        loader=PackageLoader("patientinfo", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def version_id(treatment: Treatment, lang: str) -> str:
    """A short id of what a patient reads in ``lang``: the facts, sources, clinic and that
    language's texts. Equal content, equal id; any changed fact or text changes it. Comments,
    YAML layout and translators' review marks (``source_hash``) do not."""
    return _version_id(treatment, lang)


@per_treatment
def _version_id(treatment: Treatment, lang: str) -> str:

    def text(entry) -> dict:
        return {k: v for k, v in entry.model_dump(mode="json").items() if k != "source_hash" and v is not None}

    payload = {
        "facts": treatment.facts_file.model_dump(mode="json"),
        "countries": {c: treatment.countries[c].model_dump(mode="json") for c in treatment.shown_countries},
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


def rendered(template: str, render: Callable[[], str]) -> str:
    """``render()``, with a template mistake turned into a content error naming the template
    (the one place this happens for every printed document)."""
    try:
        return render()
    except UndefinedError as exc:
        line, message = 1, f"template uses something undefined: {exc.message}"
    except TemplateError as exc:
        line, message = getattr(exc, "lineno", 1) or 1, f"template error: {exc}"
    raise ContentError([Problem(f"{TEMPLATES}/{template}", line, message, code=code("template"))])
