"""The content once read and validated: one treatment (``Treatment``) and all of them with the
clinic and settings they share (``Project``). Pure data, never changed after loading; what is
computed from it is cached by identity elsewhere (``memo.per_treatment``), never stored on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from patientinfo.content.layout import Layout
from patientinfo.content.reading import YamlDocument
from patientinfo.content.releases import ReleaseRecord
from patientinfo.content.schema import Catalog, Clinic, CountryFile, Fact, FactsFile, Settings, Source, TextEntry
from patientinfo.errors import ContentError, Problem
from patientinfo.rules import code

# documents: the texts of the printed forms; country: the words of the countries' facts
TEXT_DOMAINS = ("facts", "pages", "ui", "documents", "country")
SHARED_DOMAINS = ("ui", "country")  # one file per language, shared by the treatments
TREATMENT_DOMAINS = tuple(d for d in TEXT_DOMAINS if d not in SHARED_DOMAINS)


class _OfProject:
    """What a treatment and the whole project both answer from the layout and the settings."""

    layout: Layout
    settings: Settings

    @property
    def root(self) -> Path:
        return self.layout.root

    @property
    def languages(self) -> list[str]:
        return self.settings.languages


@dataclass(eq=False)  # compared and hashed by identity: caches key on the loaded object
class Treatment(_OfProject):
    """One treatment of the site, with the site's settings, clinic and interface texts."""

    layout: Layout
    settings: Settings
    facts_file: FactsFile
    sources: dict[str, Source]
    clinic: Clinic
    texts: dict[str, dict[str, Catalog]]  # language -> domain -> catalog ("ui" is shared by treatments)
    yaml_files: dict[str, YamlDocument] = field(default_factory=dict)  # every file read, by shown path
    id: str = ""  # its folder under <content>/treatments/ and <content>/<lang>/
    site_text_ids: frozenset[str] = frozenset()  # every source-language text id of the site (identical.yaml)
    countries: dict[str, CountryFile] = field(default_factory=dict)  # every content/countries/<CC>.yaml
    shown_countries: tuple[str, ...] = ()  # those whose facts its patients see (the clinic's, each language's)

    @property
    def several_treatments(self) -> bool:
        """With one treatment the site has short URLs; with several, each has its own folder."""
        return len(self.settings.treatments) > 1

    def is_draft(self, lang: str) -> bool:
        """Its ``lang`` pages and PDFs are a draft: the language or the treatment is being written."""
        return self.settings.is_draft(lang, self.id)

    @property
    def folder(self) -> str:
        """Where the treatment's pages and PDFs sit in a language: '' with one treatment (short
        URLs), '<treatment>/' with several."""
        return f"{self.id}/" if self.several_treatments else ""

    @cached_property
    def facts(self) -> dict[str, Fact]:
        """Facts by id, the treatment's then its shown countries', built once (the content is not
        changed after loading)."""
        facts = {fact.id: fact for fact in self.facts_file.facts}
        for country in self.shown_countries:
            facts.update((fact.id, fact) for fact in self.countries[country].facts)
        return facts

    @cached_property
    def country_fact_ids(self) -> dict[str, str]:
        """The id of every country's fact -> its country (its words are in the 'country' texts)."""
        return {fact.id: country for country, file in self.countries.items() for fact in file.facts}

    def text_domain(self, domain: str, text_id: str) -> str:
        """Where a fact's words live: a country's fact in the 'country' texts, others as asked."""
        return "country" if domain == "facts" and text_id in self.country_fact_ids else domain

    @property
    def facts_path(self) -> str:
        return self.layout.facts(self.id)

    @property
    def sources_path(self) -> str:
        return self.layout.sources(self.id)

    def text_path(self, lang: str, domain: str) -> str:
        return self.layout.texts(lang, domain, self.id)

    def text_line(self, lang: str, domain: str, text_id: str) -> int:
        domain = self.text_domain(domain, text_id)
        document = self.yaml_files.get(self.text_path(lang, domain))
        return document.line([text_id]) if document else 1

    def fact_path(self, fact_id: str) -> str:
        """The file that holds a fact: its country's file or the treatment's facts."""
        country = self.country_fact_ids.get(fact_id)
        return self.layout.country(country) if country else self.facts_path

    def fact_line(self, fact_id: str) -> int:
        """The line of the id of a fact, dispute, question or excluded statement (1 if unknown)."""
        country = self.country_fact_ids.get(fact_id)
        if country:
            document = self.yaml_files[self.layout.country(country)]
            index = [fact.id for fact in self.countries[country].facts].index(fact_id)
            return document.line(["facts", index, "id"])
        document = self.yaml_files[self.facts_path]
        for section, items in self.facts_file.sections():
            for index, item in enumerate(items):
                if item.id == fact_id:
                    return document.line([section, index, "id"])
        return 1

    def entry(self, lang: str, domain: str, text_id: str) -> TextEntry:
        """The text of ``text_id``; a missing one is a ContentError, never another language."""
        domain = self.text_domain(domain, text_id)
        catalog = self.texts[lang][domain].root
        if text_id not in catalog:
            problem = Problem(
                self.text_path(lang, domain),
                1,
                f"missing text '{text_id}' for language '{lang}'",
                code=code("missing-text"),
            )
            raise ContentError([problem])
        return catalog[text_id]


@dataclass(eq=False)
class Project(_OfProject):
    """Every treatment of the site; they share the settings, the clinic and the interface texts."""

    layout: Layout
    settings: Settings
    clinic: Clinic
    treatments: dict[str, Treatment]  # in the order of settings.treatments
    # Loaded with its drafts (the preview): by text file, how many texts it must have and the ids
    # still to write (shown as a marker, never filled from another language).
    to_write: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    releases: ReleaseRecord = field(default_factory=ReleaseRecord)  # what was signed off and archived

    @property
    def several_treatments(self) -> bool:
        return len(self.treatments) > 1

    @property
    def first(self) -> Treatment:
        return next(iter(self.treatments.values()))
