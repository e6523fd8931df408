"""Load every content file, validate it, and check the links between files.

Everything wrong is collected and raised at once as a ContentError whose problems each name
the file, the line, the field and, where there is one, the fact id and the language, with the
code of the rule broken. Nothing is rendered from content that did not pass here, so no
language is ever filled from another. Every path comes from the project's ``Layout``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel

from patientinfo.content import countries as country_files
from patientinfo.content import integrity
from patientinfo.content.layout import Layout
from patientinfo.content.model import TREATMENT_DOMAINS, Project, Treatment
from patientinfo.content.reading import YamlDocument, load_yaml
from patientinfo.content.releases import read_record
from patientinfo.content.schema import Catalog, Clinic, CountryFile, FactsFile, Settings, SourcesFile, TextEntry
from patientinfo.content.validation import validate
from patientinfo.errors import ContentError, Problem
from patientinfo.messages import _
from patientinfo.rules import code

M = TypeVar("M", bound=BaseModel)


def as_layout(where: Layout | Path | str) -> Layout:
    """A project given by its folder gets the default layout (content in ``content/``)."""
    return where if isinstance(where, Layout) else Layout(Path(where))


class _Reader:
    """Reads and validates files on their own, collecting problems and every file read."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.problems: list[Problem] = []
        self.files: dict[str, YamlDocument] = {}

    def read(self, shown: str, model: type[M]) -> M | None:
        try:
            document = load_yaml(self.layout.path(shown), self.layout.root)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None
        self.files[document.path] = document
        if document.data is None:
            if model is not Catalog:
                message = _("the file is empty: it must hold this file's fields")
                self.problems.append(Problem(document.path, 1, message))
                return None
            document.data = {}
        return validate(model, document, self.problems)


def read_one(where: Layout | Path | str, shown: str, model: type[M]) -> tuple[M | None, list[Problem]]:
    """One file on its own, read and validated: its model, or None and the problems."""
    reader = _Reader(as_layout(where))
    return reader.read(shown, model), reader.problems


def load_files(
    where: Layout | Path | str, *, drafts: bool = False, left_out: frozenset[str] = frozenset()
) -> tuple[Project, dict[str, SourcesFile]]:
    """Read and validate every content file on its own (no rule between files yet). ``drafts``:
    the drafts' languages and treatments too (the preview); a draft's text file not yet
    created counts as empty."""
    layout = as_layout(where)
    reader = _Reader(layout)
    settings = reader.read(layout.settings, Settings)
    if settings is not None and drafts:
        settings = settings.with_drafts(left_out)
    clinic = reader.read(layout.clinic, Clinic)
    treatments = settings.treatments if settings is not None else []
    facts_files = {t: reader.read(layout.facts(t), FactsFile) for t in treatments}
    sources_files = {t: reader.read(layout.sources(t), SourcesFile) for t in treatments}
    countries = country_files.read_countries(layout, lambda shown: reader.read(shown, CountryFile))
    reader.problems += country_files.stray_files(layout)
    if settings is not None:
        reader.problems += _settings_problems(layout, settings, reader.files[layout.settings])
    ui, country_texts, texts = _read_texts(reader, settings, treatments)
    if (
        reader.problems
        or settings is None
        or clinic is None
        or None in (*facts_files.values(), *sources_files.values(), *countries.values())
    ):
        raise ContentError(reader.problems)
    valid_countries = country_files.stamped(countries)  # type: ignore[arg-type]
    clinic = _with_country(reader, clinic, valid_countries)
    shown_countries = country_files.shown_countries(settings, clinic, valid_countries)
    source = settings.source_language
    site_text_ids = frozenset(ui[source].root).union(
        country_texts[source].root,
        *(catalog.root for by_lang in texts.values() for catalog in by_lang.get(source, {}).values()),
    )
    project = Project(
        layout=layout,
        settings=settings,
        clinic=clinic,
        treatments={
            t: Treatment(
                layout=layout,
                settings=settings,
                facts_file=facts_files[t],  # type: ignore[arg-type]
                sources=country_files.merged_sources(sources_files[t].sources, valid_countries),  # type: ignore[union-attr]
                clinic=clinic,
                texts={
                    lang: {"ui": ui[lang], "country": country_texts[lang], **texts[t][lang]}
                    for lang in settings.languages
                },
                yaml_files=reader.files,
                id=t,
                site_text_ids=site_text_ids,
                countries=valid_countries,
                shown_countries=shown_countries,
            )
            for t in treatments
        },
    )
    return project, sources_files  # type: ignore[return-value]


def _with_country(reader: _Reader, clinic: Clinic, countries: dict[str, CountryFile]) -> Clinic:
    """The clinic, its emergency number from its country's file unless it gives its own."""
    layout = reader.layout
    problems = country_files.clinic_problems(layout, clinic, reader.files[layout.clinic], list(countries))
    if problems:
        raise ContentError(problems)
    return country_files.with_emergency_number(clinic, countries)


def _read_texts(
    reader: _Reader, settings: Settings | None, treatments: list[str]
) -> tuple[dict[str, Catalog], dict[str, Catalog], dict[str, dict[str, dict[str, Catalog]]]]:
    """Each language's shared texts (interface, countries) and each treatment's: read, validated."""
    layout = reader.layout
    ui: dict[str, Catalog] = {}
    country_texts: dict[str, Catalog] = {}
    texts: dict[str, dict[str, dict[str, Catalog]]] = {t: {} for t in treatments}  # treatment -> lang -> domain
    if settings is not None:
        for lang in settings.languages:
            catalog = _texts_file(reader, settings, layout.texts(lang, "ui", ""), settings.is_draft(lang, ""))
            if catalog is not None:
                ui[lang] = catalog
            shown = layout.texts(lang, "country", "")
            optional = settings.is_draft(lang, "") or not country_files.country_codes(layout)  # a site with no country
            catalog = _texts_file(reader, settings, shown, optional)
            if catalog is not None:
                country_texts[lang] = catalog
            for treatment in treatments:
                for domain in TREATMENT_DOMAINS:
                    shown = layout.texts(lang, domain, treatment)
                    catalog = _texts_file(reader, settings, shown, settings.is_draft(lang, treatment))
                    if catalog is not None:
                        texts[treatment].setdefault(lang, {})[domain] = catalog
    return ui, country_texts, texts


def _texts_file(reader: _Reader, settings: Settings, shown: str, draft: bool) -> Catalog | None:
    """A text file; a draft's file not written yet is empty (its progress shows what to write)."""
    if draft and not reader.layout.path(shown).exists():
        return Catalog({})
    return reader.read(shown, Catalog)


def _settings_problems(layout: Layout, settings: Settings, settings_doc: YamlDocument) -> list[Problem]:
    """Locales Babel does not know, and treatment folders the settings do not list (which would
    silently not be published)."""
    problems = []
    for lang in settings.languages:
        try:
            Locale.parse(settings.locale(lang))
        except (UnknownLocaleError, ValueError):
            message = f"languages: '{settings.locale(lang)}' is not a locale Babel knows"
            problems.append(
                Problem(layout.settings, settings_doc.line(["locales", lang]), message, code=code("locale"))
            )
    folder = layout.path(layout.treatments_folder)
    found = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    for name in found:
        if name not in settings.treatments and name not in settings.drafts.treatments:
            message = (
                f"treatments: {layout.treatment_folder(name)}/ exists but '{name}' is not listed: add it to treatments "
                "(or remove the folder)"
            )
            problems.append(
                Problem(layout.settings, settings_doc.line(["treatments"]), message, code=code("unlisted-treatment"))
            )
    return problems


def load_project(
    where: Layout | Path | str,
    *,
    drafts: bool = False,
    mark_missing: bool = True,
    allow_missing_texts: bool = False,
    left_out: frozenset[str] = frozenset(),
) -> Project:
    """Load every treatment of the project; raise ContentError listing every problem found.

    ``drafts``: with the languages and treatments being written (the preview); each text they
    still miss shows as a marker naming it (unless not ``mark_missing``: translators' files),
    never as another language's text. ``left_out``: drafts the preview leaves out (their errors).
    ``allow_missing_texts`` lets the editors' check report missing translations as findings
    (with the rest of its report) instead of stopping; a build never allows them.
    """
    project, sources_files = load_files(where, drafts=drafts, left_out=left_out)
    problems = [
        problem
        for treatment_id, treatment in project.treatments.items()
        for problem in (
            *integrity.problems(treatment, sources_files[treatment_id]),
            *country_files.country_problems(treatment),
        )
    ]
    problems = list(dict.fromkeys(problems))  # the shared files' problems are found once per treatment
    if allow_missing_texts:
        problems = [p for p in problems if p.code != code("missing-text")]
    if problems:
        raise ContentError(problems)
    if drafts:
        project.to_write = _texts_to_write(project, mark=mark_missing)
    project.releases = read_record(project.layout)
    return project


def to_write_marker(lang: str, text_id: str) -> str:
    """What a draft shows in place of a text not written yet: the language and the text's id."""
    return f"⟦{lang}: {text_id}⟧"


def _texts_to_write(project: Project, *, mark: bool) -> dict[str, tuple[int, list[str]]]:
    """By file, the texts a draft must have and those still to write; with ``mark``, a marker
    in place of each of the latter."""
    progress: dict[str, tuple[int, list[str]]] = {}
    source = project.settings.source_language
    for treatment in project.treatments.values():
        for lang in (lang for lang in project.languages if treatment.is_draft(lang)):
            for domain, wanted in integrity.wanted_texts(treatment).items():
                path = treatment.text_path(lang, domain)
                if path in progress:  # the interface texts, shared by the treatments
                    continue
                catalog = treatment.texts[lang][domain].root
                missing = [text_id for text_id in wanted if text_id not in catalog]
                progress[path] = (len(wanted), missing)
                for text_id in missing if mark else ():
                    original = treatment.texts[source][domain].root.get(text_id)
                    catalog[text_id] = _marker_entry(original, to_write_marker(lang, text_id))
    return progress


def _marker_entry(original: TextEntry | None, marker: str) -> TextEntry:
    """A marker shaped like the source text (plural forms, a note) so every template can show it."""
    if original is not None and original.forms:
        return TextEntry(forms=dict.fromkeys(original.forms, marker))
    return TextEntry(text=marker, note=marker if original is not None and original.note else None)


def load_treatment(
    where: Layout | Path | str, *, treatment: str | None = None, allow_missing_texts: bool = False
) -> Treatment:
    """One treatment of the project (the first listed unless named), after checking them all."""
    project = load_project(where, allow_missing_texts=allow_missing_texts)
    return project.treatments[treatment] if treatment else project.first
