"""Untranslated never passes: a text that is the same as the source text, or as another
language's text of the same id, is reported, even when its copied source_hash says "reviewed"."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, edit_yaml, run_cli, text_path
from patientinfo.check.run import run_check
from patientinfo.check.translations import load_identical, untranslated_findings
from patientinfo.content.load import load_treatment
from patientinfo.content.model import TEXT_DOMAINS
from patientinfo.errors import ContentError
from patientinfo.scaffold.language import add_language


def untranslated(root: Path) -> list:
    return untranslated_findings(load_treatment(root, allow_missing_texts=True))


def set_entry(root: Path, lang: str, domain: str, text_id: str, **fields: str | None) -> Path:
    """Change fields of one entry (None removes one); the file is rewritten without its comments."""
    path = root / text_path(lang, domain, "mesotherapy")

    def change(data: dict) -> None:
        entry = data[text_id] if isinstance(data[text_id], dict) else {"text": data[text_id]}
        for name, value in fields.items():
            if value is None:
                entry.pop(name, None)
            else:
                entry[name] = value
        data[text_id] = entry

    edit_yaml(path, change)
    return path


def line_of(path: Path, start: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(start):
            return number
    raise AssertionError(start)


@pytest.fixture
def lazy_german(project: Path) -> Path:
    """The project with German added, filled with a copy of the English texts, and listed as
    published by hand (``patientinfo publish`` would refuse the copy)."""
    add_language(project, "de")
    for domain in TEXT_DOMAINS:
        shutil.copy(project / text_path("en", domain, "mesotherapy"), project / text_path("de", domain, "mesotherapy"))

    def published(data: dict) -> None:
        data["languages"].append("de")
        data["drafts"]["languages"].remove("de")

    edit_yaml(project / "content/settings.yaml", published)
    return project


def test_the_real_content_has_no_untranslated_text():
    """Identical texts of the real content are names, shared words or placeholders only
    ("Stress", "France", "{n} patient", "{label}", "Version {version}"): none is reported."""
    assert [str(f) for f in untranslated(REPO)] == []


def test_a_copied_language_is_reported_text_by_text(lazy_german: Path):
    content = load_treatment(lazy_german)
    findings = untranslated_findings(content)
    assert findings, "an all-English 'German' must not pass"
    assert {f.kind for f in findings} == {"untranslated"}
    assert {f.lang for f in findings} == {"de"}  # English came first: the copy is the one reported
    # Every German text of two words or more is reported, at its own line.
    expected = 0
    for domain in TEXT_DOMAINS:
        path = lazy_german / text_path("de", domain, "mesotherapy")
        for text_id in content.texts["de"][domain].root:
            finding = next(
                (f for f in findings if f.text_id == text_id and f.path == text_path("de", domain, "mesotherapy")), None
            )
            if finding is not None:
                expected += 1
                assert finding.path == text_path("de", domain, "mesotherapy")
                assert finding.line == line_of(path, f"{text_id}:")
    assert expected == len(findings) > 300
    risk = next(f for f in findings if f.text_id == "risk-redness")
    assert "'risk-redness' (de) is not translated: its text is the same as in en" in risk.message
    assert "source_hash marks it reviewed, but was probably copied" in risk.message
    assert "translate it into German" in risk.message
    assert "add the line 'risk-redness: <why>' to content/de/identical.yaml" in risk.message


def test_the_check_reports_a_copied_language_and_strict_fails(lazy_german: Path):
    local = run_cli(lazy_german, "check", "--no-readability", "--json", "report.json")
    assert local.returncode == 0, local.stderr  # locally: warnings
    assert "content/de/mesotherapy/pages.yaml:" in local.stdout and "is not translated" in local.stdout
    kinds = {f["kind"] for f in json.loads((lazy_german / "report.json").read_text(encoding="utf-8"))["findings"]}
    assert "untranslated" in kinds
    strict = run_cli(lazy_german, "check", "--no-readability", "--strict")
    assert strict.returncode == 1
    assert "Traceback" not in strict.stdout + strict.stderr


def test_a_text_left_in_french_is_reported(project: Path):
    french = load_treatment(project).texts["fr"]["facts"].root["risk-redness"].text
    path = set_entry(project, "it", "facts", "risk-redness", text=french, source_hash=None)
    findings = untranslated(project)
    assert [(f.path, f.line, f.text_id, f.lang) for f in findings] == [
        ("content/it/mesotherapy/facts.yaml", line_of(path, "risk-redness:"), "risk-redness", "it")
    ]
    assert "its text is the same as in fr (the source)" in findings[0].message
    assert "source_hash" not in findings[0].message  # no hash: the check also says "unreviewed"


def test_a_note_left_in_french_is_reported_whatever_its_spacing(project: Path):
    content = load_treatment(project)
    text_id, note = next(
        (i, e.note) for i, e in content.texts["fr"]["facts"].root.items() if e.note and len(e.note.split()) > 3
    )
    words = note.split()
    respaced = "  ".join(words[:2]) + "\n" + " ".join(words[2:]) + "\n"
    set_entry(project, "en", "facts", text_id, note=respaced)
    findings = untranslated(project)
    assert [(f.text_id, f.lang) for f in findings] == [(text_id, "en")]
    assert "its note is the same as in fr (the source)" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "{label}",
        "{kind}, {year}",
        "Stress",
        "AIFA",
        "Faetani 2021",
        "https://www.example.org/page",
        "[contact@example.org](mailto:contact@example.org)",
        "**Doctolib** +33 1 23 45 67 89",
    ],
)
def test_names_addresses_and_placeholders_may_be_the_same(project: Path, text: str):
    for lang in ("fr", "it", "en"):
        set_entry(project, lang, "pages", "contact.title", text=text)
    assert untranslated(project) == []


def test_identical_yaml_lets_an_editor_keep_a_text(lazy_german: Path):
    identical = lazy_german / "content" / "de" / "identical.yaml"
    before = {f.text_id for f in untranslated(lazy_german)}
    assert {"risk-redness", "contact.intro"} <= before
    identical.write_text(
        "# yaml-language-server: $schema=../../schema/texts.schema.json\n"
        "risk-redness: the same words in both languages (a test)\n",
        encoding="utf-8",
    )
    assert {f.text_id for f in untranslated(lazy_german)} == before - {"risk-redness"}
    identical.write_text("- risk-redness\n- contact.intro\n", encoding="utf-8")  # a plain list works too
    assert {f.text_id for f in untranslated(lazy_german)} == before - {"risk-redness", "contact.intro"}


def test_mistakes_in_identical_yaml_are_findings_with_their_line(lazy_german: Path):
    identical = lazy_german / "content" / "de" / "identical.yaml"
    identical.write_text("risk-redness: fine\nrisk-rednes: a typo\n", encoding="utf-8")
    findings = untranslated(lazy_german)
    typo = [f for f in findings if f.path == "content/de/identical.yaml"]
    assert [(f.line, f.kind, f.lang) for f in typo] == [(2, "untranslated", "de")]
    assert "'risk-rednes' is not the id of a text" in typo[0].message
    # With the file in error, nothing in it is trusted: risk-redness is reported again.
    assert any(f.text_id == "risk-redness" for f in findings)
    source_ids = {i for catalog in load_treatment(lazy_german).texts["fr"].values() for i in catalog.root}
    with pytest.raises(ContentError, match=r"content/de/identical.yaml:2: 'risk-rednes'"):
        load_identical(lazy_german, "de", source_ids)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("risk-redness: [a, b\n", "content/de/identical.yaml:"),
        ("just some words\n", "this file lists texts that are rightly the same"),
        ("- {a: b}\n", "is not a text id"),
        ("risk-redness: [a list]\n", "the reason must be text"),
    ],
)
def test_a_broken_identical_yaml_is_a_plain_finding(lazy_german: Path, text: str, message: str):
    (lazy_german / "content" / "de" / "identical.yaml").write_text(text, encoding="utf-8")
    result = run_cli(lazy_german, "check", "--no-readability")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert message in result.stdout


def test_run_check_includes_untranslated_findings(lazy_german: Path):
    report = run_check(load_treatment(lazy_german), dt.date(2026, 12, 1), readability=False)
    assert any(f.kind == "untranslated" and f.lang == "de" for f in report.findings)
