"""The editors' check: stale translations, typed numbers, review dates, balance, readability."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import LANGS, REPO, run_cli
from patientinfo.check import mark_reviewed, run_check
from patientinfo.content import load_content
from patientinfo.errors import ContentError
from patientinfo.render import PAGES


def check_cli(root: Path, *args: str, ci: bool = False) -> subprocess.CompletedProcess:
    """The check as run locally (CI unset) or in CI (CI=true)."""
    return run_cli(root, "check", *args, env={"CI": "true" if ci else ""})


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(needle):
            return number
    raise AssertionError(needle)


def change_french_text(project: Path, text_id: str, new_text: str) -> None:
    path = project / "content" / "fr" / "facts.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    old = data[text_id]["text"]
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    path.write_text(text.replace(old, new_text, 1), encoding="utf-8")


def test_shipped_content_passes_the_strict_check():
    result = check_cli(REPO, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings." in result.stdout


def test_one_changed_french_text_is_stale_in_italian_and_english(project: Path):
    change_french_text(project, "risk-redness", "La peau devient rouge, surtout autour des piqûres.")
    report = run_check(load_content(project), dt.date(2026, 12, 1), readability=False)
    stale = [f for f in report.findings if f.kind == "stale"]
    assert {(f.text_id, f.lang) for f in stale} == {("risk-redness", "it"), ("risk-redness", "en")}
    for finding in stale:
        path = project / finding.path
        assert finding.path == f"content/{finding.lang}/facts.yaml"
        assert finding.line == line_of(path, "risk-redness:")
    assert not [f for f in report.findings if f.kind != "stale"]

    result = check_cli(project, "--no-readability", ci=True)
    assert result.returncode == 1
    assert re.search(
        rf"content/it/facts\.yaml:{line_of(project / 'content/it/facts.yaml', 'risk-redness:')}: 'risk-redness' \(it\)",
        result.stdout,
    )

    local = check_cli(project, "--no-readability")
    assert local.returncode == 0, "locally the check only warns"

    for lang in ("it", "en"):
        marked = check_cli(project, "--mark-reviewed", "risk-redness", lang)
        assert marked.returncode == 0, marked.stderr
    assert check_cli(project, "--no-readability", ci=True).returncode == 0


def test_marking_reviewed_changes_one_line_only(project: Path):
    change_french_text(project, "ci-period", "Pendant les règles, la mésothérapie est déconseillée.")
    path = project / "content" / "it" / "facts.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    mark_reviewed(load_content(project), "ci-period", "it")
    after = path.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1 and "source_hash" in changed[0][1]


def test_a_digit_typed_into_italian_is_reported(project: Path):
    path = project / "content" / "it" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(sched-individual:\n  text: \")", r"\1In 2 casi su 3, ", text)
    path.write_text(text, encoding="utf-8")
    report = run_check(load_content(project), dt.date(2026, 12, 1), readability=False)
    digits = [f for f in report.findings if f.kind == "digit"]
    assert [(f.path, f.line, f.text_id, f.lang) for f in digits] == [
        ("content/it/facts.yaml", line_of(path, "sched-individual:"), "sched-individual", "it")
    ] * 2
    assert "'2'" in digits[0].message and "'3'" in digits[1].message


def test_allowed_digits_are_declared_not_guessed(project: Path):
    path = project / "content" / "it" / "facts.yaml"
    text = re.sub(r"(?m)^(sched-individual:\n  text: \")", r"\1Vedi punto 7. ", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    settings = project / "content" / "settings.yaml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    data["check"]["allowed_digits"] = [{"lang": "it", "id": "sched-individual", "text": "7", "reason": "a test"}]
    settings.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = run_check(load_content(project), dt.date(2026, 12, 1), readability=False)
    assert not [f for f in report.findings if f.kind == "digit"]


def test_html_in_a_text_is_reported(project: Path):
    path = project / "content" / "en" / "facts.yaml"
    text = re.sub(r"(?m)^(risk-marks:\n  text: \")", r"\1<b>Note</b> ", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    report = run_check(load_content(project), dt.date(2026, 12, 1), readability=False)
    assert [(f.kind, f.text_id, f.lang) for f in report.findings if f.kind == "markup"] == [
        ("markup", "risk-marks", "en")
    ]


def test_overdue_review_is_reported(project: Path):
    content = load_content(project)
    late = content.facts_file.review.next_review + dt.timedelta(days=1)
    report = run_check(content, late, readability=False)
    overdue = [f for f in report.findings if f.kind == "overdue"]
    assert len(overdue) == 1 and overdue[0].path == "content/facts.yaml"
    assert overdue[0].line == line_of(project / "content/facts.yaml", "  next_review:")


def test_missing_translation_is_counted_in_the_report(project: Path):
    path = project / "content" / "en" / "facts.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["ci-breastfeeding"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = check_cli(project, "--no-readability", "--json", str(project / "report.json"))
    report = json.loads((project / "report.json").read_text())
    english = next(s for s in report["languages"] if s["lang"] == "en")
    assert english["missing"] == 1
    assert any(f["kind"] == "missing" and f["text_id"] == "ci-breastfeeding" for f in report["findings"])
    assert "ci-breastfeeding" in result.stdout


def test_a_treatment_without_alternatives_is_an_error(project: Path):
    path = project / "content" / "facts.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["facts"] = [f for f in data["facts"] if f["category"] != "alternative"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError, match=r"no fact of category 'alternative'"):
        load_content(project, allow_missing_texts=True)


def test_readability_covers_every_page_and_language():
    report = run_check(load_content(REPO), dt.date(2026, 12, 1))
    assert {(r.page, r.lang) for r in report.readability} == {(p, lang) for p in PAGES for lang in LANGS}
    formulas = {r.lang: r.formula for r in report.readability}
    assert formulas == {"fr": "kandel_moles", "it": "gulpease", "en": "flesch"}


def test_json_schemas_are_up_to_date(tmp_path: Path):
    (tmp_path / "mkdocs.yml").write_text("")
    result = run_cli(tmp_path, "schema")
    assert result.returncode == 0, result.stderr
    for generated in (tmp_path / "schema").glob("*.json"):
        committed = REPO / "schema" / generated.name
        assert committed.is_file(), generated.name
        assert json.loads(committed.read_text()) == json.loads(generated.read_text()), (
            f"schema/{generated.name} is out of date: run .venv/bin/python -m patientinfo schema"
        )


def test_content_files_reference_their_schema():
    for path in [*REPO.glob("content/*.yaml"), *REPO.glob("content/*/*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), (path, target)


def test_overdue_review_of_one_fact_is_reported_at_its_line(project: Path):
    facts = project / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8").replace(
        "  - id: ci-period\n",
        "  - id: ci-period\n    review: {last_reviewed: 2025-01-02, next_review: 2025-07-02, reviewed_by: Dr Old}\n",
        1,
    )
    facts.write_text(text, encoding="utf-8")
    report = run_check(load_content(project), dt.date(2026, 12, 1), readability=False)
    overdue = [f for f in report.findings if f.kind == "overdue" and f.text_id == "ci-period"]
    assert len(overdue) == 1
    assert overdue[0].line == line_of(facts, "    review: {last_reviewed: 2025-01-02")
