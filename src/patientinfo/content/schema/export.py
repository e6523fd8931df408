"""JSON Schemas of the content files (``schema/``): editors' tools check and complete the YAML
with them; a new site gets them in its first commit."""

from __future__ import annotations

import json
from pathlib import Path

from patientinfo.content.schema.facts import CountryFile, FactsFile, SourcesFile
from patientinfo.content.schema.project import Clinic, Settings
from patientinfo.content.schema.texts import Catalog

SCHEMAS = (
    ("facts", FactsFile, "content/treatments/<id>/facts.yaml"),
    ("sources", SourcesFile, "content/treatments/<id>/sources.yaml"),
    ("clinic", Clinic, "content/clinic.yaml"),
    ("country", CountryFile, "content/countries/<CC>.yaml"),
    ("settings", Settings, "content/settings.yaml"),
    ("texts", Catalog, "content/<lang>/ui.yaml, countries.yaml and content/<lang>/<id>/*.yaml"),
)


def write_json_schemas(root: Path) -> Path:
    """Write ``root/schema/<name>.schema.json`` for every content file; returns the folder."""
    folder = root / "schema"
    folder.mkdir(exist_ok=True)
    for name, model, title in SCHEMAS:
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = title
        (folder / f"{name}.schema.json").write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return folder
