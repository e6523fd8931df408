"""``patientinfo add-language CODE``: everything a new language needs, with every text still to write.

It edits the text of ``content/settings.yaml`` (languages, locales, readability rule), so its
comments and layout stay as they are (the site's languages follow it: mkdocs.yml does not list
them); it creates ``content/CODE/ui.yaml`` and ``content/CODE/<treatment>/*.yaml``, where every
text of the source language is written out as a comment (the id and the French words to
translate). The language is a draft (settings ``drafts: languages``): the published site goes on
without it, the preview shows it with a draft band, the check shows its progress, and
``patientinfo publish CODE`` puts it on the site once every text is written; ``translations export CODE`` gives
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
from patientinfo.content import editing
from patientinfo.content.layout import Layout
from patientinfo.content.load import as_layout
from patientinfo.content.model import SHARED_DOMAINS, TREATMENT_DOMAINS
from patientinfo.content.reading import load_yaml
from patientinfo.content.schema import Settings
from patientinfo.errors import ContentError
from patientinfo.messages import _, speaking

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/texts.schema.json"
LOCALE_PATTERN = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")  # schema.LocaleCode
DOMAIN_WORDS = {
    "facts": "the texts of the facts",
    "pages": "the titles, introductions and headings of the pages",
    "ui": "the interface words, unit names and patterns",
    "documents": "the consultation documents (questionnaire, consent form, record card, large-print leaflet)",
    "country": "what patients of each country need (reporting a side effect, emergency numbers, the law)",
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
    content_dir: str = "content"  # the project's content folder, for the next steps
    changed: list[str] = field(default_factory=list)  # files edited, relative to the project
    created: list[str] = field(default_factory=list)  # files created
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- checks
def check_code(code: str) -> Locale:
    """The Babel locale of a two-letter language code, or a ScaffoldError saying what is wrong."""
    if re.fullmatch(r"[A-Za-z]{2}", code) and code != code.lower():
        raise ScaffoldError(
            _("language codes are written in lower case: use '{lower}', not '{code}'").format(
                lower=code.lower(), code=code
            )
        )
    if not re.fullmatch(r"[a-z]{2}", code):
        raise ScaffoldError(
            _(
                "'{code}' is not a two-letter language code: use the ISO 639-1 code of the language, like de, es or pt"
            ).format(code=code)
        )
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise ScaffoldError(
            _(
                "'{code}' is not a language Babel knows (it has no names, number formats or plural rules for it): "
                "use the ISO 639-1 code of the language, like de, es or pt"
            ).format(code=code)
        ) from None


def choose_locale(code: str, wanted: str | None) -> str:
    """``wanted`` if it is a locale of language ``code``; else the language's most likely country."""
    if wanted is not None:
        if not LOCALE_PATTERN.match(wanted):
            raise ScaffoldError(
                _("--locale '{wanted}' must be a locale code like {example} or {code}").format(
                    wanted=wanted, example=f"{code}_{code.upper()}", code=code
                )
            )
        try:
            parsed = Locale.parse(wanted)
        except (UnknownLocaleError, ValueError):
            raise ScaffoldError(_("--locale '{wanted}' is not a locale Babel knows").format(wanted=wanted)) from None
        if parsed.language != code:
            raise ScaffoldError(
                _("--locale '{wanted}' is a locale of '{other}', not of '{code}'").format(
                    wanted=wanted, other=parsed.language, code=code
                )
            )
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


# --------------------------------------------------------------------------- settings
def _rule(formula: str) -> str:
    return f"{{formula: {formula}, min: {DEFAULT_MIN:g}}}"


def add_draft(text: str, shown: str, kind: str, name: str) -> str:
    """The settings with ``name`` added to the drafts' ``kind`` (languages or treatments): it is
    shown by the preview, not published, until ``patientinfo publish`` moves it."""
    drafts = editing.child(editing.compose(text, shown), "drafts")
    if drafts is None:
        other = "treatments" if kind == "languages" else "languages"
        return editing.add_key(text, shown, (), "drafts", {kind: f"[{name}]", other: "[]"})
    if editing.child(drafts, kind) is None:
        return editing.add_key(text, shown, ("drafts",), kind, f"[{name}]")
    return editing.append_item(text, shown, ("drafts", kind), name)


def edit_settings(text: str, shown: str, code: str, locale: str, formula: str | None) -> str:
    """The settings with ``code`` added to the draft languages, locales and (if a formula is known)
    check.readability; everything else, comments included, stays as it is (the YAML editor
    parses each edit again)."""
    try:
        text = add_draft(text, shown, "languages", code)
        root = editing.compose(text, shown)
        if editing.child(root, "locales") is None:
            text = editing.add_key(text, shown, (), "locales", {code: locale})
        else:
            text = editing.add_key(text, shown, ("locales",), code, locale)
        if formula is None:
            return text
        check = editing.child(editing.compose(text, shown), "check")
        if check is None:
            return editing.add_key(text, shown, (), "check", {"readability": f"{{{code}: {_rule(formula)}}}"})
        if editing.child(check, "readability") is None:
            return editing.add_key(text, shown, ("check",), "readability", {code: _rule(formula)})
        return editing.add_key(text, shown, ("check", "readability"), code, _rule(formula))
    except editing.EditError as exc:
        raise ScaffoldError(exc.message) from None


# --------------------------------------------------------------------------- new files
def first_line(layout: Layout, domain: str, source: str, treatment: str) -> str:
    """The schema line of an existing text file (English first, as the other languages)."""
    for lang in ("en", source):
        path = layout.path(layout.texts(lang, domain, treatment))
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
        raise ScaffoldError(
            _("{file} cannot be read as YAML ({error}); fix it first").format(file=shown, error=exc)
        ) from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise ScaffoldError(_("{file} does not hold 'id: text' lines; fix it first").format(file=shown))
    lines: list[str] = []
    previous_end = None
    for key, value in root.value:
        start = source_text.rfind("\n", 0, key.start_mark.index) + 1
        end = editing.after_line(source_text, value)
        if previous_end is not None and start > previous_end:
            lines.append("")  # the source separates these entries (a blank line or a comment)
        for line in source_text[start:end].rstrip("\n").split("\n"):
            if re.match(r"^\s+source_hash:", line):
                continue
            lines.append(f"# {line}" if line.strip() else "#")
        previous_end = end
    return lines


def text_file(layout: Layout, domain: str, source: str, added: AddedLanguage, treatment: str) -> str:
    shown = layout.texts(source, domain, treatment)
    source_path = layout.path(shown)
    try:
        load_yaml(source_path, layout.root)  # refuses what the build would refuse (a link outside, a bad byte...)
        source_text = source_path.read_text(encoding="utf-8")
    except ContentError as exc:
        raise ScaffoldError(f"{exc}\n" + _("fix {file} first").format(file=shown)) from None
    source_name = Locale.parse(source).english_name
    header = [
        first_line(layout, domain, source, treatment),
        f"# {added.english_name} ({added.name}) texts: {DOMAIN_WORDS.get(domain, domain)}.",
        f"# Made by 'patientinfo add-language {added.code}' from {shown}: no text is translated yet.",
        f"# Each text is below as a comment, with its id and the {source_name} words to translate. To translate",
        f"# one, remove the '# ' at the start of its lines and write the {added.english_name} words in place of the",
        f"# {source_name} ones. Keep every {{placeholder}}, *emphasis* and [link](https://...) as it is; never",
        "# type a number. Until every text is there, the language is a draft: the preview shows it, the site does not.",
        "",
    ]
    return "\n".join(header + commented_texts(source_text, shown)) + "\n"


def editors_guide(layout: Layout, source: str, added: AddedLanguage) -> tuple[str, str] | None:
    """The English (or source-language) editors' guide, marked as not translated: (from, text)."""
    for lang in ("en", source):
        path = layout.docs / lang / "editors.md"
        if path.is_file():
            # Its screenshots show another language's editor, in that language's folder: left out.
            text = re.sub(r"\n *!\[[^\]]*\]\(images/[^)]*\)\n", "\n", path.read_text(encoding="utf-8"))
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
def add_language(where: Layout | Path, code: str, locale: str | None = None) -> AddedLanguage:
    """Add language ``code`` to the project; a ScaffoldError changes nothing."""
    layout = as_layout(where)
    babel_locale = check_code(code)
    shown = layout.settings
    settings = _read_settings(layout)
    if code in settings.languages or code in settings.drafts.languages:
        every = ", ".join([*settings.languages, *settings.drafts.languages])
        raise ScaffoldError(
            _("'{code}' is already a language of this site ({file}, languages and drafts: {every})").format(
                code=code, file=shown, every=every
            )
        )
    folder = layout.language_folder(code)
    if layout.path(folder).exists() or layout.path(folder).is_symlink():
        raise ScaffoldError(
            _(
                "{folder}/ already exists, but '{code}' is not in {file}: "
                "move it away (or delete it) and run the command again"
            ).format(folder=folder, code=code, file=shown)
        )
    source = settings.source_language
    added = AddedLanguage(
        code=code,
        name=display_name(babel_locale),
        english_name=babel_locale.english_name or code,
        locale=choose_locale(code, locale),
        formula=default_formula(code),
        locale_chosen=locale is not None,
        content_dir=layout.content_dir,
    )
    # The site's menu, language switcher and search follow the settings: mkdocs.yml is not edited.
    settings_text = layout.path(shown).read_text(encoding="utf-8")
    writes = {shown: edit_settings(settings_text, shown, code, added.locale, added.formula)}
    for domain in SHARED_DOMAINS:
        if layout.path(layout.texts(source, domain, "")).exists():
            writes[layout.texts(code, domain, "")] = text_file(layout, domain, source, added, "")
    for treatment in [*settings.treatments, *settings.drafts.treatments]:
        for domain in TREATMENT_DOMAINS:
            writes[layout.texts(code, domain, treatment)] = text_file(layout, domain, source, added, treatment)
    guide_target = f"docs/{code}/editors.md"
    if layout.path(guide_target).exists():
        added.notes.append(_("{file} already exists: left as it is").format(file=guide_target))
    else:
        guide = editors_guide(layout, source, added)
        if guide is not None:
            writes[guide_target] = guide[1]
    added.created, added.changed = write_files(layout.root, writes)
    return added


def _read_settings(layout: Layout) -> Settings:
    try:
        settings_doc = load_yaml(layout.path(layout.settings), layout.root)
        return Settings.model_validate(settings_doc.data)
    except ContentError as exc:
        raise ScaffoldError(
            f"{exc}\n" + _("fix {file} first (scripts/check says more)").format(file=layout.settings)
        ) from None
    except ValidationError:
        raise ScaffoldError(
            _("{file} has errors: run scripts/check and fix them first").format(file=layout.settings)
        ) from None


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
    """What the command did and what to do next, in the editor's language."""
    code = added.code
    name = Locale.parse(code).get_display_name(speaking()) or added.english_name
    formula = (
        _("readability rule {formula} (min {minimum})").format(formula=added.formula, minimum=f"{DEFAULT_MIN:g}")
        if added.formula
        else _("no readability rule: no formula is known for '{code}', so its pages are not scored").format(code=code)
    )
    default_locale = _(
        "{locale} is Babel's most likely locale for '{code}' (numbers, dates); for another country, "
        "change it under locales: in {file}"
    ).format(locale=added.locale, code=code, file=f"{added.content_dir}/settings.yaml")
    lines = [
        _("Added {name} ({own_name}), code '{code}', locale {locale}; {formula}.").format(
            name=name, own_name=added.name, code=code, locale=added.locale, formula=formula
        ),
        *(_("  changed {file}").format(file=path) for path in added.changed),
        *(_("  created {file}").format(file=path) for path in added.created),
        *(_("  note: {note}").format(note=note) for note in added.notes),
        *([] if added.locale_chosen else [_("  note: {note}").format(note=default_locale)]),
        "",
        _("Next steps:"),
        _(
            "  1. Translate every text. Either edit {folder} (each text is there as a comment: remove the '# '"
            " and translate it), or give translators a PO file (Weblate, Poedit...):"
        ).format(folder=f"{added.content_dir}/{code}/"),
        f"       scripts/patientinfo translations export {code}",
        f"       scripts/patientinfo translations import translations/{code}.po",
        _(
            "  2. '{code}' is a draft: the published site goes on without it. scripts/serve shows it with a draft"
            " band; scripts/check shows how many texts are written, per file."
        ).format(code=code),
        _("  3. Once every text is written, this puts it on the site:"),
        f"       scripts/patientinfo publish {code}",
        _("  4. Translate {file}, the editors' guide (a copy of another language's until then).").format(
            file=f"docs/{code}/editors.md"
        ),
    ]
    return "\n".join(lines)
