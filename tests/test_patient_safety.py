"""What a patient must be able to act on: warning signs, whom to call, every disagreement in print."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import DAY, LANGS, html_of, pdf_of
from patientinfo.render.pages import LanguageRenderer


@pytest.fixture(scope="module")
def leaflets(content, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("leaflets")
    paths = {}
    for lang in LANGS:
        paths[lang] = folder / f"leaflet-{lang}.pdf"
        paths[lang].write_bytes(pdf_of(content, lang, "leaflet"))
    return paths


def pdf_text(path: Path, *pages: int, raw: bool = False) -> str:
    """The text; ``raw`` keeps drawing order, so the two columns of the emergency box are not interleaved."""
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    out = subprocess.run(
        ["pdftotext", *(["-raw"] if raw else []), "-enc", "UTF-8", *first_last, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    text = out.stdout.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")
    return re.sub(r"\s+", " ", re.sub(r"-\n(?=[a-zà-ÿ])", "-", text))


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def tel(number: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", number)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["risks.md", "contact.md", "session.md"])
def test_phone_numbers_are_tap_to_call(site, content, lang, page):
    markdown = site[lang][page]
    assert f'href="{tel(content.clinic.phone)}"' in markdown
    assert f'href="{tel(content.clinic.emergency_number)}"' in markdown


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_box_comes_first_on_the_risks_page(site, lang):
    body = site[lang]["risks.md"].split("\n# ", 1)[1]
    assert body.index("!!! danger") < body.index("\n## ")
    box = body[body.index("!!! danger") :].split("\n\n!!!", 1)[0]
    assert "about.md#src-clinic-protocol" in box, "general first-aid advice is labelled as the clinic's own"


def test_warning_signs_and_after_care_never_borrow_a_clinic_page_or_study(content):
    for fact in content.facts_file.facts:
        if fact.category in ("warning_sign", "aftercare") or fact.id.startswith("help-"):
            assert not any(s.startswith("seed-") for s in fact.sources), fact.id


def test_severity_is_the_sources_own(content):
    facts = content.facts
    assert facts["ci-gallstones"].severity == "some_products"
    assert facts["ci-genetic-hair-loss"].category == "limitation"


@pytest.mark.parametrize("lang", LANGS)
def test_no_file_name_is_shown_to_patients(site, content, lang):
    names = [s.file for s in content.sources.values() if s.file]
    for page, markdown in site[lang].items():
        assert not [n for n in names if n in markdown], page
    html = html_of(content, lang, "leaflet")
    assert not [n for n in names if n in html]


@pytest.mark.parametrize("lang", LANGS)
def test_leaflet_small_print_is_at_least_10_pt(content, lang):
    html = html_of(content, lang, "leaflet")
    sizes = [float(s) for s in re.findall(r"font(?:-size)?:\s*(\d+(?:\.\d+)?)pt", html)]
    assert sizes and min(sizes) >= 10


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_leaflet_page_one_has_the_emergency_box(leaflets, content, lang):
    renderer = LanguageRenderer(content, lang, day=DAY)
    first = pdf_text(leaflets[lang], 1, raw=True)
    assert renderer.plain("pages", "risks.emergency_title") in first
    for urgency in ("emergency", "same_day"):
        heading = renderer.plain(
            "ui", f"warning.{urgency}", phone=content.clinic.phone, emergency=content.clinic.emergency_number
        )
        assert norm(heading) in first, urgency
    assert content.clinic.phone in first
    for fact in content.facts_file.facts:
        if fact.category == "warning_sign":
            assert norm(renderer.views.fact_plain(fact.id)) in first, fact.id


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_leaflet_shows_every_disagreement_and_no_website_wording(leaflets, content, lang):
    renderer = LanguageRenderer(content, lang, day=DAY)
    text = pdf_text(leaflets[lang])
    for dispute in content.facts_file.disputes:
        assert norm(renderer.plain("facts", dispute.id)) in text, dispute.id
        for fact_id in dispute.facts:
            assert norm(renderer.views.fact_plain(fact_id)) in text, fact_id
    assert not re.search(r"\b(This website|Ce site|Questo sito)\b", text)
