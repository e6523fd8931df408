"""Drafts: a language or a treatment being written is shown by the preview with a draft band,
left out of the published site (which keeps building, unchanged), and published only when
complete."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DAY, build_pages, copy_project, run_cli, tree_digest
from patientinfo.content.load import load_project, to_write_marker
from patientinfo.errors import ContentError
from patientinfo.render.pages import render_language
from patientinfo.scaffold.language import add_language
from patientinfo.scaffold.treatment import add_treatment


def settings_of(root: Path) -> dict:
    return yaml.safe_load((root / "content/settings.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_a_language_both_published_and_draft_is_refused_with_its_line(project: Path):
    path = project / "content/settings.yaml"
    text = path.read_text(encoding="utf-8").replace("  languages: []", "  languages: [it]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_project(project)
    message = str(caught.value)
    assert "content/settings.yaml:" in message and "'it' is listed both as published and under drafts" in message


def test_add_language_makes_a_draft_and_the_published_site_does_not_change(project: Path, built_pages: Path):
    add_language(project, "de")
    settings = settings_of(project)
    assert "de" not in settings["languages"] and settings["drafts"]["languages"] == ["de"]
    result = build_pages(project)
    assert result.returncode == 0, result.stderr + result.stdout
    assert tree_digest(project / "site") == tree_digest(built_pages / "site")


def test_add_treatment_makes_a_draft_and_the_published_site_does_not_change(project: Path, built_pages: Path):
    add_treatment(project, "peeling", today=DAY)
    assert settings_of(project)["drafts"]["treatments"] == ["peeling"]
    result = build_pages(project)
    assert result.returncode == 0, result.stderr + result.stdout
    assert tree_digest(project / "site") == tree_digest(built_pages / "site")


def test_the_preview_shows_a_draft_with_markers_never_another_language(project: Path):
    add_language(project, "de")
    texts = project / "content/de/mesotherapy/facts.yaml"
    shutil.copy(project / "content/en/mesotherapy/facts.yaml", texts)  # some texts written...
    data = yaml.safe_load(texts.read_text(encoding="utf-8"))
    dropped = sorted(data)[:3]
    texts.write_text(
        yaml.safe_dump({k: v for k, v in data.items() if k not in dropped}, allow_unicode=True), encoding="utf-8"
    )
    project_model = load_project(project, drafts=True)
    assert project_model.languages == ["fr", "it", "en", "de"]
    total, missing = project_model.to_write["content/de/mesotherapy/facts.yaml"]
    assert sorted(missing) == dropped and total == len(data)
    treatment = project_model.first
    assert treatment.is_draft("de") and not treatment.is_draft("fr")
    pages = render_language(treatment, "de", day=DAY)
    every_page = "\n".join(pages.values())
    assert any(to_write_marker("de", text_id) in every_page for text_id in dropped)
    french = load_project(project).first.texts["fr"]["facts"].root[dropped[0]].text
    assert french is None or french not in every_page
    for page in pages.values():
        assert "draft" in page.lower()


def test_the_check_shows_a_drafts_progress_in_a_few_lines(project: Path):
    add_language(project, "de")
    result = run_cli(project, "check", "--no-readability")
    output = result.stdout + result.stderr
    assert "content/de/mesotherapy/facts.yaml: 0 of" in output
    assert "has no text in language 'de'" not in output
    assert len([line for line in output.splitlines() if "content/de/" in line]) <= 10


def test_publishing_an_incomplete_draft_is_refused_with_a_short_list(project: Path):
    add_language(project, "de")
    before = (project / "content/settings.yaml").read_text(encoding="utf-8")
    result = run_cli(project, "publish", "de")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "content/de/mesotherapy/facts.yaml: 0 of" in output and "still to write" in output
    assert len(output.splitlines()) <= 20
    assert (project / "content/settings.yaml").read_text(encoding="utf-8") == before


def german(value: object) -> object:
    """Stands for a translation: every text of a copied file changed (placeholders kept)."""
    if isinstance(value, str):
        return "DE " + value
    if isinstance(value, dict):
        return {k: (v if k == "source_hash" else german(v)) for k, v in value.items()}
    return value


def test_a_copied_draft_is_refused_and_a_translated_one_is_published(project: Path):
    add_language(project, "de")
    for path in (project / "content/en").rglob("*.yaml"):  # a lazy copy of the English texts
        shutil.copy(path, project / "content/de" / path.relative_to(project / "content/en"))
    copied = run_cli(project, "publish", "de")
    assert copied.returncode != 0 and "copied, not translated" in copied.stderr
    for path in (project / "content/de").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(german(data), allow_unicode=True), encoding="utf-8")
    result = run_cli(project, "publish", "de")
    assert result.returncode == 0, result.stdout + result.stderr
    settings = settings_of(project)
    assert settings["languages"] == ["fr", "it", "en", "de"] and settings["drafts"]["languages"] == []
    assert "# Site-wide settings" in (project / "content/settings.yaml").read_text(encoding="utf-8")
    built = build_pages(project)
    assert built.returncode == 0, built.stderr + built.stdout
    assert "DE " in (project / "site/de/risks/index.html").read_text(encoding="utf-8")


def test_the_preview_build_has_the_draft_band_on_every_page_of_the_draft(project: Path):
    add_language(project, "de")
    result = build_pages(project, drafts=True)  # what mkdocs serve builds
    assert result.returncode == 0, result.stderr + result.stdout
    pages = list((project / "site/de").rglob("index.html"))
    assert len(pages) >= 9
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "DRAFT (language &#39;de&#39;)" in html or "DRAFT (language 'de')" in html, page
    assert "⟦de: " in (project / "site/de/risks/index.html").read_text(encoding="utf-8")
    french = (project / "site/risks/index.html").read_text(encoding="utf-8")
    assert "DRAFT" not in french


def test_a_draft_treatment_with_invalid_facts_is_left_out_of_the_preview_with_its_errors(project: Path):
    from conftest import context
    from patientinfo.content.layout import Layout
    from patientinfo.pipeline.stage import stage

    add_treatment(project, "peeling", "mesotherapy", today=DAY)
    facts = project / "content/treatments/peeling/facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("category: risk\n", "category: risks\n", 1))
    preview = context(drafts=True, pdfs="none")
    staged = stage(Layout(project), preview, project / "docs")
    assert list(staged.project.treatments) == ["mesotherapy"]  # the preview goes on without the draft
    assert staged.draft_problems and {p.path for p in staged.draft_problems} == {
        "content/treatments/peeling/facts.yaml"
    }
    assert "category" in str(staged.draft_problems[0])
    # An error in the published content still stops the preview (it shows it on every page).
    clinic = project / "content/clinic.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("minimum_age: 18", "minimum_age: old"))
    with pytest.raises(ContentError):
        stage(Layout(project), preview, project / "docs")
