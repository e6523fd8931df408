"""Filling one language's texts: placeholders resolved, then escaped for Markdown (pages) or
left plain (front matter, PDF metadata, titles). A missing text or a wrong placeholder is a
ContentError naming the file, the line and the text; never another language's text."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from patientinfo.content.markup import render_inline, strip_inline
from patientinfo.content.memo import per_treatment
from patientinfo.content.model import Treatment
from patientinfo.content.schema import CLINIC_QUANTITIES, PLACEHOLDER, Quantity, TextEntry
from patientinfo.errors import ContentError, Problem
from patientinfo.render.formatting import NBSP, FormatError, Formatter

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|])")
SPACES = re.compile(r"[ \t\r\n]+")
# The clinic's fields that are phone numbers: their spaces never break a line.
PHONE_FIELDS = frozenset({"phone", "emergency_number", "out_of_hours_phone"})


def md_escape(text: str) -> str:
    """Escape text so Markdown and HTML show it as typed (``<script>`` stays text)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text and text[0] in "-+":
        text = "\\" + text
    return text


def plain_of(value: str) -> str:
    """The text a reader sees of a value: Markup (already escaped HTML) loses its escaping."""
    return html.unescape(strip_tags(value)) if isinstance(value, Markup) else value


def strip_tags(value: str) -> str:
    return re.sub(r"<[^>]*>", "", value)


def texts_of(treatment: Treatment, lang: str) -> Texts:
    """The texts of ``treatment`` in ``lang``, with its formatter (made once per treatment and
    language: labels, menus and pages all read the same one)."""
    return _texts_of(treatment, lang)


@per_treatment
def _texts_of(treatment: Treatment, lang: str) -> Texts:
    return Texts(treatment, lang, Formatter(treatment.settings.locale(lang), treatment.texts[lang]["ui"].root.get))


class Texts:
    """The texts of one language of one treatment (and the site's interface words)."""

    def __init__(self, treatment: Treatment, lang: str, fmt: Formatter):
        self.treatment = treatment
        self.lang = lang
        self.fmt = fmt

    def _ui_entry(self, text_id: str) -> TextEntry:
        return self.treatment.entry(self.lang, "ui", text_id)

    def _problem(self, domain: str, text_id: str, message: str) -> ContentError:
        domain = self.treatment.text_domain(domain, text_id)
        path = self.treatment.text_path(self.lang, domain)
        line = self.treatment.text_line(self.lang, domain, text_id)
        return ContentError([Problem(path, line, f"'{text_id}' (language '{self.lang}'): {message}")])

    def render(
        self,
        raw: str,
        resolve: Callable[[str], str],
        domain: str,
        text_id: str,
        *,
        paragraphs: bool = False,
    ) -> Markup:
        def fill(piece: str) -> str:
            out, pos = [], 0
            for match in PLACEHOLDER.finditer(piece):
                out.append(md_escape(piece[pos : match.start()]))
                try:
                    value = resolve(match.group(1))
                except KeyError as exc:  # its message names the placeholder
                    raise self._problem(domain, text_id, f"placeholder {exc.args[0]}") from None
                except FormatError as exc:
                    raise self._problem(domain, text_id, f"placeholder '{match.group(0)}': {exc}") from None
                out.append(value if isinstance(value, Markup) else md_escape(value))
                pos = match.end()
            out.append(md_escape(piece[pos:]))
            return "".join(out)

        def one(block: str) -> str:
            return render_inline(SPACES.sub(" ", block).strip(), fill)

        if paragraphs:
            blocks = [b for b in re.split(r"\n\s*\n", raw) if b.strip()]
            return Markup("\n\n".join(one(b) for b in blocks))
        return Markup(one(raw))

    def clinic_value(self, field_name: str, *, link_phones: bool = False) -> str | Markup | None:
        """A clinic field as a text shows it: phone numbers unbroken (a tap-to-call link when
        ``link_phones``), quantities formatted ("18 ans"); None when it is not such a field."""
        clinic = self.treatment.clinic
        value = getattr(clinic, field_name, None) if field_name in type(clinic).model_fields else None
        if field_name in CLINIC_QUANTITIES and isinstance(value, int):
            return self.fmt.quantity(Quantity(value=value, unit=CLINIC_QUANTITIES[field_name]))
        if not isinstance(value, str):
            return None
        if field_name not in PHONE_FIELDS:
            return value
        if link_phones:
            return self.link("tel:" + re.sub(r"[^0-9+]", "", value), value.replace(" ", NBSP))
        return value.replace(" ", NBSP)

    def resolver(self, extra: dict[str, object]) -> Callable[[str], str]:
        facts = self.treatment.facts

        def resolve(name: str) -> str:
            if name in extra:  # already safe Markup (a link, another text) stays as it is
                value = extra[name]
                return value if isinstance(value, Markup) else str(value)
            owner, _, value = name.partition(".")
            shown = self.clinic_value(value) if owner == "clinic" else None
            if shown is not None:
                return shown
            if owner in facts and value in facts[owner].values:
                return self.fmt.quantity(facts[owner].values[value])
            raise KeyError(f"'{{{name}}}' is not a value of any fact, a clinic field, or a value given by the page")

        return resolve

    def text(self, domain: str, text_id: str, *, paragraphs: bool = False, **extra: Any) -> Markup:
        entry = self.treatment.entry(self.lang, domain, text_id)
        if entry.text is None:
            raise self._problem(domain, text_id, "expected 'text', found plural 'forms'")
        return self.render(entry.text, self.resolver(extra), domain, text_id, paragraphs=paragraphs)

    def plain(self, domain: str, text_id: str, **extra: Any) -> str:
        """A text with placeholders filled but no Markdown escaping (front matter, titles, PDF)."""
        entry = self.treatment.entry(self.lang, domain, text_id)
        try:
            return self.plain_text(entry.text or "", **extra)
        except (KeyError, FormatError) as exc:
            reason = exc.args[0] if exc.args else exc
            raise self._problem(domain, text_id, f"placeholder {reason}") from None

    def plain_text(self, raw: str, *, addresses: bool = False, **extra: Any) -> str:
        """``addresses``: links keep their target after their label (for paper)."""
        resolve = self.resolver(extra)
        plain = strip_inline(SPACES.sub(" ", raw).strip(), addresses=addresses)
        return PLACEHOLDER.sub(lambda m: plain_of(resolve(m.group(1))), plain)

    def punctuation(self, text_id: str) -> Markup:
        """A ui text used as punctuation between two pieces (' : ' in French, ': ' in English):
        kept exactly as written, spaces included, and escaped."""
        return Markup(md_escape(self._ui_entry(text_id).text or ""))

    def forms(self, text_id: str, count: int, **extra: Markup) -> Markup:
        """A ui text with plural forms; ``extra`` values are Markdown already (links)."""
        entry = self._ui_entry(text_id)
        forms = entry.forms or {"other": entry.text or ""}
        pattern = forms.get(self.fmt.locale.plural_form(count), forms["other"])
        pieces, pos = [], 0
        for match in re.finditer(r"\{([a-z_]+)\}", pattern):
            if match.group(1) not in extra:
                raise self._problem("ui", text_id, f"unknown placeholder '{match.group(0)}'")
            pieces += [md_escape(pattern[pos : match.start()]), str(extra[match.group(1)])]
            pos = match.end()
        pieces.append(md_escape(pattern[pos:]))
        return Markup("".join(pieces))

    @staticmethod
    def link(href: str, label: str) -> Markup:
        """An HTML link: URLs are escaped for HTML, never for Markdown (that would break them)."""
        return Markup('<a href="{}">{}</a>').format(href, label)
