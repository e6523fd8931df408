"""What a template prints for the facts and sources of one treatment in one language.

A fact becomes a FactView: its text and note filled and escaped (texts.py), with its sources as
links to the "about" page; a dispute, a question and a claim left out likewise. Which facts a page
shows is the page model's business (page_model.py); how they are laid out, the templates'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from patientinfo.content.markup import strip_inline
from patientinfo.content.model import Treatment
from patientinfo.content.schema import PLACEHOLDER, Dispute, Fact, FaqItem
from patientinfo.model import selection as page_model
from patientinfo.model.selection import Disputes, Questions, Selection, Split
from patientinfo.render.formatting import Formatter
from patientinfo.render.texts import SPACES, Texts, md_escape


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
    frequency: Markup | None = None  # how often a risk happened, with its sources

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


class FactViews:
    """Facts, disputes, questions and sources of one treatment, as one language prints them."""

    def __init__(self, treatment: Treatment, lang: str, texts: Texts, fmt: Formatter):
        self.treatment = treatment
        self.lang = lang
        self.texts = texts
        self.fmt = fmt

    # ------------------------------------------------------------------ sources
    def source_ref(self, source_id: str) -> SourceRef:
        source = self.treatment.sources[source_id]
        label = self.texts.plain("ui", f"source_type.{source.type}", label=source.label)
        return SourceRef(source_id, label, f"src-{source_id}")

    def refs(self, source_ids: Iterable[str]) -> Markup:
        refs = [self.source_ref(s) for s in source_ids]
        if not refs:
            return Markup("")
        links = [f"[{md_escape(r.label)}](about.md#{r.anchor})" for r in refs]
        shown = self.texts.forms("refs", len(refs), list=Markup(self.fmt.join(links)))
        return Markup('<span class="pi-refs">{}</span>').format(shown)

    # ------------------------------------------------------------------ facts
    def fact(self, fact_id: str) -> FactView:
        fact = self.treatment.facts[fact_id]
        entry = self.treatment.entry(self.lang, "facts", fact_id)

        def own(name: str) -> str:
            if name.startswith("clinic."):  # the clinic's phone: a tap-to-call link
                shown = self.texts.clinic_value(name.removeprefix("clinic."), link_phones=True)
                if shown is not None:
                    return shown
            return self.fmt.quantity(fact.values[name])

        return FactView(
            fact=fact,
            text=self.texts.render(entry.text or "", own, "facts", fact_id),
            note=self.texts.render(entry.note, own, "facts", fact_id) if entry.note else None,
            refs=self.refs(fact.sources),
            note_refs=self.refs(fact.note_sources),
            studied_in=[self.source_ref(s) for s in fact.studied_in],
            frequency=self._frequency(fact.frequency) if fact.frequency else None,
        )

    def _frequency(self, fact_id: str) -> Markup:
        counted = self.fact(fact_id)
        return Markup("{} {}").format(counted.text, counted.refs)

    def fact_plain(self, fact_id: str) -> str:
        """The fact's text as a reader sees it, without any markup (for tests and PDFs)."""
        fact = self.treatment.facts[fact_id]
        entry = self.treatment.entry(self.lang, "facts", fact_id)
        raw = strip_inline(SPACES.sub(" ", entry.text or "").strip(), addresses=True)

        def value(name: str) -> str:
            if name.startswith("clinic."):
                shown = self.texts.clinic_value(name.removeprefix("clinic."))
                if shown is not None:
                    return shown
            return self.fmt.quantity(fact.values[name])

        return PLACEHOLDER.sub(lambda m: value(m.group(1)), raw)

    def dispute(self, dispute: Dispute) -> DisputeView:
        return DisputeView(dispute.id, self.texts.text("facts", dispute.id), [self.fact(f) for f in dispute.facts])

    def select(self, selection: Selection) -> object:
        """What a template prints for one selection of the page model: facts as FactViews,
        disputes as DisputeViews, lists by group as (group, facts), questions as FaqViews."""
        if isinstance(selection, Disputes):
            return [self.dispute(d) for d in page_model.disputes(self.treatment, selection)]
        if isinstance(selection, Split):
            return [(key, [self.fact(f) for f in ids]) for key, ids in page_model.split(self.treatment, selection)]
        if isinstance(selection, Questions):
            return [self.question(item, ids) for item, ids in page_model.questions(self.treatment)]
        return [self.fact(f) for f in page_model.fact_ids(self.treatment, selection)]

    def question(self, item: FaqItem, fact_ids: list[str]) -> FaqView:
        entry = self.treatment.entry(self.lang, "facts", item.id)
        disputes = {d.id: d for d in self.treatment.facts_file.disputes}
        return FaqView(
            item.id,
            self.texts.text("facts", item.id),
            self.texts.render(entry.note, self.texts.resolver({}), "facts", item.id) if entry.note else None,
            [self.fact(f) for f in fact_ids],
            [self.dispute(disputes[d]) for d in item.disputes],
        )

    @cached_property
    def excluded(self) -> list[tuple[Markup, Markup]]:
        return [(self.texts.text("facts", e.id), self.refs(e.sources)) for e in self.treatment.facts_file.excluded]

    def protocol_refs(self) -> Markup:
        """The references of the clinic's own advice (sources of type clinic_protocol), if any."""
        return self.refs(s.id for s in self.treatment.sources.values() if s.type == "clinic_protocol")

    def source_description(self, source_id: str) -> str:
        """A source as a patient reads it: its kind, country, language and year, never a file name."""
        source = self.treatment.sources[source_id]
        if source.type == "clinic_website":
            return self.texts.plain(
                "ui",
                "about.source_file",
                language=self.texts.plain("ui", f"language.{source.language}") if source.language else "",
                country=self.texts.plain("ui", f"country.{source.country}") if source.country else "",
                label=self.source_ref(source_id).label,
            )
        parts = {
            "kind": self.texts.plain("ui", f"source_kind.{source.type}"),
            "country": self.texts.plain("ui", f"country.{source.country}") if source.country else "",
            "language": self.texts.plain("ui", f"language.{source.language}") if source.language else "",
            "year": str(source.year) if source.year else "",
            "label": self.source_ref(source_id).label,
        }
        if source.year:
            return self.texts.plain("ui", "about.source_kind", **parts)
        text = self.texts.plain("ui", "about.source_kind_undated", **parts)
        return f"{text} ({parts['country']})" if parts["country"] else text
