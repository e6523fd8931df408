"""The tool speaks the editor's language: errors, findings, command output and help come from
gettext catalogues (Babel) in French and Italian, English by default, chosen by
``PATIENTINFO_LANGUAGE`` or the locale."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli
from patientinfo.messages import language_of


def _catalogue_tool():
    spec = importlib.util.spec_from_file_location("messages_tool", REPO / "tools" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_of_the_tool_has_its_french_and_italian_translation() -> None:
    tool = _catalogue_tool()
    wanted = tool.template()
    assert len(wanted) > 100
    assert [problem for lang in tool.LANGUAGES for problem in tool.problems(lang, wanted)] == []


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "it_IT.UTF-8"}, "it"),
        ({"LANGUAGE": "de:it", "LANG": "fr_FR.UTF-8"}, "it"),  # gettext's order: LANGUAGE first, then its list
        ({"LC_ALL": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"PATIENTINFO_LANGUAGE": "it", "LANG": "fr_FR.UTF-8"}, "it"),
    ],
)
def test_the_language_is_the_setting_or_the_editors_locale(environ: dict[str, str], lang: str) -> None:
    assert language_of(environ) == lang


def _drop_text(project: Path, lang: str, text_id: str) -> None:
    path = project / "content" / lang / "countries.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data[text_id]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_an_error_comes_out_in_french_when_the_editor_speaks_french(project: Path) -> None:
    _drop_text(project, "it", "help-report-it")
    result = run_cli(project, "build", env={"PATIENTINFO_LANGUAGE": "fr"})
    assert result.returncode == 1
    assert (
        "content/countries/IT.yaml:" in result.stderr
        and "«\u00a0help-report-it\u00a0» n’a pas de texte dans la langue «\u00a0it\u00a0»\u00a0: "
        "ajoutez-le dans content/it/countries.yaml"
        in result.stderr
    )
    english = run_cli(project, "build")  # the default, and the suite's setting
    assert "'help-report-it' has no text in language 'it': add it to content/it/countries.yaml" in english.stderr


def test_a_yaml_mistake_is_explained_in_italian_at_its_line(project: Path) -> None:
    clinic = project / "content" / "clinic.yaml"
    lines = clinic.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("name:"))
    lines[number] = 'name: "Clinique Exemple'  # the closing quote forgotten
    clinic.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli(project, "build", env={"LANG": "it_IT.UTF-8", "PATIENTINFO_LANGUAGE": ""})
    assert result.returncode == 1
    assert (
        f'content/clinic.yaml:{number + 1}: il testo tra virgolette di questa riga non ha la " di chiusura'
        in result.stderr
    )


def test_help_is_in_italian_with_argparses_own_words(project: Path) -> None:
    result = run_cli(project, "--help", env={"PATIENTINFO_LANGUAGE": "it"})
    assert result.returncode == 0
    assert result.stdout.startswith("uso: patientinfo")
    assert "Costruire, controllare, tradurre ed estendere un sito" in result.stdout
    assert "mostrare questo aiuto e uscire" in result.stdout
    assert "costruire il sito in site/" in result.stdout
    missing = run_cli(project, "publish", env={"PATIENTINFO_LANGUAGE": "it"})
    assert missing.returncode == 2
    assert "errore: questi argomenti sono obbligatori: NAME" in missing.stderr


def test_the_check_reports_in_italian_when_the_editor_speaks_italian(project: Path) -> None:
    _drop_text(project, "it", "help-report-it")
    result = run_cli(project, "check", "--no-readability", env={"PATIENTINFO_LANGUAGE": "it"})
    assert result.returncode == 0  # findings, not errors, on an editor's machine
    assert result.stdout.startswith("Traduzioni\n")
    assert "«help-report-it» non ha testo nella lingua «it» (content/it/countries.yaml)" in result.stdout
    assert "segnalazione/i:" in result.stdout


def test_the_next_steps_and_refusals_of_the_commands_that_add_come_out_in_the_editors_language(
    project: Path,
) -> None:
    added = run_cli(project, "add-language", "de", env={"PATIENTINFO_LANGUAGE": "fr"})
    assert added.returncode == 0, added.stderr
    assert "Étapes suivantes\u00a0:" in added.stdout and "Next steps" not in added.stdout
    assert "«\u00a0de\u00a0» est un brouillon\u00a0: le site publié continue sans lui." in added.stdout
    assert "       scripts/patientinfo publish de\n" in added.stdout  # the command itself, on its own line
    again = run_cli(project, "add-language", "de", env={"PATIENTINFO_LANGUAGE": "it"})
    assert again.returncode != 0
    assert "«de» è già una lingua di questo sito" in again.stderr
    treatment = run_cli(project, "add-treatment", "Bad_Id", env={"PATIENTINFO_LANGUAGE": "fr"})
    assert treatment.returncode != 0
    assert "«\u00a0Bad_Id\u00a0» ne peut pas être l’identifiant d’un traitement" in treatment.stderr


def test_a_field_the_model_refuses_is_explained_in_the_editors_language_at_its_line(project: Path) -> None:
    clinic = project / "content" / "clinic.yaml"
    lines = clinic.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("phone:"))
    lines[number] = 'phone: "02 1234 5678"'  # no country code
    clinic.write_text("\n".join(lines) + "\n", encoding="utf-8")
    italian = run_cli(project, "build", env={"PATIENTINFO_LANGUAGE": "it"})
    assert italian.returncode == 1
    assert f"content/clinic.yaml:{number + 1}: phone: deve essere un numero di telefono in formato internazionale" in (
        italian.stderr
    )
    english = run_cli(project, "build")
    assert f"content/clinic.yaml:{number + 1}: phone: must be a phone number in the international form" in (
        english.stderr
    )
