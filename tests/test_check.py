"""The editors' check: stale translations, typed numbers, review dates, balance, readability."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import LANGS, REPO, edit_yaml, run_cli
from patientinfo.check.honesty import honesty_findings, quoted_numbers
from patientinfo.check.reviewed import mark_reviewed
from patientinfo.check.run import run_check
from patientinfo.content.load import load_project, load_treatment
from patientinfo.errors import ContentError
from patientinfo.pipeline.addresses import RECORD
from patientinfo.render.pages import PAGES


def check_cli(root: Path, *args: str, ci: bool = False) -> subprocess.CompletedProcess:
    """The check as run locally (CI unset) or in CI (CI=true)."""
    return run_cli(root, "check", *args, env={"CI": "true" if ci else ""})


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(needle):
            return number
    raise AssertionError(needle)


def change_french_text(project: Path, text_id: str, new_text: str) -> None:
    path = project / "content" / "fr" / "mesotherapy" / "facts.yaml"
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
    report = run_check(load_treatment(project), dt.date(2026, 12, 1), readability=False)
    stale = [f for f in report.findings if f.kind == "stale"]
    assert {(f.text_id, f.lang) for f in stale} == {("risk-redness", "it"), ("risk-redness", "en")}
    for finding in stale:
        path = project / finding.path
        assert finding.path == f"content/{finding.lang}/mesotherapy/facts.yaml"
        assert finding.line == line_of(path, "risk-redness:")
    assert not [f for f in report.findings if f.kind != "stale"]

    result = check_cli(project, "--no-readability", ci=True)
    assert result.returncode == 1
    assert re.search(
        rf"content/it/mesotherapy/facts\.yaml:{line_of(project / 'content/it/mesotherapy/facts.yaml', 'risk-redness:')}: 'risk-redness' \(it\)",
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
    path = project / "content" / "it" / "mesotherapy" / "facts.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    mark_reviewed(load_project(project), "ci-period", "it")
    after = path.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1 and "source_hash" in changed[0][1]


def test_a_digit_typed_into_italian_is_reported(project: Path):
    path = project / "content" / "it" / "mesotherapy" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(sched-individual:\n  text: \")", r"\1In 2 casi su 3, ", text)
    path.write_text(text, encoding="utf-8")
    report = run_check(load_treatment(project), dt.date(2026, 12, 1), readability=False)
    digits = [f for f in report.findings if f.kind == "digit"]
    assert [(f.path, f.line, f.text_id, f.lang) for f in digits] == [
        ("content/it/mesotherapy/facts.yaml", line_of(path, "sched-individual:"), "sched-individual", "it")
    ] * 2
    assert "'2'" in digits[0].message and "'3'" in digits[1].message


def test_allowed_digits_are_declared_not_guessed(project: Path):
    path = project / "content" / "it" / "mesotherapy" / "facts.yaml"
    text = re.sub(r"(?m)^(sched-individual:\n  text: \")", r"\1Vedi punto 7. ", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    settings = project / "content" / "settings.yaml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    data["check"]["allowed_digits"].append({"lang": "it", "id": "sched-individual", "text": "7", "reason": "a test"})
    settings.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = run_check(load_treatment(project), dt.date(2026, 12, 1), readability=False)
    assert not [f for f in report.findings if f.kind == "digit"]


def test_html_in_a_text_is_reported(project: Path):
    path = project / "content" / "en" / "mesotherapy" / "facts.yaml"
    text = re.sub(r"(?m)^(risk-marks:\n  text: \")", r"\1<b>Note</b> ", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    report = run_check(load_treatment(project), dt.date(2026, 12, 1), readability=False)
    assert [(f.kind, f.text_id, f.lang) for f in report.findings if f.kind == "markup"] == [
        ("markup", "risk-marks", "en")
    ]


def test_overdue_review_is_reported(project: Path):
    content = load_treatment(project)
    late = content.facts_file.review.next_review + dt.timedelta(days=1)
    report = run_check(content, late, readability=False)
    overdue = [f for f in report.findings if f.kind == "overdue"]
    assert len(overdue) == 1 and overdue[0].path == "content/treatments/mesotherapy/facts.yaml"
    assert overdue[0].line == line_of(project / "content/treatments/mesotherapy/facts.yaml", "  next_review:")


def test_missing_translation_is_counted_in_the_report(project: Path):
    path = project / "content" / "en" / "mesotherapy" / "facts.yaml"
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
    path = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["facts"] = [f for f in data["facts"] if f["category"] != "alternative"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError, match=r"no fact of category 'alternative'"):
        load_treatment(project, allow_missing_texts=True)


def test_readability_covers_every_page_and_language():
    report = run_check(load_treatment(REPO), dt.date(2026, 12, 1))
    pages = (*PAGES, "documents")  # the consultation documents' texts are scored as one page
    assert {(r.page, r.lang) for r in report.readability} == {(p, lang) for p in pages for lang in LANGS}
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
        if path.name == RECORD:  # written by the build, never edited by hand
            continue
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), (path, target)


def test_overdue_review_of_one_fact_is_reported_at_its_line(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    text = facts.read_text(encoding="utf-8").replace(
        "  - id: ci-period\n",
        "  - id: ci-period\n    review: {last_reviewed: 2025-01-02, next_review: 2025-07-02, reviewed_by: Dr Old}\n",
        1,
    )
    facts.write_text(text, encoding="utf-8")
    report = run_check(load_treatment(project), dt.date(2026, 12, 1), readability=False)
    overdue = [f for f in report.findings if f.kind == "overdue" and f.text_id == "ci-period"]
    assert len(overdue) == 1
    assert overdue[0].line == line_of(facts, "    review: {last_reviewed: 2025-01-02")


# --------------------------------------------------------------------------- honesty
def honesty(project: Path) -> list:
    report = run_check(load_treatment(project, allow_missing_texts=True), dt.date(2026, 12, 1), readability=False)
    return [f for f in report.findings if f.kind == "honesty"]


def source_of_type(project: Path, clinic: bool) -> str:
    content = load_treatment(project, allow_missing_texts=True)
    return next(s.id for s in content.sources.values() if (s.type == "clinic_website") == clinic)


def add_fact(project: Path, fact: dict) -> None:
    edit_yaml(
        project / "content" / "treatments" / "mesotherapy" / "facts.yaml", lambda data: data["facts"].append(fact)
    )


@pytest.mark.parametrize(
    ("quote", "numbers"),
    [
        ("mediamente si parla di 3 -5 sedute", {3, 5}),
        ("de 3 à 5 séances", {3, 5}),
        ("10/12 séances", {10, 12}),
        ("une aiguille de 13 mm", {13}),
        ("0,5 ml", {0.5}),
        ("0.5 ml", {0.5}),
        ("1 000 patients", {1000}),
        ("une séance pendant six semaines, puis tous les quinze jours", {1, 6, 15}),
        ("tre sedute", {3}),
        ("twenty-two sessions", {22}),
    ],
)
def test_numbers_are_read_from_quotes_as_written(quote: str, numbers: set):
    assert numbers <= quoted_numbers(quote)


def test_a_decimal_is_not_read_as_its_digits():
    assert quoted_numbers("0,5 ml") == {0.5}
    assert 5 not in quoted_numbers("0.5 ml")


def test_a_value_changed_away_from_its_quote_is_an_honesty_finding(project: Path):
    """Like sched-course-short turned into 4 to 6 sessions while its quote says "3-5"."""
    content = load_treatment(project)
    fact, name = next(
        (fact, name)
        for fact in content.facts_file.facts
        for name, quantity in fact.values.items()
        if quantity.shape == "range"
        and any({quantity.min, quantity.max} <= quoted_numbers(quote) for quote in fact.quotes.values())
    )
    quantity = fact.values[name]
    quoted = set().union(*(quoted_numbers(q) for q in fact.quotes.values()))
    new_min = next(n for n in range(quantity.min + 1, 1000) if n not in quoted)
    new_max = next(n for n in range(new_min + 1, 1000) if n not in quoted)
    path = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {fact.id}\n")
    end = text.find("\n  - id: ", start + 1)
    block = text[start:end]
    changed = re.sub(
        rf"(?m)^(\s+{name}: \{{)min: [\d.]+, max: [\d.]+", rf"\g<1>min: {new_min}, max: {new_max}", block, count=1
    )
    assert changed != block
    path.write_text(text[:start] + changed + text[end:], encoding="utf-8")
    line = (
        text[:start].count("\n")
        + 1
        + next(i for i, row in enumerate(changed.splitlines()) if row.strip().startswith(f"{name}:"))
    )

    findings = [f for f in honesty(project) if f.text_id == fact.id]
    assert len(findings) == 1
    assert (findings[0].path, findings[0].line) == ("content/treatments/mesotherapy/facts.yaml", line)
    assert f"value '{name}'" in findings[0].message and str(new_min) in findings[0].message
    assert "Fix:" in findings[0].message

    result = check_cli(project, "--no-readability", ci=True)
    assert result.returncode == 1
    assert f"content/treatments/mesotherapy/facts.yaml:{line}: fact '{fact.id}' value '{name}'" in result.stdout


def test_a_clinic_page_cited_without_its_quote_is_an_honesty_finding(project: Path):
    content = load_treatment(project)
    fact, source_id = next(
        (fact, source_id)
        for fact in content.facts_file.facts
        for source_id in fact.quotes
        if content.sources[source_id].type == "clinic_website"
    )
    before = {(f.text_id, f.message) for f in honesty(project)}

    def drop_quote(data: dict) -> None:
        item = next(f for f in data["facts"] if f["id"] == fact.id)
        del item["quotes"][source_id]

    edit_yaml(project / "content" / "treatments" / "mesotherapy" / "facts.yaml", drop_quote)
    lines = (project / "content" / "treatments" / "mesotherapy" / "facts.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"- id: {fact.id}")
    sources_at = next(i for i in range(start, len(lines)) if lines[i].strip() == "sources:")
    source_line = next(i for i in range(sources_at, len(lines)) if lines[i].strip() == f"- {source_id}") + 1

    new = [f for f in honesty(project) if (f.text_id, f.message) not in before]
    assert [(f.text_id, f.path, f.line) for f in new] == [
        (fact.id, "content/treatments/mesotherapy/facts.yaml", source_line)
    ]
    assert source_id in new[0].message and "quotes" in new[0].message


def test_a_publication_cited_without_its_words_is_an_honesty_finding(project: Path):
    """A new sentence cannot cite a study, a guideline or a law without quoting its words: a
    number with no quote to check it against, and a source that may not say it, are both caught."""
    publication = source_of_type(project, clinic=False)
    add_fact(
        project,
        {
            "id": "test-study-size",
            "category": "evidence",
            "sources": [publication],
            "values": {"patients": {"value": 987654, "unit": "patient"}},
        },
    )
    new = [f for f in honesty(project) if f.text_id == "test-study-size"]
    assert len(new) == 1 and publication in new[0].message and "quotes" in new[0].message
    assert new[0].path == "content/treatments/mesotherapy/facts.yaml" and new[0].line > 1


def test_a_correction_cites_its_source_with_its_words_too(project: Path):
    publication = source_of_type(project, clinic=False)
    clinic = source_of_type(project, clinic=True)
    add_fact(
        project,
        {
            "id": "test-claim",
            "category": "claim",
            "sources": [clinic],
            "quotes": {clinic: "some words"},
            "note_sources": [publication],
        },
    )
    new = [f for f in honesty(project) if f.text_id == "test-claim"]
    assert len(new) == 1 and publication in new[0].message and "note_sources" in new[0].message


@pytest.mark.parametrize("kind", ["clinic_protocol", "editorial"])
def test_the_clinics_own_rules_and_the_sites_conclusions_need_no_quote(project: Path, kind: str):
    """They have no outside words to quote: they are said as the clinic's rule or our reading."""
    publication = source_of_type(project, clinic=False)
    add_fact(project, {"id": "test-own", "category": "practice", "sources": [publication]})
    content = load_treatment(project, allow_missing_texts=True)
    content.sources[publication] = content.sources[publication].model_copy(update={"type": kind})
    assert not [f for f in honesty_findings(content) if f.text_id == "test-own"]
    content.sources[publication] = content.sources[publication].model_copy(update={"type": "review"})
    assert [f.text_id for f in honesty_findings(content) if f.text_id == "test-own"] == ["test-own"]


def test_every_shipped_fact_quotes_every_source_it_cites(content):
    assert not honesty_findings(content)


@pytest.mark.parametrize(
    ("quote", "value", "honest"),
    [
        ("0,5 ml par point", {"about": 0.5, "unit": "volume-milliliter"}, True),
        ("0.5 ml par point", {"about": 0.5, "unit": "volume-milliliter"}, True),
        ("0,5 ml par point", {"about": 5, "unit": "volume-milliliter"}, False),
        ("3 à 5 séances", {"min": 3, "max": 5, "unit": "session"}, True),
        ("3 à 5 séances", {"min": 4, "max": 6, "unit": "session"}, False),
        ("10/12 séances", {"min": 10, "max": 12, "unit": "session"}, True),
        ("une aiguille de 13 mm", {"max": 13, "unit": "length-millimeter"}, True),
        ("une aiguille de 13 mm", {"max": 12, "unit": "length-millimeter"}, False),
        ("le décret du 11 avril 2011", {"date": "2011-04-11"}, True),
        ("le décret du 11/04/2011", {"date": "2011-04-11"}, True),
        ("le décret du 11 avril 2011", {"date": "2011-04-12"}, False),
        ("un décret de 2011", {"date": "2011-04-12"}, True),
        ("un décret de 2011", {"date": "2012-04-11"}, False),
    ],
)
def test_numbers_and_dates_compare_as_written(project: Path, quote: str, value: dict, honest: bool):
    seed = source_of_type(project, clinic=True)
    add_fact(
        project,
        {
            "id": "test-number",
            "category": "technique",
            "sources": [seed],
            "quotes": {seed: quote},
            "values": {"x": value},
        },
    )
    findings = [f for f in honesty(project) if f.text_id == "test-number"]
    assert (not findings) == honest, findings


def test_a_value_needs_to_be_in_one_quote_only(project: Path):
    seeds = [s.id for s in load_treatment(project).sources.values() if s.type == "clinic_website"][:2]
    add_fact(
        project,
        {
            "id": "test-two-quotes",
            "category": "schedule",
            "sources": seeds,
            "quotes": {seeds[0]: "le rythme dépend du médecin", seeds[1]: "de 3 à 5 séances"},
            "values": {"sessions": {"min": 3, "max": 5, "unit": "session"}},
        },
    )
    assert not [f for f in honesty(project) if f.text_id == "test-two-quotes"]


def test_a_plain_space_before_a_french_colon_is_a_finding_and_fixing_it_keeps_translations_current(project: Path):
    from patientinfo.check.wording import typography_findings
    from patientinfo.content.schema import TextEntry
    from patientinfo.translate.catalogue import source_hash

    pages = project / "content" / "fr" / "mesotherapy" / "pages.yaml"
    text = pages.read_text(encoding="utf-8")
    key = next(line.split(":", 1)[0] for line in text.splitlines() if line.startswith("faq.title"))
    edit = text.replace(f"{key}: ", f"{key}: Avant : ", 1) if f'{key}: "' not in text else None
    if edit is None:
        edit = text.replace(f'{key}: "', f'{key}: "Avant : ', 1)
    pages.write_text(edit, encoding="utf-8")
    findings = typography_findings(load_treatment(project, allow_missing_texts=True))
    assert [f.text_id for f in findings] == [key]
    assert "a plain space next to ':'" in findings[0].message
    assert source_hash(TextEntry(text="Avant : oui")) == source_hash(TextEntry(text="Avant\u00a0: oui"))
    assert source_hash(TextEntry(text="Avant : oui")) != source_hash(TextEntry(text="Après : oui"))


def test_a_translation_with_other_placeholders_than_the_source_is_a_finding(project: Path):
    from patientinfo.check.translations import placeholder_findings

    assert not placeholder_findings(load_treatment(project))
    path = project / "content" / "en" / "ui.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('text: "about {q}"', 'text: "about {q} {extra}"', 1), encoding="utf-8")
    found = placeholder_findings(load_treatment(project))
    assert [(f.text_id, f.lang) for f in found] == [("quantity.about", "en")]
    assert "{extra}" in found[0].message and found[0].line == line_of(path, "quantity.about:")
