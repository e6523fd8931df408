"""The preview's quick rebuild: after an edit of the content alone, only the pages whose
Markdown changed are rendered again, through MkDocs' own page functions and each language's
build pass as the last full build left it, the edited language first.

A full build of every language takes about two seconds (mkdocs-static-i18n builds each
language in turn); an edit usually changes a few pages. A changed file of docs/ that is not a
page (a style sheet, an image) is copied. Anything this cannot do exactly (an edit of the theme
or mkdocs.yml, a page added or removed, a page's title or front matter changed, which other
pages' menus show, no full build yet) returns False and the caller runs MkDocs' full build.
Known limit, as with ``mkdocs serve --dirty``: the search index follows at the next full build.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from patientinfo.content.layout import Layout

log = logging.getLogger("mkdocs.plugins.patientinfo")


@dataclass
class LanguagePass:
    """What one language's build pass rendered its pages with."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any  # jinja2.Environment


class QuickRebuild:
    def __init__(self) -> None:
        self.passes: dict[str, LanguagePass] = {}
        self._pending: dict[str, tuple[MkDocsConfig, Files, Navigation]] = {}

    def forget(self) -> None:
        """A full build starts: its passes replace these."""
        self.passes.clear()
        self._pending.clear()

    def saw_nav(self, lang: str, config: MkDocsConfig, files: Files, nav: Navigation) -> None:
        self._pending[lang] = (config, files, nav)

    def saw_env(self, lang: str, env: Any) -> None:
        if lang in self._pending:
            config, files, nav = self._pending.pop(lang)
            self.passes[lang] = LanguagePass(config, files, nav, env)

    def rebuild(self, staging: Path, changed: list[str], languages: list[str], first: str | None) -> bool:
        """Render again the staged pages ``changed`` (paths in ``staging``, like ``en/risks.md``),
        those of language ``first`` first. False, having written nothing, when it cannot."""
        jobs = []
        for path in changed:
            lang = path.split("/", 1)[0] if path.split("/", 1)[0] in languages else languages[0]
            found = self._file(lang, staging / path)
            if found is None and path.endswith(".pdf"):
                continue  # a PDF printed since the last full build: the refresher placed it
            if found is None:
                return False
            jobs.append((lang != first, path, lang, found))
        for _, path, lang, file in sorted(jobs):
            if file.page is not None:
                self._render(lang, file)
                log.info("patientinfo: quick preview of %s", path)
            else:  # a PDF or an image: copied as the full build copies it
                file.copy_file()
        return True

    def _file(self, lang: str, source: Path) -> File | None:
        built = self.passes.get(lang)
        if built is None:
            return None
        wanted = str(source.resolve())
        for file in built.files:
            if file.abs_src_path and str(Path(file.abs_src_path).resolve()) == wanted:
                return file if file.page is not None or not file.is_documentation_page() else None
        return None

    def _render(self, lang: str, file: File) -> None:
        built = self.passes[lang]
        i18n = built.config.plugins.get("i18n")
        if i18n is not None:  # the shared config as this language's pass had it
            i18n.current_language = lang
            i18n.reset_to_original_config(built.config)
            i18n.reconfigure_mkdocs_config(built.config)
        page = file.page
        assert page is not None
        _populate_page(page, built.config, built.files)
        _build_page(page, built.config, built.files.documentation_pages(), built.nav, built.env)


def edited_language(before: tuple, after: tuple, layout: Layout, languages: list[str]) -> str | None:
    """The language of the content file just edited (``<content>/<lang>/...``), from the
    stamps of the content before and after; None for a language-neutral file."""
    changed = set(after) - set(before)
    for path, *_ in changed:
        parts = Path(path).relative_to(layout.content).parts
        if parts and parts[0] in languages:
            return parts[0]
    return None


def faster_watching(server: Any) -> None:
    """MkDocs polls the watched folders every 0.5 s: a quarter of a second of waiting, on
    average, before any rebuild. Poll every 0.1 s instead (a few hundred files: cheap). Not the
    system's notifications: watchdog reports reads there too, and every build reads them. Uses
    LiveReloadServer's private record of watched paths; a MkDocs without it keeps its own."""
    from watchdog.observers.polling import PollingObserver

    watched = getattr(server, "_watched_paths", None)
    if not isinstance(watched, dict) or server.observer.is_alive():
        return
    counts = dict(watched)
    for path, count in counts.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = PollingObserver(timeout=0.1)
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path)
