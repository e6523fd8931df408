"""A warm build reuses the last build's pages and PDFs only when every input is the same."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DAY, build_pages, context, edit_yaml, run_build, tree_digest
from patientinfo.content.layout import Layout
from patientinfo.pipeline import reuse as build_cache


def digest(root: Path, day: dt.date = DAY, logo: str | None = None, pdfs: str = "print") -> str:
    return build_cache.inputs_digest(Layout(root), context(day=day, pdfs=pdfs), logo)


def test_the_stamp_follows_every_input(project: Path) -> None:
    first = digest(project)
    assert digest(project) == first  # the same inputs, the same stamp
    assert digest(project, day=DAY + dt.timedelta(days=1)) != first  # a review may fall due
    assert digest(project, pdfs="none") != first  # a build without PDFs records other files
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
def test_warm_build_is_identical_and_an_edit_renders_again(project: Path, built_project: Path) -> None:
    # MkDocs as the entry point (a real ``mkdocs build``: the plugin makes its own context), after
    # a build by the command line: the same inputs, so the second reuses the first's files. The
    # session's build (built_project) has filled the PDF cache, so the first build prints nothing.
    staging = project / ".cache/patientinfo/docs"
    assert run_build(project).returncode == 0
    first = tree_digest(project / "site")
    record = build_cache.load(staging, digest(project))
    assert record is not None
    again = mkdocs_build(project)
    assert again.returncode == 0, again.stderr
    assert "inputs unchanged since the last build, its pages and PDFs reused" in again.stderr
    assert tree_digest(project / "site") == first
    assert build_pages(project).returncode == 0  # a record of the pages (a build without PDFs)
    texts = project / "content/en/mesotherapy/facts.yaml"
    edit_yaml(texts, lambda data: data["risk-redness"].update(text=data["risk-redness"]["text"] + " Edited."))
    assert build_cache.load(staging, digest(project, pdfs="none")) is None  # any edit: another stamp
    assert build_pages(project).returncode == 0
    assert "Edited." in (project / "site/en/risks/index.html").read_text(encoding="utf-8")


def test_a_reused_build_still_applies_the_strict_check(project: Path) -> None:
    # A French text changed: its Italian and English translations are stale, a finding of the
    # editors' check (a warning locally).
    edit_yaml(project / "content/fr/mesotherapy/facts.yaml", lambda data: data.update({"risk-redness": "Rougeurs."}))
    local = build_pages(project)
    assert local.returncode == 0
    assert "risk-redness" in local.stderr + local.stdout
    assert build_cache.load(project / ".cache/patientinfo/docs", digest(project, pdfs="none")) is not None
    strict = build_pages(project, strict=True)  # the same inputs: the findings come from the record
    assert strict.returncode != 0
    assert "strict mode (CI, --strict) stops here" in strict.stderr + strict.stdout
    assert "risk-redness" in strict.stderr + strict.stdout
