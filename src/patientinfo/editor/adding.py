"""A new fact from the browser: the fact in the treatment's facts file, after the last fact of
its category, its text in each language's text file, and, for a contraindication, its id in the
``covers`` of the screening question that asks about it (the build requires one).

A text written here in another language than the source carries no ``source_hash``: the check
lists it as a translation to review until its translator has reviewed it. A published language
left without text is refused by the build's own loading, as any other missing text.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import yaml

from patientinfo.content.layout import Layout
from patientinfo.content.load import read_one
from patientinfo.content.schema import Settings
from patientinfo.editor.workspace import AddItem, AddText, AddToList, Change, WorkspaceError, read
from patientinfo.messages import _

EMPTY: tuple[object, ...] = (None, "", [], {})
DEFAULTS = {"key": False, "leaflet": True, "not_applicable_box": False, "unsure_box": True}


def treatment_of(layout: Layout, facts_file: str) -> str:
    """The treatment whose facts file ``facts_file`` is (refused for any other file)."""
    parts = PurePosixPath(facts_file).parts
    content = PurePosixPath(layout.content_dir).parts
    if parts[: len(content)] != content or parts[len(content) :][0:1] != ("treatments",) or parts[-1] != "facts.yaml":
        raise WorkspaceError(_("'{file}' is not a treatment's facts file").format(file=facts_file))
    treatment = parts[-2]
    if layout.facts(treatment) != facts_file:
        raise WorkspaceError(_("'{file}' is not a treatment's facts file").format(file=facts_file))
    return treatment


def cleaned(fact: object) -> dict:
    """The fact as the file writes it, from the form's: quotes and numbers come as lists of
    pairs (the form's way), empty fields and fields left as default are left out."""
    if not isinstance(fact, dict):
        raise WorkspaceError(_("the request is not a change of a file"))
    fact = dict(fact)
    for name, key, value in (("quotes", "source", "words"), ("values", "name", "quantity")):
        if isinstance(fact.get(name), list):
            pairs = [item for item in fact[name] if isinstance(item, dict) and item.get(key)]
            fact[name] = {str(item[key]): _without_empty(item.get(value)) for item in pairs}
    return {
        name: value
        for name, value in fact.items()
        if value not in EMPTY and not (name in DEFAULTS and value == DEFAULTS[name])
    }


def _without_empty(value: object) -> object:
    if isinstance(value, dict):
        return {name: item for name, item in value.items() if item not in EMPTY}
    return value


def languages_of(layout: Layout) -> tuple[str, list[str]]:
    """The source language and every language with texts (published first, then drafts)."""
    settings, _problems = read_one(layout, layout.settings, Settings)
    if settings is None:
        raise WorkspaceError(_("the settings file has errors: fix it first"))
    return settings.source_language, [*settings.languages, *settings.drafts.languages]


def questions(layout: Layout, facts_file: str) -> list[tuple[int, str]]:
    """(position in the facts list, id) of each screening question of the facts file."""
    facts = (yaml.safe_load(read(layout, facts_file)) or {}).get("facts") or []
    return [
        (index, str(fact.get("id")))
        for index, fact in enumerate(facts)
        if isinstance(fact, dict) and fact.get("category") == "screening"
    ]


def new_fact(layout: Layout, facts_file: str, fact: object, texts: object, asked_by: str = "") -> list[Change]:
    """The changes that add ``fact`` with its ``texts`` (language -> text), and, if given, its id
    to the ``covers`` of the screening question ``asked_by``."""
    treatment = treatment_of(layout, facts_file)
    item = cleaned(fact)
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        raise WorkspaceError(_("the request is not a change of a file"))
    facts = (yaml.safe_load(read(layout, facts_file)) or {}).get("facts") or []
    same = [
        i for i, other in enumerate(facts) if isinstance(other, dict) and other.get("category") == item.get("category")
    ]
    changes: list[Change] = []
    if asked_by:
        where = dict((fact_id, index) for index, fact_id in questions(layout, facts_file))
        if asked_by not in where:
            raise WorkspaceError(_("'{id}' is not a question of the questionnaire").format(id=asked_by))
        changes.append(AddToList(facts_file, ("facts", where[asked_by], "covers"), str(item.get("id"))))
    changes.append(AddItem(facts_file, ("facts",), item, same[-1] if same else -1))
    _source, languages = languages_of(layout)
    for lang in languages:
        words = texts.get(lang, "").strip()
        if words:
            changes.append(AddText(layout.texts(lang, "facts", treatment), str(item.get("id")), words))
    return changes
