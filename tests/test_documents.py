"""The consultation documents (issue 14): questionnaire, consent form, record card, large print.

HTML is rendered for every language (fast); the PDFs are rendered once for the module and read
back with poppler (pdftotext, pdfinfo, pdffonts) as a patient's or a doctor's printer would.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import DAY, LANGS, REPO, copy_project, edit_yaml, html_of, pdf_objects
from patientinfo.content.load import load_treatment
from patientinfo.model import selection as page_model
from patientinfo.printing.engine import make_pdf
from patientinfo.printing.leaflet import LARGE_PRINT_MIN_PT
from patientinfo.printing.registry import BY_KIND, FORMS, job, links
from patientinfo.printing.text import version_id
from patientinfo.render.pages import LanguageRenderer

TEMPLATES = REPO / "src" / "patientinfo" / "templates" / "documents"


def plain(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")
    return re.sub(r"\s+", " ", text).strip()


def loose(text: str) -> str:
    """pdftotext drops the hyphen of a word broken at its hyphen ("contre-|indication")."""
    return plain(text).replace("-", "")


def pdf_text(path: Path, *, above: int | None = None) -> str:
    """The text of the PDF; ``above`` keeps only what is above that many points from the top of
    each page (without the page footers, which would interrupt a text broken across pages)."""
    crop = ["-r", "72", "-x", "0", "-y", "0", "-W", "596", "-H", str(above)] if above else []
    command = ["pdftotext", "-enc", "UTF-8", *crop, str(path), "-"]
    return plain(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def html_text(markup: str) -> str:
    return plain(html.unescape(re.sub(r"<[^>]+>", " ", markup)))


DOCUMENTS = [printed.kind for printed in FORMS]


def document_name(kind: str, lang: str) -> str:
    return BY_KIND[kind].file_name(lang)


@pytest.fixture(scope="module")
def pdfs(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every document of every language, as the session's build published them."""
    folder = tmp_path_factory.mktemp("documents")
    for pdf in (built_project / "site").rglob("*.pdf"):
        if not pdf.name.startswith("leaflet-") or pdf.name.startswith("leaflet-large"):
            shutil.copy(pdf, folder / pdf.name)
    return folder


# --------------------------------------------------------------------------- HTML, every language
@pytest.mark.parametrize("lang", LANGS)
def test_consent_form_names_every_benefit_risk_dispute_alternative_and_the_plan(content, lang: str):
    page = html_of(content, lang, "consent")
    text = html_text(page)
    renderer = LanguageRenderer(content, lang, day=DAY)
    # Every fact of these kinds but those in a clinic's claim (a signed form quotes no claim).
    claims = {f.id for f in content.facts_file.facts if f.category == "claim"}
    in_claim_disputes = {f for d in content.facts_file.disputes if claims & set(d.facts) for f in d.facts}
    wanted = [
        f.id
        for f in content.facts_file.facts
        if f.category in ("benefit", "risk", "warning_sign", "alternative", "without_treatment", "out_of_hours")
        and f.id not in in_claim_disputes
    ]
    missing = [fact_id for fact_id in wanted if plain(renderer.views.fact_plain(fact_id)) not in text]
    assert not missing
    for field in (
        "consent.products",
        "consent.corticosteroid",
        "consent.needle",
        "consent.sessions",
        "consent.rhythm",
        "consent.sterile_statement",
        "consent.doctor_name",
        "consent.patient",
        "consent.doctor",
    ):
        assert plain(renderer.plain("documents", field)) in text, field
    assert version_id(content, lang) in text
    assert page.count('class="signature-box"') == 2


def test_every_document_is_escaped(project: Path):
    path = project / "content" / "fr" / "mesotherapy" / "documents.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^consent\.title: "[^"]*"', 'consent.title: "<script>alert(1)</script> {{ 7*7 }}"', text)
    path.write_text(text, encoding="utf-8")
    page = html_of(load_treatment(project), "fr", "consent")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page


def test_templates_type_no_numbers():
    """Layout sizes live in style sheets; no number a patient reads is typed in a template."""
    for path in TEMPLATES.glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        source = re.sub(r"<style>.*?</style>|\{% block style %\}.*?\{% endblock %\}", "", source, flags=re.S)
        source = re.sub(
            r'(?:style|charset|colspan)="[^"]*"|\{#.*?#\}|\{% (?:extends|import) [^%]*%\}|</?h\d',
            "",
            source,
            flags=re.S,
        )
        assert not re.findall(r"\d", source), path.name


# --------------------------------------------------------------------------- version id
def test_version_id_is_stable_short_and_per_language(content):
    ids = {lang: version_id(content, lang) for lang in LANGS}
    assert len(set(ids.values())) == len(LANGS)
    assert all(re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", v) for v in ids.values())
    assert ids == {lang: version_id(load_treatment(REPO), lang) for lang in LANGS}


def test_a_changed_fact_changes_every_version_id_and_a_comment_does_not(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    before = {lang: version_id(load_treatment(project), lang) for lang in LANGS}
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# an editor's comment\n", encoding="utf-8")
    assert {lang: version_id(load_treatment(project), lang) for lang in LANGS} == before

    def change(data: dict) -> None:
        fact = next(f for f in data["facts"] if f.get("values"))
        name, value = next(iter(fact["values"].items()))
        for key in ("value", "about", "max", "min"):
            if key in value:
                value[key] = value[key] + 1
                break

    edit_yaml(facts, change)
    after = {lang: version_id(load_treatment(project), lang) for lang in LANGS}
    assert all(after[lang] != before[lang] for lang in LANGS)


def test_a_changed_text_changes_only_its_language(project: Path):
    before = {lang: version_id(load_treatment(project), lang) for lang in LANGS}
    path = project / "content" / "en" / "mesotherapy" / "documents.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = data["record.intro"]
    entry["text"] = entry["text"] + " Thank you."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    after = {lang: version_id(load_treatment(project), lang) for lang in LANGS}
    assert after["en"] != before["en"] and after["fr"] == before["fr"] and after["it"] == before["it"]


# --------------------------------------------------------------------------- the PDFs
def test_every_language_has_the_four_files_named_in_english(pdfs: Path, content):
    expected = {document_name(kind, lang) for kind in DOCUMENTS for lang in content.languages}
    assert {p.name for p in pdfs.glob("*.pdf")} == expected
    assert expected >= {"questionnaire-fr.pdf", "consent-it.pdf", "record-card-en.pdf", "leaflet-large-fr.pdf"}
    for lang in content.languages:
        linked = links(content, lang)
        assert [name for name, _ in linked] == [document_name(kind, lang) for kind in DOCUMENTS]
        assert all(label and not re.search(r"\d", label) for _, label in linked)


@pytest.mark.parametrize("lang", LANGS)
def test_pdfs_are_a4_tagged_titled_in_their_language_with_embedded_fonts(pdfs: Path, content, lang: str):
    renderer = LanguageRenderer(content, lang, day=DAY)
    for kind in DOCUMENTS:
        path = pdfs / document_name(kind, lang)
        info = pdf_info(path)
        a5 = kind == "record-card"  # kept in a bag: an A4 sheet folded in two
        assert info["Page size"].startswith("419.5" if a5 else "595.276 x 841.89"), path.name
        assert info["Tagged"] == "yes", path.name
        assert renderer.plain("pages", "index.title") in info["Title"], path.name
        assert f"/Lang ({lang})".encode() in pdf_objects(path.read_bytes()), path.name
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        assert rows and all("+" in row[0] and "yes" in row[-5:-2] for row in rows), (path.name, fonts)


@pytest.mark.parametrize("lang", LANGS)
def test_all_documents_of_a_language_carry_its_version_id_and_review_date(pdfs: Path, content, lang: str):
    version = version_id(content, lang)
    review = plain(LanguageRenderer(content, lang, day=DAY).fmt.date(content.facts_file.review.last_reviewed))
    for kind in DOCUMENTS:
        text = pdf_text(pdfs / document_name(kind, lang))
        assert version in text, kind
        assert review in text, kind


@pytest.mark.parametrize("lang", LANGS)
def test_printed_forms_hold_what_the_issue_asks(pdfs: Path, content, lang: str):
    renderer = LanguageRenderer(content, lang, day=DAY)
    consent = pdf_text(pdfs / document_name("consent", lang), above=795)
    wanted_risks = set(page_model.fact_ids(content, page_model.DOCUMENTS["consent"]["risks"]))
    missing = [
        f.id
        for f in content.facts_file.facts
        if f.category == "risk"
        and f.id in wanted_risks
        and loose(renderer.views.fact_plain(f.id)) not in loose(consent)
    ]
    assert not missing
    assert content.clinic.phone in pdf_text(pdfs / document_name("record-card", lang))
    questionnaire = pdf_text(pdfs / document_name("questionnaire", lang))
    unsure = plain(renderer.plain("documents", "common.unsure"))
    asked = len([f for f in content.facts_file.facts if f.category == "screening"])
    assert questionnaire.count(unsure) == html_text(html_of(content, lang, "questionnaire")).count(unsure)
    assert questionnaire.count(unsure) >= asked


def text_sizes_pt(html_source: str, base_url: str) -> list[tuple[float, str]]:
    """(size in points, text) of every piece of text WeasyPrint lays out, margins included."""
    from weasyprint import HTML

    document = HTML(string=html_source, base_url=base_url).render()
    sizes = []

    def walk(box) -> None:
        text = getattr(box, "text", None)
        if text and text.strip():
            sizes.append((box.style["font_size"] * 0.75, text))  # CSS px -> pt
        for child in getattr(box, "children", []) or []:
            walk(child)
        for child in getattr(box, "margin_boxes", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return sizes


def test_large_print_leaflet_is_sixteen_points_or_more_in_one_column(content):
    source = html_of(content, "fr", "leaflet-large")
    sizes = text_sizes_pt(source, str(content.root))
    assert sizes
    small = [(round(size, 1), text) for size, text in sizes if size < LARGE_PRINT_MIN_PT - 0.01]
    assert not small, small[:5]
    assert "columns: 2" not in source


@pytest.mark.parametrize("lang", LANGS)
def test_large_print_leaflet_has_the_leaflets_content(pdfs: Path, content, lang: str):
    """The leaflet's own HTML, only restyled: every word of the leaflet, plus the version line."""
    leaflet = html_of(content, lang, "leaflet")
    large = html_of(content, lang, "leaflet-large")

    def body(page: str) -> str:
        return html_text(re.sub(r"<head>.*?</head>|<p class=\"pi-version\">.*?</p>", "", page, flags=re.S))

    assert body(large) == body(leaflet)
    text = pdf_text(pdfs / document_name("leaflet-large", lang), above=780)
    renderer = LanguageRenderer(content, lang, day=DAY)
    shown = body(leaflet)
    missing = [
        f.id
        for f in content.facts_file.facts
        if f.category in ("risk", "contraindication")
        and plain(renderer.views.fact_plain(f.id)) in shown
        and loose(renderer.views.fact_plain(f.id)) not in loose(text)
    ]
    assert not missing


def test_documents_are_reproducible(pdfs: Path, content):
    again = make_pdf(job(content, "it", BY_KIND["consent"], DAY))  # printed again, no cache
    assert again == (pdfs / document_name("consent", "it")).read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_the_printed_leaflet_carries_the_forms_version_id_and_the_logo(content, lang: str, tmp_path: Path):
    leaflet = html_of(content, lang, "leaflet")
    assert version_id(content, lang) in leaflet
    assert 'class="logo"' not in leaflet  # the shipped clinic has no logo
    project = copy_project(tmp_path / "project")
    (project / "docs/assets/logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>")
    clinic = project / "content/clinic.yaml"
    clinic.write_text(re.sub(r"(?m)^logo:.*$", 'logo: "docs/assets/logo.svg"', clinic.read_text(encoding="utf-8")))
    branded = html_of(load_treatment(project), lang, "leaflet")
    assert f'<img class="logo" src="{(project / "docs/assets/logo.svg").as_uri()}"' in branded
