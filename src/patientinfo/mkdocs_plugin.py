"""MkDocs glue: render the facts to Markdown before MkDocs reads its docs folder.

mkdocs-static-i18n rebuilds every File from ``config.docs_dir`` and does not localise in-memory
(generated) files, so the pages are written to real files in a staging folder, which becomes
the docs folder: ``docs/`` (hand-made assets) is copied there, and each language's pages go to
``<lang>/``. Only changed files are written. ``mkdocs serve`` watches the sources (content,
docs, templates), never the staging folder, so a change to a fact rebuilds once, without a loop.

This is the one place where a ContentError becomes an MkDocs error.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin

from .content import Content, load_content
from .errors import ContentError
from .pdf import leaflet_name, render_leaflets
from .render import render_site

log = logging.getLogger("mkdocs.plugins.patientinfo")
TEMPLATES = Path(__file__).parent / "templates"


class PatientInfoConfig(base.Config):
    content_dir = c.Type(str, default="content")
    staging_dir = c.Type(str, default=".cache/patientinfo/docs")
    leaflet_cache = c.Type(str, default=".cache/patientinfo/leaflets")


def sync_tree(files: dict[str, bytes], target: Path) -> int:
    """Make ``target`` hold exactly ``files`` (relative path -> bytes); returns files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    for relative, data in files.items():
        path = target / relative
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written


def staged_files(
    docs_dir: Path, pages: dict[str, dict[str, str]], leaflets: dict[str, bytes]
) -> dict[str, bytes]:
    files = {
        path.relative_to(docs_dir).as_posix(): path.read_bytes()
        for path in docs_dir.rglob("*")
        if path.is_file()
    }
    for lang, by_name in pages.items():
        for name, markdown in by_name.items():
            files[f"{lang}/{name}"] = markdown.encode("utf-8")
    for lang, pdf in leaflets.items():
        files[f"{lang}/{leaflet_name(lang)}"] = pdf
    return files


class PatientInfoPlugin(BasePlugin[PatientInfoConfig]):
    """Feeds MkDocs the pages rendered from ``content/``."""

    def __init__(self) -> None:
        self.content: Content | None = None
        self.source_docs_dir: Path | None = None
        self.staging: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        staging = (root / self.config.staging_dir).resolve()
        if Path(config.docs_dir).resolve() == staging:
            return config  # the other languages' passes of mkdocs-static-i18n: already staged
        try:
            content = load_content(root)
            pages = render_site(content)
            leaflets = render_leaflets(content, cache=root / self.config.leaflet_cache)
        except ContentError as exc:
            raise PluginError(f"patient information content has errors:\n{exc}") from None
        i18n = config.plugins.get("i18n")
        if i18n is not None:
            configured = [lang.locale for lang in i18n.config.languages]
            if configured != content.languages:
                raise PluginError(
                    f"mkdocs.yml lists the languages {configured} but content/settings.yaml lists "
                    f"{content.languages}: list the same languages, in the same order"
                )
        self.source_docs_dir = Path(config.docs_dir).resolve()
        written = sync_tree(staged_files(self.source_docs_dir, pages, leaflets), staging)
        log.info("patientinfo: %d pages in %d languages, %d files changed", sum(map(len, pages.values())), len(pages), written)
        self.content = content
        self.staging = staging
        config.docs_dir = str(staging)
        if not config.site_url:
            config.site_url = content.clinic.website
        return config

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        if self.staging is not None:
            try:
                server.unwatch(str(self.staging))
            except KeyError:
                pass
        root = Path(config.config_file_path).resolve().parent
        for path in (root / self.config.content_dir, self.source_docs_dir, TEMPLATES):
            if path is not None and Path(path).exists():
                server.watch(str(path))
        return server


def remove_staging(root: Path, staging_dir: str = ".cache/patientinfo/docs") -> None:
    shutil.rmtree(root / staging_dir, ignore_errors=True)
