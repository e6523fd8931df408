"""Published addresses never break.

Every address a published build puts pages and PDFs at is recorded in the content folder
(``addresses.yaml``, written by the build, kept in git). When a page or a PDF moves (a second
treatment gives each its own folder), its old address leads to the new one: a page by a small
HTML page that redirects (a meta refresh, a canonical link and a plain link, as mkdocs-redirects
writes them; that plugin only resolves the Markdown pages of one MkDocs build, not PDFs nor the
three builds of mkdocs-static-i18n), a PDF by a copy of the current file, so a leaflet link sent
by e-mail still opens the current leaflet. A page whose treatment is gone leads to its language's
home page. Addresses are never forgotten, so a later move keeps every older one working too.
"""

from __future__ import annotations

import html
import posixpath

import yaml

from patientinfo.content.layout import Layout
from patientinfo.content.model import Project
from patientinfo.printing.registry import PRINTED
from patientinfo.render.urls import page_address

RECORD = "addresses.yaml"
HEADER = (
    "# Written by the build: every address the site has published (language/address: what it shows).\n"
    "# Keep it in git: when a page or a PDF moves, its old address then leads to the new one.\n"
)


def published(project: Project, pages: dict[str, dict[str, str]]) -> dict[str, str]:
    """``lang/address`` -> what it shows (``treatment/page``, ``treatment/file.pdf`` or ``home``)
    for every page and every printed document (known from the registry, printed or not)."""
    first = next(iter(project.treatments))
    found = {}
    for lang, by_path in pages.items():
        for path in by_path:
            name = path.removesuffix(".md")
            shows = ("home" if path == "index.md" else name) if project.several_treatments else f"{first}/{name}"
            found[f"{lang}/{page_address(path)}"] = shows
    for treatment in project.treatments.values():
        for lang in project.languages:
            for printed in PRINTED:
                name = printed.file_name(lang)
                found[f"{lang}/{treatment.folder}{name}"] = f"{treatment.id}/{name}"
    return found


def read_record(layout: Layout) -> dict[str, str]:
    path = layout.content / RECORD
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_record(layout: Layout, record: dict[str, str]) -> None:
    """Written only when it changes (a build that publishes the same addresses writes nothing)."""
    text = HEADER + yaml.safe_dump(dict(sorted(record.items())), allow_unicode=True, width=200)
    path = layout.content / RECORD
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def redirect_page(target: str) -> bytes:
    """A page that sends the browser (and search engines) on to ``target``, a relative URL."""
    url = html.escape(target, quote=True)
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>Redirecting…</title>\n'
        f'<link rel="canonical" href="{url}">\n<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n</head>\n'
        f'<body><p><a href="{url}">{url}</a></p></body></html>\n'
    ).encode()


def old_addresses(
    record: dict[str, str], now: dict[str, str], pdfs: dict[str, dict[str, bytes]], languages: list[str]
) -> dict[str, bytes]:
    """The staged files that keep every recorded address that no longer has its own file."""
    where_now = {(key.partition("/")[0], shows): key.partition("/")[2] for key, shows in now.items()}
    kept: dict[str, bytes] = {}
    for key, shows in record.items():
        lang, _, address = key.partition("/")
        if key in now or lang not in languages:
            continue
        new = where_now.get((lang, shows))
        if address.endswith(".pdf"):
            if new is not None and new in pdfs.get(lang, {}):
                kept[key] = pdfs[lang][new]
        else:
            relative = posixpath.relpath(new or ".", start=address or ".")
            kept[f"{lang}/{address}index.html"] = redirect_page("./" if relative == "." else relative + "/")
    return kept
