"""Translators' round trip: gettext PO export, import with checks, fuzzy entries from git history.

Every test works on a copy of the project (and picks its texts by their state, never by their
wording), so the content can change without breaking them. A translator's tool is played by
polib, the library most gettext tools are built like.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
import yaml
from babel.messages.plurals import get_plural

from conftest import build_pages, copy_project, html_of, run_cli, tree_digest
from patientinfo.content.editing import EntryChange, apply_changes
from patientinfo.content.load import load_treatment
from patientinfo.model import selection as page_model
from patientinfo.translate.catalogue import REVIEWED, entry_fields, language_messages, previous_source_text, source_hash
from patientinfo.translate.po_export import export_file
from patientinfo.translate.po_import import import_po

MSGFMT = shutil.which("msgfmt")
NEEDS_MSGFMT = pytest.mark.skipif(
    MSGFMT is None, reason="msgfmt (Debian package gettext) is not installed here; .ci/run installs it"
)
NEW_ITALIAN = "Testo nuovo scritto dalla traduttrice per la prova"


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        check=True,
        capture_output=True,
    )


def translations(root: Path, *args: str, ci: bool = False) -> subprocess.CompletedProcess:
    return run_cli(root, "translations", *args, env={"CI": "true" if ci else ""})


def export(root: Path, lang: str) -> Path:
    result = translations(root, "export", lang)
    assert result.returncode == 0, result.stderr
    path = root / "translations" / f"{lang}.po"
    assert f"Wrote translations/{lang}.po" in result.stdout
    return path


def targets(root: Path) -> list[str]:
    settings = load_treatment(root, allow_missing_texts=True).settings
    return [lang for lang in settings.languages if lang != settings.source_language]


def entry(po: polib.POFile, context: str) -> polib.POEntry:
    return next(e for e in po if e.msgctxt == context)


def msgstr_line(path: Path, context: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f'msgctxt "{context}"')
    return next(number + 1 for number in range(start, len(lines)) if lines[number].startswith("msgstr"))


def reviewed_fact(root: Path, *, placeholders: bool = False, printed: bool = False) -> str:
    """A fact whose text is reviewed in every language and written on one line in the French file
    (``printed``: one the leaflet prints)."""
    content = load_treatment(root, allow_missing_texts=True)
    on_leaflet = page_model.shown_facts(content, page_model.LEAFLET, printed=True) if printed else None
    french = (root / "content" / "fr" / "mesotherapy" / "facts.yaml").read_text(encoding="utf-8")
    reviewed = None
    for lang in targets(root):
        ids = {
            m.text_id
            for m in language_messages(content, lang, history=False)
            if m.domain == "facts" and m.field == "text" and m.state == REVIEWED and m.text_id in content.facts
        }
        reviewed = ids if reviewed is None else reviewed & ids
    for text_id in content.texts["fr"]["facts"].root:
        text = content.texts["fr"]["facts"].root[text_id].text or ""
        one_line = french.count(json.dumps(text, ensure_ascii=False)) == 1
        wanted = on_leaflet is None or text_id in on_leaflet
        if text_id in (reviewed or set()) and ("{" in text) == placeholders and one_line and wanted:
            return text_id
    raise AssertionError("no reviewed fact written on one line in content/fr/mesotherapy/facts.yaml")


def change_french(root: Path, text_id: str) -> tuple[str, str]:
    path = root / "content" / "fr" / "mesotherapy" / "facts.yaml"
    old = yaml.safe_load(path.read_text(encoding="utf-8"))[text_id]["text"]
    new = old + " Cette phrase a été ajoutée pour le test."
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False), 1), encoding="utf-8"
    )
    return old, new


@pytest.fixture
def git_project(project: Path) -> Path:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "content as reviewed")
    return project


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One project with its Italian PO file; the error tests import into it and must change nothing."""
    root = copy_project(tmp_path_factory.mktemp("exported") / "project")
    return root, export(root, "it")


# --------------------------------------------------------------------------- round trip
def test_export_then_import_without_change_leaves_every_file_byte_identical(project: Path):
    before = tree_digest(project / "content")
    for lang in targets(project):
        path = export(project, lang)
        first = path.read_bytes()
        po = polib.pofile(str(path))
        assert po.metadata["Language"] == lang
        locale = load_treatment(project, allow_missing_texts=True).settings.locale(lang)
        assert po.metadata["Plural-Forms"] == get_plural(locale).plural_forms
        assert re.search(r"\(patientinfo \d+\.\d+", po.metadata["Project-Id-Version"])
        assert len(po) > 50
        result = translations(project, "import", f"translations/{lang}.po")
        assert result.returncode == 0, result.stderr
        assert "No file changed." in result.stdout
        assert " 0 new, 0 changed," in result.stdout and "0 refused" in result.stdout
        assert export(project, lang).read_bytes() == first, "the export is not deterministic"
    assert tree_digest(project / "content") == before


@NEEDS_MSGFMT
def test_every_exported_file_passes_msgfmt_check(project: Path, tmp_path: Path):
    content = load_treatment(project, allow_missing_texts=True)
    for lang in targets(project):
        path = tmp_path / f"{lang}.po"
        export_file(content, lang, path)
        result = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_a_new_translation_goes_where_the_source_has_it(project: Path, tmp_path: Path):
    """An Italian entry removed, then translated again: the file comes back byte for byte."""
    it_file = project / "content" / "it" / "mesotherapy" / "facts.yaml"
    original = it_file.read_text(encoding="utf-8")
    content = load_treatment(project, allow_missing_texts=True)
    text_id = next(
        m.text_id
        for m in language_messages(content, "it", history=False)
        if m.domain == "facts"
        and m.state == REVIEWED
        and m.text_id in content.facts
        and re.search(rf'(?m)^{re.escape(m.text_id)}:\n  text: "[^"\n]*"\n  source_hash: "[0-9a-f]+"\n', original)
    )
    block = re.search(rf'(?m)^{re.escape(text_id)}:\n  text: "[^"\n]*"\n  source_hash: "[0-9a-f]+"\n', original)[0]
    it_file.write_text(original.replace(block, "", 1), encoding="utf-8")

    path = tmp_path / "it.po"
    export_file(load_treatment(project, allow_missing_texts=True), "it", path)
    po = polib.pofile(str(path))
    missing = entry(po, f"facts/{text_id}")
    assert missing.msgstr == "" and "fuzzy" not in missing.flags
    missing.msgstr = yaml.safe_load(block)[text_id]["text"]
    po.save(str(path))
    result = import_po(project, path, "it.po")
    assert not result.errors, result.errors
    assert result.counts["new"] == 1 and result.reviewed == 1
    assert it_file.read_text(encoding="utf-8") == original


def test_clearing_the_fuzzy_mark_confirms_a_translation(project: Path, tmp_path: Path):
    text_id = reviewed_fact(project)
    change_french(project, text_id)
    path = tmp_path / "it.po"
    export_file(load_treatment(project, allow_missing_texts=True), "it", path)
    po = polib.pofile(str(path))
    entry(po, f"facts/{text_id}").flags.remove("fuzzy")
    po.save(str(path))
    it_file = project / "content" / "it" / "mesotherapy" / "facts.yaml"
    text_before = yaml.safe_load(it_file.read_text(encoding="utf-8"))[text_id]["text"]
    result = import_po(project, path, "it.po")
    assert not result.errors and result.reviewed == 1 and result.written == ["content/it/mesotherapy/facts.yaml"]
    data = yaml.safe_load(it_file.read_text(encoding="utf-8"))[text_id]
    assert data["text"] == text_before
    assert data["source_hash"] == source_hash(load_treatment(project).texts["fr"]["facts"].root[text_id])


def test_export_explains_placeholders_and_flags_them(project: Path):
    content = load_treatment(project, allow_missing_texts=True)
    fact = next(f for f in content.facts_file.facts if f.values and f.id in content.texts["fr"]["facts"].root)
    po = polib.pofile(str(export(project, "it")))
    found = entry(po, f"facts/{fact.id}")
    assert "python-brace-format" in found.flags
    assert f"Fact '{fact.id}': category '{fact.category}'" in found.comment.replace("\n", " ")
    for name in fact.values:
        assert f"{{{name}}} = this fact's value '{name}'" in found.comment
    for source_id in fact.sources:
        assert f"Source {source_id}:" in found.comment
    titles = [e for e in po if e.msgctxt.endswith(".title") and e.msgctxt.startswith("pages/")]
    assert titles and all("max-length:60" in e.flags and "Maximum length: 60" in e.comment for e in titles)


def test_export_refuses_a_language_not_in_settings(project: Path):
    result = translations(project, "export", "de")
    assert result.returncode == 2
    assert "'de' is not a language of this site" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- fuzzy from git history
def test_a_changed_french_text_makes_the_italian_entry_fuzzy_with_the_old_text(git_project: Path):
    text_id = reviewed_fact(git_project)
    unchanged_id = reviewed_fact(git_project, placeholders=True)
    old, new = change_french(git_project, text_id)
    git(git_project, "commit", "-q", "-am", "French text changed")

    path = export(git_project, "it")
    po = polib.pofile(str(path))
    changed = entry(po, f"facts/{text_id}")
    italian = yaml.safe_load((git_project / "content/it/mesotherapy/facts.yaml").read_text(encoding="utf-8"))[text_id]
    assert "fuzzy" in changed.flags
    assert changed.previous_msgid == old and changed.msgid == new
    assert changed.msgstr == italian["text"]
    assert "fuzzy" not in entry(po, f"facts/{unchanged_id}").flags
    assert (
        previous_source_text(
            load_treatment(git_project, allow_missing_texts=True), "facts", text_id, italian["source_hash"]
        )
        == old
    )
    if MSGFMT:
        result = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    # Imported untouched, the fuzzy entry stays as it was: nothing is written.
    before = tree_digest(git_project / "content")
    result = import_po(git_project, path, "translations/it.po")
    assert not result.errors and not result.written and result.counts["still fuzzy"] >= 1
    assert tree_digest(git_project / "content") == before


def test_without_git_history_a_stale_entry_is_fuzzy_without_previous_text(project: Path):
    text_id = reviewed_fact(project)
    change_french(project, text_id)
    changed = entry(polib.pofile(str(export(project, "it"))), f"facts/{text_id}")
    assert "fuzzy" in changed.flags and changed.previous_msgid is None
    assert "the source text changed since this translation was reviewed" in changed.comment
    italian = yaml.safe_load((project / "content/it/mesotherapy/facts.yaml").read_text(encoding="utf-8"))[text_id]
    assert (
        previous_source_text(
            load_treatment(project, allow_missing_texts=True), "facts", text_id, italian["source_hash"]
        )
        is None
    )


@pytest.mark.slow
def test_importing_a_translation_publishes_it(git_project: Path):
    text_id = reviewed_fact(git_project, printed=True)
    old, new = change_french(git_project, text_id)
    git(git_project, "commit", "-q", "-am", "French text changed")
    path = export(git_project, "it")
    it_file = git_project / "content" / "it" / "mesotherapy" / "facts.yaml"
    before = it_file.read_text(encoding="utf-8").splitlines()

    # The translator updates the text and clears the fuzzy mark, as Weblate or Poedit would.
    po = polib.pofile(str(path))
    translated = entry(po, f"facts/{text_id}")
    translated.msgstr = NEW_ITALIAN
    translated.flags.remove("fuzzy")
    translated.previous_msgid = translated.previous_msgctxt = None
    po.save(str(path))

    result = translations(git_project, "import", "translations/it.po")
    assert result.returncode == 0, result.stderr
    assert "1 changed" in result.stdout and "1 marked reviewed" in result.stdout
    assert "Changed: content/it/mesotherapy/facts.yaml." in result.stdout
    data = yaml.safe_load(it_file.read_text(encoding="utf-8"))
    french = load_treatment(git_project).texts["fr"]["facts"].root[text_id]
    assert data[text_id]["text"] == NEW_ITALIAN
    assert data[text_id]["source_hash"] == source_hash(french)
    after = it_file.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    assert len([1 for a, b in zip(before, after, strict=True) if a != b]) == 2  # the text and its hash

    build = build_pages(git_project)
    assert build.returncode == 0, build.stderr[-3000:]
    pages = [p for p in (git_project / "site" / "it").rglob("*.html") if NEW_ITALIAN in p.read_text(encoding="utf-8")]
    assert pages, "the imported Italian text is on no page of site/it/"
    # and in the Italian leaflet (the fact is one the leaflet prints)
    leaflet = html.unescape(re.sub(r"<[^>]+>", " ", html_of(load_treatment(git_project), "it", "leaflet")))
    # (a use is listed inside a sentence: its first letter may be in lower case)
    assert " ".join(NEW_ITALIAN.split()).lower() in " ".join(leaflet.split()).lower()


# --------------------------------------------------------------------------- refused imports
def _translated_with_placeholder(po: polib.POFile) -> polib.POEntry:
    return next(e for e in po if "python-brace-format" in e.flags and e.msgstr and "fuzzy" not in e.flags)


def _translated(po: polib.POFile) -> polib.POEntry:
    return next(e for e in po if e.msgctxt.startswith("facts/") and e.msgstr and "fuzzy" not in e.flags)


def _unknown_id(po):
    found = _translated(po)
    found.msgctxt = "facts/no-such-fact"
    return found, "unknown id 'no-such-fact'"


def _placeholder_missing(po):
    found = _translated_with_placeholder(po)
    name = re.search(r"\{([^}]+)\}", found.msgid)[1]
    found.msgstr = found.msgstr.replace(f"{{{name}}}", "")
    return found, f"placeholder '{{{name}}}' is missing"


def _placeholder_added(po):
    found = _translated(po)
    found.msgstr += " {sessions_typo}"
    return found, "placeholder '{sessions_typo}' is not in the source text"


def _digit(po):
    found = _translated(po)
    found.msgstr += " In 2 casi."
    return found, "types the number '2'"


def _markup(po):
    found = _translated(po)
    found.msgstr += " <script>alert(1)</script>"
    return found, "contains HTML or template syntax"


@pytest.mark.parametrize("breakage", [_unknown_id, _placeholder_missing, _placeholder_added, _digit, _markup])
def test_an_import_error_names_file_and_line_and_changes_nothing(exported, breakage, tmp_path: Path):
    root, path = exported
    before = tree_digest(root / "content")
    po = polib.pofile(str(path))
    broken, message = breakage(po)
    target = tmp_path / "it.po"
    po.save(str(target))
    result = translations(root, "import", str(target))
    assert result.returncode == 1
    line = msgstr_line(target, broken.msgctxt)
    assert re.search(rf"^{re.escape(str(target))}:{line}: .*{re.escape(message)}", result.stderr, re.M), result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert "1 refused" in result.stdout
    assert tree_digest(root / "content") == before


def test_a_file_that_is_not_po_is_reported_at_its_line(exported, tmp_path: Path):
    root, path = exported
    before = tree_digest(root / "content")
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 30)
    lines[number] = 'msgstr "an unescaped " quote"'
    target = tmp_path / "broken.po"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = translations(root, "import", str(target))
    assert result.returncode == 1
    assert f"{target}:{number + 1}: not a valid PO file" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(root / "content") == before


def test_a_po_file_for_a_language_not_in_settings_is_refused(exported, tmp_path: Path):
    root, path = exported
    target = tmp_path / "de.po"
    target.write_text(path.read_text(encoding="utf-8").replace('"Language: it\\n"', '"Language: de\\n"'), "utf-8")
    line = target.read_text(encoding="utf-8").splitlines().index('"Language: de\\n"') + 1
    result = translations(root, "import", str(target))
    assert result.returncode == 1
    assert f"{target}:{line}: language 'de' is not a language of this site" in result.stderr


def test_an_empty_translation_is_no_change_and_a_fuzzy_one_stays_a_draft(exported, tmp_path: Path):
    root, path = exported
    before = tree_digest(root / "content")
    po = polib.pofile(str(path))
    emptied = _translated(po)
    emptied.msgstr = ""
    draft = next(e for e in po if e.msgstr and "fuzzy" not in e.flags and e is not emptied)
    draft.flags.append("fuzzy")
    draft.msgstr = NEW_ITALIAN
    target = tmp_path / "it.po"
    po.save(str(target))
    result = translations(root, "import", str(target))
    assert result.returncode == 0, result.stderr
    assert f"{target}:{msgstr_line(target, draft.msgctxt)}: '{draft.msgctxt}' is still marked fuzzy" in result.stdout
    assert "kept as a draft" in result.stdout and "No file changed." in result.stdout
    assert tree_digest(root / "content") == before


# --------------------------------------------------------------------------- one code path for both shapes
def test_plain_strings_and_mappings_are_one_shape():
    assert entry_fields("Un texte") == entry_fields({"text": "Un texte", "source_hash": "0123456789ab"})
    assert entry_fields({"forms": {"one": "{n} a", "other": "{n} b"}, "note": "x"}) == {
        "forms.one": "{n} a",
        "forms.other": "{n} b",
        "note": "x",
    }


def test_yaml_edits_touch_only_the_changed_values():
    before = (
        "# header comment\n"
        'plain: "Vecchio"\n'
        "block: |\n"
        "  Riga uno.\n"
        "\n"
        "  Riga due.\n"
        "\n"
        "# section\n"
        "mapped:\n"
        '  text: "Testo"   # a comment\n'
        '  source_hash: "0123456789ab"\n'
        "unit.x:\n"
        '  forms: {one: "{n} cosa", other: "{n} cose"}\n'
        "last: 'keep'\n"
    )
    changes = [
        EntryChange("plain", {"text": "Nuovo"}, "aaaaaaaaaaaa"),
        EntryChange("block", {"text": "Uno.\n\nDue e tre."}),
        EntryChange("mapped", {"note": "Una nota"}, "bbbbbbbbbbbb"),
        EntryChange("unit.x", {"forms.=1": "una cosa sola"}),
        EntryChange("added", {"text": "Aggiunto"}, "cccccccccccc"),
    ]
    after = apply_changes(before, changes, ["plain", "block", "mapped", "unit.x", "added", "last"])
    assert after == (
        "# header comment\n"
        "plain:\n"
        '  text: "Nuovo"\n'
        '  source_hash: "aaaaaaaaaaaa"\n'
        "block: |\n"
        "  Uno.\n"
        "\n"
        "  Due e tre.\n"
        "\n"
        "# section\n"
        "mapped:\n"
        '  text: "Testo"   # a comment\n'
        '  note: "Una nota"\n'
        '  source_hash: "bbbbbbbbbbbb"\n'
        "unit.x:\n"
        '  forms: {one: "{n} cosa", other: "{n} cose", "=1": "una cosa sola"}\n'
        "added:\n"
        '  text: "Aggiunto"\n'
        '  source_hash: "cccccccccccc"\n'
        "last: 'keep'\n"
    )
    assert apply_changes(before, [], []) == before


def test_yaml_edits_keep_block_and_flow_styles_and_trailing_comments():
    before = (
        "a:\n"
        "  text: |\n"
        "    Uno.\n"
        "\n"
        "    Due.\n"
        '  source_hash: "0123456789ab"\n'
        "\n"
        "# section\n"
        'c: "x"  # keep me\n'
        'd: {text: "flow", source_hash: "0123456789ab"}\n'
        'e: "no newline at the end"'
    )
    changes = [
        EntryChange("a", {"text": "Nuovo uno.\n\nNuovo due."}, "aaaaaaaaaaaa"),
        EntryChange("c", {}, "cccccccccccc"),
        EntryChange("d", {"text": "flusso", "note": "nota"}, "dddddddddddd"),
        EntryChange("f", {"text": "in fondo"}),
    ]
    assert apply_changes(before, changes, ["a", "c", "d", "e", "f"]) == (
        "a:\n"
        "  text: |\n"
        "    Nuovo uno.\n"
        "\n"
        "    Nuovo due.\n"
        '  source_hash: "aaaaaaaaaaaa"\n'
        "\n"
        "# section\n"
        "c:\n"
        '  text: "x"\n'
        '  source_hash: "cccccccccccc"  # keep me\n'
        'd: {text: "flusso", source_hash: "dddddddddddd", note: "nota"}\n'
        'e: "no newline at the end"\n'
        "f:\n"
        '  text: "in fondo"\n'
    )
