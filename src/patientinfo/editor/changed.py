"""Which pages and PDFs a save changes, by their address in the preview: each page's Markdown
and each document's HTML, as the build makes them, before and after the save.

Comparing what the build would render, rather than guessing from the fact's category, cannot
miss a page (a value shown in a summary, a text in the leaflet) nor list one that did not
change. The PDFs themselves are not printed here: the preview prints them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from patientinfo.content.layout import Layout
from patientinfo.content.load import load_project
from patientinfo.errors import ContentError
from patientinfo.printing.registry import PRINTED
from patientinfo.render.pages import render_pages
from patientinfo.render.urls import language_prefix, page_address


def outputs(layout: Layout, day: dt.date) -> dict[str, str]:
    """Address in the preview (``en/risks/``, ``leaflet-fr.pdf``) -> a fingerprint of what it
    shows; empty when the content cannot be loaded."""
    try:
        project = load_project(layout, drafts=True)
    except ContentError:
        return {}
    languages = project.languages
    found = {}
    for lang, by_path in render_pages(project, day).items():
        for path, markdown in by_path.items():
            found[language_prefix(lang, languages) + page_address(path)] = _fingerprint(markdown)
    for treatment in project.treatments.values():
        for lang in languages:
            for printed in PRINTED:
                html = printed.html(treatment, lang, day)
                found[language_prefix(lang, languages) + treatment.folder + printed.file_name(lang)] = _fingerprint(
                    html
                )
    return found


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The addresses whose output differs (or is new), pages before PDFs, in site order."""
    addresses = [address for address, print_ in after.items() if before.get(address) != print_]
    return sorted(addresses, key=lambda address: address.endswith(".pdf"))
