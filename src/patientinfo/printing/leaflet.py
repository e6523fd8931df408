"""Printable A4 leaflets, one per language, from the same facts and texts as the site.

The leaflet is an HTML document rendered by WeasyPrint (PDF/UA-1: tagged, with language and
title). Fonts come from the ``fontpkg-atkinson-hyperlegible`` package (a typeface designed for
low-vision readers), embedded and subset. The QR code (segno) opens the same language online.
Nothing depends on the clock: the dates printed are the review dates, so two builds from the
same input give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import segno
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from patientinfo.content.load import Treatment
from patientinfo.errors import ContentError, Problem
from patientinfo.model import selection as page_model
from patientinfo.model.selection import Selection
from patientinfo.render.pages import LanguageRenderer, today


def font_files() -> dict[str, Path]:
    import fontpkg_atkinson_hyperlegible as font

    folder = Path(font.__file__).parent / "files"
    return {
        "regular": folder / "AtkinsonHyperlegible-Regular.ttf",
        "bold": folder / "AtkinsonHyperlegible-Bold.ttf",
        "italic": folder / "AtkinsonHyperlegible-Italic.ttf",
        "bolditalic": folder / "AtkinsonHyperlegible-BoldItalic.ttf",
    }


def language_url(treatment: Treatment, lang: str) -> str:
    """The treatment's address in ``lang``: the default language sits at the root."""
    base = treatment.clinic.website
    return (base if lang == treatment.languages[0] else f"{base}{lang}/") + treatment.folder


def leaflet_name(lang: str) -> str:
    """``leaflet-it.pdf``, in the treatment's folder of the language."""
    return f"leaflet-{lang}.pdf"


def cache_stem(treatment: Treatment, name: str) -> str:
    """The name of a PDF in the cache: the treatment's id and the file's name."""
    return f"{treatment.id}-{name.removesuffix('.pdf')}"


def qr_svg(url: str, alternative: str) -> Markup:
    """The QR code as inline SVG; its <title> is the figure's alternative text in the tagged PDF
    (what a screen reader says: where the code leads)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=2, dark="#000000", xmldecl=False, svgns=True, title=alternative, desc=None
    )
    return Markup(buffer.getvalue().decode("utf-8"))


class LeafletText:
    """Plain texts for the leaflet: what the site says, without Markdown."""

    def __init__(self, renderer: LanguageRenderer):
        self.r = renderer

    def page(self, text_id: str, **extra: object) -> str:
        return self.r.plain("pages", text_id, **extra)

    def ui(self, text_id: str, **extra: object) -> str:
        return self.r.plain("ui", text_id, **extra)

    def paragraphs(self, text_id: str) -> list[str]:
        raw = self.r.treatment.entry(self.r.lang, "pages", text_id).text or ""
        blocks = [b for b in raw.split("\n\n") if b.strip()]
        return [self.r.texts.plain_text(b, addresses=True) for b in blocks]

    def fact(self, fact_id: str) -> str:
        return self.r.views.fact_plain(fact_id)

    def note(self, fact_id: str) -> str | None:
        note = self.r.treatment.entry(self.r.lang, "facts", fact_id).note
        return self.r.texts.plain_text(note, addresses=True) if note else None

    def punctuation(self, text_id: str) -> str:
        """A ui text used as punctuation (' : ' in French), spaces kept."""
        return self.r.treatment.entry(self.r.lang, "ui", text_id).text or ""

    def fact_inline(self, fact_id: str) -> str:
        """A fact's text inside a sentence: its first letter in lower case (unless an acronym)."""
        return self.inline(self.fact(fact_id))

    @staticmethod
    def inline(text: str) -> str:
        """A text put inside a sentence or brackets: its first letter in lower case, unless it
        starts an acronym ("ORL") or a name of the other words' kind ("En France" stays a clause)."""
        if len(text) > 1 and text[0].isupper() and not text[1].isupper():
            return text[0].lower() + text[1:]
        return text

    def calls(self) -> dict[str, str]:
        """The clinic's numbers for {phone} and {emergency}, never broken across lines on paper."""
        clinic = self.r.treatment.clinic
        return {"phone": nobreak(clinic.phone), "emergency": nobreak(clinic.emergency_number)}

    def warning_heading(self, urgency: str) -> str:
        """What to do about a group of warning signs: call the emergency number now, or the clinic."""
        return self.ui(f"warning.{urgency}", **self.calls())

    def hours_line(self) -> str:
        """When the clinic answers the phone, in this language (or that it gave no hours)."""
        clinic = self.r.treatment.clinic
        line = (
            self.ui("contact.hours", hours=self.r.fmt.opening_hours(clinic.opening_hours))
            if clinic.opening_hours
            else self.ui("contact.no_hours")
        )
        if clinic.out_of_hours_phone:
            line += f" {self.ui('contact.out_of_hours_phone')} {nobreak(clinic.out_of_hours_phone)}"
        return line

    def sources(self, *fact_ids: str) -> str:
        """The labels of the facts' sources, each once, joined in the language ("A, B et C")."""
        ids = dict.fromkeys(s for fact_id in fact_ids for s in self.r.treatment.facts[fact_id].sources)
        return self.r.fmt.join([self.r.views.source_ref(s).label for s in ids])

    def sections(self, selections: dict[str, Selection], *, printed: bool) -> dict[str, object]:
        """The page model's selections for a leaflet or form, as fact ids (and disputes, and lists
        by group); a printed handout leaves out the facts marked ``leaflet: false``."""
        return {name: page_model.resolve(self.r.treatment, sel, printed=printed) for name, sel in selections.items()}


def nobreak(number: str) -> str:
    """A phone number whose spaces never break a line (non-breaking spaces)."""
    return number.replace(" ", "\u00a0")


def page_counter(text: LeafletText) -> tuple[str, str, str]:
    """ "Page {page} of {pages}" in the language, cut around the numbers for the CSS page counters."""
    page_of = text.ui("leaflet.page_of", page="\x00", pages="\x01")
    before, rest = page_of.split("\x00")
    middle, after = rest.split("\x01")
    return before, middle, after


def LocalFetcher(repo_root: Path):  # noqa: N802 (a class made on first use: WeasyPrint is imported lazily)
    """WeasyPrint may load the leaflet's fonts and files of the repository, and nothing else:
    no network, no file outside the repository, whatever a text or a template asks for."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    allowed_roots = [repo_root.resolve(), *{path.parent.resolve() for path in font_files().values()}]

    class _LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith("file://"):
                raise FatalURLFetchingError(f"the leaflet may not load '{url[:80]}': only files of the repository")
            path = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in allowed_roots):
                raise FatalURLFetchingError(f"the leaflet may not load '{path}': it is outside the repository")
            return super().fetch(url, headers)

    return _LocalFetcher(allowed_protocols=("file", "data"))


def css_string(text: str) -> Markup:
    """A CSS string literal; every character outside plain ASCII letters is an escape, so that
    nothing in a clinic's name can end the string or the style sheet (``</style>``)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in " .,:;+-_/@()'") else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{safe}"')


@cache
def html_environment() -> Environment:
    """One Jinja environment for every printed document: templates are compiled once per process
    (and again only when a template file changes: Jinja checks its date)."""
    return Environment(
        loader=PackageLoader("patientinfo", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_leaflet_html(treatment: Treatment, lang: str) -> str:
    """The leaflet's HTML (made once per content, language and day: the large print reuses it)."""
    made = treatment.derived.setdefault("leaflet_html", {})
    key = (lang, today())
    if key not in made:
        made[key] = _leaflet_html(treatment, lang)
    return made[key]


def _leaflet_html(treatment: Treatment, lang: str) -> str:
    from patientinfo.printing.forms import version_id  # the forms print the same id (documents imports this module)

    environment = html_environment()
    # The build date only decides whether the overdue notice shows (no date of the clock is
    # printed), so the bytes stay the same from one day to the next until a review falls due.
    renderer = LanguageRenderer(treatment, lang, build_date=today())
    text = LeafletText(renderer)
    printed = page_model.PRINTED["leaflet"]
    return environment.get_template("leaflet.html.j2").render(
        lang=lang,
        t=text,
        r=renderer,
        v=renderer.views,
        clinic=treatment.clinic,
        sources=treatment.sources,
        s=text.sections(page_model.LEAFLET, printed=printed),
        review=renderer.review(page_model.shown_facts(treatment, page_model.LEAFLET, printed=printed)),
        version=version_id(treatment, lang),
        logo=(treatment.root / treatment.clinic.logo).as_uri() if treatment.clinic.logo else None,
        url=language_url(treatment, lang),
        qr=qr_svg(language_url(treatment, lang), text.ui("leaflet.qr_alt", url=language_url(treatment, lang))),
        facts=treatment.facts,
        studied_ids={fact.id for fact in treatment.facts_file.facts if fact.studied_in},
        fonts={k: v.as_uri() for k, v in font_files().items()},
        page_counter=page_counter(text),
        css_string=css_string,
    )


def html_to_pdf(treatment: Treatment, html: str, *, max_pages: int | None = None, what: str = "") -> bytes:
    """PDF/UA-1 bytes of ``html``: fonts embedded, only repository files loaded, dated by the
    review (never the clock), identified by its HTML, so the same input gives the same bytes."""
    job = PdfJob("", "", html, str(treatment.root), max_pages, what, treatment.facts_file.review.last_reviewed)
    return make_pdf(job)


@dataclass(frozen=True)
class PdfJob:
    """Everything WeasyPrint needs for one PDF, as plain values (sent to a worker process)."""

    stem: str  # its name in the cache
    key: str  # the hash of its input (leaflet_key)
    html: str
    root: str  # the repository: the only place files may be loaded from
    max_pages: int | None
    what: str  # "the it leaflet", for messages
    reviewed: dt.date  # the PDF's date: the review, never the clock


def make_pdf(job: PdfJob) -> bytes:
    """The PDF of ``job``; a ContentError if it breaks the layout rules."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    root = Path(job.root)
    try:
        document = HTML(string=job.html, base_url=str(root), url_fetcher=LocalFetcher(root)).render(
            pdf_variant="pdf/ua-1"
        )
    except FatalURLFetchingError as exc:
        raise ContentError([Problem("src/patientinfo/templates", 1, f"{job.what}: {exc}")]) from None
    if job.max_pages is not None and len(document.pages) > job.max_pages:
        raise ContentError(
            [
                Problem(
                    "content/settings.yaml",
                    1,
                    f"{job.what} needs {len(document.pages)} pages; at most {job.max_pages} are allowed "
                    f"(leaflet_max_pages in content/settings.yaml; 4 fit on two sheets printed on both "
                    f"sides): shorten the texts",
                )
            ]
        )
    moment = dt.datetime.combine(job.reviewed, dt.time(), tzinfo=dt.UTC)
    document.metadata.created = moment.isoformat()
    document.metadata.modified = moment.isoformat()
    return document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_identifier=_identifier(job.html),
        uncompressed_pdf=False,
        finisher=_table_header_scope,
    )


_SCOPE = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


def _table_header_scope(document, pdf) -> None:  # noqa: ANN001 (WeasyPrint's Document, pydyf's PDF)
    """PDF/UA-1 wants a /Scope on every table header cell; WeasyPrint 70 writes none. Copy the
    HTML ``<th scope>`` into the cell's structure element (kept by WeasyPrint as the box's
    ``mark``). A test reads the tags back, so a WeasyPrint upgrade that moves this is caught."""
    import pydyf

    for page in document.pages:
        for box in page._page_box.descendants(placeholders=True):
            box = getattr(box, "_box", box)
            mark = getattr(box, "mark", None)
            if box.element_tag == "th" and isinstance(mark, pydyf.Dictionary) and "A" in mark:
                scope = _SCOPE.get((box.element.get("scope") or "").lower())
                if scope:
                    mark["A"]["Scope"] = scope


def _make_in_worker(job: PdfJob) -> bytes | list[Problem]:
    """``make_pdf`` in a worker process: problems come back as values, not as exceptions."""
    try:
        return make_pdf(job)
    except ContentError as exc:
        return exc.problems


def _lower_priority() -> None:
    """A background PDF worker yields the processor to the pages being rebuilt."""
    if hasattr(os, "nice"):
        os.nice(19)


def make_pdfs(
    jobs: list[PdfJob], cache: Path | None, *, workers: int = 1, background: bool = False
) -> dict[str, bytes]:
    """The PDF of every job, by stem: from ``cache`` when it has the job's key, otherwise made,
    on ``workers`` processes when several PDFs are missing (WeasyPrint uses one core), and kept.
    ``background`` (mkdocs serve): in worker processes of the lowest priority, so that an edit's
    pages are not slowed by the previous edit's PDFs. Collects every job's problems before failing."""
    found: dict[str, bytes] = {}
    missing: list[PdfJob] = []
    for job in jobs:
        pdf = cached_pdf(cache, job.stem, job.key, None) if cache else None
        if pdf is None:
            missing.append(job)
        else:
            found[job.stem] = pdf
    workers = min(workers, len(missing))
    if workers > 1 or (background and missing):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # "spawn": a fresh interpreter, safe whatever threads this process runs (mkdocs serve).
        context = multiprocessing.get_context("spawn")
        initializer = _lower_priority if background else None
        with ProcessPoolExecutor(max(workers, 1), mp_context=context, initializer=initializer) as pool:
            made = list(pool.map(_make_in_worker, missing))
    else:
        made = [_make_in_worker(job) for job in missing]
    problems: list[Problem] = []
    for job, result in zip(missing, made, strict=True):
        if isinstance(result, list):
            problems.extend(result)
            continue
        found[job.stem] = cached_pdf(cache, job.stem, job.key, lambda result=result: result)
    if problems:
        raise ContentError(problems)
    return found


def render_leaflet(treatment: Treatment, lang: str, html: str | None = None) -> bytes:
    """The PDF bytes of the leaflet in ``lang``; a ContentError if it breaks the layout rules."""
    html = render_leaflet_html(treatment, lang) if html is None else html
    max_pages = treatment.settings.leaflet_max_pages
    return html_to_pdf(treatment, html, max_pages=max_pages, what=f"the {lang} leaflet")


def cached_pdf(cache: Path | None, stem: str, key: str, make: Callable[[], bytes] | None) -> bytes | None:
    """``make()``, or the PDF kept in ``cache`` under the same ``key``; keeps one per ``stem``.
    Without ``make``, only the look-up: None when the cache does not have it."""
    path = cache / f"{stem}-{key}.pdf" if cache else None
    if path is not None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
    if make is None:
        return None
    pdf = make()
    if path is not None:  # several builds may share the cache: write whole files, never half
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{stem}-" + "?" * len(key) + ".pdf"):
            old.unlink(missing_ok=True)
        scratch = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        scratch.write_bytes(pdf)
        os.replace(scratch, path)
    return pdf


def _identifier(html: str) -> bytes:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")


@cache
def _renderer_fingerprint() -> str:
    """WeasyPrint's version, this module and the fonts: read once per process, without
    importing WeasyPrint (a second of start-up on a build that reuses every PDF)."""
    from importlib.metadata import version

    digest = hashlib.sha256(version("weasyprint").encode())
    digest.update(Path(__file__).read_bytes())
    for font in font_files().values():
        digest.update(f"{font}:{font.stat().st_size}".encode())
    return digest.hexdigest()


def leaflet_key(treatment: Treatment, html: str) -> str:
    """What a leaflet's PDF depends on: its own HTML (every text, number and the CSS are in it),
    the logo, the fonts and this module. An edit that does not change a leaflet's HTML never
    re-renders it, so editing one language's page text leaves the other leaflets alone."""
    digest = hashlib.sha256(html.encode("utf-8"))
    digest.update(_renderer_fingerprint().encode())
    if treatment.clinic.logo:
        digest.update((treatment.root / treatment.clinic.logo).read_bytes())
    return digest.hexdigest()[:16]


def leaflet_jobs(treatment: Treatment) -> list[PdfJob]:
    """The leaflet of every language, as PDF jobs (their HTML rendered, their keys computed)."""
    return [
        PdfJob(
            cache_stem(treatment, leaflet_name(lang)),
            leaflet_key(treatment, html),
            html,
            str(treatment.root),
            treatment.settings.leaflet_max_pages,
            f"the {lang} leaflet",
            treatment.facts_file.review.last_reviewed,
        )
        for lang in treatment.languages
        for html in (render_leaflet_html(treatment, lang),)
    ]


def render_leaflets(treatment: Treatment, cache: Path | None = None) -> dict[str, bytes]:
    """Every language's leaflet; reuses the one in ``cache`` whose HTML is unchanged."""
    made = make_pdfs(leaflet_jobs(treatment), cache)
    return {lang: made[cache_stem(treatment, leaflet_name(lang))] for lang in treatment.languages}
