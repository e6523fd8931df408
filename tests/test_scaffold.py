"""``patientinfo add-language``: a new language with every text still to translate, end to end.

Scaffold German as a draft, see the published build go on without it, export a PO file for
translators, then fill the language with a lazy copy of the English texts: publishing it is
refused. Refused codes change nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
import yaml

from conftest import REPO, build_pages, run_cli, text_path, tree_digest
from patientinfo.check.readability import FORMULAS, default_formula, page_readability
from patientinfo.content.load import load_treatment
from patientinfo.content.model import TEXT_DOMAINS
from patientinfo.content.schema import ReadabilityRule, Settings
from patientinfo.scaffold.language import ScaffoldError, add_language, edit_settings


def source_ids(root: Path) -> dict[str, list[str]]:
    return {domain: list(load_treatment(root).texts["fr"][domain].root) for domain in TEXT_DOMAINS}


def project_digest(root: Path) -> str:
    return tree_digest(root / "content") + tree_digest(root / "docs") + (root / "mkdocs.yml").read_text()


def test_add_language_then_build_then_lazy_copy(project: Path):
    ids = source_ids(project)
    settings_before = (project / "content" / "settings.yaml").read_text(encoding="utf-8")
    mkdocs_before = (project / "mkdocs.yml").read_text(encoding="utf-8")

    # 1. Scaffold German.
    added = run_cli(project, "add-language", "de")
    assert added.returncode == 0, added.stderr
    assert "Added German (Deutsch), code 'de', locale de_DE; readability rule amstad (min 60)." in added.stdout
    assert "Next steps:" in added.stdout and "translations export de" in added.stdout

    # settings.yaml: lines added, every other line (comments included) kept; mkdocs.yml untouched
    # (the site's languages follow settings.yaml).
    settings_text = (project / "content" / "settings.yaml").read_text(encoding="utf-8")
    assert [line for line in settings_text.splitlines() if line not in settings_before.splitlines()] == [
        "  languages: [de]          # them out until 'patientinfo publish NAME' (refused while texts are missing)",
        "  de: de_DE",
        "    de: {formula: amstad, min: 60}",
    ]
    settings = Settings.model_validate(yaml.safe_load(settings_text))
    assert settings.drafts.languages == ["de"] and settings.locale("de") == "de_DE"
    assert settings.check.readability["de"] == ReadabilityRule(formula="amstad", min=60)
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == mkdocs_before

    # content/de/: the schema line, then every source text as a comment; no text yet.
    for domain in TEXT_DOMAINS:
        path = project / text_path("de", domain, "mesotherapy")
        text = path.read_text(encoding="utf-8")
        first = (project / text_path("en", domain, "mesotherapy")).read_text(encoding="utf-8").splitlines()[0]
        assert text.splitlines()[0] == first
        assert yaml.safe_load(text) is None
        for text_id in ids[domain]:
            assert f"\n# {text_id}:" in text, (domain, text_id)
    guide = (project / "docs" / "de" / "editors.md").read_text(encoding="utf-8")
    assert guide.startswith("---\ntitle: Editors' guide\n")
    assert '!!! note "Not translated yet"' in guide and "German (Deutsch)" in guide

    # 2. A draft: the published build goes on without it; publishing it is refused, naming the
    # files and the first texts still to write.
    build = build_pages(project)
    assert build.returncode == 0, build.stderr + build.stdout
    assert not (project / "site" / "de").exists()
    refused = run_cli(project, "publish", "de")
    assert refused.returncode == 1 and "Traceback" not in refused.stdout + refused.stderr
    for domain, domain_ids in ids.items():
        where = text_path("de", domain, "mesotherapy")
        assert f"{where}: 0 of {len(domain_ids)} texts written; still to write: " in refused.stderr

    # 3. Translators get a PO file with every text to translate.
    exported = run_cli(project, "translations", "export", "de")
    assert exported.returncode == 0, exported.stderr
    po = polib.pofile(str(project / "translations" / "de.po"))
    assert po.metadata["Language"] == "de"
    assert len(po) >= sum(map(len, ids.values()))
    assert all(entry.msgstr == "" and not entry.msgstr_plural.get(0) for entry in po)
    assert "0 translated" in exported.stdout

    # 4. A lazy copy of the English texts, copied source_hash included, is not a translation.
    for domain in TEXT_DOMAINS:
        shutil.copy(project / text_path("en", domain, "mesotherapy"), project / text_path("de", domain, "mesotherapy"))
    local = run_cli(project, "check", "--no-readability")
    assert local.returncode == 0, local.stderr
    assert "de (language, draft): 572 of 572 texts written" in local.stdout.replace(
        str(sum(map(len, ids.values()))), "572"
    )
    copied = run_cli(project, "publish", "de")
    assert copied.returncode == 1
    assert (
        "copied, not translated" in copied.stderr
        and "'risk-redness' (de) is not translated" in copied.stderr.replace("\n", " ")
        or "is not translated: its text is the same as in en" in copied.stderr
    )


def test_the_check_counts_the_texts_of_a_new_language_still_to_write(project: Path):
    count = sum(map(len, source_ids(project).values()))
    add_language(project, "de")
    result = run_cli(project, "check", "--no-readability")
    assert result.returncode == 0, result.stderr
    assert f"de (language, draft): 0 of {count} texts written" in result.stdout
    assert "has no text in language 'de'" not in result.stdout


def test_the_check_says_what_is_missing_without_a_traceback(project: Path):
    add_language(project, "de")
    result = run_cli(project, "check", "--no-readability")
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "content/de/ui.yaml" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["fr"],
            "error: 'fr' is already a language of this site (content/settings.yaml, languages and drafts: fr, it, en)",
        ),
        (["en"], "error: 'en' is already a language of this site"),
        (["xx"], "error: 'xx' is not a language Babel knows"),
        (["DE"], "error: language codes are written in lower case: use 'de', not 'DE'"),
        (["deu"], "error: 'deu' is not a two-letter language code"),
        (["d"], "error: 'd' is not a two-letter language code"),
        (["de", "--locale", "fr_FR"], "error: --locale 'fr_FR' is a locale of 'fr', not of 'de'"),
        (["de", "--locale", "de-AT"], "error: --locale 'de-AT' must be a locale code like de_DE or de"),
        (["de", "--locale", "de_XX"], "error: --locale 'de_XX' is not a locale Babel knows"),
    ],
)
def test_refused_languages_change_nothing(project: Path, args: list[str], message: str):
    before = project_digest(project)
    result = run_cli(project, "add-language", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert project_digest(project) == before


def test_an_existing_folder_is_not_overwritten(project: Path):
    (project / "content" / "de").mkdir()
    (project / "content" / "de" / "ui.yaml").write_text("nav.home: Startseite\n", encoding="utf-8")
    before = project_digest(project)
    with pytest.raises(ScaffoldError, match=r"content/de/ already exists"):
        add_language(project, "de")
    assert project_digest(project) == before


def test_a_chosen_locale_and_a_language_without_readability_formula(project: Path):
    added = add_language(project, "pt", "pt_PT")
    assert added.formula is None and added.name == "Português"
    settings = Settings.model_validate(yaml.safe_load((project / "content" / "settings.yaml").read_text()))
    assert settings.locale("pt") == "pt_PT"
    assert "pt" not in settings.check.readability
    result = run_cli(project, "add-language", "es")
    assert result.returncode == 0, result.stderr
    assert "locale es_ES" in result.stdout and "readability rule fernandez_huerta (min 60)" in result.stdout
    assert "es_ES is Babel's most likely locale for 'es'" in result.stdout


def test_a_language_without_formula_is_said_so_not_scored_in_english(project: Path):
    path = project / "content" / "settings.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["check"]["readability"] = {}  # no page rendered: fast
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    rows = page_readability(load_treatment(project))
    assert [(r.lang, r.formula, r.passes) for r in rows] == [(lang, "none", True) for lang in ("fr", "it", "en")]
    assert rows[0].note.startswith("no readability formula for 'fr': add one under check.readability")
    assert "fr: {formula: kandel_moles, min: 60}" in rows[0].note


def test_readability_formulas_one_per_language():
    assert set(ReadabilityRule.model_fields["formula"].annotation.__args__) == set(FORMULAS)
    samples = {
        "fr": "Le médecin fait de petites piqûres dans la peau. Elles déposent un mélange de médicaments.",
        "it": "Il medico fa tante piccole punture nella pelle. Depositano una miscela di farmaci.",
        "en": "The doctor makes many small injections into the skin. They leave a mix of medicines.",
        "de": "Der Arzt macht viele kleine Stiche in die Haut. Sie bringen eine Mischung von Medikamenten ein.",
        "es": "El médico hace muchas pequeñas inyecciones en la piel. Depositan una mezcla de medicamentos.",
        "nl": "De arts geeft veel kleine prikjes in de huid. Ze brengen een mengsel van medicijnen in.",
        "ru": "Врач делает много маленьких уколов в кожу. Они вводят смесь лекарств под кожу.",
    }
    for lang, text in samples.items():
        formula = default_formula(lang)
        assert formula is not None
        assert 40 < FORMULAS[formula](text) < 130, (lang, formula)
    assert default_formula("pt") is None and default_formula("xx") is None


def test_textstat_is_imported_only_when_a_score_is_asked_for():
    code = "import sys, patientinfo.check.readability, patientinfo.scaffold.language; print('textstat' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "False", result.stderr


# --------------------------------------------------------------------------- text editing
SETTINGS_BLOCK = """\
# yaml-language-server: $schema=../schema/settings.schema.json
source_language: fr
languages:         # in the switcher's order
  - fr
  - it             # Italian
treatments: [a-treatment]
check:
  readability: {fr: {formula: kandel_moles, min: 60}}
"""


def test_settings_in_other_layouts_are_edited_in_place():
    edited = edit_settings(SETTINGS_BLOCK, "content/settings.yaml", "de", "de_CH", "amstad")
    assert edited.splitlines()[:5] == SETTINGS_BLOCK.splitlines()[:5]
    assert "drafts:\n  languages: [de]\n  treatments: []\n" in edited and "locales:\n  de: de_CH\n" in edited
    settings = Settings.model_validate(yaml.safe_load(edited))
    assert settings.drafts.languages == ["de"] and settings.locale("de") == "de_CH"
    assert settings.check.readability["de"].formula == "amstad"
    assert settings.check.readability["fr"].formula == "kandel_moles"

    no_check = "source_language: fr\ntreatments: [t]\nlanguages: [fr]\nlocales: {fr: fr_FR}"  # no final newline
    settings = Settings.model_validate(
        yaml.safe_load(edit_settings(no_check, "content/settings.yaml", "es", "es_ES", "fernandez_huerta"))
    )
    assert settings.drafts.languages == ["es"] and settings.locales == {"fr": "fr_FR", "es": "es_ES"}
    assert settings.check.readability["es"].formula == "fernandez_huerta"

    block_check = "source_language: fr\ntreatments: [t]\nlanguages: [fr]\ncheck:\n  allowed_digits: []\n"
    settings = Settings.model_validate(
        yaml.safe_load(edit_settings(block_check, "content/settings.yaml", "nl", "nl_NL", "flesch_douma"))
    )
    assert settings.check.readability["nl"].formula == "flesch_douma"
    unscored = Settings.model_validate(
        yaml.safe_load(edit_settings(block_check, "content/settings.yaml", "pt", "pt_PT", None))
    )
    assert unscored.check.readability == {}
