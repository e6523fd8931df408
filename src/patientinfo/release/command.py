"""``patientinfo release``: record a version of the patient documents signed off by the clinic's
medical reviewer: its version id per treatment and language, the date, the reviewer, a note, what
changed since the previous release, and its PDFs, kept byte for byte in ``releases/``.

Refused, with the reasons, while the editors' check has findings, while a draft language or
treatment still misses texts, when the clinic file names no medical reviewer, or when nothing
changed since the last release. A release writes only under ``releases/``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from patientinfo.check.run import run_project_check
from patientinfo.content.layout import Layout
from patientinfo.content.load import load_project
from patientinfo.content.model import Project
from patientinfo.content.releases import (
    Release,
    TreatmentRelease,
    archive_folder,
    read_record,
    write_record,
)
from patientinfo.messages import _
from patientinfo.printing.registry import PRINTED, print_all
from patientinfo.printing.text import version_id
from patientinfo.release import snapshot


class ReleaseRefused(Exception):
    """What stops a release, in the editor's words: one reason per line."""

    def __init__(self, reasons: list[str]):
        super().__init__("\n".join(reasons))
        self.reasons = reasons


@dataclass
class Released:
    release: Release
    written: list[str] = field(default_factory=list)  # files written under releases/, from the root


def refusals(layout: Layout, project: Project, day: dt.date) -> list[str]:
    """Why this content cannot be released now (empty: it can)."""
    reasons = [str(finding) for finding in run_project_check(project, day, readability=False).findings]
    drafts = load_project(layout, drafts=True, mark_missing=False, allow_missing_texts=True)
    for path, (wanted, missing) in sorted(drafts.to_write.items()):
        if missing:
            reasons.append(
                _("{path}: a draft still misses {count} of its {wanted} texts, first '{id}'").format(
                    path=path, count=len(missing), wanted=wanted, id=missing[0]
                )
            )
    if not project.clinic.medical_reviewer:
        reasons.append(_("content/clinic.yaml: 'medical_reviewer' names no one to sign the release off"))
    return reasons


def release(layout: Layout, note: str, day: dt.date, *, cache: Path | None = None, workers: int = 0) -> Released:
    """Record a release of every published treatment and language (see the module's docstring)."""
    project = load_project(layout)
    reasons = refusals(layout, project, day)
    if not note.strip():
        reasons.append(_("say in a short note what this release changes (--note)"))
    record = read_record(layout)
    latest = record.latest()
    versions = {
        treatment_id: {lang: version_id(treatment, lang) for lang in treatment.languages}
        for treatment_id, treatment in project.treatments.items()
    }
    if latest is not None and {t: r.versions for t, r in latest.treatments.items()} == versions:
        reasons.append(_("nothing changed since release {number}").format(number=latest.number))
    if reasons:
        raise ReleaseRefused(reasons)
    pdfs = print_all(project, day, cache, workers=workers or os.cpu_count() or 1)
    done = Released(Release(number=len(record.releases) + 1, date=day, reviewer="-", note="-", treatments={}))
    treatments = {}
    for treatment_id, treatment in project.treatments.items():
        files: dict[str, list[str]] = {}
        for lang in treatment.languages:
            folder = layout.root / archive_folder(treatment_id, versions[treatment_id][lang])
            names = [printed.file_name(lang) for printed in PRINTED]
            for name in names:
                target = folder / name
                if not target.exists():  # a version already archived keeps the bytes first published
                    folder.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(pdfs[lang][treatment.folder + name])
                    done.written.append(layout.relative(target))
            files[lang] = names
        now = snapshot.take(treatment)
        released = TreatmentRelease(versions=versions[treatment_id], files=files)
        treatments[treatment_id] = snapshot.changes(snapshot.read(layout.root, treatment_id), now, released)
        snapshot.write(layout.root, treatment_id, now)
    reviewer = str(project.clinic.medical_reviewer)
    done.release = Release(
        number=done.release.number, date=day, reviewer=reviewer, note=note.strip(), treatments=treatments
    )
    record.releases.append(done.release)
    write_record(layout, record)
    return done


def release_parser(commands) -> None:  # noqa: ANN001 (argparse's private _SubParsersAction)
    parser = commands.add_parser(
        "release", help=_("record a version signed off by the medical reviewer, and archive its PDFs")
    )
    parser.add_argument("--note", required=True, help=_("what this release changes, in a few words"))


def run(layout: Layout, note: str, day: dt.date, cache: Path | None, workers: int) -> int:
    """The command: the release recorded and its archive written, or the reasons it is refused."""
    try:
        done = release(layout, note, day, cache=cache, workers=workers)
    except ReleaseRefused as refused:
        print(_("Not released:"))
        for reason in refused.reasons:
            print(f"  {reason}")
        return 1
    number, reviewer = done.release.number, done.release.reviewer
    print(_("Release {number} of {date}, signed off by {reviewer}.").format(number=number, date=day, reviewer=reviewer))
    for treatment_id, released in done.release.treatments.items():
        versions = ", ".join(f"{lang} {version}" for lang, version in released.versions.items())
        print(f"  {treatment_id}: {versions}")
    print(_("{count} PDF(s) archived under releases/; commit releases/ to keep them.").format(count=len(done.written)))
    return 0
