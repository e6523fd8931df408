"""``mkdocs serve`` for editors: pages first, PDFs after, and content errors shown on the pages.

An edit should reach the browser in about a second, but a PDF takes WeasyPrint seconds. While
serving, the pages are built with the PDFs already in the cache (the last version of each), and
a background thread renders the PDFs whose HTML changed (on worker processes of the lowest
priority, so that the next edit's pages are not slowed by them), then puts them in place. A content
error does not stop the preview: the last good pages stay, each with the errors on top.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from patientinfo.content.load import Project, Treatment
from patientinfo.errors import ContentError, Problem
from patientinfo.printing.forms import DOCUMENTS, document_name, render_pdfs
from patientinfo.printing.leaflet import cache_stem, leaflet_name
from patientinfo.render.texts import md_escape

log = logging.getLogger("mkdocs.plugins.patientinfo")
KEY_LENGTH = 16


def pdf_names(treatment: Treatment) -> dict[str, list[str]]:
    return {
        lang: [leaflet_name(lang), *(document_name(kind, lang) for kind in DOCUMENTS)] for lang in treatment.languages
    }


def last_cached(project: Project, cache: Path) -> dict[str, dict[str, bytes]]:
    """The newest cached PDF of each name, whatever content it was made from."""
    found: dict[str, dict[str, bytes]] = {}
    for treatment in project.treatments.values():
        for lang, names in pdf_names(treatment).items():
            for name in names:
                stem = cache_stem(treatment, name)
                versions = sorted(cache.glob(f"{stem}-" + "?" * KEY_LENGTH + ".pdf"), key=lambda p: p.stat().st_mtime)
                if versions:
                    found.setdefault(lang, {})[treatment.folder + name] = versions[-1].read_bytes()
    return found


class PdfRefresher:
    """Renders the PDFs of the latest content in the background; an older run's results are
    kept in the cache but never put in place over a newer one's."""

    def __init__(self) -> None:
        self.generation = 0
        self.lock = threading.Lock()

    def start(self, project: Project, cache: Path, place: Callable[[str, str, bytes], None]) -> threading.Thread:
        with self.lock:
            self.generation += 1
            generation = self.generation

        def work() -> None:
            try:
                pdfs = render_pdfs(project, cache, background=True)
            except ContentError as exc:
                log.error("patientinfo: the PDFs could not be made:\n%s", exc)
                return
            with self.lock:
                if generation != self.generation:
                    return
                for lang, by_name in pdfs.items():
                    for name, pdf in by_name.items():
                        place(lang, name, pdf)
            log.info("patientinfo: PDFs up to date")

        thread = threading.Thread(target=work, name="patientinfo-pdfs", daemon=True)
        thread.start()
        return thread


def error_banner(problems: list[Problem]) -> str:
    """A box on top of every served page while the content has errors (escaped like any text)."""
    lines = [
        '!!! danger "The content has errors: this page shows the last version that could be built"',
        "",
        *(f"    - {md_escape(str(problem))}" for problem in problems[:50]),
        "",
        "",
    ]
    return "\n".join(lines)
