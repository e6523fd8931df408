"""Every printed document of a treatment, in one table that the site's links, the build, the
preview and the cache all read: its kind (and file name ``<kind>-<lang>.pdf``), the text that
labels its link, how its HTML is made and whether the leaflet's page limit applies.

``print_all`` prints every document of every treatment through the one engine (``engine.py``),
reusing each PDF whose HTML has not changed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from patientinfo.content.model import Project, Treatment
from patientinfo.errors import ContentError, Problem
from patientinfo.printing.engine import PdfJob, Printing, pdf_key
from patientinfo.printing.forms import form_html
from patientinfo.printing.leaflet import large_print_html, leaflet_html
from patientinfo.render.texts import texts_of

KEY_LENGTH = 16  # characters of a cache key (pdf_key)


@dataclass(frozen=True)
class Printed:
    kind: str
    label: tuple[str, str]  # (domain, text id) of the words of its link
    html: Callable[[Treatment, str, dt.date], str]
    page_limit: bool = False  # the settings' leaflet_max_pages applies

    def file_name(self, lang: str) -> str:
        """``consent-it.pdf``: what the file is, in English, and its language."""
        return f"{self.kind}-{lang}.pdf"


LEAFLET = Printed("leaflet", ("ui", "leaflet.download"), leaflet_html, page_limit=True)
PRINTED: tuple[Printed, ...] = (
    LEAFLET,
    Printed("questionnaire", ("documents", "questionnaire.title"), partial(form_html, kind="questionnaire")),
    Printed("consent", ("documents", "consent.title"), partial(form_html, kind="consent")),
    Printed("record-card", ("documents", "record.title"), partial(form_html, kind="record-card")),
    Printed("leaflet-large", ("documents", "large.title"), large_print_html),
)
BY_KIND = {printed.kind: printed for printed in PRINTED}
FORMS = tuple(printed for printed in PRINTED if printed is not LEAFLET)  # linked beside the leaflet


def cache_stem(treatment: Treatment, name: str) -> str:
    """The name of a PDF in the cache: the treatment's id and the file's name."""
    return f"{treatment.id}-{name.removesuffix('.pdf')}"


def links(treatment: Treatment, lang: str, documents: tuple[Printed, ...] = FORMS) -> list[tuple[str, str]]:
    """(file name, label) of each document of ``lang``, for the site's links."""
    texts = texts_of(treatment, lang)
    return [(printed.file_name(lang), texts.plain(*printed.label)) for printed in documents]


def html_of(treatment: Treatment, lang: str, kind: str, day: dt.date) -> str:
    """The HTML a document is printed from (what the tests and the escaping checks read)."""
    return BY_KIND[kind].html(treatment, lang, day)


def job(treatment: Treatment, lang: str, printed: Printed, day: dt.date) -> PdfJob:
    """What the engine needs to print one document of ``lang``."""
    html = printed.html(treatment, lang, day)
    logo = treatment.layout.path(treatment.clinic.logo).read_bytes() if treatment.clinic.logo else None
    return PdfJob(
        stem=cache_stem(treatment, printed.file_name(lang)),
        key=pdf_key(html, logo),
        html=html,
        root=str(treatment.root),
        max_pages=treatment.settings.leaflet_max_pages if printed.page_limit else None,
        what=f"the {lang} {printed.kind}",
        reviewed=treatment.facts_file.review.last_reviewed,
        pages_rule=treatment.layout.settings,
        pages_rule_line=treatment.yaml_files[treatment.layout.settings].line(["leaflet_max_pages"]),
        longest_texts=longest_texts(treatment, lang) if printed.page_limit else (),
    )


def jobs(treatment: Treatment, day: dt.date) -> list[tuple[str, str, PdfJob]]:
    """(language, file name, job) of every document of every language; the problems of all their
    HTML are collected before failing."""
    found: list[tuple[str, str, PdfJob]] = []
    problems: list[Problem] = []
    for lang in treatment.languages:
        for printed in PRINTED:
            try:
                found.append((lang, printed.file_name(lang), job(treatment, lang, printed, day)))
            except ContentError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return found


def longest_texts(treatment: Treatment, lang: str, count: int = 3) -> tuple[tuple[str, int, str], ...]:
    """The ``count`` longest texts of ``lang`` (text and note), with their file and line."""
    sizes = []
    for domain, catalog in treatment.texts[lang].items():
        for text_id, entry in catalog.root.items():
            size = len(entry.text or "") + len(entry.note or "") + sum(map(len, (entry.forms or {}).values()))
            sizes.append((size, domain, text_id))
    found = []
    for size, domain, text_id in sorted(sizes, key=lambda item: (-item[0], item[1], item[2]))[:count]:
        found.append(
            (
                treatment.text_path(lang, domain),
                treatment.text_line(lang, domain, text_id),
                f"'{text_id}' ({size} characters)",
            )
        )
    return tuple(found)


def start_printing(
    project: Project, day: dt.date, cache: Path | None, *, workers: int = 0, background: bool = False
) -> PlacedPrinting:
    """Every treatment's documents being printed; ``collect`` gives them by language and path in
    the language's folder. The missing PDFs are made on ``workers`` processes (0: one per core),
    of the lowest priority when made in the ``background`` of the preview."""
    placed: list[tuple[str, str, PdfJob]] = []
    problems: list[Problem] = []
    for treatment in project.treatments.values():
        try:
            placed += [(lang, treatment.folder + name, job) for lang, name, job in jobs(treatment, day)]
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    printing = Printing(
        [job for _, _, job in placed], cache, workers=workers or os.cpu_count() or 1, background=background
    )
    return PlacedPrinting(project.languages, placed, printing)


@dataclass
class PlacedPrinting:
    """The PDFs being printed, and where each goes."""

    languages: list[str]
    placed: list[tuple[str, str, PdfJob]]
    printing: Printing

    def collect(self, *, stand_ins: bool = False) -> dict[str, dict[str, bytes]]:
        """Every PDF by language and path; with ``stand_ins``, without waiting: each cached PDF,
        else an empty file in its place, until a later ``collect()``."""
        made = self.printing.found if stand_ins else self.printing.collect()
        pdfs: dict[str, dict[str, bytes]] = {lang: {} for lang in self.languages}
        for lang, path, job in self.placed:
            pdfs[lang][path] = made.get(job.stem, b"") if stand_ins else made[job.stem]
        return pdfs

    def close(self) -> None:
        self.printing.close()


def print_all(
    project: Project, day: dt.date, cache: Path | None, *, workers: int = 0, background: bool = False
) -> dict[str, dict[str, bytes]]:
    """Every treatment's documents, by language and path in the language's folder."""
    return start_printing(project, day, cache, workers=workers, background=background).collect()


def last_printed(project: Project, cache: Path) -> dict[str, dict[str, bytes]]:
    """The newest cached PDF of each document, whatever content it was made from (the preview
    shows these while the new ones are printed)."""
    found: dict[str, dict[str, bytes]] = {}
    for treatment in project.treatments.values():
        for lang in treatment.languages:
            for printed in PRINTED:
                name = printed.file_name(lang)
                versions = sorted(
                    cache.glob(f"{cache_stem(treatment, name)}-" + "?" * KEY_LENGTH + ".pdf"),
                    key=lambda path: path.stat().st_mtime,
                )
                if versions:
                    found.setdefault(lang, {})[treatment.folder + name] = versions[-1].read_bytes()
    return found
