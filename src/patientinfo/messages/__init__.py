"""The tool's own messages (errors, findings, command output, help) in the editor's language.

The catalogues are gettext PO files beside this module (``fr.po``, ``it.po``), read with Babel
and compiled in memory; English, the language of the source code, needs none. The entry points
(the command line, the MkDocs plugin) choose the language once, from ``PATIENTINFO_LANGUAGE`` or
the editor's locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), through
``BuildContext.messages``; code below them only calls ``_``. A message without a translation
stays in English: a tool message is not a patient text, and English is the documented default.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

HERE = Path(__file__).parent
LANGUAGES = ("en", "fr", "it")  # English is the source language of the messages
_current: list[gettext.NullTranslations] = [gettext.NullTranslations()]
_speaking = ["en"]


def catalogue_path(lang: str) -> Path:
    return HERE / f"{lang}.po"


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en" or not catalogue_path(lang).is_file():
        return gettext.NullTranslations()
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def use(lang: str) -> None:
    """Speak ``lang`` from now on (an unknown language is English)."""
    _speaking[0] = lang if lang in LANGUAGES else "en"
    _current[0] = _translations(_speaking[0])


def speaking() -> str:
    """The language the messages are in now (to name other things in it: languages, fields)."""
    return _speaking[0]


def _(message: str) -> str:
    """``message`` in the chosen language (English when it has no translation yet)."""
    return _current[0].gettext(message)


def N_(message: str) -> str:
    """Marks a message for translation where it is defined (a table); ``_`` translates it where used."""
    return message


def language_of(environ: Mapping[str, str]) -> str:
    """The editor's language: ``PATIENTINFO_LANGUAGE``, else the first locale variable set, read
    as gettext reads them (``LANGUAGE=de:it`` means German, else Italian); English when none of
    its languages has a catalogue."""
    for name in ("PATIENTINFO_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            codes = [candidate.split("_")[0].split(".")[0].lower() for candidate in value.split(":")]
            return next((code for code in codes if code in LANGUAGES), "en")
    return "en"


# argparse's own words that an editor meets (usage, help, its errors): translated in our catalogues.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("%(prog)s: error: %(message)s\n"),
)


def use_argparse(lang: str) -> None:
    """``use(lang)``, and argparse's own words ("usage:", "options") from the same catalogue:
    argparse looks up its module-level ``_`` and ``ngettext`` when it writes them."""
    import argparse

    use(lang)
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = lambda singular, plural, n: _current[0].ngettext(singular, plural, n)  # type: ignore[attr-defined]
