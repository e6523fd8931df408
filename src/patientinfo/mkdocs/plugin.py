"""The MkDocs shell over the pipeline: before MkDocs reads its docs folder, ``pipeline.stage``
renders the pages and PDFs into a staging folder, which becomes the docs folder.

mkdocs-static-i18n rebuilds every File from ``config.docs_dir`` and does not localise in-memory
(generated) files, so the pages are real files: ``docs/`` (hand-made) is copied there, each
language's pages go to ``<lang>/``, and only changed files are written. ``mkdocs serve`` watches
the sources (content, docs, templates), never the staging folder, so an edit rebuilds once.
This is the one place where a ContentError becomes an MkDocs error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import shutil
import threading
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from patientinfo import messages
from patientinfo.content.layout import Layout
from patientinfo.content.model import Project
from patientinfo.errors import ContentError, Problem, StrictFindings
from patientinfo.messages import _
from patientinfo.mkdocs.config import PatientInfoConfig, option_problems
from patientinfo.mkdocs.page_cache import PageCache, front_matter, site_key, with_cached_template
from patientinfo.mkdocs.preview import (
    STATUS_FILE,
    LookedAt,
    MemoryBytecodeCache,
    PdfRefresher,
    draft_banner,
    error_banner,
    guard_preview,
    inputs_stamp,
    outside_stamp,
    updating_script,
)
from patientinfo.mkdocs.quick import QuickRebuild, edited_language, faster_watching
from patientinfo.mkdocs.site import (
    FRONT_MATTER_TEXTS,
    i18n_languages,
    not_found_context,
    page_context,
    site_nav,
    split_search_index,
)
from patientinfo.pipeline import reuse
from patientinfo.pipeline.context import BuildContext, context_from_environment
from patientinfo.pipeline.stage import Staged, editors_findings, finish_pdfs, publish_staging, stage
from patientinfo.render.brand import BRAND_CSS, footer, logo_file
from patientinfo.render.urls import language_prefix

log = logging.getLogger("mkdocs.plugins.patientinfo")
TEMPLATES = Path(__file__).parents[1] / "templates"


class PatientInfoPlugin(BasePlugin[PatientInfoConfig]):
    """Feeds MkDocs the pages and PDFs made from the content."""

    def __init__(self) -> None:
        self.serving = False
        self.context: BuildContext | None = None  # given by the command line; else made in on_config
        self.staged: Staged | None = None  # the last good stage (the preview keeps showing it)
        self.errors: list[Problem] = []  # the content's errors while serving, shown on every page
        self.pdfs = PdfRefresher()
        self.quick = QuickRebuild()  # the preview's pages re-rendered alone after a content edit
        self.pages = PageCache()  # a build's pages rendered again only when their input changed
        self.looked_at = LookedAt()  # the preview's language being read, rendered first
        self._outside: tuple | None = None  # the theme and mkdocs.yml at the last full build
        self._docs: tuple = ()  # docs/ at the last build
        self.theme_dir: Path | None = None
        self.bytecode_cache = MemoryBytecodeCache()
        self._stamp: tuple | None = None
        self._refreshed: Staged | None = None
        self._default_404: bytes | None = None
        self.layout: Layout | None = None
        self.staging: Path | None = None
        self.site_root: Path | None = None
        self.docs_dir: Path | None = None  # the hand-made docs folder (MkDocs then reads the staging)

    @property
    def project(self) -> Project | None:
        return self.staged.project if self.staged else None

    def load_config(self, options: dict, config_file_path: str | None = None):  # noqa: ANN201
        """Options are checked here, in an editor's words, before MkDocs' own checks."""
        problems = option_problems(options, config_file_path)
        return (problems, []) if problems else super().load_config(options, config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Kept across the rebuilds of ``mkdocs serve`` (MkDocs keeps a plugin that has this)."""
        self.serving = command == "serve"

    def on_env(self, env, config: MkDocsConfig, files):  # noqa: ANN001, ANN201
        if self.serving:
            env.bytecode_cache = self.bytecode_cache  # Material's templates compile once per process
        elif self.staging is not None:  # and once per machine: Jinja keys them by their source
            env.bytecode_cache = FileSystemBytecodeCache(str(self._cache_folder("templates")))
        if self.serving and self.project is not None:
            self.quick.saw_env(self._language(config, self.project), env)
        return with_cached_template(env)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files) -> Navigation:  # noqa: ANN001
        if self.project is None or self.staged is None:
            return nav
        lang = self._language(config, self.project)
        if self.serving:
            self.quick.saw_nav(lang, config, files, nav)
        else:
            shared = {"languages": i18n_languages(self.project)}
            self.pages.begin(lang, site_key(config, self.staged.files, lang, shared))
        return nav

    def _cache_folder(self, name: str) -> Path:
        assert self.staging is not None
        return reuse.beside(self.staging, name)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        staging = (root / self.config.staging_dir).resolve()
        if Path(config.docs_dir).resolve() == staging:
            return config  # the other languages' passes of mkdocs-static-i18n: already staged
        self.layout, self.staging = Layout(root, self.config.content_dir), staging
        self.site_root, self.docs_dir = Path(config.site_dir), Path(config.docs_dir).resolve()
        self.theme_dir = Path(config.theme.custom_dir or root / "overrides")
        self.quick.forget()
        self.pages.start(None)
        self._outside = self._outside_stamp() if self.serving else None
        self._docs = inputs_stamp(self.docs_dir) if self.serving else ()
        context = self._context(config, root)
        stamp = inputs_stamp(self.layout.content, TEMPLATES) if self.serving else None
        unchanged = stamp is not None and stamp == self._stamp and self.staged is not None and not self.errors
        try:
            staged = stage(
                self.layout,
                context,
                self.docs_dir,
                theme_dir=self.theme_dir,
                staging=staging,
                previous=self.staged if unchanged else None,
                defer_pdfs=not self.serving,  # printed while MkDocs builds the pages (_finish_pdfs)
            )
        except (ContentError, StrictFindings, OSError) as exc:
            return self._failed(config, exc)
        self._report(staged, unchanged)
        written = publish_staging(staged, staging)
        log.info("patientinfo: %d files changed", written)
        self.staged, self._stamp, self.errors = staged, stamp, []
        self.pages.start(None if self.serving else self._cache_folder("pages"))
        return self._apply(config, staged.project, staging)

    def _context(self, config: MkDocsConfig | None, root: Path) -> BuildContext:
        context = self.context or context_from_environment(
            strict=bool(config and config.strict), pdf_cache=root / self.config.pdf_cache
        )
        messages.use(context.messages)  # the editor's language for errors and findings
        return dataclasses.replace(context, pdfs="last", drafts=True) if self.serving else context

    def _report(self, staged: Staged, unchanged: bool) -> None:
        if unchanged:
            log.info("patientinfo: content unchanged, pages reused")
        elif staged.reused:
            log.info("patientinfo: inputs unchanged since the last build, its pages and PDFs reused")
        for finding in staged.findings:
            log.warning("patientinfo check: %s", finding)
        if staged.draft_problems:
            listed = "\n".join(str(problem) for problem in staged.draft_problems)
            log.warning("%s\n%s", _("A draft has errors: it is left out of the preview until they are fixed"), listed)

    def _failed(self, config: MkDocsConfig, exc: Exception) -> MkDocsConfig:
        """A build stops with the problems; the preview keeps its last good pages, with the
        problems on top of each."""
        if isinstance(exc, ContentError) and self.serving and self.staged is not None:
            log.error("%s\n%s", _("patient information content has errors (the served pages show them):"), exc)
            self.errors = exc.problems
            assert self.staging is not None  # set by on_config before staging
            return self._apply(config, self.staged.project, self.staging)
        if isinstance(exc, StrictFindings):
            raise PluginError(str(exc)) from None
        if isinstance(exc, OSError):  # a file that vanished or cannot be read while building
            raise PluginError(
                f"{exc.filename or 'a content file'}: cannot be read ({exc.strerror}); the site was not changed"
            ) from None
        raise PluginError(_("patient information content has errors:") + f"\n{exc}") from None

    @staticmethod
    def _apply(config: MkDocsConfig, project: Project, staging: Path) -> MkDocsConfig:
        """What mkdocs.yml does not repeat: the staged docs, the menu, the languages, the look."""
        config.docs_dir = str(staging)
        if BRAND_CSS not in config.extra_css:
            config.extra_css.append(BRAND_CSS)
        if logo_file(project.clinic):
            config.theme["logo"] = logo_file(project.clinic)
        config.copyright = footer(project.clinic)
        config.extra["generator"] = False
        config.site_url = config.site_url or project.clinic.website
        config.nav = site_nav(project)
        i18n = config.plugins.get("i18n")
        if i18n is not None:
            i18n.config.languages = i18n_languages(project)
        return config

    @event_priority(-100)  # after mkdocs-static-i18n's: the page cache keys the last Markdown
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files) -> str:  # noqa: ANN001
        """Front-matter texts are HTML escaped by the renderer: as Markup, the theme escapes them
        once. While serving content with errors, every page shows them on top."""
        for key in FRONT_MATTER_TEXTS:
            if isinstance(page.meta.get(key), str):
                page.meta[key] = Markup(page.meta[key])
        if self.errors:
            return error_banner(self.errors) + markdown
        drafts = self.staged.draft_problems if self.staged is not None else []
        markdown = draft_banner(drafts) + markdown if drafts else markdown
        if self.project is None or self.serving:
            return markdown  # the preview renders its pages itself (quick.py), never from the record
        pi = self._page_context(page, config, self.project)
        return self.pages.page_markdown(self._language(config, self.project), page, markdown, pi)

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files) -> str:  # noqa: ANN001
        if self.project is None:
            return html
        return self.pages.page_content(self._language(config, self.project), page, html, files)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if self.project is not None:
            context["pi"] = self._page_context(page, config, self.project)  # type: ignore[typeddict-unknown-key]
            self.pages.page_context(self._language(config, self.project), page, context)
        return context

    @staticmethod
    def _page_context(page: Page, config: MkDocsConfig, project: Project) -> dict:
        return page_context(project, page.url, page.meta or {}, config.site_url or project.clinic.website)

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        if template_name == "404.html" and self.project is not None:
            context["pi_404"] = not_found_context(self.project, self._language(config, self.project))  # type: ignore[typeddict-unknown-key]
        return context

    @staticmethod
    def _language(config: MkDocsConfig, project: Project) -> str:
        i18n = config.plugins.get("i18n")
        return getattr(i18n, "current_language", None) or project.languages[0]

    @event_priority(100)  # before mkdocs-static-i18n builds the other languages over site/404.html
    def _keep_404(self, config: MkDocsConfig) -> None:
        """Keep each language's 404 page: every language's build writes site/404.html."""
        page = Path(config.site_dir) / "404.html"
        if self.project is None or not page.is_file():
            return
        lang = self._language(config, self.project)
        if lang == self.project.languages[0]:
            self._default_404 = page.read_bytes()
        else:
            (page.parent / lang).mkdir(parents=True, exist_ok=True)
            shutil.copy(page, page.parent / lang / "404.html")

    @event_priority(-200)  # after mkdocs-static-i18n has merged every language's search entries
    def _after_all_languages(self, config: MkDocsConfig) -> None:
        if self.project is None or self.layout is None:
            return
        i18n = config.plugins.get("i18n")
        if getattr(i18n, "building", False):
            return  # a language of mkdocs-static-i18n's: the first language's pass ends the build
        self._finish_pdfs()
        if self.serving and not self.errors and self._refreshed is not self.staged:
            self._refreshed = self.staged  # once per build, not once per language
            self.pdfs.start(self.project, self._context(config, self.layout.root), self._place)
        split_search_index(Path(config.site_dir), self.project.languages)
        if self._default_404 is not None:  # the last language built wrote its own over it
            (Path(config.site_dir) / "404.html").write_bytes(self._default_404)

    @event_priority(100)  # this language's pages are written; the next languages follow
    def _save_pages(self, config: MkDocsConfig) -> None:
        if self.project is not None:
            self.pages.save(self._language(config, self.project))

    def _finish_pdfs(self) -> None:
        """The PDFs printed while the pages were built, in the site and the staging folder."""
        staged, staging = self.staged, self.staging
        if staged is None or staged.pending is None or staging is None:
            return
        try:
            changed = finish_pdfs(staged, staging)
        except ContentError as exc:
            raise PluginError(_("patient information content has errors:") + f"\n{exc}") from None
        for relative, data in changed.items():
            lang, path = relative.split("/", 1)
            self._place(lang, path, data)
        log.info("patientinfo: %d PDFs printed while the pages were built", len(changed))

    def on_build_error(self, *, error: Exception) -> None:
        """No PDF worker outlives a failed build."""
        if self.staged is not None and self.staged.pending is not None:
            self.staged.pending.printing.close()
            self.staged.pending = None

    on_post_build = CombinedEvent(_keep_404, _save_pages, _after_all_languages)

    @event_priority(-200)  # the page as written, after every plugin's change
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """While serving, every page marks its links to PDFs being made again (preview.py)."""
        if self.project is not None:
            self.pages.page_output(self._language(config, self.project), page, output)
        if not self.serving or "</body>" not in output:
            return output
        if self.site_root is not None:
            self.pdfs.status = self.site_root / STATUS_FILE
        script = updating_script(config.site_url or "/")
        return output.replace("</body>", script + "</body>", 1)

    def _place(self, lang: str, name: str, pdf: bytes) -> None:
        """Put a PDF printed in the background where the site has it (and in staging)."""
        if self.project is None or self.staging is None or self.site_root is None:
            return
        prefix = language_prefix(lang, self.project.languages)
        for target in (self.staging / lang / name, self.site_root / prefix / name):
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file() or target.read_bytes() != pdf:
                target.write_bytes(pdf)

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:  # noqa: ANN001
        if self.staging is not None:
            with contextlib.suppress(KeyError):  # not watched: nothing to undo
                server.unwatch(str(self.staging))
        for path in (self.layout.content if self.layout else None, self.docs_dir, TEMPLATES):
            if path is not None and Path(path).exists():
                server.watch(str(path))
        faster_watching(server)
        assert self.layout is not None
        guard_preview(server, config, self._context(config, self.layout.root).preview_token, self.looked_at)
        full = server.builder

        def quick_or_full() -> None:
            if not self._quick():
                full()

        server.builder = quick_or_full
        return server

    def _outside_stamp(self) -> tuple:
        return outside_stamp(self.theme_dir, self.layout.mkdocs_yml if self.layout else None)

    def _quick(self) -> bool:
        """After an edit of the content alone: stage again and render only the pages that
        changed, the edited language first (quick.py); False when a full build is needed."""
        layout, staging, before = self.layout, self.staging, self.staged
        if layout is None or staging is None or before is None or self.errors or not self.quick.passes:
            return False
        stamp = inputs_stamp(layout.content, TEMPLATES)
        docs = self.docs_dir or layout.docs
        if (stamp, inputs_stamp(docs)) == (self._stamp, self._docs) or self._outside_stamp() != self._outside:
            return False
        context = self._context(None, layout.root)
        try:
            staged = stage(layout, context, docs, theme_dir=self.theme_dir, staging=staging, check=False)
        except (ContentError, StrictFindings, OSError):
            return False  # the full build shows the errors
        pages = {path for path in staged.files if path.endswith(".md")}
        if pages != {path for path in before.files if path.endswith(".md")}:
            return False  # a page added or removed: the menus change
        if staged.draft_problems != before.draft_problems:
            return False  # the box on every page changes
        changed = [path for path, data in staged.files.items() if before.files.get(path) != data]
        if any(front_matter(staged.files[p]) != front_matter(before.files[p]) for p in changed if p.endswith(".md")):
            return False  # a title or the treatment's name: the menus of the other pages change too
        publish_staging(staged, staging)
        languages = staged.project.languages
        first = edited_language(self._stamp or (), stamp, layout, languages)
        first = first or self.looked_at.language(languages)
        self.staged = staged  # the pages' context (documents, alternates, JSON-LD) reads the new content
        if not self.quick.rebuild(staging, changed, staged.project.languages, first):
            self.staged = before
            return False
        self._stamp, self._docs = stamp, inputs_stamp(docs)
        self._refreshed = staged
        self.pdfs.start(staged.project, context, self._place)
        threading.Thread(target=self._check_later, args=(staged, context), daemon=True).start()
        return True

    def _check_later(self, staged: Staged, context: BuildContext) -> None:
        """The editors' check of a quick preview, once its pages are served."""
        staged.findings = editors_findings(staged.project, context)
        self._report(staged, False)
