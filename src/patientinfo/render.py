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
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from html import escape as html_escape

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateError, UndefinedError
from markupsafe import Markup

from . import page_model
from .content import Content, Site
from .errors import ContentError, Problem
from .formatting import Formatter
from .markup import strip_inline
from .page_model import Disputes, Questions, Selection, Split
from .schema import PLACEHOLDER, Dispute, Fact, FaqItem
from .texts import SPACES, Texts, md_escape

# Page types, in navigation order. Each has templates/pages/<slug>.md.j2 and its facts in the page model.
PAGES = tuple(page_model.SITE)


def _finalize(value: object) -> object:
    """Escape whatever a template prints unless it is already safe Markup."""
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(str(value)))


def today() -> dt.date:
    """The build date: SOURCE_DATE_EPOCH when set, so that builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


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


@dataclass(frozen=True)
class SourceRef:
    id: str
    label: str
    anchor: str


@dataclass
class FactView:
    """A fact as a template sees it: its text in this language, already safe to print."""

    fact: Fact
    text: Markup
    note: Markup | None
    refs: Markup
    note_refs: Markup
    studied_in: list[SourceRef]
    disputed: bool

    @property
    def id(self) -> str:
        return self.fact.id


@dataclass
class DisputeView:
    id: str
    text: Markup
    facts: list[FactView]


@dataclass
class FaqView:
    id: str
    question: Markup
    answer: Markup | None
    facts: list[FactView]
    disputes: list[DisputeView]


class LanguageRenderer:
    """Everything the templates need for one language; texts resolved on demand."""

    def __init__(self, content: Content, lang: str, *, build_date: dt.date | None = None):
        self.content = content
        self.lang = lang
        self.build_date = build_date or today()
        self.fmt = Formatter(content.settings.locale(lang), content.texts[lang]["ui"].root.get)
        self.texts = Texts(content, lang, self.fmt)
        self._disputed = page_model.disputed_ids(content)

    # ------------------------------------------------------------------ texts (texts.py fills them)
    def text(self, domain: str, text_id: str, *, paragraphs: bool = False, **extra: object) -> Markup:
        return self.texts.text(domain, text_id, paragraphs=paragraphs, **extra)

    def t(self, text_id: str, **extra: object) -> Markup:
        """A page text (pages.yaml)."""
        return self.texts.text("pages", text_id, **extra)

    def tp(self, text_id: str, **extra: object) -> Markup:
        """A page text of several paragraphs."""
        return self.texts.text("pages", text_id, paragraphs=True, **extra)

    def ui(self, text_id: str, **extra: object) -> Markup:
        return self.texts.text("ui", text_id, **extra)

    def plain(self, domain: str, text_id: str, **extra: object) -> str:
        return self.texts.plain(domain, text_id, **extra)

    def plain_text(self, raw: str, **extra: object) -> str:
        return self.texts.plain_text(raw, **extra)

    def forms(self, text_id: str, count: int, **extra: Markup) -> Markup:
        return self.texts.forms(text_id, count, **extra)

    link = staticmethod(Texts.link)

    # ------------------------------------------------------------------ sources
    def source_ref(self, source_id: str) -> SourceRef:
        source = self.content.sources[source_id]
        label = self.plain("ui", f"source_type.{source.type}", label=source.label)
        return SourceRef(source_id, label, f"src-{source_id}")

    def refs(self, source_ids: Iterable[str]) -> Markup:
        refs = [self.source_ref(s) for s in source_ids]
        if not refs:
            return Markup("")
        links = [f"[{md_escape(r.label)}](about.md#{r.anchor})" for r in refs]
        shown = self.forms("refs", len(refs), list=Markup(self.fmt.join(links)))
        return Markup('<span class="pi-refs">{}</span>').format(shown)

    # ------------------------------------------------------------------ facts
    def fact(self, fact_id: str) -> FactView:
        fact = self.content.facts[fact_id]
        entry = self.content.entry(self.lang, "facts", fact_id)

        def own(name: str) -> str:
            return self.fmt.quantity(fact.values[name])

        return FactView(
            fact=fact,
            text=self.texts.render(entry.text or "", own, "facts", fact_id),
            note=self.texts.render(entry.note, own, "facts", fact_id) if entry.note else None,
            refs=self.refs(fact.sources),
            note_refs=self.refs(fact.note_sources),
            studied_in=[self.source_ref(s) for s in fact.studied_in],
            disputed=fact_id in self._disputed,
        )

    def fact_plain(self, fact_id: str) -> str:
        """The fact's text as a reader sees it, without any markup (for tests and PDFs)."""
        fact = self.content.facts[fact_id]
        raw = strip_inline(SPACES.sub(" ", self.content.entry(self.lang, "facts", fact_id).text or "").strip())
        return PLACEHOLDER.sub(lambda m: self.fmt.quantity(fact.values[m.group(1)]), raw)

    def dispute(self, dispute: Dispute) -> DisputeView:
        return DisputeView(dispute.id, self.text("facts", dispute.id), [self.fact(f) for f in dispute.facts])

    def views(self, selection: Selection) -> object:
        """What a template prints for one selection of the page model: facts as FactViews,
        disputes as DisputeViews, lists by group as (group, facts), questions as FaqViews."""
        resolved = page_model.resolve(self.content, selection)
        if isinstance(selection, Disputes):
            return [self.dispute(d) for d in resolved]  # type: ignore[arg-type]
        if isinstance(selection, Split):
            return [(key, [self.fact(f) for f in ids]) for key, ids in resolved]  # type: ignore[misc]
        if isinstance(selection, Questions):
            return [self.question(item, ids) for item, ids in resolved]  # type: ignore[misc]
        return [self.fact(f) for f in resolved]  # type: ignore[arg-type]

    def question(self, item: FaqItem, fact_ids: list[str]) -> FaqView:
        entry = self.content.entry(self.lang, "facts", item.id)
        disputes = {d.id: d for d in self.content.facts_file.disputes}
        return FaqView(
            item.id,
            self.text("facts", item.id),
            self.texts.render(entry.note, self.texts.resolver({}), "facts", item.id) if entry.note else None,
            [self.fact(f) for f in fact_ids],
            [self.dispute(disputes[d]) for d in item.disputes],
        )

    @cached_property
    def excluded(self) -> list[tuple[Markup, Markup]]:
        return [(self.text("facts", e.id), self.refs(e.sources)) for e in self.content.facts_file.excluded]

    # ------------------------------------------------------------------ review
    def review(self, shown: Iterable[str]) -> dict[str, object]:
        """The review of a page or leaflet: the stalest of the treatment's and of the reviews of
        the facts it shows (given by the page model, before rendering)."""
        reviews = [self.content.facts_file.review]
        reviews += [f.review for f in map(self.content.facts.get, shown) if f is not None and f.review]
        review = min(reviews, key=lambda r: (r.next_review, r.last_reviewed))
        return {
            "last_iso": review.last_reviewed.isoformat(),
            "last": self.fmt.date(review.last_reviewed),
            "next": self.fmt.date(review.next_review),
            "by": review.reviewed_by or self.content.clinic.medical_reviewer,
            "overdue": self.build_date > review.next_review,
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
            f"treatment_id: {json.dumps(self.content.treatment)}",
            f"last_reviewed: {json.dumps(review['last_iso'])}",
            f"reviewed_by: {json.dumps(html(str(review['by'])), ensure_ascii=False)}",
            "---",
        ]
        return Markup("\n".join(lines))

    def render_page(self, environment: Environment, page: str) -> str:
        template = environment.get_template(f"pages/{page}.md.j2")
        selections = page_model.SITE[page]
        review = self.review(page_model.shown_facts(self.content, selections))
        try:
            body = template.render(
                r=self,
                p={name: self.views(selection) for name, selection in selections.items()},
                review=review,
                page=page,
                pages=PAGES,
                lang=self.lang,
                t=self.t,
                tp=self.tp,
                ui=self.ui,
                clinic=self.content.clinic,
                sources=self.content.sources,
                site_root="../" if self.content.several_treatments else "",  # where editors.md is
                example=self.content.facts_file.example,
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
        return LanguageRenderer.link("tel:" + re.sub(r"[^0-9+]", "", number), number)

    def calls(self) -> dict[str, Markup]:
        """The clinic's phone and the emergency number as tap-to-call links, for ``{phone}``, ``{emergency}``."""
        clinic = self.content.clinic
        return {"phone": self.tel(clinic.phone), "emergency": self.tel(clinic.emergency_number)}

    def protocol_refs(self) -> Markup:
        """The references of the clinic's own advice (sources of type clinic_protocol), if any."""
        return self.refs(s.id for s in self.content.sources.values() if s.type == "clinic_protocol")

    def source_description(self, source_id: str) -> str:
        """A source as a patient reads it: its kind, country, language and year, never a file name."""
        source = self.content.sources[source_id]
        if source.type == "clinic_website":
            return self.plain(
                "ui",
                "about.source_file",
                language=self.plain("ui", f"language.{source.language}") if source.language else "",
                country=self.plain("ui", f"country.{source.country}") if source.country else "",
                label=self.source_ref(source_id).label,
            )
        parts = {
            "kind": self.plain("ui", f"source_kind.{source.type}"),
            "country": self.plain("ui", f"country.{source.country}") if source.country else "",
            "language": self.plain("ui", f"language.{source.language}") if source.language else "",
            "year": str(source.year) if source.year else "",
            "label": self.source_ref(source_id).label,
        }
        if source.year:
            return self.plain("ui", "about.source_kind", **parts)
        text = self.plain("ui", "about.source_kind_undated", **parts)
        return f"{text} ({parts['country']})" if parts["country"] else text


def render_language(content: Content, lang: str, *, build_date: dt.date | None = None) -> dict[str, str]:
    """Markdown of every page of ``lang``, by file name (``risks.md``)."""
    environment = make_environment()
    renderer = LanguageRenderer(content, lang, build_date=build_date)
    return {f"{page}.md": renderer.render_page(environment, page) for page in PAGES}


def render_home(site: Site, lang: str) -> str:
    """The home page of a site with several treatments: each treatment, with its description."""
    renderer = LanguageRenderer(site.first, lang)
    treatments = []
    for treatment, content in site.treatments.items():
        own = LanguageRenderer(content, lang)
        treatments.append(
            {"href": f"{treatment}/index.md", "title": own.t("index.name"), "description": own.t("index.description")}
        )
    title = html_escape(renderer.plain("ui", "home.title"), quote=True)
    description = html_escape(renderer.plain("ui", "home.description"), quote=True)
    example = any(content.facts_file.example for content in site.treatments.values())
    template = "src/patientinfo/templates/home.md.j2"
    try:
        body = (
            make_environment()
            .get_template("home.md.j2")
            .render(ui=renderer.ui, treatments=treatments, clinic=site.clinic, example=example)
        )
    except TemplateError as exc:  # UndefinedError included: a template mistake, named as such
        raise ContentError([Problem(template, getattr(exc, "lineno", 1) or 1, f"template error: {exc}")]) from None
    front = [
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"description: {json.dumps(description, ensure_ascii=False)}",
    ]
    return "\n".join(["---", *front, "---", body])


def render_site(content: Content, *, build_date: dt.date | None = None) -> dict[str, dict[str, str]]:
    """Every page of every language; collects the problems of all languages before failing."""
    pages: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for lang in content.languages:
        try:
            pages[lang] = render_language(content, lang, build_date=build_date)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return pages


def render_pages(site: Site, *, build_date: dt.date | None = None) -> dict[str, dict[str, str]]:
    """Every page of every treatment and language, by language and path in the language's folder
    (``risks.md``, or ``<treatment>/risks.md`` with several treatments, then with a home page)."""
    pages: dict[str, dict[str, str]] = {lang: {} for lang in site.languages}
    problems: list[Problem] = []
    for content in site.treatments.values():
        try:
            for lang, by_name in render_site(content, build_date=build_date).items():
                pages[lang].update({content.folder + name: markdown for name, markdown in by_name.items()})
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    if site.several_treatments:
        for lang in site.languages:
            pages[lang]["index.md"] = render_home(site, lang)
    return pages
