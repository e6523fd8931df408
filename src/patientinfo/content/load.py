"""Load every content file, validate it, and check the links between files.

Everything wrong is collected and raised at once as a ContentError whose problems each name
the file, the line, the field and, where there is one, the fact id and the language. Nothing is
rendered from content that did not pass here, so no language is ever filled from another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ValidationError

from patientinfo.content.images import MAX_LOGO_BYTES, svg_problem
from patientinfo.content.markup import link_problems
from patientinfo.content.reading import YamlDocument, load_yaml, read_repository_file
from patientinfo.content.schema import (
    CLINIC_QUANTITIES,
    PLACEHOLDER,
    REQUIRED_CATEGORIES,
    Catalog,
    Clinic,
    Fact,
    FactsFile,
    Settings,
    Source,
    SourcesFile,
    TextEntry,
)
from patientinfo.errors import ContentError, Problem
from patientinfo.render.formatting import is_cldr_unit

TEXT_DOMAINS = ("facts", "pages", "ui", "documents")  # documents: the consultation forms (documents.py)
M = TypeVar("M", bound=BaseModel)


@dataclass
class Treatment:
    """One treatment of the site, validated, with the site's settings, clinic and interface
    texts. Pure data: rendering lives elsewhere."""

    root: Path
    settings: Settings
    facts_file: FactsFile
    sources: dict[str, Source]
    clinic: Clinic
    texts: dict[str, dict[str, Catalog]]  # language -> domain -> catalog ("ui" is shared by treatments)
    documents: dict[str, YamlDocument] = field(default_factory=dict)  # by shown path
    derived: dict[str, dict] = field(default_factory=dict, repr=False)  # values computed once from it
    id: str = ""  # the treatment's id: its folder under content/treatments/ and content/<lang>/
    site_text_ids: frozenset[str] = frozenset()  # every source-language text id of the site (identical.yaml)

    @property
    def languages(self) -> list[str]:
        return self.settings.languages

    @property
    def several_treatments(self) -> bool:
        """With one treatment the site has short URLs; with several, each has its own folder."""
        return len(self.settings.treatments) > 1

    @property
    def folder(self) -> str:
        """Where the treatment's pages and PDFs sit in a language: '' with one treatment (short
        URLs), '<treatment>/' with several."""
        return f"{self.id}/" if self.several_treatments else ""

    @cached_property
    def facts(self) -> dict[str, Fact]:
        """Facts by id, built once (content is not changed after loading)."""
        return {fact.id: fact for fact in self.facts_file.facts}

    @property
    def facts_path(self) -> str:
        return facts_path(self.id)

    @property
    def sources_path(self) -> str:
        return sources_path(self.id)

    def text_path(self, lang: str, domain: str) -> str:
        return text_path(lang, domain, self.id)

    def text_line(self, lang: str, domain: str, text_id: str) -> int:
        document = self.documents.get(self.text_path(lang, domain))
        return document.line([text_id]) if document else 1

    def fact_line(self, fact_id: str) -> int:
        """The line of the id of a fact, dispute, question or excluded statement (1 if unknown)."""
        document = self.documents[self.facts_path]
        ff = self.facts_file
        for section, items in (
            ("facts", ff.facts),
            ("disputes", ff.disputes),
            ("faq", ff.faq),
            ("excluded", ff.excluded),
        ):
            for index, item in enumerate(items):
                if item.id == fact_id:
                    return document.line([section, index, "id"])
        return 1

    def entry(self, lang: str, domain: str, text_id: str) -> TextEntry:
        """The text of ``text_id``; a missing one is a ContentError, never another language."""
        catalog = self.texts[lang][domain].root
        if text_id not in catalog:
            raise ContentError(
                [
                    Problem(
                        self.text_path(lang, domain),
                        1,
                        f"missing text '{text_id}' for language '{lang}'",
                    )
                ]
            )
        return catalog[text_id]


@dataclass
class Project:
    """Every treatment of the site; they share the settings, the clinic and the interface texts."""

    root: Path
    settings: Settings
    clinic: Clinic
    treatments: dict[str, Treatment]  # in the order of settings.treatments

    @property
    def languages(self) -> list[str]:
        return self.settings.languages

    @property
    def several_treatments(self) -> bool:
        return len(self.treatments) > 1

    @property
    def first(self) -> Treatment:
        return next(iter(self.treatments.values()))


def facts_path(treatment: str) -> str:
    return f"content/treatments/{treatment}/facts.yaml"


def sources_path(treatment: str) -> str:
    return f"content/treatments/{treatment}/sources.yaml"


def text_path(lang: str, domain: str, treatment: str) -> str:
    """``content/<lang>/ui.yaml`` (the site's words) or ``content/<lang>/<treatment>/<domain>.yaml``."""
    return f"content/{lang}/ui.yaml" if domain == "ui" else f"content/{lang}/{treatment}/{domain}.yaml"


def _describe(loc: tuple[str | int, ...], data: object) -> str:
    """Turn a pydantic location into words an editor recognises, naming the fact id."""
    parts: list[str] = []
    node = data
    owner = None
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        else:
            parts.append(("." if parts else "") + str(key))
        try:
            node = node[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            owner = node["id"]
    where = "".join(parts) or "(top level)"
    return f"{where} (id '{owner}')" if owner else where


def _data_loc(loc: tuple[str | int, ...], data: object) -> tuple[str | int, ...]:
    """Drop what pydantic adds past the data (union branches such as ``min.float``)."""
    node, kept = data, []
    for key in loc:
        if isinstance(node, dict):
            kept.append(key)
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int):
            kept.append(key)
            node = node[key] if 0 <= key < len(node) else None
        else:
            break
    return tuple(kept)


_TYPE_WORDS = {
    "dict_type": "must be a group of 'name: value' lines, not {found}",
    "model_type": "must be a group of 'name: value' lines, not {found}",
    "model_attributes_type": "must be a group of 'name: value' lines, not {found}",
    "list_type": "must be a list (lines starting with '- '), not {found}",
    "string_type": "must be text, not {found} (put it in quotes if it should be text)",
    "int_type": "must be a number, not {found}",
    "float_type": "must be a number, not {found}",
    "bool_type": "must be true or false, not {found}",
    "bool_parsing": "must be true or false, not {found}",
    "date_type": "must be a date written like 2026-05-23, not {found}",
    "date_parsing": "must be a date written like 2026-05-23, not {found}",
    "date_from_datetime_parsing": "must be a date written like 2026-05-23, not {found}",
    "date_from_datetime_inexact": "must be a date written like 2026-05-23 (without a time), not {found}",
    "missing": "is missing: add it",
    "extra_forbidden": "is not a field of this file (check the spelling; see the file's JSON Schema in schema/)",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
    "too_long": "is too long",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
}


def _found(value: object) -> str:
    """What the editor typed, described in words rather than Python types."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a group of 'name: value' lines"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    return f"'{value}'"


def plain_message(error: dict) -> str:
    """A pydantic error in an editor's words (no 'valid dictionary', no regular expressions)."""
    kind = error["type"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        return f"must be one of {expected}, not {_found(error.get('input'))}"
    template = _TYPE_WORDS.get(kind)
    if template is None:
        return str(error["msg"])
    return template.format(found=_found(error.get("input")), **{k: v for k, v in error.get("ctx", {}).items()})


def _validate(model: type[M], document: YamlDocument, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        seen: set[tuple] = set()
        for error in exc.errors():
            loc = _data_loc(tuple(error["loc"]), document.data)
            if loc in seen:  # one message per field: the first union branch says enough
                continue
            seen.add(loc)
            message = plain_message(error)
            problems.append(Problem(document.path, document.line(loc), f"{_describe(loc, document.data)}: {message}"))
        return None


def _load(root: Path, relative: str, model: type[M], problems: list[Problem], documents: dict) -> M | None:
    try:
        document = load_yaml(root / relative, root)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
    documents[document.path] = document
    if document.data is None:
        if model is not Catalog:
            problems.append(Problem(document.path, 1, "the file is empty: it must hold this file's fields"))
            return None
        document.data = {}
    return _validate(model, document, problems)


MISSING_TEXT = "has no text in language"


def load_files(root: Path) -> tuple[Project, dict[str, SourcesFile]]:
    """Read and validate every content file on its own (no rule between files yet)."""
    problems: list[Problem] = []
    documents: dict[str, YamlDocument] = {}
    settings = _load(root, "content/settings.yaml", Settings, problems, documents)
    clinic = _load(root, "content/clinic.yaml", Clinic, problems, documents)
    treatments = settings.treatments if settings is not None else []
    facts_files = {t: _load(root, facts_path(t), FactsFile, problems, documents) for t in treatments}
    sources_files = {t: _load(root, sources_path(t), SourcesFile, problems, documents) for t in treatments}
    ui: dict[str, Catalog] = {}
    texts: dict[str, dict[str, dict[str, Catalog]]] = {t: {} for t in treatments}  # treatment -> lang -> domain
    if settings is not None:
        problems += _unlisted_treatments(root, settings, documents["content/settings.yaml"])
        for lang in settings.languages:
            try:
                Locale.parse(settings.locale(lang))
            except (UnknownLocaleError, ValueError):
                problems.append(
                    Problem(
                        "content/settings.yaml",
                        documents["content/settings.yaml"].line(["locales", lang]),
                        f"languages: '{settings.locale(lang)}' is not a locale Babel knows",
                    )
                )
            catalog = _load(root, text_path(lang, "ui", ""), Catalog, problems, documents)
            if catalog is not None:
                ui[lang] = catalog
            for treatment in treatments:
                for domain in TEXT_DOMAINS:
                    if domain == "ui":
                        continue
                    catalog = _load(root, text_path(lang, domain, treatment), Catalog, problems, documents)
                    if catalog is not None:
                        texts[treatment].setdefault(lang, {})[domain] = catalog
    if (
        problems
        or settings is None
        or clinic is None
        or any(f is None for f in facts_files.values())
        or any(f is None for f in sources_files.values())
    ):
        raise ContentError(problems)
    source = settings.source_language
    site_text_ids = frozenset(ui[source].root).union(
        *(catalog.root for by_lang in texts.values() for catalog in by_lang.get(source, {}).values())
    )
    site = Project(
        root=root,
        settings=settings,
        clinic=clinic,
        treatments={
            t: Treatment(
                root=root,
                settings=settings,
                facts_file=facts_files[t],
                sources={source.id: source for source in sources_files[t].sources},
                clinic=clinic,
                texts={lang: {"ui": ui[lang], **texts[t][lang]} for lang in settings.languages},
                documents=documents,
                id=t,
                site_text_ids=site_text_ids,
            )
            for t in treatments
        },
    )
    return site, sources_files  # type: ignore[return-value]


def _unlisted_treatments(root: Path, settings: Settings, settings_doc: YamlDocument) -> list[Problem]:
    """A treatment folder that settings.yaml does not list would silently not be published."""
    folder = root / "content" / "treatments"
    found = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    return [
        Problem(
            "content/settings.yaml",
            settings_doc.line(["treatments"]),
            f"treatments: content/treatments/{name}/ exists but '{name}' is not listed: add it to treatments "
            "(or remove the folder)",
        )
        for name in found
        if name not in settings.treatments
    ]


def load_project(root: Path, *, allow_missing_texts: bool = False) -> Project:
    """Load ``root/content``, every treatment; raise ContentError listing every problem found.

    ``allow_missing_texts`` lets the editors' check report missing translations as findings
    (with the rest of its report) instead of stopping; a build never allows them.
    """
    project, sources_files = load_files(root)
    problems = [
        problem
        for treatment_id, treatment in project.treatments.items()
        for problem in _cross_check(treatment, sources_files[treatment_id])
    ]
    if allow_missing_texts:
        problems = [p for p in problems if MISSING_TEXT not in p.message]
    if problems:
        raise ContentError(problems)
    return project


def load_treatment(root: Path, *, treatment: str | None = None, allow_missing_texts: bool = False) -> Treatment:
    """One treatment of ``root/content`` (the first listed unless named), after checking them all."""
    project = load_project(root, allow_missing_texts=allow_missing_texts)
    return project.treatments[treatment] if treatment else project.first


def _duplicates(ids: Iterable[tuple[str, int]], path: str, what: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for text_id, line in ids:
        if text_id in seen:
            problems.append(Problem(path, line, f"duplicate {what} id '{text_id}' (first on line {seen[text_id]})"))
        else:
            seen[text_id] = line
    return problems


def _cross_check(treatment: Treatment, sources_file: SourcesFile) -> list[Problem]:
    """Rules that span files: ids that must exist, texts that must exist in every language."""
    problems: list[Problem] = []
    facts_doc = treatment.documents[treatment.facts_path]
    sources_doc = treatment.documents[treatment.sources_path]
    ff = treatment.facts_file
    fp = facts_doc.path

    problems += _duplicates(
        ((s.id, sources_doc.line(["sources", i, "id"])) for i, s in enumerate(sources_file.sources)),
        sources_doc.path,
        "source",
    )
    text_ids = (
        [("facts", i, f.id) for i, f in enumerate(ff.facts)]
        + [("disputes", i, d.id) for i, d in enumerate(ff.disputes)]
        + [("faq", i, q.id) for i, q in enumerate(ff.faq)]
        + [("excluded", i, e.id) for i, e in enumerate(ff.excluded)]
    )
    problems += _duplicates(((tid, facts_doc.line([s, i, "id"])) for s, i, tid in text_ids), fp, "fact")

    facts = treatment.facts
    disputes = {d.id for d in ff.disputes}

    def need_source(source_id: str, loc: list) -> None:
        if source_id not in treatment.sources:
            problems.append(
                Problem(
                    fp,
                    facts_doc.line(loc),
                    f"{_describe(tuple(loc), facts_doc.data)}: unknown source '{source_id}' "
                    f"(not in {treatment.sources_path})",
                )
            )

    for i, fact in enumerate(ff.facts):
        for field_name in ("sources", "studied_in", "note_sources"):
            for j, source_id in enumerate(getattr(fact, field_name)):
                need_source(source_id, ["facts", i, field_name, j])
        allowed_groups = ff.groups.get(fact.category)
        if allowed_groups is not None and fact.group not in allowed_groups:
            problems.append(
                Problem(
                    fp,
                    facts_doc.line(["facts", i, "group"]),
                    f"facts[{i}].group (id '{fact.id}'): '{fact.group}' is not one of the {fact.category} groups: "
                    f"{', '.join(allowed_groups)}",
                )
            )
        if allowed_groups is None and fact.group is not None:
            problems.append(
                Problem(
                    fp,
                    facts_doc.line(["facts", i, "group"]),
                    f"facts[{i}].group (id '{fact.id}'): category '{fact.category}' has no groups",
                )
            )
    problems += _screening_problems(treatment)
    for i, item in enumerate(ff.excluded):
        for j, source_id in enumerate(item.sources):
            need_source(source_id, ["excluded", i, "sources", j])
    for section, items in (("disputes", ff.disputes), ("faq", ff.faq)):
        for i, item in enumerate(items):
            for j, fact_id in enumerate(item.facts):
                if fact_id not in facts:
                    problems.append(
                        Problem(
                            fp,
                            facts_doc.line([section, i, "facts", j]),
                            f"{section}[{i}].facts (id '{item.id}'): unknown fact '{fact_id}'",
                        )
                    )
    for i, item in enumerate(ff.faq):
        for j, dispute_id in enumerate(item.disputes):
            if dispute_id not in disputes:
                problems.append(
                    Problem(
                        fp,
                        facts_doc.line(["faq", i, "disputes", j]),
                        f"faq[{i}].disputes (id '{item.id}'): unknown dispute '{dispute_id}'",
                    )
                )

    problems += _logo_problems(treatment)
    problems += _country_problems(treatment)
    present = {fact.category for fact in ff.facts}
    for category in REQUIRED_CATEGORIES:
        if category not in present:
            problems.append(
                Problem(
                    fp,
                    facts_doc.line(["facts"]),
                    f"no fact of category '{category}': balanced information needs it "
                    f"(benefits, risks and warning signs, who should not have it, evidence, alternatives, "
                    f"what happens without treatment, where else to get help)",
                )
            )
    problems += _check_texts(treatment, [tid for _, _, tid in text_ids])
    return problems


def _screening_problems(treatment: Treatment) -> list[Problem]:
    """The questionnaire must ask about every contraindication, and a risk's count must exist:
    a question that names an unknown fact, or a contraindication nobody asks about, is an error."""
    facts_doc = treatment.documents[treatment.facts_path]
    facts = treatment.facts
    problems: list[Problem] = []
    asked: set[str] = set()
    for i, fact in enumerate(treatment.facts_file.facts):
        for j, covered in enumerate(fact.covers):
            asked.add(covered)
            if facts.get(covered) is None or facts[covered].category != "contraindication":
                problems.append(
                    Problem(
                        facts_doc.path,
                        facts_doc.line(["facts", i, "covers", j]),
                        f"facts[{i}].covers (id '{fact.id}'): '{covered}' is not a contraindication of this treatment",
                    )
                )
        if fact.frequency is not None and fact.frequency not in facts:
            problems.append(
                Problem(
                    facts_doc.path,
                    facts_doc.line(["facts", i, "frequency"]),
                    f"facts[{i}].frequency (id '{fact.id}'): unknown fact '{fact.frequency}'",
                )
            )
    has_questions = any(f.category == "screening" for f in treatment.facts_file.facts)
    for i, fact in enumerate(treatment.facts_file.facts):
        # Areas not to inject are the doctor's technique, not a question for the patient.
        asked_of_patient = fact.category == "contraindication" and fact.severity != "area"
        if has_questions and asked_of_patient and fact.id not in asked:
            problems.append(
                Problem(
                    facts_doc.path,
                    facts_doc.line(["facts", i, "id"]),
                    f"contraindication '{fact.id}' is asked by no question of the questionnaire: add its id to "
                    f"'covers' of a fact of category 'screening' (or write a new question)",
                )
            )
    return problems


def _country_problems(treatment: Treatment) -> list[Problem]:
    """A clinic whose country has none of the country-specific facts would show its patients no
    way to report a side effect: say so rather than show nothing."""
    country = treatment.clinic.country
    countries = {fact.country for fact in treatment.facts_file.facts if fact.country}
    if country is None or not countries or country in countries:
        return []
    clinic_doc = treatment.documents["content/clinic.yaml"]
    return [
        Problem(
            clinic_doc.path,
            clinic_doc.line(["country"]),
            f"country '{country}': {treatment.facts_path} has facts for {', '.join(sorted(countries))} only "
            f"(such as the official side-effect reporting system); add the facts for '{country}' with "
            f"'country: {country}', or leave country out to show every country's",
        )
    ]


def _logo_problems(treatment: Treatment) -> list[Problem]:
    """The clinic's logo: an SVG or PNG file of the repository, with no script in it."""
    logo = treatment.clinic.logo
    if logo is None:
        return []
    clinic_doc = treatment.documents["content/clinic.yaml"]
    line = clinic_doc.line(["logo"])

    def problem(message: str) -> list[Problem]:
        return [Problem(clinic_doc.path, line, f"logo '{logo}': {message}")]

    try:
        data = read_repository_file(treatment.root / logo, treatment.root, max_bytes=MAX_LOGO_BYTES)
    except ContentError as exc:
        return problem(exc.problems[0].message)
    if logo.endswith(".png"):
        return [] if data.startswith(b"\x89PNG\r\n\x1a\n") else problem("this file is not a PNG image")
    reason = svg_problem(data)
    return problem(reason) if reason else []


def _is_clinic_field(treatment: Treatment, name: str) -> bool:
    owner, _, field_name = name.partition(".")
    if owner != "clinic" or field_name not in type(treatment.clinic).model_fields:
        return False
    return isinstance(getattr(treatment.clinic, field_name), str) or field_name in CLINIC_QUANTITIES


def _check_texts(treatment: Treatment, fact_text_ids: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    facts = treatment.facts
    source_lang = treatment.settings.source_language
    facts_doc = treatment.documents[treatment.facts_path]
    wanted_by_domain = {
        "facts": fact_text_ids,
        **{domain: list(treatment.texts[source_lang][domain].root) for domain in TEXT_DOMAINS if domain != "facts"},
    }
    for lang in treatment.languages:
        for domain, wanted in wanted_by_domain.items():
            catalog = treatment.texts[lang][domain].root
            path = treatment.text_path(lang, domain)
            for text_id in wanted:
                if text_id in catalog:
                    continue
                if domain == "facts":
                    where = Problem(
                        facts_doc.path,
                        treatment.fact_line(text_id),
                        f"'{text_id}' {MISSING_TEXT} '{lang}': add it to {path}",
                    )
                else:
                    where = Problem(
                        treatment.text_path(source_lang, domain),
                        treatment.text_line(source_lang, domain, text_id),
                        f"'{text_id}' {MISSING_TEXT} '{lang}': add it to {path}",
                    )
                problems.append(where)
            for text_id in catalog:
                if text_id not in wanted:
                    origin = treatment.facts_path if domain == "facts" else treatment.text_path(source_lang, domain)
                    problems.append(
                        Problem(
                            path,
                            treatment.text_line(lang, domain, text_id),
                            f"unknown id '{text_id}' (language '{lang}'): it is not in {origin}",
                        )
                    )
        # Links may only point to the web, e-mail or a phone (see markup.py).
        for domain, catalog in treatment.texts[lang].items():
            for text_id, entry in catalog.root.items():
                for text in entry.strings():
                    for reason in link_problems(text):
                        problems.append(
                            Problem(
                                treatment.text_path(lang, domain),
                                treatment.text_line(lang, domain, text_id),
                                f"'{text_id}' (language '{lang}'): {reason}",
                            )
                        )
        # Placeholders in fact texts must be exactly the fact's own values.
        for fact_id, entry in treatment.texts[lang]["facts"].root.items():
            fact = facts.get(fact_id)
            if fact is None or entry.text is None:
                continue
            line = treatment.text_line(lang, "facts", fact_id)
            path = treatment.text_path(lang, "facts")
            # A fact's text shows its own values, and may name the clinic ({clinic.emergency_number}).
            used = [name for name in PLACEHOLDER.findall(entry.text) if not _is_clinic_field(treatment, name)]
            in_note = PLACEHOLDER.findall(entry.note or "")
            for name in sorted(set(used) - set(fact.values)):
                problems.append(
                    Problem(
                        path,
                        line,
                        f"text of '{fact_id}' (language '{lang}'): unknown placeholder '{{{name}}}'; "
                        f"this fact's values are: {', '.join(fact.values) or 'none'}",
                    )
                )
            for name in sorted(set(fact.values) - set(used)):
                problems.append(
                    Problem(
                        path,
                        line,
                        f"text of '{fact_id}' (language '{lang}'): value '{{{name}}}' is never shown; "
                        "every value must appear in every language",
                    )
                )
            for name in sorted(set(in_note)):
                problems.append(
                    Problem(
                        path,
                        line,
                        f"note of '{fact_id}' (language '{lang}'): placeholder '{{{name}}}' is not allowed in a note; "
                        "put values in the text",
                    )
                )
        ui = treatment.texts[lang]["ui"].root
        # A heading or unit the source language lacks too is reported once, as a missing text.
        source_ui = treatment.texts[source_lang]["ui"].root if lang != source_lang else {}
        # Every group and severity the pages show needs its heading in every language.
        for category, names in treatment.facts_file.groups.items():
            for index, name in enumerate(names):
                if f"group.{name}" not in ui and f"group.{name}" not in source_ui:
                    problems.append(
                        Problem(
                            facts_doc.path,
                            facts_doc.line(["groups", category, index]),
                            f"group '{name}' has no heading 'group.{name}' in {treatment.text_path(lang, 'ui')}",
                        )
                    )
        # Units without a CLDR name need plural forms in every language.
        for fact in treatment.facts_file.facts:
            for name, quantity in fact.values.items():
                unit = quantity.unit
                if unit and not is_cldr_unit(unit) and f"unit.{unit}" not in ui and f"unit.{unit}" not in source_ui:
                    problems.append(
                        Problem(
                            facts_doc.path,
                            treatment.fact_line(fact.id),
                            f"fact '{fact.id}' value '{name}': unit '{unit}' is neither a CLDR unit nor defined as "
                            f"'unit.{unit}' in {treatment.text_path(lang, 'ui')}",
                        )
                    )
    return problems
