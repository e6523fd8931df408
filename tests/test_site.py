"""A real ``mkdocs build`` of the whole site in a temporary folder, checked on its HTML."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DAY, LANGS, REPO, build_pages, copy_project, run_build, tree_digest
from patientinfo.content.load import load_treatment
from patientinfo.render.pages import PAGES, LanguageRenderer

PREFIX = {"fr": "", "it": "it/", "en": "en/"}


class TextOfMain(HTMLParser):
    """The text a reader sees in the page's article (no navigation, no scripts)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def article_text(path: Path) -> str:
    parser = TextOfMain()
    parser.feed(path.read_text(encoding="utf-8"))
    text = html.unescape(" ".join(parser.parts))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def page_file(site: Path, lang: str, page: str) -> Path:
    return site / PREFIX[lang] / ("index.html" if page == "index" else f"{page}/index.html")


def test_every_page_exists_with_its_language(built_pages: Path):
    site = built_pages / "site"
    for lang in LANGS:
        for page in PAGES:
            path = page_file(site, lang, page)
            assert path.is_file(), path
            assert re.search(rf'<html[^>]* lang="{lang}"', path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("lang", LANGS)
def test_every_indication_substance_risk_and_contraindication_is_shown(built_pages: Path, lang: str):
    content = load_treatment(built_pages)
    renderer = LanguageRenderer(content, lang, day=DAY)
    site = built_pages / "site"
    pages = {
        "indication": "conditions",
        "substance": "substances",
        "risk": "risks",
        "contraindication": "contraindications",
    }
    missing = []
    for category, page in pages.items():
        text = article_text(page_file(site, lang, page))
        for fact in content.facts_file.facts:
            if fact.category == category:
                wanted = re.sub(
                    r"\s+", " ", renderer.views.fact_plain(fact.id).replace("\u00a0", " ").replace("\u202f", " ")
                )
                if wanted not in text:
                    missing.append(f"{page}/{fact.id}: {wanted}")
    assert not missing, "\n".join(missing)


CLOCK = re.compile(r"\b(\d{1,2})(?:[\u00a0 ]?h(?:[\u00a0 ]?(\d{2}))?\b|:(\d{2})\b)")


def numbers(text: str) -> list[str]:
    text = CLOCK.sub(lambda m: f"{m[1]}:{m[2] or m[3] or '00'}", text)  # 9 h, 9 h 30, 9:00: the same time
    text = re.sub(r"(?<=\d)[ .,](?=\d{3}\b)", "", text)
    return sorted(n.replace(",", ".") for n in re.findall(r"\d+(?:[.,]\d+)?", text))


@pytest.mark.parametrize("page", PAGES)
def test_same_numbers_on_every_language_of_a_page(built_pages: Path, page: str):
    site = built_pages / "site"
    seen = {lang: numbers(article_text(page_file(site, lang, page))) for lang in LANGS}
    assert seen["it"] == seen["fr"] and seen["en"] == seen["fr"]


def test_switcher_links_to_the_same_page(built_pages: Path):
    risks = (built_pages / "site" / "it" / "risks" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="(\.\./)+risks/"[^>]*hreflang="fr"', risks)
    assert re.search(r'href="(\.\./)+en/risks/"[^>]*hreflang="en"', risks)


def test_nothing_is_loaded_from_another_host(built_pages: Path):
    offenders = []
    for path in (built_pages / "site").rglob("*.html"):
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', path.read_text(encoding="utf-8")):
            loaded = re.search(r"<(script|img)[^>]+" + re.escape(url), path.read_text(encoding="utf-8")) or re.search(
                r'<link[^>]+rel="(stylesheet|preload|modulepreload|icon)"[^>]+' + re.escape(url),
                path.read_text(encoding="utf-8"),
            )
            if loaded:
                offenders.append(f"{path}: {url}")
    assert not offenders, "\n".join(offenders[:20])


def test_material_script_waits_until_the_text_is_painted(built_pages: Path):
    # A parser-blocking script delayed the first paint by ~0.5 s on Lighthouse's slow phone.
    for prefix in ("", "it/", "en/"):
        html = (built_pages / "site" / prefix / "risks" / "index.html").read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html)
        assert scripts and all(" defer " in tag for tag in scripts), scripts


def test_generated_markdown_is_not_in_the_repository():
    generated = {f"{page}.md" for page in PAGES}
    assert not [path for path in (REPO / "docs").rglob("*.md") if path.name in generated]
    gitignore = (REPO / ".gitignore").read_text()
    assert "/.cache/" in gitignore and "/site/" in gitignore


@pytest.fixture
def rebuilt(built_pages: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project whose site/ a test may then try to break."""
    root = copy_project(tmp_path / "copy")
    shutil.copytree(built_pages / "site", root / "site")
    return root


BAD_INPUTS = {
    "malformed YAML": (
        "content/treatments/mesotherapy/facts.yaml",
        "  - id: tech-volume\n",
        "  - id: tech-volume\n    sources: [oops\n",
        r"content/treatments/mesotherapy/facts\.yaml:\d+:\d+: a list in \[ \] is not closed",
    ),
    "wrong type": (
        "content/treatments/mesotherapy/facts.yaml",
        "sessions: {min: 10, max: 12",
        'sessions: {min: "ten", max: 12',
        r"content/treatments/mesotherapy/facts\.yaml:\d+: facts\[\d+\]\.values\.sessions\.min \(id 'sched-course-long'\)",
    ),
    "unknown source": (
        "content/treatments/mesotherapy/facts.yaml",
        'sources: [seed-003]\n    quotes: {seed-003: "des rougeurs"}',
        "sources: [seed-042]\n    quotes: {}",
        r"content/treatments/mesotherapy/facts\.yaml:\d+: .*unknown source 'seed-042'",
    ),
    "duplicate id": (
        "content/treatments/mesotherapy/facts.yaml",
        "  - id: risk-marks\n",
        "  - id: risk-redness\n",
        r"content/treatments/mesotherapy/facts\.yaml:\d+: duplicate fact id 'risk-redness'",
    ),
    "missing translation": (
        "content/it/mesotherapy/facts.yaml",
        "ci-period:",
        "ci-period-typo:",
        r"content/treatments/mesotherapy/facts\.yaml:\d+: 'ci-period' has no text in language 'it'",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_fails_and_keeps_the_last_good_site(rebuilt: Path, case: str):
    relative, old, new, expected = BAD_INPUTS[case]
    before = tree_digest(rebuilt / "site")
    path = rebuilt / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_build(rebuilt)
    assert result.returncode != 0
    assert re.search(expected, result.stderr), result.stderr
    assert tree_digest(rebuilt / "site") == before


def test_script_in_a_fact_shows_literally_on_the_page(rebuilt: Path):
    path = rebuilt / "content" / "en" / "mesotherapy" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(risk-redness:\n  text: )(.*)$", r'\1"Red skin <script>alert(1)</script> {{ 7*7 }}"', text)
    path.write_text(text, encoding="utf-8")
    result = build_pages(rebuilt)  # locally the check only warns about it
    assert result.returncode == 0, result.stderr
    assert "contains HTML or template syntax" in result.stderr
    page = (rebuilt / "site" / "en" / "risks" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page and "Red skin" in page


def test_the_editors_guide_is_not_in_the_patients_menu_but_linked_from_the_about_page(built_pages: Path):
    site = built_pages / "site"
    for lang in LANGS:
        home = page_file(site, lang, "index").read_text(encoding="utf-8")
        nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', home, re.S)
        assert nav and "editors/" not in nav.group(0), lang
        about = page_file(site, lang, "about").read_text(encoding="utf-8")
        assert re.search(r'<a href="\.\./editors/">', about), lang
        assert (site / PREFIX[lang] / "editors" / "index.html").is_file()
