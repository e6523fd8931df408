"""MkDocs glue: render the facts to Markdown before MkDocs reads its docs folder.

mkdocs-static-i18n rebuilds every File from ``config.docs_dir`` and does not localise in-memory
(generated) files, so the pages are written to real files in a staging folder, which becomes
the docs folder: ``docs/`` (hand-made assets) is copied there, and each language's pages go to
``<lang>/``. Only changed files are written. ``mkdocs serve`` watches the sources (content,
docs, templates), never the staging folder, so a change to a fact rebuilds once, without a loop.

This is the one place where a ContentError becomes an MkDocs error.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import os
import shutil
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from patientinfo.content.load import Project, load_project
from patientinfo.content.reading import tree_problems
from patientinfo.errors import ContentError
from patientinfo.mkdocs.preview import PdfRefresher, error_banner, last_cached
from patientinfo.pipeline import reuse as build_cache
from patientinfo.pipeline.publish import in_ci
from patientinfo.printing.forms import document_links, render_pdfs
from patientinfo.printing.leaflet import leaflet_name
from patientinfo.render.brand import BRAND_CSS, footer, logo_file, staged_brand_files
from patientinfo.render.pages import LanguageRenderer, render_pages, today

log = logging.getLogger("mkdocs.plugins.patientinfo")
FRONT_MATTER_TEXTS = ("title", "description", "treatment", "reviewed_by")
TEMPLATES = Path(__file__).parents[1] / "templates"


class PatientInfoConfig(base.Config):
    content_dir = c.Type(str, default="content")
    staging_dir = c.Type(str, default=".cache/patientinfo/docs")
    pdf_cache = c.Type(str, default=".cache/patientinfo/pdf")  # PATIENTINFO_PDF_CACHE overrides it


PatientInfoConfig._schema_keys = [name for name, _ in PatientInfoConfig._schema]  # type: ignore[attr-defined]


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
    docs_dir: Path, pages: dict[str, dict[str, str]], pdfs: dict[str, dict[str, bytes]]
) -> dict[str, bytes]:
    """Everything MkDocs reads: docs/ as it is, each language's pages and PDFs under <lang>/."""
    files = {path.relative_to(docs_dir).as_posix(): path.read_bytes() for path in docs_dir.rglob("*") if path.is_file()}
    for lang, by_name in pages.items():
        for name, markdown in by_name.items():
            files[f"{lang}/{name}"] = markdown.encode("utf-8")
    for lang, by_name in pdfs.items():
        for name, pdf in by_name.items():
            files[f"{lang}/{name}"] = pdf
    return files


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, keyed by Jinja on the template's name and source, so
    an edited template is compiled again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def config_line(config_file: str | None, option: str) -> int:
    """The line of ``option`` under the patientinfo plugin in mkdocs.yml (1 when not found)."""
    if not config_file:
        return 1
    try:
        lines = Path(config_file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    start = next((i for i, line in enumerate(lines) if line.strip().rstrip(":") == "- patientinfo"), None)
    if start is None:
        return 1
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith("- "):
            break
        if stripped.startswith(f"{option}:"):
            return index + 1
    return start + 1


def _option_words(message: str) -> str:
    """MkDocs' type messages ("Expected type: <class 'str'>") in plain words."""
    if "Unrecognised configuration name" in message:
        return (
            "is not an option of the patientinfo plugin (its options are: "
            + ", ".join(PatientInfoConfig._schema_keys)
            + ")"
        )
    if "Expected type" in message:
        return "must be a folder path written as text, like .cache/patientinfo/docs"
    return message


class PatientInfoPlugin(BasePlugin[PatientInfoConfig]):
    """Feeds MkDocs the pages rendered from ``content/``."""

    def load_config(self, options: dict, config_file_path: str | None = None):  # noqa: ANN201
        """Every problem with this plugin's options names mkdocs.yml, its line and the option;
        an unknown option is an error, not a warning that --quiet would hide."""
        errors, warnings = super().load_config(options, config_file_path)
        problems = list(errors) + [(key, message) for key, message in warnings if "Unrecognised" in str(message)]
        warnings = [(key, message) for key, message in warnings if "Unrecognised" not in str(message)]
        shown = Path(config_file_path).name if config_file_path else "mkdocs.yml"
        errors = [
            (
                key,
                f"{shown}:{config_line(config_file_path, key)}: patientinfo option '{key}' "
                f"{_option_words(str(message))}",
            )
            for key, message in problems
        ]
        return errors, warnings

    def on_env(self, env, config: MkDocsConfig, files):  # noqa: ANN001, ANN201
        """mkdocs-static-i18n builds every language in full, and each build compiles Material's
        templates again: one in-memory bytecode cache lets them compile once per process."""
        env.bytecode_cache = self.bytecode_cache
        return env

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Kept across the rebuilds of ``mkdocs serve`` (MkDocs keeps a plugin that has this)."""
        self.serving = command == "serve"

    def __init__(self) -> None:
        self.serving = False
        self.errors: list = []
        self.pdfs = PdfRefresher()
        self.bytecode_cache = MemoryBytecodeCache()
        self._pdf_cache: Path | None = None
        self._stamp: tuple | None = None
        self._pages: dict[str, dict[str, str]] = {}
        self.project: Project | None = None
        self.source_docs_dir: Path | None = None
        self.staging: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        staging = (root / self.config.staging_dir).resolve()
        if Path(config.docs_dir).resolve() == staging:
            return config  # the other languages' passes of mkdocs-static-i18n: already staged
        self._site_root = Path(config.site_dir)  # the languages' passes build into subfolders of it
        try:
            outside = [
                problem
                for folder in (
                    root / self.config.content_dir,
                    Path(config.docs_dir),
                    Path(config.theme.custom_dir or root / "overrides"),
                )
                for problem in tree_problems(folder, root)
            ]
            if outside:
                raise ContentError(outside)
            cache = Path(os.environ.get("PATIENTINFO_PDF_CACHE") or root / self.config.pdf_cache)
            digest: str | None = None  # set for a build (not serve): the stamp of its inputs
            reused: tuple | None = None
            stamp = inputs_stamp(root / self.config.content_dir, TEMPLATES) if self.serving else None
            if stamp is not None and stamp == self._stamp and self.project is not None and not self.errors:
                project, pages = self.project, self._pages  # only docs/ or the theme changed: reuse
                log.info("patientinfo: content unchanged, pages reused")
                pdfs = last_cached(project, cache)
            elif self.serving:  # pages now, PDFs in the background (preview.py)
                project = load_project(root)
                self._editors_check(project, strict=bool(config.strict) or in_ci())
                pages = render_pages(project)
                pdfs = last_cached(project, cache)
            else:  # a build: the last build's files when every input is the same (build_cache.py)
                project = load_project(root)
                digest = build_cache.inputs_digest(root, root / self.config.content_dir, today(), project.clinic.logo)
                reused = build_cache.load(staging, digest)
                if reused is not None:
                    generated, findings = reused
                    pages, pdfs = {}, {}
                    log.info("patientinfo: inputs unchanged since the last build, its pages and PDFs reused")
                    self._report(findings, strict=bool(config.strict) or in_ci())
                else:
                    findings = self._editors_check(project, strict=bool(config.strict) or in_ci())
                    pages = render_pages(project)
                    pdfs = render_pdfs(project, cache)
        except ContentError as exc:
            if self.serving and self.project is not None and self.staging is not None:
                log.error("patient information content has errors (the served pages show them):\n%s", exc)
                self.errors = exc.problems
                config.docs_dir = str(self.staging)
                self._apply_site(config, self.project)
                return config
            raise PluginError(f"patient information content has errors:\n{exc}") from None
        except OSError as exc:  # a file that vanished or cannot be read while building
            where = exc.filename or "a content file"
            raise PluginError(f"{where}: cannot be read ({exc.strerror}); the site was not changed") from None
        self.source_docs_dir = Path(config.docs_dir).resolve()
        if reused is not None:
            files = staged_files(self.source_docs_dir, {}, {})
            files.update(generated)
        else:
            files = staged_files(self.source_docs_dir, pages, pdfs)
            files.update(staged_brand_files(project.clinic, root))
            docs = staged_files(self.source_docs_dir, {}, {})
            generated = {path: data for path, data in files.items() if path not in docs or docs[path] != data}
        build_cache.forget(staging)  # the record describes the staged files: never both out of step
        written = sync_tree(files, staging)
        if digest is not None:
            build_cache.save(staging, digest, list(generated), findings)
        self._apply_site(config, project)
        log.info(
            "patientinfo: %d pages in %d languages, %d files changed",
            sum(path.endswith(".md") and "/" in path for path in generated),
            len(project.languages),
            written,
        )
        self.project = project
        self._pages = pages
        self._stamp = stamp
        self.staging = staging
        self.errors = []
        if self.serving:
            self._pdf_cache = cache
        config.docs_dir = str(staging)
        return config

    def _apply_site(self, config: MkDocsConfig, project: Project) -> None:
        """What mkdocs.yml does not repeat: the menu, the languages and the clinic's look."""
        self._apply_brand(config, project)
        config.site_url = config.site_url or project.clinic.website
        config.nav = site_nav(project)
        i18n = config.plugins.get("i18n")
        if i18n is not None:
            i18n.config.languages = i18n_languages(project)

    @staticmethod
    def _apply_brand(config: MkDocsConfig, project: Project) -> None:
        """Colour, logo and footer come from content/clinic.yaml: rebranding is one file."""
        if BRAND_CSS not in config.extra_css:
            config.extra_css.append(BRAND_CSS)
        published = logo_file(project.clinic)
        if published:
            config.theme["logo"] = published
        config.copyright = footer(project.clinic)
        config.extra["generator"] = False

    def _editors_check(self, project: Project, *, strict: bool) -> list[str]:
        """The editors' check runs with every build, so ``mkdocs build`` and ``mkdocs serve`` alone
        say what ``scripts/check`` says. Strict (``--strict``, ``strict: true`` or CI): any
        finding stops the build; otherwise each is a warning. Readability is left to the check."""
        from patientinfo.check.run import run_project_check

        findings = [str(finding) for finding in run_project_check(project, today(), readability=False).findings]
        self._report(findings, strict=strict)
        return findings

    @staticmethod
    def _report(findings: list[str], *, strict: bool) -> None:
        if findings and strict:
            listed = "\n".join(findings)
            raise PluginError(
                f"the editors' check has {len(findings)} finding(s); strict mode (CI, --strict) stops here:\n{listed}"
            )
        for finding in findings:
            log.warning("patientinfo check: %s", finding)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files) -> str:
        """The front matter's texts are HTML already escaped by the renderer. Material prints
        titles as HTML (and sometimes escapes them again): as Markup they are escaped once.
        While serving content with errors, every page shows them on top."""
        for key in FRONT_MATTER_TEXTS:
            value = page.meta.get(key)
            if isinstance(value, str):
                page.meta[key] = Markup(value)
        if self.errors:
            return error_banner(self.errors) + markdown
        return markdown

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
        """Absolute language alternates, the language's root (for its own search), JSON-LD."""
        if self.project is None:
            return context
        languages = self.project.languages
        lang, path = language_of(page.url, languages)
        site_url = config.site_url or self.project.clinic.website

        def absolute(language: str) -> str:
            return site_url + language_prefix(language, languages) + path

        alternates = [{"lang": language, "href": absolute(language)} for language in languages]
        alternates.append({"lang": "x-default", "href": absolute(languages[0])})
        meta = page.meta or {}
        jsonld = None
        if "last_reviewed" in meta:
            text = {key: html.unescape(str(meta.get(key, ""))) for key in FRONT_MATTER_TEXTS}  # JSON: plain text
            jsonld = {
                "@context": "https://schema.org",
                "@type": "MedicalWebPage",
                "name": text["title"],
                "description": text["description"],
                "url": absolute(lang),
                "inLanguage": lang,
                "lastReviewed": meta["last_reviewed"],
                "reviewedBy": {"@type": "Person", "name": text["reviewed_by"]},
                "audience": {"@type": "PeopleAudience", "audienceType": "patients"},
                "about": {"@type": "MedicalTherapy", "name": text["treatment"]},
                "publisher": {
                    "@type": "MedicalClinic",
                    "name": self.project.clinic.name,
                    "telephone": self.project.clinic.phone,
                    "url": site_url,
                },
            }
        treatment = self.project.treatments.get(str(meta.get("treatment_id", "")))
        if treatment is None and not self.project.several_treatments:
            treatment = self.project.first  # the editors' guide of a one-treatment site: its leaflet too
        folder = language_prefix(lang, languages) + (treatment.folder if treatment else "")
        context["pi"] = {
            "leaflet": {
                "href": folder + leaflet_name(lang),
                "label": LanguageRenderer(treatment, lang).plain("ui", "leaflet.download"),
            }
            if treatment
            else None,
            "alternates": alternates,
            "language_root": language_prefix(lang, languages),
            "language_roots": [language_prefix(language, languages) for language in languages],
            "search_worker": "assets/javascripts/workers/search-i18n.js",
            "jsonld": jsonld,
            "documents": [{"href": folder + name, "label": label} for name, label in document_links(treatment, lang)]
            if treatment
            else [],
            "clinic": {
                "name": self.project.clinic.name,
                "phone": self.project.clinic.phone,
                "tel": tel_href(self.project.clinic.phone),
            },
        }
        return context

    def on_template_context(self, context: dict, template_name: str, config: MkDocsConfig) -> dict:
        """The 404 page's words in the language being built (Material's are English only)."""
        if template_name == "404.html" and self.project is not None:
            lang = self._building_language(config) or self.project.languages[0]
            renderer = LanguageRenderer(self.project.first, lang)
            context["pi_404"] = {
                "title": renderer.plain("ui", "notfound.title"),
                "text": renderer.plain("ui", "notfound.text"),
                "home": renderer.plain("ui", "notfound.home"),
                "href": "/" + language_prefix(lang, self.project.languages),
            }
        return context

    def _building_language(self, config: MkDocsConfig) -> str | None:
        i18n = config.plugins.get("i18n")
        return getattr(i18n, "current_language", None)

    @event_priority(100)  # before mkdocs-static-i18n builds the other languages over site/404.html
    def _keep_404(self, config: MkDocsConfig) -> None:
        """Keep each language's 404 page: every language's build writes site/404.html."""
        if self.project is None:
            return
        site = Path(config.site_dir)
        lang = self._building_language(config) or self.project.languages[0]
        page = site / "404.html"
        if page.is_file():
            if lang == self.project.languages[0]:
                self._default_404 = page.read_bytes()
            else:
                (site / lang).mkdir(parents=True, exist_ok=True)
                shutil.copy(page, site / lang / "404.html")

    @event_priority(-200)  # after mkdocs-static-i18n has merged every language's search entries
    def _after_all_languages(self, config: MkDocsConfig) -> None:
        if self.project is None:
            return
        if self.serving and not self.errors and self._pdf_cache is not None and self.staging is not None:
            self._refresh_pdfs(self._site_root)
        site_dir = Path(config.site_dir)
        split_search_index(site_dir, self.project.languages)
        default_404 = getattr(self, "_default_404", None)
        if default_404 is not None:  # the last language built wrote its own over it
            (site_dir / "404.html").write_bytes(default_404)

    on_post_build = CombinedEvent(_keep_404, _after_all_languages)

    def _refresh_pdfs(self, site_dir: Path) -> None:
        project, staging, languages = self.project, self.staging, self.project.languages
        if getattr(self, "_refreshed_for", None) is project:  # once per build, not once per language
            return
        self._refreshed_for = project

        def place(lang: str, name: str, pdf: bytes) -> None:  # name: relative to the language's folder
            for target in (staging / lang / name, site_dir / language_prefix(lang, languages) / name):
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.is_file() or target.read_bytes() != pdf:
                    target.write_bytes(pdf)

        self.pdfs.start(project, self._pdf_cache, place)

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        if self.staging is not None:
            with contextlib.suppress(KeyError):  # not watched: nothing to undo
                server.unwatch(str(self.staging))
        root = Path(config.config_file_path).resolve().parent
        for path in (root / self.config.content_dir, self.source_docs_dir, TEMPLATES):
            if path is not None and Path(path).exists():
                server.watch(str(path))
        return server


def inputs_stamp(*folders: Path) -> tuple:
    """Names, sizes and modification times of every file the pages are made from: equal stamps,
    equal pages (``mkdocs serve`` then skips loading and rendering for an edit of docs/)."""
    return tuple(
        (str(path), info.st_size, info.st_mtime_ns)
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink() and (info := path.stat())
    )


def tel_href(phone: str) -> str:
    """A tap-to-call link: 'tel:+33199001234' for '+33 1 99 00 12 34'."""
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def language_prefix(language: str, languages: list[str]) -> str:
    """'' for the default (first) language, at the site's root; 'it/' for Italian."""
    return "" if language == languages[0] else f"{language}/"


def language_of(url: str, languages: list[str]) -> tuple[str, str]:
    """('it', 'risks/') for 'it/risks/'; the default (first) language has no prefix."""
    first, _, rest = url.partition("/")
    if first in languages[1:]:
        return first, rest
    return languages[0], url


def split_search_index(site_dir: Path, languages: list[str]) -> dict[str, int]:
    """One search index per language, each at its language's root: a search on the Italian site
    returns Italian pages only. Locations become relative to that root."""
    combined_path = site_dir / "search" / "search_index.json"
    if not combined_path.is_file():
        return {}
    combined = json.loads(combined_path.read_text(encoding="utf-8"))
    counts = {}
    for lang in languages:
        docs = []
        for doc in combined["docs"]:
            doc_lang, rest = language_of(doc["location"], languages)
            if doc_lang == lang:
                docs.append({**doc, "location": rest})
        index = {"config": {**combined["config"], "lang": [lang]}, "docs": docs}
        root = site_dir if lang == languages[0] else site_dir / lang
        (root / "search").mkdir(parents=True, exist_ok=True)
        (root / "search" / "search_index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        counts[lang] = len(docs)
        if lang != languages[0] and (site_dir / "sitemap.xml").is_file():
            # Material looks for <language root>/sitemap.xml; the sitemap lists every language.
            shutil.copy(site_dir / "sitemap.xml", root / "sitemap.xml")
    return counts


def site_nav(project: Project) -> list:
    """The menu: a treatment's pages in order; with several treatments, the home page then one
    section per treatment, titled in the default language (i18n_languages translates it)."""
    from patientinfo.render.pages import PAGES

    if not project.several_treatments:
        return [f"{page}.md" for page in PAGES]
    lang = project.languages[0]
    return ["index.md"] + [
        {escaped(LanguageRenderer(treatment, lang).plain("pages", "index.name")): [f"{t}/{page}.md" for page in PAGES]}
        for t, treatment in project.treatments.items()
    ]


def escaped(text: str) -> Markup:
    """A text from content/ as the theme needs it: Material prints the site name and the menu's
    section titles as they are in some places and escapes them in others; Markup is escaped once."""
    return Markup(html.escape(text, quote=True))


def i18n_languages(project: Project) -> list:
    """mkdocs-static-i18n's languages, from content/settings.yaml: their order, names in their
    own words, site names and the treatments' section titles."""
    from babel import Locale
    from mkdocs_static_i18n.config import I18nPluginLanguage

    default = project.languages[0]
    items = []
    for lang in project.languages:
        name = Locale.parse(project.settings.locale(lang)).get_language_name(project.settings.locale(lang)) or lang
        titles = {t: LanguageRenderer(c, lang).plain("pages", "index.name") for t, c in project.treatments.items()}
        defaults = {t: LanguageRenderer(c, default).plain("pages", "index.name") for t, c in project.treatments.items()}
        item = I18nPluginLanguage()
        item.load_dict(
            {
                "locale": lang,
                "name": name[:1].upper() + name[1:],
                "default": lang == default,
                "build": True,
                "site_name": escaped(
                    project.clinic.name if project.several_treatments else titles[project.settings.treatments[0]]
                ),
                "nav_translations": {escaped(defaults[t]): escaped(titles[t]) for t in titles}
                if project.several_treatments
                else None,
            }
        )
        errors, _ = item.validate()
        if errors:
            raise PluginError(f"content/settings.yaml: language '{lang}' cannot be configured: {errors[0][1]}")
        items.append(item)
    return items
