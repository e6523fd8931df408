"""Render the pages of one language to Markdown with Jinja, from validated content.

One template per page type, shared by every language: the structure cannot drift between
languages because only the texts differ. Jinja runs with StrictUndefined, and every value that
reaches the output is escaped for HTML and Markdown, so ``<script>`` or ``{{ 7*7 }}`` typed
into a YAML text shows literally. Texts are never evaluated as templates: the only thing
substituted in them is a ``{name}`` placeholder, replaced by a value formatted with Babel.
This module knows nothing of MkDocs, so another site generator could be fed from it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from functools import cache
from html import escape as html_escape
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateError, UndefinedError
from markupsafe import Markup

from patientinfo.content.model import Project, Treatment
from patientinfo.errors import ContentError, Problem
from patientinfo.model import selection as page_model
from patientinfo.render.brand import draft_band
from patientinfo.render.formatting import NBSP
from patientinfo.render.texts import Texts, md_escape, texts_of
from patientinfo.render.views import FactViews

# Page types, in navigation order. Each has templates/pages/<slug>.md.j2 and its facts in the page model.
PAGES = tuple(page_model.SITE)


def _finalize(value: object) -> object:
    """Escape whatever a template prints unless it is already safe Markup."""
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(str(value)))


@cache
def make_environment() -> Environment:
    """One environment per process: each template is compiled once, not once per language."""
    return Environment(
        loader=PackageLoader("patientinfo", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class LanguageRenderer:
    """The pages of one treatment in one language: each page's selections from the page model,
    its review date and front matter, and its template. Texts are filled by ``texts`` (texts.py);
    facts and sources are printed by ``views`` (views.py), given to templates as ``v``."""

    def __init__(self, treatment: Treatment, lang: str, *, day: dt.date):
        self.treatment = treatment
        self.lang = lang
        self.day = day  # the build's day (BuildContext): decides "review overdue", never printed
        self.texts = texts_of(treatment, lang)
        self.fmt = self.texts.fmt
        self.views = FactViews(treatment, lang, self.texts, self.fmt)

    # ------------------------------------------------------------------ texts (texts.py fills them)
    def text(self, domain: str, text_id: str, *, paragraphs: bool = False, **extra: Any) -> Markup:
        return self.texts.text(domain, text_id, paragraphs=paragraphs, **extra)

    @property
    def draft_band(self) -> str:
        """The draft band's words ('' when the pages are published)."""
        treatment = self.treatment
        if not treatment.is_draft(self.lang):
            return ""
        return draft_band(self.lang, treatment.id, treatment.settings.drafts.languages)

    def t(self, text_id: str, **extra: Any) -> Markup:
        """A page text (pages.yaml)."""
        return self.texts.text("pages", text_id, **extra)

    def tp(self, text_id: str, **extra: Any) -> Markup:
        """A page text of several paragraphs."""
        return self.texts.text("pages", text_id, paragraphs=True, **extra)

    def ui(self, text_id: str, **extra: Any) -> Markup:
        return self.texts.text("ui", text_id, **extra)

    def plain(self, domain: str, text_id: str, **extra: Any) -> str:
        return self.texts.plain(domain, text_id, **extra)

    def plain_text(self, raw: str, **extra: Any) -> str:
        return self.texts.plain_text(raw, **extra)

    def forms(self, text_id: str, count: int, **extra: Markup) -> Markup:
        return self.texts.forms(text_id, count, **extra)

    link = staticmethod(Texts.link)

    # ------------------------------------------------------------------ review
    def review(self, shown: Iterable[str]) -> dict[str, object]:
        """The review of a page or leaflet: the stalest of the treatment's and of the reviews of
        the facts it shows (given by the page model, before rendering)."""
        reviews = [self.treatment.facts_file.review]
        reviews += [f.review for f in map(self.treatment.facts.get, shown) if f is not None and f.review]
        review = min(reviews, key=lambda r: (r.next_review, r.last_reviewed))
        return {
            "last_iso": review.last_reviewed.isoformat(),
            "last": self.fmt.date(review.last_reviewed),
            "next": self.fmt.date(review.next_review),
            "by": review.reviewed_by or self.treatment.clinic.medical_reviewer,
            "overdue": self.day > review.next_review,
        }

    # ------------------------------------------------------------------ pages
    def front_matter(self, page: str, review: dict[str, object]) -> Markup:
        """YAML front matter; JSON strings are valid YAML and need no further quoting rules."""
        title = self.plain("pages", f"{page}.title")
        description = self.plain("pages", f"{page}.description")

        def html(text: str) -> str:  # the plugin passes these to the theme as escaped HTML
            return html_escape(text, quote=True)

        lines = [
            "---",
            f"title: {json.dumps(html(title), ensure_ascii=False)}",
            f"description: {json.dumps(html(description), ensure_ascii=False)}",
            f"treatment: {json.dumps(html(self.plain('pages', 'index.name')), ensure_ascii=False)}",
            f"treatment_id: {json.dumps(self.treatment.id)}",
            f"last_reviewed: {json.dumps(review['last_iso'])}",
            f"reviewed_by: {json.dumps(html(str(review['by'])), ensure_ascii=False)}",
            "---",
        ]
        return Markup("\n".join(lines))

    def render_page(self, environment: Environment, page: str) -> str:
        template = environment.get_template(f"pages/{page}.md.j2")
        selections = page_model.SITE[page]
        review = self.review(page_model.shown_facts(self.treatment, selections))
        try:
            body = template.render(
                r=self,
                p={name: self.views.select(selection) for name, selection in selections.items()},
                v=self.views,
                review=review,
                page=page,
                pages=PAGES,
                lang=self.lang,
                t=self.t,
                tp=self.tp,
                ui=self.ui,
                clinic=self.treatment.clinic,
                sources=self.treatment.sources,
                site_root="../" if self.treatment.several_treatments else "",  # where editors.md is
                example=self.treatment.facts_file.example,
                draft=self.draft_band,
            )
            return f"{self.front_matter(page, review)}\n{body}"
        except UndefinedError as exc:
            raise ContentError(
                [
                    Problem(
                        f"src/patientinfo/templates/pages/{page}.md.j2",
                        1,
                        f"template uses something undefined: {exc.message}",
                    )
                ]
            ) from None
        except TemplateError as exc:
            raise ContentError(
                [
                    Problem(
                        f"src/patientinfo/templates/pages/{page}.md.j2",
                        getattr(exc, "lineno", 1) or 1,
                        f"template error: {exc}",
                    )
                ]
            ) from None

    # ------------------------------------------------------------------ patient-safety helpers
    @staticmethod
    def tel(number: str) -> Markup:
        """A tap-to-call link for a phone number as printed (spaces, dots, brackets dropped)."""
        return LanguageRenderer.link("tel:" + re.sub(r"[^0-9+]", "", number), number.replace(" ", NBSP))

    @staticmethod
    def full_stop(text: str) -> str:
        """'.' when a text does not end a sentence ('Collagène, contre les rides'), before a note."""
        plain = re.sub(r"<[^>]*>", "", str(text)).rstrip()
        return "" if not plain or plain[-1] in ".!?…»" else "."

    def hours_line(self) -> Markup:
        """When the clinic answers the phone, in this language (or that it gave no hours)."""
        clinic = self.treatment.clinic
        line = (
            self.ui("contact.hours", hours=self.fmt.opening_hours(clinic.opening_hours))
            if clinic.opening_hours
            else self.ui("contact.no_hours")
        )
        if clinic.out_of_hours_phone:
            line += Markup(" {} {}").format(self.ui("contact.out_of_hours_phone"), self.tel(clinic.out_of_hours_phone))
        return line

    def calls(self) -> dict[str, Markup]:
        """The clinic's phone and the emergency number as tap-to-call links, for ``{phone}``, ``{emergency}``."""
        clinic = self.treatment.clinic
        return {"phone": self.tel(clinic.phone), "emergency": self.tel(clinic.emergency_number or "")}


def render_language(treatment: Treatment, lang: str, day: dt.date) -> dict[str, str]:
    """Markdown of every page of ``lang``, by file name (``risks.md``)."""
    environment = make_environment()
    renderer = LanguageRenderer(treatment, lang, day=day)
    return {f"{page}.md": renderer.render_page(environment, page) for page in PAGES}


def site_page(project: Project, lang: str, name: str, **values: object) -> str:
    """A page of the whole site (not of a treatment) in ``lang``: its template ``name``.md.j2 with
    the interface texts, and its front matter from the ui texts ``name``.title and .description."""
    renderer = texts_of(project.first, lang)
    template = f"src/patientinfo/templates/{name}.md.j2"
    try:
        body = (
            make_environment()
            .get_template(f"{name}.md.j2")
            .render(
                ui=lambda text_id, **extra: renderer.text("ui", text_id, **extra),
                punctuation=renderer.punctuation,
                clinic=project.clinic,
                **values,
            )
        )
    except TemplateError as exc:  # UndefinedError included: a template mistake, named as such
        raise ContentError([Problem(template, getattr(exc, "lineno", 1) or 1, f"template error: {exc}")]) from None
    front = [
        f"{field}: {json.dumps(html_escape(renderer.plain('ui', f'{name}.{field}'), quote=True), ensure_ascii=False)}"
        for field in ("title", "description")
    ]
    return "\n".join(["---", *front, "---", body])


def render_home(project: Project, lang: str) -> str:
    """The home page of a site with several treatments: each treatment, with its description."""
    treatments = []
    for treatment_id, treatment in project.treatments.items():
        own = texts_of(treatment, lang)
        treatments.append(
            {
                "href": f"{treatment_id}/index.md",
                "title": own.text("pages", "index.name"),
                "description": own.text("pages", "index.description"),
            }
        )
    example = any(treatment.facts_file.example for treatment in project.treatments.values())
    return site_page(project, lang, "home", treatments=treatments, example=example)


LEGAL_PAGE = "legal.md"  # at the root of each language, beside the editors' guide


def render_legal(project: Project, lang: str) -> str:
    """The legal notice, privacy and accessibility page of ``lang``: who publishes the site (the
    clinic), who hosts it, what the site does with personal data, how it is made accessible."""
    clinic = project.clinic
    publisher = [clinic.name, *clinic.address, clinic.phone, clinic.email, clinic.website]
    host = clinic.host
    host_lines = [host.name, *host.address, *(v for v in (host.phone, host.website) if v)] if host else []
    drafts = project.settings.drafts.languages
    return site_page(
        project,
        lang,
        "legal",
        publisher=Markup("<br>\n").join(Markup(md_escape(line)) for line in publisher),
        host=Markup("<br>\n").join(Markup(md_escape(line)) for line in host_lines),
        draft=draft_band(lang, "", drafts) if lang in drafts else "",
    )


def render_treatment(treatment: Treatment, day: dt.date) -> dict[str, dict[str, str]]:
    """Every page of every language; collects the problems of all languages before failing."""
    pages: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for lang in treatment.languages:
        try:
            pages[lang] = render_language(treatment, lang, day)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return pages


def render_pages(project: Project, day: dt.date) -> dict[str, dict[str, str]]:
    """Every page of every treatment and language, by language and path in the language's folder
    (``risks.md``, or ``<treatment>/risks.md`` with several treatments, then with a home page)."""
    pages: dict[str, dict[str, str]] = {lang: {} for lang in project.languages}
    problems: list[Problem] = []
    for treatment in project.treatments.values():
        try:
            for lang, by_name in render_treatment(treatment, day).items():
                pages[lang].update({treatment.folder + name: markdown for name, markdown in by_name.items()})
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    for lang in project.languages:
        pages[lang][LEGAL_PAGE] = render_legal(project, lang)
        if project.several_treatments:
            pages[lang]["index.md"] = render_home(project, lang)
    return pages
