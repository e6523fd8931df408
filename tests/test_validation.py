"""The validator: every kind of bad input gives ``path:line: message`` naming field, id, language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from patientinfo.content.load import load_treatment
from patientinfo.errors import ContentError


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_shipped_content_is_valid():
    from conftest import REPO

    content = load_treatment(REPO)
    assert content.languages == ["fr", "it", "en"]
    assert len(content.facts) > 100


def test_sample_content_is_valid(sample_project: Path):
    assert load_treatment(sample_project).id == "example-therapy"


def test_malformed_yaml_names_file_and_line(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    line = line_of(facts, "id: tech-volume")
    replace_in(facts, "  - id: tech-volume\n", "  - id: tech-volume\n    sources: [oops\n")
    with pytest.raises(
        ContentError, match=r"content/treatments/mesotherapy/facts\.yaml:\d+:\d+: a list in \[ \] is not closed"
    ) as caught:
        load_treatment(project)
    reported = int(re.search(r"facts\.yaml:(\d+)", str(caught.value)).group(1))
    assert line <= reported <= line + 4


def test_wrong_type_names_field_fact_and_line(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    replace_in(facts, "sessions: {min: 3, max: 5, unit: session}", 'sessions: {min: "three", max: 5, unit: session}')
    line = line_of(facts, 'min: "three"')
    with pytest.raises(
        ContentError,
        match=rf"content/treatments/mesotherapy/facts\.yaml:{line}: facts\[\d+\]\.values\.sessions\.min \(id 'sched-course-short'\): "
        r"must be a number, not the text 'three'",
    ):
        load_treatment(project)


def test_unknown_source_id(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    replace_in(
        facts, 'sources: [seed-003]\n    quotes: {seed-003: "des rougeurs"}', "sources: [seed-999]\n    quotes: {}"
    )
    line = line_of(facts, "sources: [seed-999]")
    with pytest.raises(ContentError, match=rf"facts\.yaml:{line}: .*\(id 'risk-redness'\): unknown source 'seed-999'"):
        load_treatment(project)


def test_duplicate_fact_id(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    first = line_of(facts, "  - id: risk-redness")
    second = line_of(facts, "  - id: risk-marks")
    replace_in(facts, "  - id: risk-marks\n", "  - id: risk-redness\n")
    with pytest.raises(
        ContentError,
        match=rf"content/treatments/mesotherapy/facts\.yaml:{second}: duplicate fact id 'risk-redness' \(first on line {first}\)",
    ):
        load_treatment(project)


def test_duplicate_key_in_a_translation(project: Path):
    texts = project / "content" / "it" / "mesotherapy" / "facts.yaml"
    original = texts.read_text(encoding="utf-8")
    texts.write_text(original + '\nrisk-redness:\n  text: "doppione"\n', encoding="utf-8")
    last = len(texts.read_text(encoding="utf-8").splitlines()) - 1
    with pytest.raises(ContentError, match=rf"content/it/mesotherapy/facts\.yaml:{last}: duplicate key 'risk-redness'"):
        load_treatment(project)


def test_missing_translation_names_fact_and_language(project: Path):
    texts = project / "content" / "en" / "mesotherapy" / "facts.yaml"
    import yaml

    data = yaml.safe_load(texts.read_text(encoding="utf-8"))
    del data["ci-pregnancy"]
    texts.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    line = line_of(project / "content" / "treatments" / "mesotherapy" / "facts.yaml", "- id: ci-pregnancy")
    with pytest.raises(
        ContentError,
        match=rf"content/treatments/mesotherapy/facts\.yaml:{line}: 'ci-pregnancy' has no text in language 'en': add it to content/en/mesotherapy/facts\.yaml",
    ):
        load_treatment(project)


def test_missing_page_text_in_a_translation(project: Path):
    from conftest import edit_yaml

    edit_yaml(project / "content" / "it" / "mesotherapy" / "pages.yaml", lambda data: data.pop("risks.list"))
    line = line_of(project / "content" / "fr" / "mesotherapy" / "pages.yaml", "risks.list:")
    with pytest.raises(
        ContentError, match=rf"content/fr/mesotherapy/pages\.yaml:{line}: 'risks\.list' has no text in language 'it'"
    ):
        load_treatment(project)


def test_unknown_id_in_a_translation(project: Path):
    texts = project / "content" / "it" / "mesotherapy" / "facts.yaml"
    texts.write_text(texts.read_text(encoding="utf-8") + '\nrisk-unheard-of:\n  text: "Nuovo"\n', encoding="utf-8")
    line = line_of(texts, "risk-unheard-of:")
    with pytest.raises(
        ContentError,
        match=rf"content/it/mesotherapy/facts\.yaml:{line}: unknown id 'risk-unheard-of' \(language 'it'\)",
    ):
        load_treatment(project)


def test_unknown_placeholder_and_unshown_value(project: Path):
    texts = project / "content" / "it" / "mesotherapy" / "facts.yaml"
    text = texts.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(sched-course-long:\n  text: )(.*)$", r'\1"Da dieci a dodici {sedute}."', text)
    texts.write_text(text, encoding="utf-8")
    line = line_of(texts, "sched-course-long:")
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    message = str(caught.value)
    assert (
        f"content/it/mesotherapy/facts.yaml:{line}: text of 'sched-course-long' (language 'it'): unknown placeholder '{{sedute}}'"
        in message
    )
    assert (
        f"content/it/mesotherapy/facts.yaml:{line}: text of 'sched-course-long' (language 'it'): value '{{sessions}}' is never shown"
        in message
    )


def test_quantity_with_two_shapes(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    replace_in(
        facts, "length: {about: 4, unit: length-millimeter}", "length: {about: 4, max: 5, unit: length-millimeter}"
    )
    line = line_of(facts, "length: {about: 4, max: 5")
    with pytest.raises(ContentError, match=rf"facts\.yaml:{line}: .*\(id 'tech-needle-short'\): give exactly one of"):
        load_treatment(project)


def test_unknown_unit(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    replace_in(facts, "injections: {max: 100, unit: injection}", "injections: {max: 100, unit: jab}")
    with pytest.raises(
        ContentError, match=r"fact 'tech-injection-count' value 'injections': unit 'jab' is neither a CLDR unit"
    ):
        load_treatment(project)


def test_every_problem_is_reported_at_once(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    replace_in(facts, "    severity: absolute\n", "    severity: fatal\n")
    replace_in(
        facts, "category: alternative\n    sources: [seed-000]", "category: alternatives\n    sources: [seed-000]"
    )
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    assert len(caught.value.problems) >= 2
    assert "(id 'ci-allergy')" in str(caught.value) and "(id 'alt-cortisone-injections')" in str(caught.value)


def test_group_without_a_heading(project: Path):
    facts = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    replace_in(facts, "indication: [pain, sport,", "indication: [pain, sports,")
    replace_in(facts, "group: sport\n", "group: sports\n")
    line = line_of(facts, "indication: [pain, sports,")
    with pytest.raises(
        ContentError,
        match=rf"content/treatments/mesotherapy/facts\.yaml:{line}: group 'sports' has no heading 'group\.sports' in content/fr/ui\.yaml",
    ):
        load_treatment(project)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("01 99 00 12 34", "phone: must be a phone number in the international form: + then the country code"),
        ("+33 1 99", "phone: is not a possible phone number of its country"),
    ],
)
def test_a_phone_number_needs_its_country_code(project: Path, typed: str, message: str):
    clinic = project / "content" / "clinic.yaml"
    replace_in(clinic, '"+33 1 99 00 12 34"', f'"{typed}"')
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    assert f"content/clinic.yaml:{line_of(clinic, 'phone:')}: {message}" in str(caught.value)


def test_a_phone_number_is_written_in_the_international_format(project: Path):
    replace_in(project / "content" / "clinic.yaml", '"+33 1 99 00 12 34"', '"+33199001234"')
    assert load_treatment(project).clinic.phone == "+33 1 99 00 12 34"


def test_a_forgotten_closing_quote_is_named_at_its_own_line(project: Path):
    """YAML notices it a line or more later; the message names the line where the quote opened."""
    path = project / "content" / "en" / "mesotherapy" / "facts.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    broken = next(i for i, line in enumerate(lines) if line.startswith('  text: "') and line.endswith('"'))
    lines[broken] = lines[broken][:-1]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    assert f'content/en/mesotherapy/facts.yaml:{broken + 1}: the text in quotes on this line has no closing "' in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        (lambda line: line.replace(":", "", 1), "this line has no ':' after its name"),  # a key without its colon
        (lambda line: line.replace("]", ""), "a list in [ ] is not closed"),  # sources: [a, b
    ],
)
def test_a_yaml_mistake_is_named_at_its_own_line_not_where_yaml_notices_it(project: Path, mistake, words):
    """PyYAML notices a key without ':' or an unclosed '[' on the next line; the message names
    the line of the mistake."""
    path = project / "content" / "treatments" / "mesotherapy" / "facts.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    broken = next(i for i, line in enumerate(lines) if line.startswith("    sources: [") and line.endswith("]"))
    lines[broken] = mistake(lines[broken])
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("content/treatments/mesotherapy/facts.yaml", broken + 1)
    assert words in problem.message
