"""``patientinfo new-site DIR``: a new clinic's project that builds at once.

It copies the starter shipped with the package (``starter/``): ``mkdocs.yml``, ``docs/``,
``overrides/``, the settings, a fictional clinic, the interface texts in French, Italian and
English, and one made-up treatment, ``example-treatment``, marked ``example: true`` so that every
page, leaflet and form says it is an example and not medical information. Its review dates start
on the day the site is made. Nothing is written when DIR already holds files.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from patientinfo.content.layout import Layout
from patientinfo.scaffold.language import ScaffoldError

STARTER = Path(__file__).parents[1] / "starter"
EXAMPLE = "example-treatment"
GITIGNORE = "site/\n.cache/\n.venv/\n__pycache__/\n"


def new_site(target: Path, *, today: dt.date) -> list[str]:
    """Create the project in ``target``; returns the files written, relative to it."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not an empty folder: choose a new folder")
    if not Layout(STARTER).path(Layout(STARTER).settings).is_file():
        raise ScaffoldError(f"the starter files are missing from the installed package ({STARTER})")
    shutil.copytree(STARTER, target, symlinks=False, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    layout = Layout(target)  # the starter keeps its content in content/
    facts = layout.path(layout.facts(EXAMPLE))
    text = facts.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  last_reviewed: .*$", f"  last_reviewed: {today.isoformat()}", text, count=1)
    next_review = today + dt.timedelta(days=182)
    text = re.sub(r"(?m)^  next_review: .*$", f"  next_review: {next_review.isoformat()}", text, count=1)
    facts.write_text(text, encoding="utf-8")
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return sorted(path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file())


def next_steps(target: Path, written: list[str]) -> str:
    return "\n".join(
        [
            f"Created a new patient-information site in {target} ({len(written)} files), with one made-up",
            f"treatment, '{EXAMPLE}': every page, leaflet and form says it is an example.",
            "",
            "Next steps:",
            f"  cd {target}",
            "  1. mkdocs serve                      preview it at http://127.0.0.1:8000/ while you edit",
            "  2. content/clinic.yaml               your clinic: name, address, phone, website, country, colour, logo",
            "  3. python -m patientinfo add-treatment YOUR-TREATMENT",
            "                                       then write its facts (with their sources) and its texts;",
            f"     remove '{EXAMPLE}' from treatments: in content/settings.yaml and delete its folders",
            "  4. python -m patientinfo check       what is missing or outdated, file by file",
            "  5. python -m patientinfo build       the site and the PDFs in site/ (mkdocs build does the same)",
            "  The editors' guide (docs/<lang>/editors.md, /editors/ on the site) explains each step.",
        ]
    )
