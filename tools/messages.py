"""Extract the tool's messages (``_``/``N_`` in src/patientinfo) and update the French and Italian
catalogues with Babel: new messages are added empty, removed ones dropped, changed ones fuzzy.

    .venv/bin/python tools/messages.py          # update src/patientinfo/messages/{fr,it}.po
    .venv/bin/python tools/messages.py --check  # exit 1 if a catalogue misses or lacks a translation
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "patientinfo"
CATALOGUES = PACKAGE / "messages"
LANGUAGES = ("fr", "it")


def template() -> Catalog:
    """Every message of the source, with where it is used."""
    catalog = Catalog(project="patientinfo", charset="utf-8")
    keywords = {"_": None, "N_": None}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=keywords
    ):
        catalog.add(message, locations=[(f"src/patientinfo/{filename}", lineno)])
    return catalog


def problems(lang: str, wanted: Catalog) -> list[str]:
    path = CATALOGUES / f"{lang}.po"
    if not path.is_file():
        return [f"{path.relative_to(ROOT)}: missing"]
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    found = []
    for message in wanted:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        if translated is None or not translated.string or translated.fuzzy:
            found.append(f"{path.relative_to(ROOT)}: no translation of {message.id!r}")
    return found


def update(lang: str, wanted: Catalog) -> None:
    path = CATALOGUES / f"{lang}.po"
    if path.is_file():
        with path.open("rb") as po:
            catalog = read_po(po, locale=lang)
    else:
        catalog = Catalog(locale=lang, project="patientinfo", charset="utf-8")
    catalog.update(wanted, no_fuzzy_matching=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=100, omit_header=False, ignore_obsolete=True, sort_output=False)


def main(argv: list[str]) -> int:
    wanted = template()
    if "--check" in argv:
        found = [p for lang in LANGUAGES for p in problems(lang, wanted)]
        print("\n".join(found) or f"{len(wanted)} messages, translated in {', '.join(LANGUAGES)}")
        return 1 if found else 0
    for lang in LANGUAGES:
        update(lang, wanted)
    print(f"{len(wanted)} messages; updated {', '.join(f'{lang}.po' for lang in LANGUAGES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
