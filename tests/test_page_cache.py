"""A build after an edit renders again only the pages whose input changed, and its site is the
same, byte for byte, as a clean build of the same content (mkdocs/page_cache.py)."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from conftest import build_pages, copy_project, tree_digest

RENDERED = re.compile(r"patientinfo: (\w+): (\d+) pages rendered, (\d+) as last built")


def rendered(caplog: pytest.LogCaptureFixture) -> dict[str, tuple[int, int]]:
    """Pages rendered and reused, by language, as the last build logged them."""
    found = {}
    for record in caplog.records:
        match = RENDERED.search(record.getMessage())
        if match:
            found[match[1]] = (int(match[2]), int(match[3]))
    caplog.clear()
    return found


def edit_first_english_fact(root: Path, word: str) -> None:
    path = root / "content/en/mesotherapy/facts.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith('  text: "') and line.endswith('"'))
    lines[index] = lines[index][:-1] + f' {word}"'
    path.write_text("\n".join(lines), encoding="utf-8")


def clean_build(project: Path, target: Path) -> Path:
    """The same content built in a fresh copy: no cache, no staging, no earlier site."""
    fresh = target / "project"
    fresh.mkdir(parents=True)
    for name in ("content", "docs", "overrides"):
        shutil.copytree(project / name, fresh / name)
    shutil.copy(project / "mkdocs.yml", fresh / "mkdocs.yml")
    assert build_pages(fresh).returncode == 0
    return fresh / "site"


def test_a_fact_edit_renders_its_pages_alone_and_the_site_equals_a_clean_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    project = copy_project(tmp_path / "edited")
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.patientinfo")
    assert build_pages(project).returncode == 0
    first = rendered(caplog)
    assert set(first) == {"fr", "it", "en"} and all(reused == 0 for _, reused in first.values())

    edit_first_english_fact(project, "Pagecachecheck")
    assert build_pages(project).returncode == 0
    after_edit = rendered(caplog)
    assert after_edit["fr"] == (0, first["fr"][0]) and after_edit["it"] == (0, first["it"][0])
    changed, reused = after_edit["en"]
    assert 1 <= changed < first["en"][0] and changed + reused == first["en"][0]
    assert any("Pagecachecheck" in page.read_text(encoding="utf-8") for page in (project / "site").rglob("*.html"))
    assert tree_digest(project / "site") == tree_digest(clean_build(project, tmp_path / "clean"))


def test_what_every_page_shows_renders_every_page_again(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    """The menu, the site's settings and the theme are on every page: a change there is a change
    of every page's input, never a stale menu."""
    project = copy_project(tmp_path / "edited")
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.patientinfo")
    assert build_pages(project).returncode == 0
    first = rendered(caplog)
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nextra:\n  analytics_note: changed\n")
    assert build_pages(project).returncode == 0
    assert rendered(caplog) == {lang: (count, 0) for lang, (count, _) in first.items()}
    (project / "overrides/main.html").write_text(
        (project / "overrides/main.html").read_text(encoding="utf-8") + "\n{# a comment #}\n", encoding="utf-8"
    )
    assert build_pages(project).returncode == 0
    assert rendered(caplog) == {lang: (count, 0) for lang, (count, _) in first.items()}


def test_a_damaged_record_renders_the_pages_again(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    """The record is the build's own, in .cache/: whatever happened to it, the build renders."""
    import json

    project = copy_project(tmp_path / "edited")
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.patientinfo")
    assert build_pages(project).returncode == 0
    first = rendered(caplog)
    records = sorted((project / ".cache/patientinfo").glob("docs.pages/*.json"))
    assert [record.stem for record in records] == sorted(first)
    records[0].write_text("{not json", encoding="utf-8")
    damaged = json.loads(records[1].read_text(encoding="utf-8"))
    for entry in damaged["pages"].values():
        entry["toc"] = "not a list"  # the key still matches: the shape does not
    records[1].write_text(json.dumps(damaged), encoding="utf-8")
    assert build_pages(project).returncode == 0
    again = rendered(caplog)
    assert again[records[0].stem] == (first[records[0].stem][0], 0)
    assert again[records[1].stem] == (first[records[1].stem][0], 0)
