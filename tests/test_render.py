"""The Markdown rendered for each locale, before MkDocs sees it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import DAY, LANGS
from patientinfo.content.load import load_treatment
from patientinfo.errors import ContentError
from patientinfo.render.pages import PAGES, render_language, render_treatment

CLOCK = re.compile(r"\b(\d{1,2})(?:[\u00a0 ]?h(?:[\u00a0 ]?(\d{2}))?\b|:(\d{2})\b)")


def numbers(markdown: str) -> Counter:
    """Every number a patient reads on the page, decimal comma or point alike."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)  # link targets are not read
    text = re.sub(r'href="[^"]*"', "", text)
    text = CLOCK.sub(lambda m: f"{m[1]}:{m[2] or m[3] or '00'}", text)  # 9 h, 9 h 30, 9:00: the same time
    text = re.sub(r"(?<=\d)[\u202f\u00a0 .,](?=\d{3}\b)", "", text)  # 12 500 / 12.500 / 12,500
    return Counter(n.replace(",", ".") for n in re.findall(r"\d+(?:[.,]\d+)?", text))


def test_every_page_in_every_language(site):
    assert set(site) == set(LANGS)
    for lang in LANGS:
        assert set(site[lang]) == {f"{page}.md" for page in PAGES}


@pytest.mark.parametrize("page", PAGES)
def test_same_numbers_in_every_language(site, page):
    reference = numbers(site["fr"][f"{page}.md"])
    for lang in ("it", "en"):
        assert numbers(site[lang][f"{page}.md"]) == reference, f"{page} ({lang})"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "3\u00a0à\u00a05\u00a0séances"),
        ("it", "da\u00a03\u00a0a\u00a05\u00a0sedute"),
        ("en", "3\u00a0to\u00a05\u00a0sessions"),
    ],
)
def test_ranges_are_worded_per_language(site, lang, expected):
    assert expected in site[lang]["schedule.md"]


@pytest.mark.parametrize("lang", LANGS)
def test_disagreements_name_each_source(site, lang):
    schedule = site[lang]["schedule.md"]
    box = schedule[schedule.index("!!! warning") :]
    for seed in ("seed-002", "seed-003", "seed-004"):
        assert f"about.md#src-{seed}" in box


def test_front_matter_is_valid_yaml(site):
    for lang in LANGS:
        for name, markdown in site[lang].items():
            _, front, _ = markdown.split("---\n", 2)
            meta = yaml.safe_load(front)
            assert meta["title"] and meta["description"], (lang, name)


def test_html_and_template_syntax_in_a_text_stay_literal(project: Path):
    texts = project / "content" / "fr" / "mesotherapy" / "facts.yaml"
    data = yaml.safe_load(texts.read_text(encoding="utf-8"))
    data["risk-redness"]["text"] = (
        "Rougeur <script>alert(1)</script> {{ 7*7 }} *gras* [lien](https://x.example.org/?a=1&b=2) _x_"
    )
    texts.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    markdown = render_language(load_treatment(project), "fr", DAY)["risks.md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    assert "<script>" not in markdown
    assert r"\{\{ 7\*7 \}\}" in markdown and "49" not in markdown
    # The markup a text may carry (markup.py): emphasis and links to the web, mail or phone.
    assert "<em>gras</em>" in markdown
    assert '<a href="https://x.example.org/?a=1&amp;b=2">lien</a>' in markdown
    assert r"\_x\_" in markdown  # anything else is text


def test_review_overdue_notice(content):
    late = content.facts_file.review.next_review.replace(year=content.facts_file.review.next_review.year + 1)
    on_time = render_language(content, "en", day=content.facts_file.review.last_reviewed)
    overdue = render_language(content, "en", day=late)
    assert "!!! danger" not in on_time["faq.md"]
    assert "!!! danger" in overdue["faq.md"]


def test_missing_fact_value_in_a_page_text_is_an_error(project: Path):
    from conftest import edit_yaml

    def break_it(data):
        data["faq.intro"]["text"] = "{clinic.fax} " + data["faq.intro"]["text"]

    edit_yaml(project / "content" / "en" / "mesotherapy" / "pages.yaml", break_it)
    with pytest.raises(
        ContentError,
        match=r"content/en/mesotherapy/pages\.yaml:\d+: 'faq\.intro' \(language 'en'\): placeholder '\{clinic\.fax\}'",
    ):
        render_language(load_treatment(project), "en", DAY)


def test_sample_treatment_renders(sample_project: Path):
    site = render_treatment(load_treatment(sample_project), DAY)
    assert "En moyenne 3\u00a0à\u00a05\u00a0séances" in site["fr"]["schedule.md"]
    assert "circa\u00a00,5\u00a0ml" in site["it"]["session.md"]
    assert "about\u00a00.5\u00a0ml of product" in site["en"]["session.md"]
    assert "## Prima della seduta" not in site["it"]["session.md"], "a step without facts is left out"


def test_a_page_shows_the_stalest_review_of_its_facts(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace(
        "  - id: risk-marks\n",
        "  - id: risk-marks\n    review: {last_reviewed: 2025-01-02, next_review: 2025-07-02, reviewed_by: Dr Old}\n",
        1,
    )
    facts.write_text(text, encoding="utf-8")
    site = render_language(load_treatment(project), "en", day=__import__("datetime").date(2026, 12, 1))
    assert "2 January 2025" in site["risks.md"].replace("\u00a0", " ") and "Dr Old" in site["risks.md"]
    assert "!!! danger" in site["risks.md"]
    assert "Dr Old" not in site["contact.md"], "a page without that fact keeps the treatment's review"


@pytest.mark.parametrize("lang", LANGS)
def test_a_disputed_claim_keeps_its_rebuttal(site, lang):
    """The 'no side effects' claim sits in a dispute box: what studies say must be shown with it."""
    evidence = site[lang]["evidence.md"]
    box = evidence[evidence.index("!!! warning") :]
    assert "about.md#src-faetani-2021" in box and "about.md#src-ivan-2013" in box
