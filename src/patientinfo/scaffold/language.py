"""``patientinfo add-language CODE``: everything a new language needs, with every text still to write.

It edits the text of ``content/settings.yaml`` (languages, locales, readability rule), so its
comments and layout stay as they are (the site's languages follow it: mkdocs.yml does not list
them); it creates ``content/CODE/ui.yaml`` and ``content/CODE/<treatment>/*.yaml``, where every
text of the source language is written out as a comment (the id and the French words to
translate). Those files are valid YAML with no text in them, so the build stops and names every
missing text, and the check reports them as missing; ``translations export CODE`` gives
translators a PO file of them. It also copies the editors' guide into ``docs/CODE/``, marked as not translated yet.

Everything is worked out and checked before the first file is written: a refused language
(unknown to Babel, upper case, already there) changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from pydantic import ValidationError

from patientinfo.check.readability import DEFAULT_MIN, default_formula
from patientinfo.content.load import TEXT_DOMAINS, text_path
from patientinfo.content.reading import load_yaml
from patientinfo.content.schema import Settings
from patientinfo.errors import ContentError

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/texts.schema.json"
LOCALE_PATTERN = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")  # schema.LocaleCode
DOMAIN_WORDS = {
    "facts": "the texts of the facts",
    "pages": "the titles, introductions and headings of the pages",
    "ui": "the interface words, unit names and patterns",
    "documents": "the consultation documents (questionnaire, consent form, record card, large-print leaflet)",
}


class ScaffoldError(Exception):
    """A language that cannot be added, in plain words (the command exits with status 2)."""


@dataclass
class AddedLanguage:
    code: str
    name: str  # in the language itself, as the language switcher shows it ("Deutsch")
    english_name: str
    locale: str
    formula: str | None
    locale_chosen: bool = False  # given with --locale, rather than Babel's most likely one
    changed: list[str] = field(default_factory=list)  # files edited, relative to the project
    created: list[str] = field(default_factory=list)  # files created
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- checks
def check_code(code: str) -> Locale:
    """The Babel locale of a two-letter language code, or a ScaffoldError saying what is wrong."""
    if re.fullmatch(r"[A-Za-z]{2}", code) and code != code.lower():
        raise ScaffoldError(f"language codes are written in lower case: use '{code.lower()}', not '{code}'")
    if not re.fullmatch(r"[a-z]{2}", code):
        raise ScaffoldError(
            f"'{code}' is not a two-letter language code: use the ISO 639-1 code of the language, like de, es or pt"
        )
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise ScaffoldError(
            f"'{code}' is not a language Babel knows (it has no names, number formats or plural rules for it): "
            f"use the ISO 639-1 code of the language, like de, es or pt"
        ) from None


def choose_locale(code: str, wanted: str | None) -> str:
    """``wanted`` if it is a locale of language ``code``; else the language's most likely country."""
    if wanted is not None:
        if not LOCALE_PATTERN.match(wanted):
            raise ScaffoldError(f"--locale '{wanted}' must be a locale code like {code}_{code.upper()} or {code}")
        try:
            parsed = Locale.parse(wanted)
        except (UnknownLocaleError, ValueError):
            raise ScaffoldError(f"--locale '{wanted}' is not a locale Babel knows") from None
        if parsed.language != code:
            raise ScaffoldError(f"--locale '{wanted}' is a locale of '{parsed.language}', not of '{code}'")
        return wanted
    likely = str(get_global("likely_subtags").get(code, code))  # de -> de_Latn_DE
    territory = likely.split("_")[-1]
    if re.fullmatch(r"[A-Z]{2}", territory):
        candidate = f"{code}_{territory}"
        try:
            Locale.parse(candidate)
            return candidate
        except (UnknownLocaleError, ValueError):
            pass
    return code


def display_name(locale: Locale) -> str:
    """The language's name in itself, capitalised as a menu entry: "Deutsch", "Español"."""
    name = locale.get_language_name(locale.language) or locale.english_name or locale.language
    return name[:1].upper() + name[1:]


# --------------------------------------------------------------------------- text editing
def _compose(text: str, shown: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ScaffoldError(f"{shown} cannot be read as YAML ({exc}); fix it first") from None
    if not isinstance(node, yaml.MappingNode):
        raise ScaffoldError(f"{shown} does not hold 'name: value' lines; fix it first")
    return node


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key:
                return value
    return None


def _last_leaf(node: yaml.Node) -> yaml.Node:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value and not node.flow_style:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    return node


def _after_line(text: str, node: yaml.Node) -> int:
    """The position just after the line where ``node`` ends (its comment included)."""
    end = _last_leaf(node).end_mark.index
    if end > 0 and text[end - 1] == "\n":  # a block scalar ends with its line
        return end
    newline = text.find("\n", end)
    return len(text) if newline == -1 else newline + 1


def _insert_lines(text: str, position: int, lines: str) -> str:
    if position == len(text) and text and not text.endswith("\n"):
        lines = "\n" + lines
    return text[:position] + lines + text[position:]


def _append_item(text: str, sequence: yaml.SequenceNode, item: str, block_item: str | None = None) -> str:
    """Add ``item`` at the end of a YAML sequence: ``[a, b]`` -> ``[a, b, item]``; in a block
    sequence, a ``- item`` line (or ``block_item``, already indented after its dash) below the last."""
    if sequence.flow_style:
        if sequence.value:
            end = sequence.value[-1].end_mark.index
            return text[:end] + f", {item}" + text[end:]
        opening = sequence.start_mark.index + 1
        return text[:opening] + item + text[opening:]
    last = sequence.value[-1]
    line_start = text.rfind("\n", 0, last.start_mark.index) + 1
    dash = text.rfind("-", line_start, last.start_mark.index)
    indent = " " * (dash - line_start)
    return _insert_lines(text, _after_line(text, sequence), f"{indent}- {block_item or item}\n")


def _add_key(text: str, mapping: yaml.MappingNode, key: str, value: str) -> str:
    """Add ``key: value`` as the last entry of a mapping, flow (``{...}``) or block."""
    if mapping.flow_style:
        if mapping.value:
            end = mapping.value[-1][1].end_mark.index
            return text[:end] + f", {key}: {value}" + text[end:]
        opening = mapping.start_mark.index + 1
        return text[:opening] + f"{key}: {value}" + text[opening:]
    indent = " " * mapping.value[0][0].start_mark.column
    return _insert_lines(text, _after_line(text, mapping), f"{indent}{key}: {value}\n")


def _rule(formula: str) -> str:
    return f"{{formula: {formula}, min: {DEFAULT_MIN:g}}}"


def edit_settings(text: str, code: str, locale: str, formula: str | None) -> str:
    """content/settings.yaml with ``code`` added to languages, locales and (if a formula is
    known) check.readability; everything else, comments included, stays as it is."""
    shown = "content/settings.yaml"
    languages = _child(_compose(text, shown), "languages")
    if not isinstance(languages, yaml.SequenceNode) or not languages.value:
        raise ScaffoldError(f"{shown}: 'languages' must be a list of language codes; fix it first")
    text = _append_item(text, languages, code)

    root = _compose(text, shown)
    locales = _child(root, "locales")
    if isinstance(locales, yaml.MappingNode) and (locales.value or locales.flow_style):
        text = _add_key(text, locales, code, locale)
    elif locales is None:
        text = _insert_lines(text, _after_line(text, _child(root, "languages")), f"locales:\n  {code}: {locale}\n")
    else:
        raise ScaffoldError(f"{shown}: 'locales' must be 'language: locale' lines; fix it first")

    if formula is None:
        return text
    root = _compose(text, shown)
    check = _child(root, "check")
    if check is None:
        return _insert_lines(text, len(text), f"check:\n  readability:\n    {code}: {_rule(formula)}\n")
    if not isinstance(check, yaml.MappingNode) or not (check.value or check.flow_style):
        raise ScaffoldError(f"{shown}: 'check' must be a group of 'name: value' lines; fix it first")
    readability = _child(check, "readability")
    if readability is None:
        if check.flow_style:
            return _add_key(text, check, "readability", f"{{{code}: {_rule(formula)}}}")
        indent = " " * check.value[0][0].start_mark.column
        return _insert_lines(
            text, _after_line(text, check), f"{indent}readability:\n{indent}  {code}: {_rule(formula)}\n"
        )
    if not isinstance(readability, yaml.MappingNode) or not (readability.value or readability.flow_style):
        raise ScaffoldError(f"{shown}: 'check.readability' must be 'language: rule' lines; fix it first")
    return _add_key(text, readability, code, _rule(formula))


# --------------------------------------------------------------------------- new files
def first_line(root: Path, domain: str, source: str, treatment: str) -> str:
    """The schema line of an existing text file (``content/en/`` first, as the other languages)."""
    for lang in ("en", source):
        path = root / text_path(lang, domain, treatment)
        try:
            line = path.read_text(encoding="utf-8").split("\n", 1)[0].strip()
        except (OSError, UnicodeDecodeError):
            continue
        if line.startswith("# yaml-language-server:"):
            return line
    return SCHEMA_LINE


def commented_texts(source_text: str, shown: str) -> list[str]:
    """Every entry of a source-language text file as comment lines (``# id: "text"``), in order;
    a blank line where the source file separates groups of entries."""
    if not source_text.strip():
        return []
    try:
        root = yaml.compose(source_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ScaffoldError(f"{shown} cannot be read as YAML ({exc}); fix it first") from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise ScaffoldError(f"{shown} does not hold 'id: text' lines; fix it first")
    lines: list[str] = []
    previous_end = None
    for key, value in root.value:
        start = source_text.rfind("\n", 0, key.start_mark.index) + 1
        end = _after_line(source_text, value)
        if previous_end is not None and start > previous_end:
            lines.append("")  # the source separates these entries (a blank line or a comment)
        for line in source_text[start:end].rstrip("\n").split("\n"):
            if re.match(r"^\s+source_hash:", line):
                continue
            lines.append(f"# {line}" if line.strip() else "#")
        previous_end = end
    return lines


def text_file(root: Path, domain: str, source: str, added: AddedLanguage, treatment: str) -> str:
    shown = text_path(source, domain, treatment)
    source_path = root / shown
    try:
        load_yaml(source_path, root)  # refuses what the build would refuse (a link outside, a bad byte...)
        source_text = source_path.read_text(encoding="utf-8")
    except ContentError as exc:
        raise ScaffoldError(f"{exc}\nfix {shown} first") from None
    source_name = Locale.parse(source).english_name
    header = [
        first_line(root, domain, source, treatment),
        f"# {added.english_name} ({added.name}) texts: {DOMAIN_WORDS.get(domain, domain)}.",
        f"# Made by 'patientinfo add-language {added.code}' from {shown}: no text is translated yet.",
        f"# Each text is below as a comment, with its id and the {source_name} words to translate. To translate",
        f"# one, remove the '# ' at the start of its lines and write the {added.english_name} words in place of the",
        f"# {source_name} ones. Keep every {{placeholder}}, *emphasis* and [link](https://...) as it is; never",
        "# type a number. Until every text is there, the build stops and lists the missing ones.",
        "",
    ]
    return "\n".join(header + commented_texts(source_text, shown)) + "\n"


def editors_guide(root: Path, source: str, added: AddedLanguage) -> tuple[str, str] | None:
    """The English (or source-language) editors' guide, marked as not translated: (from, text)."""
    for lang in ("en", source):
        path = root / "docs" / lang / "editors.md"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            note = (
                f'!!! note "Not translated yet"\n'
                f"    This guide has not been translated into {added.english_name} ({added.name}) yet: "
                f"it is a copy of docs/{lang}/editors.md.\n\n"
            )
            # After the front matter and the page's heading, which stay first.
            match = re.match(r"(?:---\n.*?\n---\n)?\s*(?:# [^\n]*\n\n?)?", text, flags=re.S)
            cut = match.end() if match else 0
            return f"docs/{lang}/editors.md", text[:cut] + note + text[cut:]
    return None


# --------------------------------------------------------------------------- the command
def add_language(root: Path, code: str, locale: str | None = None) -> AddedLanguage:
    """Add language ``code`` to the project at ``root``; a ScaffoldError changes nothing."""
    babel_locale = check_code(code)
    settings_path = root / "content" / "settings.yaml"
    try:
        settings_doc = load_yaml(settings_path, root)
        settings = Settings.model_validate(settings_doc.data)
    except ContentError as exc:
        raise ScaffoldError(f"{exc}\nfix content/settings.yaml first (patientinfo check says more)") from None
    except ValidationError:
        raise ScaffoldError("content/settings.yaml has errors: run 'patientinfo check' and fix them first") from None
    if code in settings.languages:
        raise ScaffoldError(
            f"'{code}' is already a language of this site (content/settings.yaml languages: "
            f"{', '.join(settings.languages)})"
        )
    folder = root / "content" / code
    if folder.exists() or folder.is_symlink():
        raise ScaffoldError(
            f"content/{code}/ already exists, but '{code}' is not in content/settings.yaml: "
            f"move it away (or delete it) and run the command again"
        )
    source = settings.source_language
    added = AddedLanguage(
        code=code,
        name=display_name(babel_locale),
        english_name=babel_locale.english_name or code,
        locale=choose_locale(code, locale),
        formula=default_formula(code),
        locale_chosen=locale is not None,
    )

    writes: dict[str, str] = {}
    settings_text = settings_path.read_text(encoding="utf-8")
    new_settings = edit_settings(settings_text, code, added.locale, added.formula)
    try:
        checked = Settings.model_validate(yaml.safe_load(new_settings))
    except (yaml.YAMLError, ValidationError) as exc:  # a layout this editing does not handle
        raise ScaffoldError(
            f"content/settings.yaml could not be edited automatically ({exc.__class__.__name__}); add '{code}' "
            f"by hand: see the editors' guide, 'Add a language'"
        ) from None
    if code not in checked.languages or checked.locale(code) != added.locale:
        raise ScaffoldError(f"content/settings.yaml could not be edited automatically; add '{code}' by hand")
    writes["content/settings.yaml"] = new_settings

    # The site's menu, language switcher and search follow content/settings.yaml: mkdocs.yml is not edited.
    writes[text_path(code, "ui", "")] = text_file(root, "ui", source, added, "")
    for treatment in checked.treatments:
        for domain in TEXT_DOMAINS:
            if domain != "ui":
                writes[text_path(code, domain, treatment)] = text_file(root, domain, source, added, treatment)

    guide_target = f"docs/{code}/editors.md"
    if (root / guide_target).exists():
        added.notes.append(f"{guide_target} already exists: left as it is")
    else:
        guide = editors_guide(root, source, added)
        if guide is not None:
            writes[guide_target] = guide[1]

    added.created, added.changed = write_files(root, writes)
    return added


def write_files(root: Path, writes: dict[str, str]) -> tuple[list[str], list[str]]:
    """Write every file (relative path -> text), once all were worked out; (created, changed)."""
    created: list[str] = []
    changed: list[str] = []
    for relative, text in writes.items():
        path = root / relative
        (changed if path.exists() else created).append(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return created, changed


def next_steps(added: AddedLanguage) -> str:
    code = added.code
    formula = (
        f"readability rule {added.formula} (min {DEFAULT_MIN:g})"
        if added.formula
        else f"no readability rule: no formula is known for '{code}', so its pages are not scored"
    )
    lines = [
        f"Added {added.english_name} ({added.name}), code '{code}', locale {added.locale}; {formula}.",
        *(f"  changed {path}" for path in added.changed),
        *(f"  created {path}" for path in added.created),
        *(f"  note: {note}" for note in added.notes),
        *(
            []
            if added.locale_chosen
            else [
                f"  note: {added.locale} is Babel's most likely locale for '{code}' (numbers, dates); for another "
                f"country, change it under locales: in content/settings.yaml"
            ]
        ),
        "",
        "Next steps:",
        f"  1. Translate every text. Either edit content/{code}/ (each text is there as a comment: remove",
        "     the '# ' and translate it), or give translators a PO file (Weblate, Poedit...):",
        f"       python -m patientinfo translations export {code}      # writes translations/{code}.po",
        f"       python -m patientinfo translations import translations/{code}.po",
        "  2. python -m patientinfo check    lists the texts still missing, untranslated (the same as in",
        "     another language) or unreviewed.",
        "  3. python -m patientinfo build    stops and lists the missing texts until every one is translated.",
        f"  4. Translate docs/{code}/editors.md, the editors' guide (a copy of another language's until then).",
    ]
    return "\n".join(lines)
