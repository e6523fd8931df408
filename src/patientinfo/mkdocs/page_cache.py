"""A build renders again only the pages whose input changed; the others come back from the last
build, byte for byte.

MkDocs renders every page of every language at each build (the Markdown, then Material's
templates): after a one-fact edit that is most of the pages' time for one changed page. What a
page's HTML depends on is known. Its own part: the Markdown as the last plugin leaves it, its
front matter and its ``pi`` context. The part every page of a language shares (the site key):
the menu and the other pages' titles (every staged page's front matter and first heading), the
list of files, mkdocs.yml and the configuration the plugin sets, the theme's overrides, the
engine's code and templates, the libraries' versions, the language, strictness. A page whose
key (both parts) equals the last build's is not rendered: its Markdown is replaced by nothing,
its content, table of contents, title and anchors come back from the record, and
``CACHED_TEMPLATE`` writes its last output. The search plugin indexes the restored content, so
the search entries are the same. Anything not recorded is rendered; the record keeps only the
last build's pages, one file per language beside the staging folder. The preview does not use
it (quick.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, DictLoader
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from patientinfo.pipeline import reuse

log = logging.getLogger("mkdocs.plugins.patientinfo")
FORMAT = 1  # bump when a record's layout changes
CACHED_TEMPLATE = "patientinfo-cached-page.html"
CACHED_OUTPUT = "pi_cached_page"
LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "mkdocs-static-i18n",
    "markdown",
    "jinja2",
    "markupsafe",
    "pymdown-extensions",
)


def front_matter(page: bytes) -> bytes:
    """A staged page's front matter (title, description, treatment...), which other pages'
    menus and the site's name also show."""
    if not page.startswith(b"---\n"):
        return b""
    end = page.find(b"\n---\n", 4)
    return page[: end + 5] if end >= 0 else page


def _title_part(page: bytes) -> bytes:
    """What other pages may show of a page: its front matter, and its first heading (its title
    in menus when the front matter has none)."""
    matter = front_matter(page)
    heading = next((line for line in page[len(matter) :].split(b"\n") if line.startswith(b"# ")), b"")
    return matter + b"\0" + heading


def site_key(config: MkDocsConfig, staged: dict[str, bytes], lang: str, shared: dict[str, Any]) -> str:
    """What every page of language ``lang`` shares. ``staged``: everything MkDocs reads, by path;
    ``shared``: what the plugin sets in the configuration (languages, menu), as JSON values."""
    digest = hashlib.sha256(f"{FORMAT}|{lang}|{config.strict}|".encode())
    digest.update(reuse.versions(LIBRARIES).encode())
    settings = {
        "site_url": config.site_url,
        "site_name": config.site_name,
        "copyright": config.copyright,
        "nav": config.nav,
        "extra": dict(config.extra),
        "extra_css": list(config.extra_css),
        "extra_javascript": [str(script) for script in config.extra_javascript],
        "theme": {key: config.theme[key] for key in sorted(config.theme.keys())},
        "markdown": [str(extension) for extension in config.markdown_extensions],
        "markdown_settings": config.mdx_configs,
        "shared": shared,
    }
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for path in sorted(staged):
        digest.update(f"\0{path}\0".encode() + (_title_part(staged[path]) if path.endswith(".md") else b""))
    config_file = Path(config.config_file_path) if config.config_file_path else None
    digest.update(config_file.read_bytes() if config_file and config_file.is_file() else b"")
    reuse.add_folder(digest, Path(config.theme.custom_dir) if config.theme.custom_dir else None, "theme")
    reuse.add_folder(digest, reuse.ENGINE, "engine")
    return digest.hexdigest()


def _toc_tokens(items: Any) -> list[dict]:
    return [
        {"name": item.title, "id": item.id, "level": item.level, "children": _toc_tokens(item.children)}
        for item in items
    ]


@dataclass
class _Language:
    """One language's pass: the last build's pages, and this build's."""

    site: str
    old: dict[str, dict]
    new: dict[str, dict] = field(default_factory=dict)
    restored: dict[str, dict] = field(default_factory=dict)  # hits of this build, by source path
    rendered: list[str] = field(default_factory=list)


class PageCache:
    """The pages of this build's language passes, and the last build's records; the plugin's
    page hooks call it, and it logs how many pages each language rendered."""

    def __init__(self) -> None:
        self.folder: Path | None = None  # None: every page is rendered (the preview)
        self.languages: dict[str, _Language] = {}

    def start(self, folder: Path | None) -> None:
        """A build starts; ``folder`` keeps the records (None: no reuse)."""
        self.folder, self.languages = folder, {}

    def begin(self, lang: str, site: str) -> None:
        if self.folder is None:
            return
        try:
            record = json.loads((self.folder / f"{lang}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        pages = record.get("pages") if isinstance(record, dict) and record.get("site") == site else None
        self.languages[lang] = _Language(site, pages if isinstance(pages, dict) else {})

    def page_markdown(self, lang: str, page: Page, markdown: str, pi: dict) -> str:
        """The Markdown to render: nothing when the last build rendered the same page."""
        record = self.languages.get(lang)
        if record is None:
            return markdown
        key = hashlib.sha256(
            json.dumps([record.site, page.file.src_uri, markdown, page.meta, pi], default=str).encode()
        ).hexdigest()
        entry = record.old.get(page.file.src_uri)
        if entry is not None and _usable(entry) and entry["key"] == key:
            record.restored[page.file.src_uri] = entry
            return ""
        record.new[page.file.src_uri] = {"key": key}
        record.rendered.append(page.file.src_uri)
        return markdown

    def page_content(self, lang: str, page: Page, content: str, files: Files) -> str:
        """A reused page gets back what rendering its Markdown gave; a rendered one is recorded."""
        record = self.languages.get(lang)
        if record is None:
            return content
        entry = record.restored.get(page.file.src_uri)
        if entry is None:
            new = record.new.get(page.file.src_uri)
            if new is not None:
                new.update(_rendered(page, content))
            return content
        page.toc = get_toc(entry["toc"])
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        if entry["links"] is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in entry["links"].items()}  # type: ignore[misc]
        page.meta["template"] = CACHED_TEMPLATE
        record.new[page.file.src_uri] = entry
        return entry["content"]

    def page_context(self, lang: str, page: Page, context: Any) -> None:
        entry = self.languages[lang].restored.get(page.file.src_uri) if lang in self.languages else None
        if entry is not None:
            context[CACHED_OUTPUT] = Markup(entry["output"])

    def page_output(self, lang: str, page: Page, output: str) -> None:
        record = self.languages.get(lang)
        if record is not None and page.file.src_uri in record.new:
            record.new[page.file.src_uri]["output"] = output

    def save(self, lang: str) -> None:
        """Once the language's pages are written: only complete entries (a page that failed
        has none)."""
        record = self.languages.get(lang)
        if self.folder is None or record is None:
            return
        pages = {uri: entry for uri, entry in record.new.items() if "output" in entry and "content" in entry}
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{lang}.json"
        scratch = path.with_name(f".{path.name}.{os.getpid()}")  # two builds at once: whole files
        scratch.write_text(json.dumps({"site": record.site, "pages": pages}, ensure_ascii=False), encoding="utf-8")
        scratch.replace(path)
        log.info(
            "patientinfo: %s: %d pages rendered, %d as last built", lang, len(record.rendered), len(record.restored)
        )


def _usable(entry: Any) -> bool:
    """A record written by this module, whole (a damaged one is rendered again)."""
    shapes = {"key": str, "content": str, "output": str, "toc": list, "anchors": list}
    return (
        isinstance(entry, dict)
        and all(isinstance(entry.get(name), shape) for name, shape in shapes.items())
        and isinstance(entry.get("links"), dict | None)
        and (entry.get("title") is None or isinstance(entry["title"], str))
    )


def _rendered(page: Page, content: str) -> dict:
    links = page.links_to_anchors
    return {
        "content": content,
        "toc": _toc_tokens(page.toc),
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()},
    }


def with_cached_template(env: Any) -> Any:
    """The theme's templates, and the one that writes a reused page's last output."""
    first = env.loader.loaders[0] if isinstance(env.loader, ChoiceLoader) else None
    if not (isinstance(first, DictLoader) and CACHED_TEMPLATE in first.mapping):
        env.loader = ChoiceLoader([DictLoader({CACHED_TEMPLATE: "{{ " + CACHED_OUTPUT + " }}"}), env.loader])
    return env
