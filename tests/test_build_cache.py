"""A warm build reuses the last build's pages and PDFs only when every input is the same."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DAY, edit_yaml, run_build, tree_digest
from patientinfo.content.layout import Layout
from patientinfo.pipeline import reuse as build_cache


def digest(root: Path, day: dt.date = DAY, logo: str | None = None) -> str:
    return build_cache.inputs_digest(Layout(root), day, logo)


def test_the_stamp_follows_every_input(project: Path) -> None:
    first = digest(project)
    assert digest(project) == first  # the same inputs, the same stamp
    assert digest(project, day=DAY + dt.timedelta(days=1)) != first  # a review may fall due
    texts = project / "content/it/mesotherapy/facts.yaml"
    texts.write_text(texts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert digest(project) != first  # any byte of the content
    second = digest(project)
    (project / "docs/logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    assert digest(project, logo="docs/logo.svg") != second  # the clinic's logo


def test_a_record_whose_files_are_gone_is_not_used(tmp_path: Path) -> None:
    staging = tmp_path / "docs"
    (staging / "fr").mkdir(parents=True)
    (staging / "fr/risks.md").write_text("page", encoding="utf-8")
    build_cache.save(staging, "abc", ["fr/risks.md"], ["a finding"])
    assert build_cache.load(staging, "abc") == ({"fr/risks.md": b"page"}, ["a finding"])
    assert build_cache.load(staging, "other") is None  # another stamp
    (staging / "fr/risks.md").unlink()
    assert build_cache.load(staging, "abc") is None  # a staged file went missing


def mkdocs_build(root: Path) -> subprocess.CompletedProcess:
    """``mkdocs build`` as an editor runs it, with its INFO lines (which say what was reused)."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": ""}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


@pytest.mark.slow
def test_warm_build_is_identical_and_an_edit_renders_again(project: Path) -> None:
    first_build = mkdocs_build(project)
    assert first_build.returncode == 0, first_build.stderr
    assert "inputs unchanged" not in first_build.stderr
    first = tree_digest(project / "site")
    again = mkdocs_build(project)
    assert again.returncode == 0
    assert "inputs unchanged since the last build, its pages and PDFs reused" in again.stderr
    assert tree_digest(project / "site") == first
    texts = project / "content/en/mesotherapy/facts.yaml"
    edit_yaml(texts, lambda data: data["risk-redness"].update(text=data["risk-redness"]["text"] + " Edited."))
    edited = mkdocs_build(project)
    assert edited.returncode == 0
    assert "inputs unchanged" not in edited.stderr
    assert "Edited." in (project / "site/en/risks/index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_reused_build_still_applies_the_strict_check(project: Path) -> None:
    # A French text changed: its Italian and English translations are stale, a finding of the
    # editors' check (a warning locally).
    edit_yaml(project / "content/fr/mesotherapy/facts.yaml", lambda data: data.update({"risk-redness": "Rougeurs."}))
    local = run_build(project)
    assert local.returncode == 0
    assert "risk-redness" in local.stderr + local.stdout
    strict = run_build(project, "--strict")  # the same inputs: the findings come from the record
    assert strict.returncode != 0
    assert "strict mode (CI, --strict) stops here" in strict.stderr + strict.stdout
    assert "risk-redness" in strict.stderr + strict.stdout
