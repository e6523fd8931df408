"""What the last build made from the same inputs, so a warm ``mkdocs build`` does not render again.

The pages, PDFs and brand files the plugin stages depend only on: the content files, the
engine's own code and templates, the clinic's logo, the day of the build (a review falls due)
and the versions of the libraries that format and print them. One SHA-256 of all of these is
the stamp. When it equals the stamp of the last build, the staged files (kept in the staging
folder) and the editors' check findings (kept beside them) are used as they are; the content is
still loaded and validated, for the pages' context. Any change to an input renders everything
again, as before; nothing is ever reused across a different stamp.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from patientinfo.content.layout import Layout
from patientinfo.content.releases import RECORD as RELEASE_RECORD
from patientinfo.pipeline.context import BuildContext

ENGINE = Path(__file__).parents[1]  # the whole package: its code and templates
LIBRARIES = ("babel", "jinja2", "markupsafe", "pydantic", "weasyprint", "pydyf", "segno", "pyyaml")
FORMAT = 1  # bump when the record's layout changes


def versions(names: tuple[str, ...] = LIBRARIES) -> str:
    """The installed versions of ``names`` (a library's upgrade may change what it makes)."""
    found = []
    for name in names:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


def add_folder(digest: Any, folder: Path | None, label: str) -> None:
    """Every file of ``folder`` (its path and bytes, in a fixed order) into ``digest``."""
    if folder is None or not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"\0{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())


def inputs_digest(layout: Layout, context: BuildContext, logo: str | None) -> str:
    """One hash of every input of the rendered files (paths and bytes, in a fixed order): the
    build's day and whether it prints PDFs are inputs too."""
    digest = hashlib.sha256(f"{FORMAT}|{context.day.isoformat()}|{context.pdfs}|{context.drafts}|{versions()}".encode())
    add_folder(digest, layout.content, "content")
    add_folder(digest, ENGINE, "engine")
    record = layout.root / RELEASE_RECORD  # the releases page and the archive follow it
    digest.update(b"\0releases\0" + (record.read_bytes() if record.is_file() else b""))
    if logo:
        logo_path = layout.path(logo)
        digest.update(b"\0logo\0" + (logo_path.read_bytes() if logo_path.is_file() else b""))
    return digest.hexdigest()


def record_path(staging: Path) -> Path:
    """Beside the staging folder (never in it: the staging folder is published)."""
    return staging.parent / f"{staging.name}.last-build.json"


def beside(staging: Path, name: str) -> Path:
    """A cache folder beside the staging folder (compiled templates, rendered pages)."""
    folder = staging.parent / f"{staging.name}.{name}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load(staging: Path, stamp: str) -> tuple[dict[str, bytes], list[str]] | None:
    """The generated files (path -> bytes) and check findings of the last build, if it had this
    stamp and its files are all still there; otherwise None."""
    try:
        record = json.loads(record_path(staging).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("stamp") != stamp:
        return None
    files: dict[str, bytes] = {}
    for relative in record.get("generated", []):
        path = staging / relative
        try:
            files[relative] = path.read_bytes()
        except OSError:
            return None
    return files, [str(finding) for finding in record.get("findings", [])]


def save(staging: Path, stamp: str, generated: list[str], findings: list[str]) -> None:
    record = {"stamp": stamp, "generated": sorted(generated), "findings": findings}
    path = record_path(staging)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    scratch.replace(path)


def forget(staging: Path) -> None:
    record_path(staging).unlink(missing_ok=True)
