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
import shutil
from pathlib import Path

import segno
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .content import Content
from .errors import ContentError, Problem
from .render import SEVERITIES, STEPS, LanguageRenderer, today

MAX_PAGES = 4


def font_files() -> dict[str, Path]:
    import fontpkg_atkinson_hyperlegible as font

    folder = Path(font.__file__).parent / "files"
    return {
        "regular": folder / "AtkinsonHyperlegible-Regular.ttf",
        "bold": folder / "AtkinsonHyperlegible-Bold.ttf",
        "italic": folder / "AtkinsonHyperlegible-Italic.ttf",
        "bolditalic": folder / "AtkinsonHyperlegible-BoldItalic.ttf",
    }


def language_url(content: Content, lang: str) -> str:
    """The site's address in ``lang``: the default language sits at the root."""
    base = content.clinic.website
    return base if lang == content.languages[0] else f"{base}{lang}/"


def leaflet_name(lang: str) -> str:
    return f"leaflet-{lang}.pdf"


def qr_svg(url: str) -> Markup:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=2, dark="#000000", xmldecl=False, svgns=True, title=None, desc=None
    )
    return Markup(buffer.getvalue().decode("ascii"))


class LeafletText:
    """Plain texts for the leaflet: what the site says, without Markdown."""

    def __init__(self, renderer: LanguageRenderer):
        self.r = renderer

    def page(self, text_id: str, **extra: object) -> str:
        return self.r.plain("pages", text_id, **extra)

    def ui(self, text_id: str, **extra: object) -> str:
        return self.r.plain("ui", text_id, **extra)

    def paragraphs(self, text_id: str) -> list[str]:
        raw = self.r.content.entry(self.r.lang, "pages", text_id).text or ""
        blocks = [b for b in raw.split("\n\n") if b.strip()]
        return [self.r.plain_text(b) for b in blocks]

    def fact(self, fact_id: str) -> str:
        return self.r.fact_plain(fact_id)

    def note(self, fact_id: str) -> str | None:
        note = self.r.content.entry(self.r.lang, "facts", fact_id).note
        return self.r.plain_text(note) if note else None

    def sources(self, fact_id: str) -> str:
        labels = [self.r.source_ref(s).label for s in self.r.content.facts[fact_id].sources]
        return self.r.fmt.join(labels)

    def facts(self, category: str | None = None, **filters: object) -> list[str]:
        return [f.id for f in self.r.facts(category, **filters)]  # type: ignore[arg-type]


def css_string(text: str) -> Markup:
    """A CSS string literal; every character outside plain ASCII letters is an escape, so that
    nothing in a clinic's name can end the string or the style sheet (``</style>``)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in " .,:;+-_/@()'") else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{safe}"')


def render_leaflet_html(content: Content, lang: str) -> str:
    environment = Environment(
        loader=PackageLoader("patientinfo", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Never the clock: SOURCE_DATE_EPOCH when set (reproducible builds), else the review date.
    build_date = today() if os.environ.get("SOURCE_DATE_EPOCH") else content.facts_file.review.last_reviewed
    renderer = LanguageRenderer(content, lang, build_date=build_date)
    text = LeafletText(renderer)
    page_of = text.ui("leaflet.page_of", page="\x00", pages="\x01")
    before, rest = page_of.split("\x00")
    middle, after = rest.split("\x01")
    disputes = {d.id: d for d in content.facts_file.disputes}
    return environment.get_template("leaflet.html.j2").render(
        lang=lang,
        t=text,
        r=renderer,
        clinic=content.clinic,
        sources=content.sources,
        disputes=disputes,
        groups=content.facts_file.groups,
        severities=SEVERITIES,
        steps=STEPS,
        review=renderer.review,
        url=language_url(content, lang),
        qr=qr_svg(language_url(content, lang)),
        fonts={k: v.as_uri() for k, v in font_files().items()},
        page_counter=(before, middle, after),
        css_string=css_string,
    )


def render_leaflet(content: Content, lang: str) -> bytes:
    """The PDF bytes of the leaflet in ``lang``; a ContentError if it breaks the layout rules."""
    from weasyprint import HTML

    html = render_leaflet_html(content, lang)
    document = HTML(string=html, base_url=str(content.root)).render(pdf_variant="pdf/ua-1")
    if len(document.pages) > MAX_PAGES:
        raise ContentError(
            [
                Problem(
                    content.text_path(lang, "facts"),
                    1,
                    f"the {lang} leaflet needs {len(document.pages)} pages; at most {MAX_PAGES} fit on "
                    f"two sheets printed on both sides: shorten the texts",
                )
            ]
        )
    review = content.facts_file.review
    moment = dt.datetime.combine(review.last_reviewed, dt.time(), tzinfo=dt.UTC)
    document.metadata.created = moment.isoformat()
    document.metadata.modified = moment.isoformat()
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=_identifier(html), uncompressed_pdf=False)


def _identifier(html: str) -> bytes:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")


def inputs_digest(content: Content) -> str:
    """Changes whenever anything a leaflet is made from changes (used to skip rebuilding)."""
    digest = hashlib.sha256()
    for path in sorted((content.root / "content").rglob("*.yaml")):
        digest.update(path.read_bytes())
    templates = Path(__file__).parent / "templates"
    for path in sorted([*templates.rglob("*.j2"), Path(__file__)]):
        digest.update(path.read_bytes())
    if content.clinic.logo:
        digest.update((content.root / content.clinic.logo).read_bytes())
    return digest.hexdigest()[:16]


def render_leaflets(content: Content, cache: Path | None = None) -> dict[str, bytes]:
    """Every language's leaflet; reuses ``cache`` when nothing they depend on changed."""
    folder = cache / inputs_digest(content) if cache else None
    leaflets: dict[str, bytes] = {}
    problems: list[Problem] = []
    for lang in content.languages:
        cached = folder / leaflet_name(lang) if folder else None
        if cached and cached.is_file():
            leaflets[lang] = cached.read_bytes()
            continue
        try:
            leaflets[lang] = render_leaflet(content, lang)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(leaflets[lang])
    if problems:
        raise ContentError(problems)
    if folder is not None:  # keep only the leaflets of the current inputs
        for old in folder.parent.iterdir():
            if old != folder and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    return leaflets
