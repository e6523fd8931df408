"""Several treatments on one site: each has its own facts, sources, pages and PDFs in every
language; the home page lists them; the engine names no treatment. The second treatment is the
made-up ``example-therapy`` of conftest.py (never published)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import (
    DAY,
    LANGS,
    SAMPLE_ID,
    SAMPLE_NAMES,
    add_sample_treatment,
    build_pages,
    copy_project,
    edit_yaml,
    pdf_of,
    run_build,
    run_cli,
    shared_folder,
    tree_digest,
)
from patientinfo.content.load import load_project, load_treatment
from patientinfo.errors import ContentError
from patientinfo.render.pages import LanguageRenderer, render_treatment

PREFIX = {"fr": "", "it": "it/", "en": "en/"}
KINDS = ("leaflet", "questionnaire", "consent", "record-card", "leaflet-large")


def _build_two(folder: Path) -> None:
    root = add_sample_treatment(copy_project(folder / "project"), keep_mesotherapy=True)
    result = run_build(root)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.fixture(scope="session")
def built_two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Mesotherapy and the made-up treatment, built once for the session with their PDFs."""
    return shared_folder(tmp_path_factory, "two", _build_two) / "project"


def page(root: Path, lang: str, path: str) -> str:
    return (root / "site" / PREFIX[lang] / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_each_treatment_has_its_own_pages_and_documents(built_two: Path, lang: str) -> None:
    site = built_two / "site" / PREFIX[lang]
    for treatment in ("mesotherapy", SAMPLE_ID):
        for name in ("index", "risks", "contraindications", "contact", "about"):
            assert (site / treatment / ("" if name == "index" else name) / "index.html").is_file(), (treatment, name)
        for kind in KINDS:
            pdf = site / treatment / f"{kind}-{lang}.pdf"
            assert pdf.read_bytes().startswith(b"%PDF"), pdf
    # The made-up treatment's risks page shows its own risk and none of mesotherapy's.
    sample_risks = page(built_two, lang, f"{SAMPLE_ID}/risks")
    assert {"fr": "Un bleu", "it": "Un livido", "en": "A bruise"}[lang] in sample_risks
    assert "risk-redness" not in sample_risks and "ecchymos" not in sample_risks.lower()
    meso_risks = page(built_two, lang, "mesotherapy/risks")
    assert {"fr": "Un bleu", "it": "Un livido", "en": "A bruise"}[lang] not in meso_risks


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_home_lists_every_treatment_in_its_language(built_two: Path, lang: str) -> None:
    home = page(built_two, lang, "")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', home)
    listed = {href: label for href, label in links}
    assert listed.get(f"{SAMPLE_ID}/") == SAMPLE_NAMES[lang].replace("’", "&rsquo;") or (
        SAMPLE_NAMES[lang] in home and f'href="{SAMPLE_ID}/"' in home
    )
    assert 'href="mesotherapy/"' in home
    meso_name = yaml.safe_load((built_two / f"content/{lang}/mesotherapy/pages.yaml").read_text())["index.name"]
    meso_name = meso_name["text"] if isinstance(meso_name, dict) else meso_name
    assert meso_name in home
    # The menu has one section per treatment, named in the page's language.
    nav = home.split('class="md-nav md-nav--primary"', 1)[1]
    assert SAMPLE_NAMES[lang].replace("’", "&rsquo;") in nav or SAMPLE_NAMES[lang] in nav
    assert meso_name in nav


@pytest.mark.slow
def test_links_and_leaflet_button_point_into_the_treatment(built_two: Path) -> None:
    risks = page(built_two, "it", f"{SAMPLE_ID}/risks")
    assert 'href="../leaflet-it.pdf"' in risks  # the button of the page's own treatment
    about = page(built_two, "en", f"{SAMPLE_ID}/about")
    assert 'href="../../editors/"' in about  # the editors' guide sits at the language's root
    # Each treatment's leaflet prints its own address (the treatment's folder), as its QR code holds.
    leaflet = built_two / "site" / "it" / SAMPLE_ID / "leaflet-it.pdf"
    text = subprocess.run(["pdftotext", str(leaflet), "-"], capture_output=True, text=True, check=True).stdout
    assert f"https://clinique-exemple.example.org/it/{SAMPLE_ID}/" in text


def test_unlisted_treatment_folder_is_an_error(project: Path) -> None:
    (project / "content" / "treatments" / "forgotten").mkdir()
    with pytest.raises(ContentError, match=r"content/settings.yaml:\d+: treatments: content/treatments/forgotten/"):
        load_project(project)


def test_treatment_id_may_not_be_a_language(project: Path) -> None:
    edit_yaml(project / "content" / "settings.yaml", lambda data: data.update(treatments=["mesotherapy", "it"]))
    with pytest.raises(ContentError, match="treatment id 'it' is also the name of a language"):
        load_project(project)


def test_missing_texts_of_a_new_treatment_name_its_files(project: Path) -> None:
    add_sample_treatment(project, keep_mesotherapy=True)
    (project / "content" / "it" / SAMPLE_ID / "facts.yaml").write_text("what: Una cura.\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_project(project)
    messages = str(caught.value)
    assert f"'bruise' has no text in language 'it': add it to content/it/{SAMPLE_ID}/facts.yaml" in messages
    assert f"content/treatments/{SAMPLE_ID}/facts.yaml:" in messages
    # A dispute's missing text points at the dispute's own line, not at the top of the file.
    facts_lines = (project / "content/treatments" / SAMPLE_ID / "facts.yaml").read_text(encoding="utf-8").splitlines()
    dispute_line = next(n for n, line in enumerate(facts_lines, start=1) if line.strip() == "- id: how-many")
    assert f"facts.yaml:{dispute_line}: 'how-many' has no text in language 'it'" in messages
    assert "content/it/mesotherapy/" not in messages  # the other treatment is complete


def test_one_treatment_keeps_short_urls(built_project: Path) -> None:
    site = built_project / "site"
    assert (site / "risks" / "index.html").is_file()
    assert (site / "it" / "leaflet-it.pdf").is_file()
    assert not (site / "mesotherapy").exists()


# --------------------------------------------------------------------------- add-treatment
def test_add_treatment_from_existing_is_a_draft_until_its_texts_are_written(project: Path) -> None:
    result = run_cli(project, "add-treatment", "hyaluronic-acid", "--from", "mesotherapy")
    assert result.returncode == 0, result.stderr
    assert "created content/it/hyaluronic-acid/pages.yaml" in result.stdout
    settings = yaml.safe_load((project / "content/settings.yaml").read_text(encoding="utf-8"))
    assert settings["treatments"] == ["mesotherapy"] and settings["drafts"]["treatments"] == ["hyaluronic-acid"]
    # The copied facts are a starting point: no text comes with them, so nothing is published.
    build = build_pages(project)
    assert build.returncode == 0, build.stderr + build.stdout
    assert not (project / "site/hyaluronic-acid").exists() and (project / "site/risks/index.html").is_file()
    refused = run_cli(project, "publish", "hyaluronic-acid")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "content/it/hyaluronic-acid/facts.yaml: 0 of" in refused.stderr


def test_add_treatment_without_model_says_what_the_files_need(project: Path) -> None:
    result = run_cli(project, "add-treatment", "hyaluronic-acid")
    assert result.returncode == 0, result.stderr
    check = run_cli(project, "check", "--no-readability")
    assert check.returncode == 0  # a draft's errors do not stop the published site
    assert "Drafts (not published) have" in check.stdout
    assert "content/treatments/hyaluronic-acid/facts.yaml:" in check.stdout
    assert "facts: must not be empty" in check.stdout


@pytest.mark.parametrize(
    ("treatment", "message"),
    [
        ("mesotherapy", "already a treatment of this site"),
        ("it", "the name of a language"),
        ("Botox_2", "cannot be a treatment id"),
    ],
)
def test_add_treatment_refuses_without_changing_anything(project: Path, treatment: str, message: str) -> None:
    before = tree_digest(project / "content")
    result = run_cli(project, "add-treatment", treatment)
    assert result.returncode == 2
    assert message in result.stderr
    assert tree_digest(project / "content") == before


def test_add_treatment_from_unknown_treatment_is_refused(project: Path) -> None:
    result = run_cli(project, "add-treatment", "new-one", "--from", "nothing-here")
    assert result.returncode == 2
    assert "--from nothing-here: not a treatment of this site (treatments: mesotherapy)" in result.stderr


# --------------------------------------------------------------------------- the clinic's country
REPORTING = {"FR": "signalement-sante.gouv.fr", "IT": "AIFA", "GB": "Yellow Card"}


def reporting_shown(project: Path, lang: str) -> set[str]:
    pages = render_treatment(load_treatment(project), DAY)[lang]
    text = pages["risks.md"] + pages["faq.md"] + pages["contact.md"]
    return {country for country, words in REPORTING.items() if words in text}


@pytest.mark.parametrize(("country", "lang"), [("FR", "fr"), ("IT", "it"), ("GB", "en"), ("IT", "en")])
def test_the_clinics_country_puts_its_reporting_system_first(project: Path, country: str, lang: str) -> None:
    """Every country's system is shown (a reader may live elsewhere), the clinic's country first."""
    edit_yaml(project / "content/clinic.yaml", lambda data: data.update(country=country))
    assert reporting_shown(project, lang) == set(REPORTING)
    content = load_treatment(project)
    risks = render_treatment(content, DAY)[lang]["risks.md"]
    reporting = risks.split(f"## {LanguageRenderer(content, lang, day=DAY).t('risks.report')}", 1)[1]
    first = min(REPORTING, key=lambda c: reporting.index(REPORTING[c]))
    assert first == country


def test_a_clinic_without_country_shows_every_reporting_system(project: Path) -> None:
    edit_yaml(project / "content/clinic.yaml", lambda data: (data.pop("country"), data.update(emergency_number="112")))
    assert reporting_shown(project, "en") == set(REPORTING)


def test_a_clinic_without_country_must_give_its_emergency_number(project: Path) -> None:
    edit_yaml(project / "content/clinic.yaml", lambda data: data.pop("country"))
    with pytest.raises(ContentError, match=r"content/clinic.yaml:1: emergency_number: give the emergency number"):
        load_project(project)


def test_a_country_without_its_facts_is_an_error(project: Path) -> None:
    edit_yaml(project / "content/clinic.yaml", lambda data: data.update(country="DE"))
    expected = r"content/clinic.yaml:\d+: country 'DE': there is no content/countries/DE.yaml \(countries with a file: FR, GB, IT\)"
    with pytest.raises(ContentError, match=expected):
        load_project(project)


# --------------------------------------------------------------------------- new-site
@pytest.mark.slow
def test_new_site_builds_at_once_from_a_neutral_example(tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "patientinfo", "new-site", "clinic"], cwd=tmp_path, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    assert "Created a new patient-information site in clinic" in made.stdout
    root = tmp_path / "clinic"
    assert not [path for path in root.rglob("*") if path.is_symlink()]  # real files, not links into the package
    facts = yaml.safe_load((root / "content/treatments/example-treatment/facts.yaml").read_text(encoding="utf-8"))
    assert facts["example"] is True
    assert str(facts["review"]["last_reviewed"]) == DAY.isoformat()  # its review starts the day it is made
    build = build_pages(root, strict=True)  # the editors' check passes too
    assert build.returncode == 0, build.stderr + build.stdout
    example = load_treatment(root)
    pages = {  # the patients' pages (the editors' guide takes its examples from the mesotherapy site)
        path: path.read_text(encoding="utf-8")
        for path in (root / "site").rglob("*.html")
        if "editors" not in path.parts
    }
    assert not [path for path, text in pages.items() if re.search("m[eé]soth[eé]rap|mesoterap", text, re.I)]
    notices = {"fr": "Ce traitement est un exemple", "it": "Questo trattamento è un esempio", "en": "is an example"}
    for lang in LANGS:
        assert notices[lang] in page(root, lang, "risks")
        leaflet = pdf_of(example, lang, "leaflet")  # printed as the build prints it
        text = subprocess.run(["pdftotext", "-", "-"], input=leaflet, capture_output=True, check=True).stdout.decode()
        assert notices[lang] in " ".join(text.split())
    again = subprocess.run(
        [sys.executable, "-m", "patientinfo", "new-site", "clinic"], cwd=tmp_path, capture_output=True, text=True
    )
    assert again.returncode == 2 and "not an empty folder" in again.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll_url(url: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_a_new_site_stands_alone_with_the_commands_its_guide_names(tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "patientinfo", "new-site", "clinic"], cwd=tmp_path, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    root = tmp_path / "clinic"
    git = ["git", "-C", str(root)]
    assert (
        subprocess.run([*git, "log", "--oneline"], capture_output=True, text=True, check=True).stdout.count("\n") == 1
    )
    assert "scripts/serve" in made.stdout and "python -m patientinfo" not in made.stdout
    guides = "".join(path.read_text(encoding="utf-8") for path in (root / "docs").glob("*/editors.md"))
    assert "content/treatments/example-treatment/facts.yaml" in guides and "/mesotherapy/" not in guides
    for command in re.findall(r"`(scripts/[a-z]+)", guides):
        assert (root / command).is_file(), f"the guide names {command}, which the new site lacks"
    check = subprocess.run([str(root / "scripts/check"), "--no-readability"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr + check.stdout
    # scripts/serve previews it, on this computer only, at the address with its token.
    port = free_port()
    env = {**os.environ, "PATIENTINFO_PREVIEW_TOKEN": "new-site-token", "NO_MKDOCS_2_WARNING": "1"}
    serve = subprocess.Popen(
        [str(root / "scripts/serve"), "--dev-addr", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = poll_url(f"http://127.0.0.1:{port}/risks/?token=new-site-token")
        assert "Ce traitement est un exemple" in page
    finally:
        serve.terminate()
        serve.wait(timeout=20)
    # A changed French text: the Italian entry of the PO file is fuzzy and shows the French it was made from.
    texts = root / "content/fr/example-treatment/facts.yaml"
    before = texts.read_text(encoding="utf-8")
    first_id = next(line.split(":")[0] for line in before.splitlines() if line and line[0].isalpha())
    edit_yaml(texts, lambda data: data.update({first_id: "Un texte changé."}))
    exported = subprocess.run(
        [str(root / "scripts/patientinfo"), "translations", "export", "it"], capture_output=True, text=True
    )
    assert exported.returncode == 0, exported.stderr
    po = (root / "translations/it.po").read_text(encoding="utf-8")
    entry = po[po.index(f'msgctxt "facts/{first_id}"') - 400 : po.index(f'msgctxt "facts/{first_id}"') + 200]
    assert "#, fuzzy" in entry and "#| msgid" in entry, entry


def test_the_engine_names_no_treatment() -> None:
    engine = Path(__file__).resolve().parents[1] / "src" / "patientinfo"
    named = [
        path.relative_to(engine).as_posix()
        for path in engine.rglob("*")
        if path.suffix in {".py", ".j2", ".css"}
        and "starter" not in path.parts
        and re.search("mesotherap|mésothérap", path.read_text(encoding="utf-8"), re.I)
    ]
    assert named == []


def test_the_languages_come_from_the_settings_not_mkdocs_yml(project: Path) -> None:
    """Italian first, English left out: only content/settings.yaml changes, and the site follows
    (Italian at the root, its language switcher, no English pages)."""

    def italian_first(data: dict) -> None:
        data["languages"] = ["it", "fr"]
        data["locales"].pop("en")
        data["check"]["readability"].pop("en")

    edit_yaml(project / "content/settings.yaml", italian_first)
    mkdocs_yml = (project / "mkdocs.yml").read_text(encoding="utf-8")
    result = build_pages(project)
    assert result.returncode == 0, result.stderr + result.stdout
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == mkdocs_yml
    site = project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="it"' in home and "La mesoterapia" in home
    assert '<html lang="fr"' in (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert not (site / "en").exists() and not (site / "it").exists()
    assert 'hreflang="fr"' in home and 'hreflang="en"' not in home
