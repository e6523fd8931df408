"""The browser editor's pages: the list of content files and one file's form (JSON Editor, fed
with the file's JSON Schema from the same models the build validates with), and where in a file
a problem is, as the form's field."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path, PurePosixPath

import yaml
from pydantic import BaseModel

from patientinfo.content.layout import Layout
from patientinfo.content.schema import Catalog, Clinic, CountryFile, FactsFile, Settings, SourcesFile
from patientinfo.editor import adding
from patientinfo.editor.assets import ASSETS, installed
from patientinfo.editor.workspace import WorkspaceError, editable, read
from patientinfo.messages import _

PAGE = Path(__file__).parent / "page"
# Nothing from another host; JSON Editor sets style attributes, hence 'unsafe-inline' for styles only.
POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"


def model_of(layout: Layout, shown: str) -> type[BaseModel]:
    parts = PurePosixPath(shown).relative_to(layout.content_dir).parts
    named: dict[tuple[str, ...], type[BaseModel]] = {("clinic.yaml",): Clinic, ("settings.yaml",): Settings}
    if parts in named:
        return named[parts]
    if parts[0] == "countries" and len(parts) == 2:
        return CountryFile
    if parts[0] == "treatments" and len(parts) == 3:
        by_name: dict[str, type[BaseModel]] = {"facts.yaml": FactsFile, "sources.yaml": SourcesFile}
        return by_name.get(parts[2], Catalog)
    return Catalog


def schema_of(layout: Layout, shown: str, part: tuple[str | int, ...] = ()) -> dict:
    """The file's JSON Schema (or that of one of its items), its definitions where JSON Editor
    looks for them."""
    editable(layout, shown)
    text = json.dumps(model_of(layout, shown).model_json_schema()).replace('"#/$defs/', '"#/definitions/')
    schema = json.loads(text)
    definitions = schema.pop("$defs", {})
    for key in part:
        while "$ref" in schema:
            schema = definitions.get(schema["$ref"].rsplit("/", 1)[-1], {})
        schema = schema.get("items", {}) if isinstance(key, int) else schema.get("properties", {}).get(key, {})
    while part and "$ref" in schema:
        schema = definitions.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return _for_the_form({**schema, "definitions": definitions})


def _for_the_form(schema: object) -> dict:
    """Without ``propertyNames``, which JSON Editor does not support (the build checks the names),
    and help without the code marks of the models' docstrings. Optional fields keep their 'or
    null': a file may hold an empty value, which must stay empty."""
    plain = schema

    def drop(node: object) -> object:
        if isinstance(node, dict):
            return {
                key: value.replace("``", "") if key == "description" and isinstance(value, str) else drop(value)
                for key, value in node.items()
                if key != "propertyNames"
            }
        if isinstance(node, list):
            return [drop(item) for item in node]
        return node

    result = drop(plain)
    assert isinstance(result, dict)
    return result


def field_at(text: str | None, line: int) -> list[str | int] | None:
    """The data path of the deepest value that starts on ``line`` of the file (None if none)."""
    if text is None:
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    found: list[str | int] | None = None

    def walk(node: yaml.Node, path: list[str | int]) -> None:
        nonlocal found
        if node.start_mark.line + 1 == line and path:
            found = path
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.start_mark.line + 1 == line:
                    found = [*path, key.value]
                walk(value, [*path, key.value])
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, [*path, index])

    if root is not None:
        walk(root, [])
    return found


def _files(layout: Layout) -> list[str]:
    shown = sorted(layout.relative(path) for path in layout.content.rglob("*.yaml") if path.name != "addresses.yaml")
    kept = []
    for name in shown:
        try:
            editable(layout, name)
        except WorkspaceError:
            continue
        kept.append(name)
    return kept


def _shell(title: str, body: str, scripts: tuple[str, ...] = ()) -> bytes:
    tags = "".join(f'<script src="/static/{name}"></script>' for name in scripts)
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>{html.escape(title)}</title><link rel="stylesheet" href="/static/editor.css"></head>'
        f"<body{body}{tags}</body></html>"
    ).encode()


def _fact_links(layout: Layout, shown: str) -> str:
    """For a facts file: a link to each fact's own form and to a new fact's."""
    if PurePosixPath(shown).name != "facts.yaml" or "treatments" not in PurePosixPath(shown).parts:
        return ""
    facts = (yaml.safe_load(read(layout, shown)) or {}).get("facts") or []
    address = html.escape(shown, quote=True)
    links = "".join(
        f'<li><a href="/edit?file={address}&amp;part=facts.{index}">{html.escape(str(fact.get("id")))}</a>'
        f" <small>{html.escape(str(fact.get('category')))}</small></li>"
        for index, fact in enumerate(facts)
        if isinstance(fact, dict)
    )
    add, each = html.escape(_("Add a fact")), html.escape(_("Each fact on its own"))
    return f'<p><a href="/add?file={address}">{add}</a></p><details><summary>{each}</summary><ul>{links}</ul></details>'


def _groups(layout: Layout) -> list[tuple[str, list[str]]]:
    """The files the editor offers, by what they hold: the clinic, the treatments' facts, the
    source language's texts, the countries. Translations are the translators' (PO files)."""
    try:
        source, _languages = adding.languages_of(layout)
    except WorkspaceError:
        source = ""
    groups: dict[str, list[str]] = {}
    content = PurePosixPath(layout.content_dir).parts
    for name in _files(layout):
        parts = PurePosixPath(name).parts[len(content) :]
        if len(parts) == 1:
            groups.setdefault(_("The clinic and the site's settings"), []).append(name)
        elif parts[0] == "treatments":
            groups.setdefault(_("Treatments: facts and sources"), []).append(name)
        elif parts[0] == "countries":
            groups.setdefault(_("Countries: emergency number, reporting, the law"), []).append(name)
        elif parts[0] == source:
            groups.setdefault(_("Texts in the source language ({lang})").format(lang=source), []).append(name)
    return list(groups.items())


def index_page(layout: Layout) -> tuple[str, bytes]:
    sections = "".join(
        f"<h2>{html.escape(title)}</h2><ul>"
        + "".join(
            f'<li><a href="/edit?file={html.escape(name, quote=True)}">{html.escape(name)}</a>'
            f"{_fact_links(layout, name)}</li>"
            for name in names
        )
        + "</ul>"
        for title, names in _groups(layout)
    )
    heading = html.escape(_("What do you want to change?"))
    intro = html.escape(
        _(
            "Each form shows one file. Nothing is written until the change passes the same checks as "
            "the build. Translations are done in PO files by the translators: a change of a source "
            "text shows which translations they must review."
        )
    )
    return "text/html; charset=utf-8", _shell(heading, f"><h1>{heading}</h1><p>{intro}</p>{sections}")


def edit_page(layout: Layout, mode: str = "file") -> tuple[str, bytes]:
    """A file's form (``mode`` "file") or a new fact's ("new-fact"): one page, one script."""
    words = {
        "mode": mode,
        "add": _("Add a fact"),
        "changed": _("What this save changed, in the preview:"),
        "nopreview": _("(the preview is not running: start it with scripts/serve)"),
        "title": _("A new fact in {file}"),
        "working": _("Checking…"),
        "refused": _("Not saved: fix what is shown beside the fields."),
        "saved": _("Saved."),
        "fine": _("No problem: the change below can be saved."),
        "unchanged": _("Nothing has changed."),
        "ready": _("Change the values, then check or save."),
        "stale": _("These translations translate the text as it was: their translators must review them."),
        "before": _("Source text before"),
        "after": _("Source text now"),
    }
    data = "".join(f' data-{key}="{html.escape(value, quote=True)}"' for key, value in words.items())
    back, check, save = (html.escape(label) for label in (_("All files"), _("Check"), _("Save")))
    body = (
        f'{data}><p><a href="/">{back}</a></p><h1 id="file"></h1>'
        '<p id="status" role="status"></p><div id="problems"></div><div id="stale"></div><div id="changed"></div>'
        f'<p><button id="check" type="button">{check}</button> '
        f'<button id="save" type="button">{save}</button></p>'
        '<pre id="diff"></pre><div id="form"></div>'
    )
    return "text/html; charset=utf-8", _shell(_("Edit"), body, ("jsoneditor.js", "editor.js"))


def _static(name: str, kind: str) -> Callable[[Layout], tuple[str, bytes]]:
    def serve(_layout: Layout) -> tuple[str, bytes]:
        asset = next((a for a in ASSETS if a.name == name), None)
        data = installed(asset) if asset is not None else (PAGE / name).read_bytes()
        if data is None:
            raise WorkspaceError(_("the editor's script is not installed: run scripts/setup"))
        return kind, data

    return serve


ROUTES: dict[str, Callable[[Layout], tuple[str, bytes]]] = {
    "/": index_page,
    "/edit": edit_page,
    "/static/jsoneditor.js": _static("jsoneditor.js", "text/javascript; charset=utf-8"),
    "/static/editor.js": _static("editor.js", "text/javascript; charset=utf-8"),
    "/static/editor.css": _static("editor.css", "text/css; charset=utf-8"),
}


ROUTES["/add"] = partial(edit_page, mode="new-fact")
