"""The rules between files that every build needs: ids that exist, texts in every language,
the questionnaire covering every contraindication, the clinic's logo and country.

Each rule is a small function of one treatment returning problems with its code (see
``patientinfo.rules``); ``problems`` runs them all. A treatment with any of these problems is
never rendered: no page is made from an unknown id, no language is filled from another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from patientinfo.content.images import MAX_LOGO_BYTES, svg_problem
from patientinfo.content.markup import link_problems
from patientinfo.content.model import TEXT_DOMAINS, Treatment
from patientinfo.content.reading import read_repository_file
from patientinfo.content.schema import (
    CLINIC_QUANTITIES,
    PLACEHOLDER,
    REQUIRED_CATEGORIES,
    Fact,
    SourcesFile,
    is_cldr_unit,
)
from patientinfo.content.validation import describe
from patientinfo.errors import ContentError, Problem
from patientinfo.messages import _
from patientinfo.rules import code


def problems(treatment: Treatment, sources_file: SourcesFile) -> list[Problem]:
    """Every problem between the files of ``treatment``."""
    found = _duplicate_ids(treatment, sources_file)
    for rule in RULES:
        found += rule(treatment)
    return found


def _duplicates(ids: Iterable[tuple[str, int]], path: str, what: str) -> list[Problem]:
    seen: dict[str, int] = {}
    found = []
    for text_id, line in ids:
        if text_id in seen:
            message = f"duplicate {what} id '{text_id}' (first on line {seen[text_id]})"
            found.append(Problem(path, line, message, code=code("duplicate-id")))
        else:
            seen[text_id] = line
    return found


def _duplicate_ids(treatment: Treatment, sources_file: SourcesFile) -> list[Problem]:
    sources_doc = treatment.yaml_files[treatment.sources_path]
    facts_doc = treatment.yaml_files[treatment.facts_path]
    found = _duplicates(
        ((s.id, sources_doc.line(["sources", i, "id"])) for i, s in enumerate(sources_file.sources)),
        sources_doc.path,
        "source",
    )
    return found + _duplicates(
        ((item_id, facts_doc.line([section, i, "id"])) for section, i, item_id in _item_ids(treatment)),
        facts_doc.path,
        "fact",
    )


def _item_ids(treatment: Treatment) -> list[tuple[str, int, str]]:
    """(section, index, id) of every fact, dispute, question and excluded statement: each has texts."""
    return [(section, i, item.id) for section, items in treatment.facts_file.sections() for i, item in enumerate(items)]


def _unknown_sources(treatment: Treatment) -> list[Problem]:
    facts_doc = treatment.yaml_files[treatment.facts_path]
    ff = treatment.facts_file
    cited: list[tuple[list[str | int], str]] = [
        ([*("facts", i, field_name, j)], str(source_id))
        for i, fact in enumerate(ff.facts)
        for field_name in ("sources", "studied_in", "note_sources")
        for j, source_id in enumerate(getattr(fact, field_name))
    ] + [(["excluded", i, "sources", j], s) for i, item in enumerate(ff.excluded) for j, s in enumerate(item.sources)]
    return [
        Problem(
            facts_doc.path,
            facts_doc.line(loc),
            f"{describe(tuple(loc), facts_doc.data)}: unknown source '{source_id}' (not in {treatment.sources_path})",
            code=code("unknown-source"),
        )
        for loc, source_id in cited
        if source_id not in treatment.sources
    ]


def _groups(treatment: Treatment) -> list[Problem]:
    facts_doc = treatment.yaml_files[treatment.facts_path]
    found = []
    for i, fact in enumerate(treatment.facts_file.facts):
        allowed = treatment.facts_file.groups.get(fact.category)
        if allowed is not None and fact.group not in allowed:
            message = f"'{fact.group}' is not one of the {fact.category} groups: {', '.join(allowed)}"
        elif allowed is None and fact.group is not None:
            message = f"category '{fact.category}' has no groups"
        else:
            continue
        where = facts_doc.line(["facts", i, "group"])
        found.append(
            Problem(facts_doc.path, where, f"facts[{i}].group (id '{fact.id}'): {message}", code=code("group"))
        )
    return found


def _unknown_references(treatment: Treatment) -> list[Problem]:
    """Disputes and questions name facts (and questions disputes) that exist: the treatment's, or
    a country's (shown when that country is)."""
    facts_doc = treatment.yaml_files[treatment.facts_path]
    ff = treatment.facts_file
    disputes = {d.id for d in ff.disputes}
    naming: list[tuple[str, int, str, list[str]]] = [
        *(("disputes", i, d.id, d.facts) for i, d in enumerate(ff.disputes)),
        *(("faq", i, q.id, q.facts) for i, q in enumerate(ff.faq)),
    ]
    found = [
        Problem(
            facts_doc.path,
            facts_doc.line([section, i, "facts", j]),
            f"{section}[{i}].facts (id '{item_id}'): unknown fact '{fact_id}'",
            code=code("unknown-fact"),
        )
        for section, i, item_id, facts in naming
        for j, fact_id in enumerate(facts)
        if fact_id not in treatment.facts and fact_id not in treatment.country_fact_ids
    ]
    return found + [
        Problem(
            facts_doc.path,
            facts_doc.line(["faq", i, "disputes", j]),
            f"faq[{i}].disputes (id '{item.id}'): unknown dispute '{dispute_id}'",
            code=code("unknown-dispute"),
        )
        for i, item in enumerate(ff.faq)
        for j, dispute_id in enumerate(item.disputes)
        if dispute_id not in disputes
    ]


def _required_categories(treatment: Treatment) -> list[Problem]:
    facts_doc = treatment.yaml_files[treatment.facts_path]
    present = {fact.category for fact in treatment.facts.values()}
    return [
        Problem(
            facts_doc.path,
            facts_doc.line(["facts"]),
            f"no fact of category '{category}': balanced information needs it (benefits, risks and warning signs, "
            "who should not have it, evidence, alternatives, what happens without treatment, where else to get help)",
            code=code("required-category"),
        )
        for category in REQUIRED_CATEGORIES
        if category not in present
    ]


def _screening(treatment: Treatment) -> list[Problem]:
    """The questionnaire must ask about every contraindication, and a risk's count must exist:
    a question that names an unknown fact, or a contraindication nobody asks about, is an error."""
    facts_doc = treatment.yaml_files[treatment.facts_path]
    facts = treatment.facts
    found: list[Problem] = []
    asked: set[str] = set()
    for i, fact in enumerate(treatment.facts_file.facts):
        for j, covered in enumerate(fact.covers):
            asked.add(covered)
            if facts.get(covered) is None or facts[covered].category != "contraindication":
                message = f"facts[{i}].covers (id '{fact.id}'): '{covered}' is not a contraindication of this treatment"
                found.append(
                    Problem(facts_doc.path, facts_doc.line(["facts", i, "covers", j]), message, code=code("screening"))
                )
        if fact.frequency is not None and fact.frequency not in facts:
            message = f"facts[{i}].frequency (id '{fact.id}'): unknown fact '{fact.frequency}'"
            found.append(
                Problem(facts_doc.path, facts_doc.line(["facts", i, "frequency"]), message, code=code("unknown-fact"))
            )
    if not any(f.category == "screening" for f in treatment.facts_file.facts):
        return found
    for i, fact in enumerate(treatment.facts_file.facts):
        # Areas not to inject are the doctor's technique, not a question for the patient.
        if fact.category == "contraindication" and fact.severity != "area" and fact.id not in asked:
            message = (
                f"contraindication '{fact.id}' is asked by no question of the questionnaire: add its id to "
                "'covers' of a fact of category 'screening' (or write a new question)"
            )
            found.append(Problem(facts_doc.path, facts_doc.line(["facts", i, "id"]), message, code=code("screening")))
    return found


def _logo(treatment: Treatment) -> list[Problem]:
    """The clinic's logo: an SVG or PNG file of the project, with no script in it."""
    logo = treatment.clinic.logo
    if logo is None:
        return []
    clinic_doc = treatment.yaml_files[treatment.layout.clinic]

    def problem(message: str) -> list[Problem]:
        return [Problem(clinic_doc.path, clinic_doc.line(["logo"]), f"logo '{logo}': {message}", code=code("logo"))]

    try:
        data = read_repository_file(treatment.layout.path(logo), treatment.root, max_bytes=MAX_LOGO_BYTES)
    except ContentError as exc:
        return problem(exc.problems[0].message)
    if logo.endswith(".png"):
        return [] if data.startswith(b"\x89PNG\r\n\x1a\n") else problem("this file is not a PNG image")
    reason = svg_problem(data)
    return problem(reason) if reason else []


def wanted_texts(treatment: Treatment) -> dict[str, list[str]]:
    """By domain, the ids every language must give a text: those of the source language, and
    in the facts domain every fact, dispute, question and excluded statement."""
    source_lang = treatment.settings.source_language
    return {
        "facts": [item_id for _, _, item_id in _item_ids(treatment)],
        "country": list(treatment.country_fact_ids),
        **{
            domain: list(treatment.texts[source_lang][domain].root)
            for domain in TEXT_DOMAINS
            if domain not in ("facts", "country")
        },
    }


def _texts(treatment: Treatment) -> list[Problem]:
    """Every text in every language (a draft may still miss some: its progress says which), and
    no text the source language lacks."""
    source_lang = treatment.settings.source_language
    found = []
    for lang in treatment.languages:
        for domain, wanted in wanted_texts(treatment).items():
            catalog = treatment.texts[lang][domain].root
            path = treatment.text_path(lang, domain)
            by_fact = domain in ("facts", "country")
            origin = treatment.facts_path if by_fact else treatment.text_path(source_lang, domain)
            for text_id in [] if treatment.is_draft(lang) else wanted:
                if text_id not in catalog:
                    origin = treatment.fact_path(text_id) if by_fact else origin
                    line = (
                        treatment.fact_line(text_id) if by_fact else treatment.text_line(source_lang, domain, text_id)
                    )
                    message = _("'{id}' has no text in language '{lang}': add it to {file}")
                    message = message.format(id=text_id, lang=lang, file=path)
                    found.append(Problem(origin, line, message, code=code("missing-text")))
            for text_id in catalog:
                if text_id not in wanted:
                    where = treatment.layout.countries_folder + "/" if domain == "country" else origin
                    message = _("unknown id '{id}' (language '{lang}'): it is not in {file}")
                    message = message.format(id=text_id, lang=lang, file=where)
                    found.append(
                        Problem(path, treatment.text_line(lang, domain, text_id), message, code=code("unknown-text"))
                    )
    return found


def _links(treatment: Treatment) -> list[Problem]:
    """Links may only point to the web, e-mail or a phone (see markup.py)."""
    return [
        Problem(
            treatment.text_path(lang, domain),
            treatment.text_line(lang, domain, text_id),
            f"'{text_id}' (language '{lang}'): {reason}",
            code=code("link"),
        )
        for lang in treatment.languages
        for domain, catalog in treatment.texts[lang].items()
        for text_id, entry in catalog.root.items()
        for text in entry.strings()
        for reason in link_problems(text)
    ]


def _is_clinic_field(treatment: Treatment, name: str) -> bool:
    owner, _, field_name = name.partition(".")
    if owner != "clinic" or field_name not in type(treatment.clinic).model_fields:
        return False
    return isinstance(getattr(treatment.clinic, field_name), str) or field_name in CLINIC_QUANTITIES


def _fact_placeholders(treatment: Treatment) -> list[Problem]:
    """A fact's text shows exactly its own values (and may name the clinic); a note shows none."""
    found = []
    for lang, domain in ((lang, domain) for lang in treatment.languages for domain in ("facts", "country")):
        path = treatment.text_path(lang, domain)
        for fact_id, entry in treatment.texts[lang][domain].root.items():
            fact = treatment.facts.get(fact_id) or _country_fact(treatment, fact_id)
            if fact is None or entry.text is None:
                continue
            used = {name for name in PLACEHOLDER.findall(entry.text) if not _is_clinic_field(treatment, name)}
            messages = [
                f"text of '{fact_id}' (language '{lang}'): unknown placeholder '{{{name}}}'; "
                f"this fact's values are: {', '.join(fact.values) or 'none'}"
                for name in sorted(used - set(fact.values))
            ]
            messages += [
                f"text of '{fact_id}' (language '{lang}'): value '{{{name}}}' is never shown; "
                "every value must appear in every language"
                for name in sorted(set(fact.values) - used)
            ]
            messages += [
                f"note of '{fact_id}' (language '{lang}'): placeholder '{{{name}}}' is not allowed in a note; "
                "put values in the text"
                for name in sorted(set(PLACEHOLDER.findall(entry.note or "")))
            ]
            line = treatment.text_line(lang, domain, fact_id)
            found += [Problem(path, line, message, code=code("fact-placeholder")) for message in messages]
    return found


def _country_fact(treatment: Treatment, fact_id: str) -> Fact | None:
    """A fact of a country file, shown or not (each is checked the same)."""
    country = treatment.country_fact_ids.get(fact_id)
    return next(f for f in treatment.countries[country].facts if f.id == fact_id) if country else None


def _headings(treatment: Treatment) -> list[Problem]:
    """Every group the pages show needs its heading, and every unit without a CLDR name its
    plural forms, in every language (once, as a missing text, when the source lacks it too)."""
    facts_doc = treatment.yaml_files[treatment.facts_path]
    source_ui = treatment.texts[treatment.settings.source_language]["ui"].root
    found = []
    for lang in treatment.languages:
        ui = treatment.texts[lang]["ui"].root
        known = set(ui) | (set(source_ui) if lang != treatment.settings.source_language else set())
        ui_path = treatment.text_path(lang, "ui")
        for category, names in treatment.facts_file.groups.items():
            for index, name in enumerate(names):
                if f"group.{name}" not in known:
                    message = f"group '{name}' has no heading 'group.{name}' in {ui_path}"
                    line = facts_doc.line(["groups", category, index])
                    found.append(Problem(facts_doc.path, line, message, code=code("heading")))
        for fact in treatment.facts_file.facts:
            for name, quantity in fact.values.items():
                unit = quantity.unit
                if unit and not is_cldr_unit(unit) and f"unit.{unit}" not in known:
                    message = (
                        f"fact '{fact.id}' value '{name}': unit '{unit}' is neither a CLDR unit nor defined as "
                        f"'unit.{unit}' in {ui_path}"
                    )
                    found.append(Problem(facts_doc.path, treatment.fact_line(fact.id), message, code=code("heading")))
    return found


RULES: tuple[Callable[[Treatment], list[Problem]], ...] = (
    _unknown_sources,
    _groups,
    _screening,
    _unknown_references,
    _logo,
    _required_categories,
    _texts,
    _links,
    _fact_placeholders,
    _headings,
)
