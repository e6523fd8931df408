"""The form of a new fact: the fields of the facts' own model, with labels and help in the
editor's language; its sources as a choice among the known ones; its quotes and numbers as lists
of pairs (the server makes them mappings again, ``adding.cleaned``); its text in each language;
and the question of the questionnaire that asks about it. Problems are shown beside these fields
(``new_fact_field``)."""

from __future__ import annotations

from pathlib import PurePosixPath

import yaml
from babel import Locale, UnknownLocaleError

from patientinfo.content.layout import Layout
from patientinfo.editor import adding
from patientinfo.editor.pages import schema_of
from patientinfo.editor.workspace import Proposal, WorkspaceError, read
from patientinfo.errors import Problem
from patientinfo.messages import N_, _, speaking
from patientinfo.rules import code


def _without_null(schema: object) -> object:
    """The schema with each ``anyOf: [X, null]`` (an optional field) as X, so that the form shows
    the field itself rather than a choice between it and 'null'; empty fields are left out."""
    if isinstance(schema, list):
        return [_without_null(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    branches = schema.get("anyOf")
    if isinstance(branches, list) and {"type": "null"} in branches and len(branches) == 2:
        kept = next(branch for branch in branches if branch != {"type": "null"})
        rest = {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
        return _without_null({**kept, **rest})
    return {key: _without_null(value) for key, value in schema.items()}


def _language_name(lang: str) -> str:
    try:
        return Locale.parse(lang).get_display_name(speaking()) or lang
    except (ValueError, UnknownLocaleError):
        return lang


def _texts_field(layout: Layout, source: str, languages: list[str]) -> dict:
    texts = {
        lang: {
            "type": "string",
            "format": "textarea",
            "title": _language_name(lang) + (" — " + _("the source text") if lang == source else ""),
        }
        for lang in languages
    }
    return {
        "type": "object",
        "title": _("Its text in each language"),
        "description": _("A translation written here is listed by the check until its translator has reviewed it."),
        "properties": texts,
    }


def _question_field(layout: Layout, facts_file: str, source_texts: dict) -> dict:
    asked = [fact_id for _index, fact_id in adding.questions(layout, facts_file)]
    return {
        "type": "string",
        "title": _("The question of the questionnaire that asks about it (a contraindication)"),
        "enum": ["", *asked],
        "options": {"enum_titles": [_("none"), *(f"{i}: {_words(source_texts.get(i))}" for i in asked)]},
    }


def _pairs(title: str, key: dict, value: dict) -> dict:
    """A list of (key, value) pairs: how the form edits a mapping whose keys the editor chooses."""
    return {"type": "array", "items": {"type": "object", "title": title, "properties": {**key, **value}}}


def _fact_field(definitions: dict, choice: dict) -> dict:
    fact = _without_null(definitions["Fact"])
    assert isinstance(fact, dict)
    words = {"words": {"type": "string", "format": "textarea", "title": _("Words")}}
    name = {"name": {"type": "string", "title": _("Name")}}
    fact["properties"] = {
        **{name: {**field, **_titled(name, field)} for name, field in fact["properties"].items()},
        "sources": {"type": "array", **_titled("sources"), "format": "table", "items": choice, "minItems": 1},
        "quotes": {**_pairs(_("Quote"), {"source": choice}, words), **_titled("quotes")},
        "values": {
            **_pairs(_("Number"), name, {"quantity": {"$ref": "#/definitions/Quantity"}}),
            **_titled("values"),
        },
    }
    return {**fact, "title": _("The fact")}


def new_fact_schema(layout: Layout, facts_file: str) -> dict:
    """The form of a new fact: its fields (from the same model the build validates), its text in
    each language, and the question that asks about it (a contraindication must be asked)."""
    treatment = adding.treatment_of(layout, facts_file)
    definitions = schema_of(layout, facts_file)["definitions"]
    source, languages = adding.languages_of(layout)
    source_texts = yaml.safe_load(read(layout, layout.texts(source, "facts", treatment))) or {}
    return {
        "type": "object",
        "title": _("A new fact"),
        "definitions": _without_null(definitions),
        "properties": {
            "fact": _fact_field(definitions, _source_choice(layout, treatment)),
            "texts": _texts_field(layout, source, languages),
            "asked_by": _question_field(layout, facts_file, source_texts),
        },
    }


# The fields of a new fact the form shows, with their labels and help in the editor's language.
_NEW_FACT_FIELDS = {
    "id": (N_("Id"), N_("a short name in lower-case words joined by hyphens, used nowhere else: ci-heart-disease")),
    "category": (N_("Category"), N_("where the fact is shown: a contraindication, a risk, a warning sign…")),
    "severity": (N_("Severity"), N_("contraindications only: absolute, some products only, relative…")),
    "urgency": (N_("Urgency"), N_("warning signs only: call the emergency number now, or the clinic the same day")),
    "step": (N_("Step"), N_("before, during or after the session: also shown on the session page")),
    "leaflet": (N_("In the printed leaflet"), N_("untick to leave it out of the leaflet, which must fit its pages")),
    "sources": (N_("Sources"), N_("who says it: every fact needs at least one source")),
    "quotes": (N_("Quotes"), N_("each source's own words, copied exactly, so that anyone can check the fact")),
    "values": (N_("Numbers"), N_("each number once, with its unit; the texts show it as {name}")),
}


_OPTIONAL_CHOICES = ("severity", "urgency", "step")  # a choice left empty for most facts


def _titled(name: str, field: dict | None = None) -> dict:
    """The field's label and help in the editor's language; an optional choice can stay empty."""
    extra: dict = {}
    if name in _OPTIONAL_CHOICES and field is not None and "enum" in field:
        extra = {"enum": ["", *field["enum"]], "options": {"enum_titles": ["—", *field["enum"]]}}
    if field is not None and field.get("type") == "boolean":
        extra = {"format": "checkbox"}
    if name not in _NEW_FACT_FIELDS:
        return extra
    title, help_text = _NEW_FACT_FIELDS[name]
    return {"title": _(title), "description": _(help_text), **extra}


def new_fact_start(layout: Layout, facts_file: str) -> dict:
    """What the new-fact form starts with: every field it shows, empty (a contraindication)."""
    _source, languages = adding.languages_of(layout)
    fact: dict[str, object] = {"id": "", "category": "contraindication", "severity": "", "urgency": "", "step": ""}
    fact |= {"leaflet": True, "sources": [], "quotes": [], "values": []}
    return {"fact": fact, "texts": dict.fromkeys(languages, ""), "asked_by": ""}


def _source_choice(layout: Layout, treatment: str) -> dict:
    """A choice among the treatment's sources and the countries' (each by its id and label)."""
    files = [layout.sources(treatment)] + [
        layout.relative(path) for path in sorted((layout.content / "countries").glob("*.yaml"))
    ]
    known: dict[str, str] = {}
    for shown in files:
        try:
            data = yaml.safe_load(read(layout, shown)) or {}
        except (WorkspaceError, yaml.YAMLError):
            continue
        for source in data.get("sources") or []:
            if isinstance(source, dict) and "id" in source:
                known.setdefault(str(source["id"]), f"{source['id']}: {_words(source.get('label'))}")
    return {
        "type": "string",
        "title": _("Source"),
        "enum": list(known),
        "options": {"enum_titles": list(known.values())},
    }


def _words(entry: object) -> str:
    if isinstance(entry, dict):
        entry = entry.get("text") or ""
    return str(entry or "")[:90]


def new_fact_field(layout: Layout, problem: Problem, proposal: Proposal, field: list[str | int] | None) -> list | None:
    """The field of the new-fact form a problem is about: the fact's own fields, the text of one
    language, or the texts (a missing one); None for a problem elsewhere."""
    if problem.code == code("missing-text"):
        return ["texts"]
    for path in proposal.texts:
        parts = PurePosixPath(path).relative_to(layout.content_dir).parts
        if path == problem.path and parts[0] != "treatments":
            return ["texts", parts[0]]
    if field and len(field) >= 2 and field[0] == "facts" and isinstance(field[1], int):
        facts = (yaml.safe_load(proposal.texts.get(problem.path, "")) or {}).get("facts") or []
        added = {str(item.get("id")) for item in facts if isinstance(item, dict)} - _ids_before(layout, problem.path)
        if 0 <= field[1] < len(facts) and str(facts[field[1]].get("id")) in added:
            return ["fact", *field[2:]]
    return None


def _ids_before(layout: Layout, shown: str) -> set[str]:
    facts = (yaml.safe_load(read(layout, shown)) or {}).get("facts") or []
    return {str(item.get("id")) for item in facts if isinstance(item, dict)}
