"""Where each page and document is on the site: the first language at the root, the others
under their code; a page's folder from its Markdown file. The build, the preview and the editor
all place pages by these, so that a link the editor gives is where the preview serves."""

from __future__ import annotations


def language_prefix(language: str, languages: list[str]) -> str:
    """'' for the default (first) language, at the site's root; 'it/' for Italian."""
    return "" if language == languages[0] else f"{language}/"


def language_of(url: str, languages: list[str]) -> tuple[str, str]:
    """('it', 'risks/') for 'it/risks/'; the default (first) language has no prefix."""
    first, _, rest = url.partition("/")
    if first in languages[1:]:
        return first, rest
    return languages[0], url


def page_address(path: str) -> str:
    """``risks.md`` -> ``risks/``; ``index.md`` -> ``''``; ``t/index.md`` -> ``t/``."""
    stem = path.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/"
