"""Country settings live once per country (``content/countries/<CC>.yaml``), chosen by the
clinic's country: a clinic moving to Italy shows AIFA, Italy's emergency numbers and Italian law
with no treatment file touched; every reader also sees their own country's reporting system."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from conftest import DAY, html_of
from patientinfo.content.load import load_treatment
from patientinfo.errors import ContentError
from patientinfo.render.pages import render_treatment


def _set_clinic(project: Path, **fields: object) -> None:
    path = project / "content" / "clinic.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _treatment_files(project: Path) -> dict[str, str]:
    """Every file of the treatment (facts, sources and texts), by path, with its digest."""
    files = [*project.glob("content/treatments/**/*.yaml"), *project.glob("content/*/mesotherapy/*.yaml")]
    return {f.relative_to(project).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def test_an_italian_clinic_shows_aifa_and_italian_help_with_no_treatment_file_touched(project: Path) -> None:
    before = _treatment_files(project)
    _set_clinic(project, country="IT", address=["Via Immaginaria 1", "20100 Milano, Italia"])
    treatment = load_treatment(project)
    assert _treatment_files(project) == before
    contact = render_treatment(treatment, DAY)["it"]["contact.md"]
    assert "Agenzia Italiana del Farmaco" in contact
    # The clinic's country comes first: AIFA before the French portal a French reader also sees.
    assert contact.index("Agenzia Italiana del Farmaco") < contact.index("signalement-sante.gouv.fr")
    assert treatment.clinic.emergency_number == "112"  # from content/countries/IT.yaml
    consent = html_of(treatment, "it", "consent")
    assert "219" in consent  # Italian law on consent (Legge 219/2017)
    assert "L1111-2" not in consent and "colloquio individuale" not in consent


def test_a_french_clinic_shows_each_reader_their_own_countrys_reporting_system(site: dict) -> None:
    assert "signalement-sante.gouv.fr" in site["fr"]["contact.md"]
    assert "Agenzia Italiana del Farmaco" in site["it"]["contact.md"]
    assert "yellowcard.mhra.gov.uk" in site["en"]["contact.md"]
    # The French clinic's own country comes first in every language.
    english = site["en"]["contact.md"]
    assert english.index("signalement-sante.gouv.fr") < english.index("yellowcard.mhra.gov.uk")


def test_the_emergency_number_comes_from_the_country_unless_the_clinic_gives_one(project: Path) -> None:
    _set_clinic(project, country="GB", emergency_number=None)
    assert load_treatment(project).clinic.emergency_number == "999"
    assert "999" in html_of(load_treatment(project), "en", "leaflet")
    _set_clinic(project, emergency_number="112")
    assert load_treatment(project).clinic.emergency_number == "112"


def test_a_clinic_in_a_country_with_no_file_is_told_which_file_to_write(project: Path) -> None:
    _set_clinic(project, country="ES")
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    problem = caught.value.problems[0]
    assert problem.path == "content/clinic.yaml"
    lines = (project / "content" / "clinic.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].startswith("country:")
    assert "content/countries/ES.yaml" in problem.message and "FR, GB, IT" in problem.message


def test_a_country_fact_without_its_text_names_the_country_file_and_the_text_file(project: Path) -> None:
    texts = project / "content" / "it" / "countries.yaml"
    data = yaml.safe_load(texts.read_text(encoding="utf-8"))
    del data["help-report-it"]
    texts.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    [problem] = [p for p in caught.value.problems if "help-report-it" in p.message]
    assert problem.path == "content/countries/IT.yaml"
    lines = (project / problem.path).read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].strip() == "- id: help-report-it"
    assert "content/it/countries.yaml" in problem.message


def test_a_country_file_holds_only_what_every_treatment_shares(project: Path) -> None:
    path = project / "content" / "countries" / "IT.yaml"
    text = path.read_text(encoding="utf-8").replace("category: help\n", "category: risk\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    assert any(
        p.path == "content/countries/IT.yaml" and "belongs to a treatment" in p.message for p in caught.value.problems
    )


def test_a_country_file_with_a_wrong_name_is_not_silently_ignored(project: Path) -> None:
    (project / "content" / "countries" / "es.yaml").write_text("emergency_number: '112'\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    [problem] = caught.value.problems
    assert problem.path == "content/countries/es.yaml" and "two capital letters, like FR.yaml" in problem.message
