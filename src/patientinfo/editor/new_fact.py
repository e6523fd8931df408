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
        "definitions": labelled_quantity(_without_null(definitions)),  # type: ignore[arg-type]
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


# The other fields of a fact, labelled on an existing fact's form.
_OTHER_FACT_FIELDS = {
    "key": (
        N_("Key fact"),
        N_("one of the essential facts of its category: the consent form prints the key principles"),
    ),
    "group": (N_("Group"), N_("indications and substances: the group it is listed under")),
    "studied_in": (N_("Studied in"), N_("indications: the publications that studied it")),
    "note_sources": (N_("Sources of the note"), N_("who says what the text's note says")),
    "review": (N_("Review"), N_("when this fact was checked, if not with the whole treatment")),
    "country": (N_("Country"), N_("only for patients of this country (a two-letter code: FR, IT, GB)")),
    "covers": (N_("Asks about"), N_("questions only: the contraindications this question asks about")),
    "write_in": (N_("Room to write"), N_("questions only: the questionnaire leaves room to write the answer")),
    "unsure_box": (N_("'Not sure' box"), N_("questions only: a 'not sure' box beside yes and no")),
    "not_applicable_box": (N_("'Does not apply' box"), N_("questions only: a 'does not apply to me' box")),
    "frequency": (N_("How often"), N_("risks only: the fact that says how often it happened")),
}
# The parts of a number (the Quantity of the models), on every form.
_QUANTITY_FIELDS = {
    "value": (N_("Number"), N_("one exact number")),
    "about": (N_("About"), N_("an approximate number")),
    "min": (N_("From"), N_("the smallest number of a range")),
    "max": (N_("Up to"), N_("the largest number of a range")),
    "unit": (N_("Unit"), N_("what is counted: session, week, volume-milliliter…")),
    "date": (N_("Date"), N_("a date instead of a number")),
}


def labelled_quantity(definitions: dict) -> dict:
    """The definitions with the parts of a number labelled in the editor's language."""
    quantity = definitions.get("Quantity")
    if not isinstance(quantity, dict) or not isinstance(quantity.get("properties"), dict):
        return definitions
    properties = {
        name: {**field, "title": _(_QUANTITY_FIELDS[name][0]), "description": _(_QUANTITY_FIELDS[name][1])}
        if name in _QUANTITY_FIELDS
        else field
        for name, field in quantity["properties"].items()
    }
    return {**definitions, "Quantity": {**quantity, "title": _("Number"), "description": "", "properties": properties}}


def labelled_fact(schema: dict) -> dict:
    """A fact's own form (an existing fact) with the same labels and help as a new fact's, in the
    editor's language; the fields' types are left as they are."""
    properties = schema.get("properties")
    if not isinstance(properties, dict) or "category" not in properties:
        return schema
    words = {**_NEW_FACT_FIELDS, **_OTHER_FACT_FIELDS}
    named = {name: (_(title), _(help_text)) for name, (title, help_text) in words.items()}
    return {
        **schema,
        "definitions": labelled_quantity(schema.get("definitions", {})),
        "title": _("The fact"),
        "properties": {
            name: {**field, "title": named[name][0], "description": named[name][1]} if name in named else field
            for name, field in properties.items()
        },
    }
