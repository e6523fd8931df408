"""The printable leaflets: content, layout rules, accessibility, reproducibility, clinic branding."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import DAY, LANGS, copy_project, pdf_objects, pdf_of
from patientinfo.content.load import load_treatment
from patientinfo.render.pages import PAGES, LanguageRenderer

pytestmark = pytest.mark.slow
LOCATION = {"fr": "leaflet-fr.pdf", "it": "it/leaflet-it.pdf", "en": "en/leaflet-en.pdf"}


def pdf_text(path: Path, *, body_only: bool = False) -> str:
    """The text of the PDF; ``body_only`` leaves out the page footers (the bottom 15 mm)."""
    crop = ["-r", "72", "-x", "0", "-y", "0", "-W", "596", "-H", "800"] if body_only else []
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *crop, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")
    return re.sub(r"\s+", " ", text)


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.mark.parametrize("lang", LANGS)
def test_leaflet_is_a4_within_its_page_limit_tagged_and_titled(built_project: Path, lang: str):
    info = pdf_info(built_project / "site" / LOCATION[lang])
    assert info["Page size"].startswith("595.276 x 841.89")
    assert 1 <= int(info["Pages"]) <= load_treatment(built_project).settings.leaflet_max_pages
    assert info["Tagged"] == "yes"
    text = pdf_text(built_project / "site" / LOCATION[lang])
    renderer = LanguageRenderer(load_treatment(built_project), lang, day=DAY)
    pages = int(info["Pages"])
    for number in range(1, pages + 1):
        assert plain(renderer.plain("ui", "leaflet.page_of", page=number, pages=pages)) in text
    assert info["Title"].startswith(renderer.plain("pages", "index.title"))


@pytest.mark.parametrize("lang", LANGS)
def test_leaflet_has_every_indication_risk_and_contraindication(built_project: Path, lang: str):
    text = pdf_text(built_project / "site" / LOCATION[lang], body_only=True)
    content = load_treatment(built_project)
    renderer = LanguageRenderer(content, lang, day=DAY)

    def shown(fact_id: str) -> bool:
        words = plain(renderer.views.fact_plain(fact_id))
        # Uses are listed inside a sentence: their first letter may be in lower case.
        return words in text or (words[:1].lower() + words[1:]) in text

    missing = [
        fact.id
        for fact in content.facts_file.facts
        if fact.category in ("indication", "risk", "contraindication") and not shown(fact.id)
    ]
    assert not missing
    assert content.clinic.phone in text


@pytest.mark.parametrize("lang", LANGS)
def test_fonts_are_embedded_and_subset(built_project: Path, lang: str):
    out = subprocess.run(
        ["pdffonts", str(built_project / "site" / LOCATION[lang])], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        assert row[0].split("+")[0].isupper() and "+" in row[0], row  # subset prefix ABCDEF+Name
        assert "yes" in row[-5:-2], row  # emb


def test_pdf_declares_its_language_and_structure(built_project: Path):
    for lang in LANGS:
        objects = pdf_objects((built_project / "site" / LOCATION[lang]).read_bytes())
        assert f"/Lang ({lang})".encode() in objects
        assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects
        assert b"/DisplayDocTitle true" in objects


def test_every_page_links_to_its_languages_leaflet(built_project: Path):
    site = built_project / "site"
    checked = 0
    for lang, prefix in (("fr", ""), ("it", "it/"), ("en", "en/")):
        for page in [*PAGES, "editors"]:
            path = site / prefix / ("index.html" if page == "index" else f"{page}/index.html")
            html = path.read_text(encoding="utf-8")
            assert re.search(rf'<a class="md-button" href="[./]*(?:{prefix})?leaflet-{lang}\.pdf" download>', html), (
                path
            )
            checked += 1
    assert checked == 3 * (len(PAGES) + 1)


def test_two_builds_give_identical_pdfs(built_project: Path):
    """Printed twice from scratch (no cache), a document is the same bytes; the site's copy too."""
    from patientinfo.printing.engine import make_pdf
    from patientinfo.printing.registry import BY_KIND, job

    treatment = load_treatment(built_project)
    card = job(treatment, "it", BY_KIND["record-card"], DAY)
    first, second = make_pdf(card), make_pdf(card)
    assert first.startswith(b"%PDF") and first == second
    assert pdf_of(treatment, "fr", "leaflet") == (built_project / "site" / LOCATION["fr"]).read_bytes()


def test_another_clinic_changes_only_the_clinic_file(tmp_path: Path):
    root = copy_project(tmp_path / "other")
    path = root / "content" / "clinic.yaml"
    clinic = yaml.safe_load(path.read_text(encoding="utf-8"))
    clinic.update(
        name="Studio Medico Prova",
        phone="+39 02 0000 0000",
        brand_colour="#7a1f1f",
        email="info@studio-prova.example.org",
        website="https://studio-prova.example.org/",
    )
    path.write_text(yaml.safe_dump(clinic, allow_unicode=True), encoding="utf-8")
    content = load_treatment(root)
    pdf = root / "leaflet.pdf"
    pdf.write_bytes(pdf_of(content, "it", "leaflet"))
    text = pdf_text(pdf)
    assert "Studio Medico Prova" in text and "+39 02 0000 0000" in text
    assert "Clinique Exemple" not in text
    assert "https://studio-prova.example.org/it/" in text


def test_pdfs_made_in_parallel_are_the_same_and_report_every_problem(tmp_path: Path):
    """Missing PDFs are made on several processes: the same bytes as one by one, and a layout
    problem of each comes back with its own words (never a traceback of a worker)."""
    import datetime as dt

    from patientinfo.errors import ContentError
    from patientinfo.printing.engine import PdfJob, make_pdfs

    def job(stem: str, max_pages: int | None) -> PdfJob:
        html = f"<html lang='en'><title>{stem}</title><p>{stem}</p></html>"
        return PdfJob(stem, stem * 4, html, str(tmp_path), max_pages, f"the {stem} leaflet", dt.date(2026, 1, 1))

    jobs = [job("aa", None), job("bb", None), job("cc", None)]
    parallel = make_pdfs(jobs, tmp_path / "cache", workers=2)
    assert parallel == make_pdfs(jobs, None, workers=1)
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == [
        "aa-aaaaaaaa.pdf",
        "bb-bbbbbbbb.pdf",
        "cc-cccccccc.pdf",
    ]
    with pytest.raises(ContentError) as caught:
        make_pdfs([job("dd", 0), job("ee", 0)], None, workers=2)
    assert "the dd leaflet needs 1 pages; at most 0 are allowed" in str(caught.value)
    assert "the ee leaflet needs 1 pages" in str(caught.value)
    # mkdocs serve makes them in the background, on workers of the lowest priority: same bytes
    assert make_pdfs(jobs, None, workers=1, background=True) == parallel


@pytest.mark.skipif(not hasattr(os, "nice"), reason="process priorities are POSIX")
def test_background_pdf_workers_yield_the_processor():
    """While serving, the previous edit's PDFs must not slow the next edit's pages."""
    from concurrent.futures import ProcessPoolExecutor

    from patientinfo.printing.engine import _start_worker, worker_context

    with ProcessPoolExecutor(
        1, mp_context=worker_context(), initializer=_start_worker, initargs=(os.getpid(), True)
    ) as pool:
        assert pool.submit(os.nice, 0).result() == 19


@pytest.mark.slow
def test_pdf_workers_leave_when_the_process_that_started_them_is_gone(tmp_path: Path):
    """A preview stopped while printing must not leave its workers behind (they held 70 MB each)."""
    import subprocess
    import sys
    import time

    record = tmp_path / "worker.pid"
    program = (
        "import os\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from patientinfo.printing.engine import _start_worker, worker_context\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolExecutor(1, mp_context=worker_context(),\n"
        "                               initializer=_start_worker, initargs=(os.getpid(), False))\n"
        f"    open({str(record)!r}, 'w').write(str(pool.submit(os.getpid).result()))\n"
        "    os._exit(0)  # gone without closing its pool, as a killed preview\n"
    )
    script = tmp_path / "parent.py"
    script.write_text(program, encoding="utf-8")
    subprocess.run([sys.executable, str(script)], check=True, timeout=60)
    worker = int(record.read_text())
    for _ in range(100):
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(worker, 9)
    raise AssertionError("the worker outlived the process that started it")


def test_a_leaflet_too_long_points_at_the_text_that_grew_and_its_section(tmp_path: Path):
    from patientinfo.errors import ContentError
    from patientinfo.printing.engine import make_pdf
    from patientinfo.printing.registry import BY_KIND, job

    root = copy_project(tmp_path / "project")
    texts = root / "content/en/mesotherapy/facts.yaml"
    data = yaml.safe_load(texts.read_text(encoding="utf-8"))
    printed = load_treatment(root).facts_file.facts
    grown = next(f.id for f in printed if f.category == "risk" and f.leaflet is not False and not f.key)
    entry = data[grown] if isinstance(data[grown], dict) else {"text": data[grown]}
    entry["text"] = " ".join([entry["text"]] * 80)
    data[grown] = entry
    texts.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    treatment = load_treatment(root)
    with pytest.raises(ContentError) as caught:
        make_pdf(job(treatment, "en", BY_KIND["leaflet"], DAY))
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == (
        "content/en/mesotherapy/facts.yaml",
        treatment.text_line("en", "facts", grown),
    )
    assert (
        "the en leaflet needs" in problem.message and "leaflet_max_pages in content/settings.yaml:" in problem.message
    )
    assert f"'{grown}' (" in problem.message
    risks_title = treatment.texts["en"]["pages"].root["risks.title"].text
    assert f"The longest sections: '{risks_title}' on pages" in problem.message
