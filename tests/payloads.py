"""Put a hostile payload into every free-text field of every content file.

The list of fields is generated from the content models' JSON Schemas, never written by hand:
a string without a ``pattern``, ``format`` or ``enum`` is free text an editor may type anything
into. Constrained strings (ids, colours, URLs, dates...) are refused by validation instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from patientinfo.content.schema import Catalog, Clinic, CountryFile, FactsFile, Settings, SourcesFile

MODELS = {
    "content/treatments/mesotherapy/facts.yaml": FactsFile,
    "content/treatments/mesotherapy/sources.yaml": SourcesFile,
    "content/clinic.yaml": Clinic,
    "content/settings.yaml": Settings,
}
TEXT_MODEL = Catalog

Path_ = tuple[str | int, ...]


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_free_text(schema: dict) -> bool:
    return schema.get("type") == "string" and not ({"pattern", "format", "enum", "const"} & set(schema))


def free_text_paths(data: object, schema: dict, root: dict, here: Path_ = ()) -> Iterator[Path_]:
    """Every location in ``data`` whose schema is a free-text string."""
    schema = _resolve(schema, root)
    if isinstance(data, str):
        options = [schema, *(_resolve(s, root) for s in schema.get("anyOf", []))]
        if any(_is_free_text(option) for option in options):
            yield here
        return
    if isinstance(data, dict):
        objects = [schema, *(_resolve(s, root) for s in schema.get("anyOf", []))]
        objects = [o for o in objects if o.get("type") == "object"] or [schema]
        for key, value in data.items():
            for option in objects:
                properties = option.get("properties", {})
                if key in properties:
                    yield from free_text_paths(value, properties[key], root, (*here, key))
                    break
                extra = option.get("additionalProperties")
                if isinstance(extra, dict):
                    yield from free_text_paths(value, extra, root, (*here, key))
                    break
    elif isinstance(data, list):
        options = [schema, *(_resolve(s, root) for s in schema.get("anyOf", []))]
        items = next((o["items"] for o in options if o.get("type") == "array" and "items" in o), None)
        if items is not None:
            for index, value in enumerate(data):
                yield from free_text_paths(value, items, root, (*here, index))


def _set(data: object, path: Path_, value: str) -> None:
    for key in path[:-1]:
        data = data[key]  # type: ignore[index]
    data[path[-1]] = value  # type: ignore[index]


def _get(data: object, path: Path_) -> object:
    for key in path:
        data = data[key]  # type: ignore[index]
    return data


def content_files(root: Path) -> dict[str, type]:
    """Each content file of the project at ``root`` and the model that validates it."""
    files = dict(MODELS)
    for path in sorted((root / "content/countries").glob("*.yaml")):
        files[path.relative_to(root).as_posix()] = CountryFile
    settings = yaml.safe_load((root / "content/settings.yaml").read_text(encoding="utf-8"))
    for lang in settings["languages"]:
        for path in sorted((root / "content" / lang).rglob("*.yaml")):
            files[path.relative_to(root).as_posix()] = TEXT_MODEL
    return files


def marker(number: int) -> str:
    """A short tag no real page contains: '<x-p12>'. Raw, it would be HTML; escaped, it is text."""
    return f"<x-p{number}>"


def inject_everywhere(root: Path) -> dict[str, tuple[str, Path_]]:
    """Append a numbered marker to every free-text field; returns marker -> (file, path)."""
    placed: dict[str, tuple[str, Path_]] = {}
    for relative, model in content_files(root).items():
        file = root / relative
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        schema = model.model_json_schema()
        for path in list(free_text_paths(data, schema, schema)):
            tag = marker(len(placed))
            _set(data, path, f"{_get(data, path)} {tag}")
            placed[tag] = (relative, path)
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return placed
