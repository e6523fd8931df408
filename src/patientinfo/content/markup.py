"""The only inline markup a text may carry: emphasis, strong emphasis and links.

Editors write ``*word*``, ``**word**`` and ``[label](https://...)``. Everything else a text
contains, HTML, Markdown or template syntax included, is text and shows literally. A link may
only point to ``https:``, ``http:``, ``mailto:`` or ``tel:``: a ``javascript:`` or ``data:``
link, or a path on the server, would let a translation run script or leak a file, so it is a
content error naming the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")
INLINE = re.compile(
    r"\*\*(?P<strong>[^*\s](?:[^*]*[^*\s])?)\*\*"
    r"|\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*"
    r"|\[(?P<label>[^\[\]]+)\]\((?P<href>[^()\s]*)\)"
)
# HTML or template syntax: a text holding it shows it literally (the check warns the editor).
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|\{\{|\{%|\}\}|%\}")
# Anything shaped like a link whose target is not one we accept, e.g. "[x](javascript:...)".
LINK_LIKE = re.compile(r"\[[^\[\]]*\]\(((?:[^()]|\([^()]*\))*)\)")


def link_problems(text: str) -> list[str]:
    """Plain-words reasons why the links in ``text`` cannot be published (empty when fine)."""
    problems = []
    for match in LINK_LIKE.finditer(text):
        target = match.group(1).strip()
        if not target.lower().startswith(LINK_SCHEMES) or target != match.group(1) or " " in target:
            shown = target if len(target) <= 60 else target[:57] + "..."
            problems.append(
                f"the link '{shown}' is not allowed: a link must start with https://, http://, "
                f"mailto: or tel: (for example [our phone](tel:+33199001234))"
            )
        elif target.lower().startswith(("https://", "http://")) and len(target.split("//", 1)[1]) == 0:
            problems.append(f"the link '{target}' has no address after '//'")
    return problems


def render_inline(text: str, fill: Callable[[str], str]) -> str:
    """``text`` as safe HTML-in-Markdown: ``fill`` escapes (and fills) each plain piece."""
    out, pos = [], 0
    for match in INLINE.finditer(text):
        out.append(fill(text[pos : match.start()]))
        if match.group("strong") is not None:
            out.append(f"<strong>{fill(match.group('strong'))}</strong>")
        elif match.group("em") is not None:
            out.append(f"<em>{fill(match.group('em'))}</em>")
        else:
            href = match.group("href")
            if href.lower().startswith(LINK_SCHEMES):
                out.append(f'<a href="{escape(href, quote=True)}">{fill(match.group("label"))}</a>')
            else:  # refused when the content was loaded; never published as a link
                out.append(fill(match.group(0)))
        pos = match.end()
    out.append(fill(text[pos:]))
    return "".join(out)


def printed_address(href: str) -> str:
    """A link's target as a reader types it from paper: no scheme, no trailing slash."""
    for scheme in LINK_SCHEMES:
        if href.lower().startswith(scheme):
            href = href[len(scheme) :]
            break
    return href.removeprefix("www.").rstrip("/") if "/" in href else href


def strip_inline(text: str, *, addresses: bool = False) -> str:
    """``text`` without its markup, for places that take plain text (titles, PDF, metadata).
    ``addresses``: a link keeps its target after its label, for paper ("online (aifa.gov.it/...)"),
    unless the label already is that address."""

    def plain(match: re.Match[str]) -> str:
        for name in ("strong", "em"):
            if match.group(name) is not None:
                return match.group(name)
        href = match.group("href")
        if href.lower().startswith(LINK_SCHEMES):
            label = match.group("label")
            address = printed_address(href)
            if not addresses or address.lower() in (label.lower(), label.lower().removeprefix("www.")):
                return label
            return f"{label} ({address})"
        return match.group(0)

    return INLINE.sub(plain, text)
