"""The release record: every version of the patient documents that was signed off and given to
patients, kept in the repository (``releases/record.yaml``, written by ``patientinfo release``,
never by hand) with the PDFs of each version (``releases/<treatment>/<version>/``).

The PDFs are kept as they were printed, not rebuilt from the tagged sources: WeasyPrint, Pango
and the fonts change over the years, and only the bytes that were published prove what a patient
read. A build copies them; it does not print them again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from pydantic import Field

from patientinfo.content.layout import Layout
from patientinfo.content.schema.base import Model
from patientinfo.content.schema.facts import Quantity
from patientinfo.errors import ContentError, Problem

FOLDER = "releases"
RECORD = f"{FOLDER}/record.yaml"
HEADER = (
    "# The releases of the patient documents, written by 'patientinfo release'. Do not edit by hand:\n"
    "# each entry is what a medical reviewer signed off, and its PDFs are kept beside this file.\n"
)


class ValueChange(Model):
    """A number of a fact, before and after (language-neutral; the pages format it)."""

    fact: str
    value: str
    before: Quantity | None = None
    after: Quantity | None = None


class TreatmentRelease(Model):
    """One treatment in one release: its version in each language and what changed since the
    previous release (nothing listed for the first)."""

    versions: dict[str, str]  # language -> the version id printed on its documents
    files: dict[str, list[str]] = Field(default_factory=dict)  # language -> its archived PDFs
    facts_added: list[str] = Field(default_factory=list)
    facts_removed: list[str] = Field(default_factory=list)
    values_changed: list[ValueChange] = Field(default_factory=list)
    texts_changed: dict[str, list[str]] = Field(default_factory=dict)  # language -> text ids
    words: dict[str, dict[str, str]] = Field(default_factory=dict)  # language -> id -> the fact's words then


class Release(Model):
    number: int = Field(ge=1)
    date: dt.date
    reviewer: str = Field(min_length=1)
    note: str = Field(min_length=1)
    treatments: dict[str, TreatmentRelease]


class ReleaseRecord(Model):
    releases: list[Release] = Field(default_factory=list)

    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def replaced_by(self, number: int, treatment: str, lang: str) -> Release | None:
        """The first later release whose version of ``treatment`` in ``lang`` differs."""
        mine = self.releases[number - 1].treatments.get(treatment)
        for later in self.releases[number:]:
            theirs = later.treatments.get(treatment)
            if mine is None or theirs is None or theirs.versions.get(lang) != mine.versions.get(lang):
                return later
        return None


def archive_folder(treatment: str, version: str) -> str:
    """``releases/<treatment>/<version>``: a version's PDFs, as they were published."""
    return f"{FOLDER}/{treatment}/{version}"


def site_address(treatment: str, version: str, name: str) -> str:
    """Where an archived PDF is on the site, in its language's folder: its version id in it."""
    return f"archive/{treatment}/{version}/{name}"


def read_record(layout: Layout) -> ReleaseRecord:
    path = layout.root / RECORD
    if not path.is_file():
        return ReleaseRecord()
    try:
        return ReleaseRecord.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (yaml.YAMLError, ValueError) as exc:
        message = f"the release record cannot be read ({str(exc).splitlines()[0]}): restore it from git"
        raise ContentError([Problem(RECORD, 1, message)]) from None


def write_record(layout: Layout, record: ReleaseRecord) -> None:
    data = record.model_dump(mode="json", exclude_defaults=True)
    text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path = layout.root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def archived_pdfs(layout: Layout, record: ReleaseRecord) -> dict[str, dict[str, Path]]:
    """By language, the site address of each archived PDF -> its file in the repository."""
    found: dict[str, dict[str, Path]] = {}
    for release in record.releases:
        for treatment, released in release.treatments.items():
            for lang, names in released.files.items():
                version = released.versions[lang]
                for name in names:
                    path = layout.root / archive_folder(treatment, version) / name
                    found.setdefault(lang, {})[site_address(treatment, version, name)] = path
    return found
