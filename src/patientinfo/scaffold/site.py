"""``patientinfo new-site DIR``: a new clinic's project that builds at once.

It copies the starter shipped with the package (``starter/``): ``mkdocs.yml``, ``docs/``,
``overrides/``, the settings, a fictional clinic, the interface texts in French, Italian and
English, and one made-up treatment, ``example-treatment``, marked ``example: true`` so that every
page, leaflet and form says it is an example and not medical information. Its review dates start
on the day the site is made. Nothing is written when DIR already holds files.

The new site stands alone: its ``scripts/`` (build, check, serve, patientinfo) run the Python
that made it, so the commands its editors' guide names exist there, with the paths of its own
example treatment; it is a git repository with a first commit, so translators' PO files can
always show the previous French text of a changed one.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

from patientinfo.content.layout import Layout
from patientinfo.content.schema.export import write_json_schemas
from patientinfo.messages import _
from patientinfo.scaffold.language import ScaffoldError

STARTER = Path(__file__).parents[1] / "starter"
EXAMPLE = "example-treatment"
GITIGNORE = "site/\n.cache/\n.venv/\n__pycache__/\n"
SCRIPT = """#!/usr/bin/env bash
# {what}, with the Python that made this site (patientinfo new-site); PATIENTINFO_PYTHON overrides it.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${{PATIENTINFO_PYTHON:-{python}}}" -m {command} "$@"
"""
SCRIPTS = {
    "build": ("Builds the site and its PDFs into site/", "patientinfo build"),
    "check": ("The editors' report: missing, stale or copied texts, typed numbers, review dates", "patientinfo check"),
    "serve": ("The preview while editing, at http://127.0.0.1:8000/ (drafts included)", "patientinfo serve"),
    "patientinfo": ("Any patientinfo command (add-language, add-treatment, publish, translations...)", "patientinfo"),
}


def new_site(target: Path, *, today: dt.date) -> list[str]:
    """Create the project in ``target``; returns the files written, relative to it."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(
            _("{folder} already exists and is not an empty folder: choose a new folder").format(folder=target)
        )
    if not Layout(STARTER).path(Layout(STARTER).settings).is_file():
        raise ScaffoldError(
            _("the starter files are missing from the installed package ({folder})").format(folder=STARTER)
        )
    shutil.copytree(STARTER, target, symlinks=False, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    layout = Layout(target)  # the starter keeps its content in content/
    facts = layout.path(layout.facts(EXAMPLE))
    text = facts.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  last_reviewed: .*$", f"  last_reviewed: {today.isoformat()}", text, count=1)
    next_review = today + dt.timedelta(days=182)
    text = re.sub(r"(?m)^  next_review: .*$", f"  next_review: {next_review.isoformat()}", text, count=1)
    facts.write_text(text, encoding="utf-8")
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    _write_scripts(target)
    _name_own_paths(target)
    write_json_schemas(target)  # in the first commit, with the files they describe
    written = sorted(path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file())
    _first_commit(target)
    return written


def _write_scripts(target: Path) -> None:
    folder = target / "scripts"
    folder.mkdir(exist_ok=True)
    for name, (what, command) in SCRIPTS.items():
        script = folder / name
        script.write_text(SCRIPT.format(what=what, python=sys.executable, command=command), encoding="utf-8")
        script.chmod(0o755)


def _name_own_paths(target: Path) -> None:
    """The editors' guide of this repository takes its examples from its treatment: in a new
    site, its paths and commands name the site's own example treatment and scripts."""
    for guide in (target / "docs").glob("*/editors.md"):
        text = guide.read_text(encoding="utf-8")
        named = re.search(r"content/treatments/([a-z0-9-]+)/", text)  # the treatment its examples name
        if named and named.group(1) != EXAMPLE:
            other = re.escape(named.group(1))
            text = re.sub(rf"(?<=/){other}(?=/)|(?<=\[){other}(?=\])|(?<=--from ){other}", EXAMPLE, text)
        text = text.replace(".venv/bin/python -m patientinfo", "scripts/patientinfo")
        guide.write_text(text, encoding="utf-8")


def _first_commit(target: Path) -> None:
    """A git repository with the new files as its first commit (skipped without git)."""
    git = shutil.which("git")
    if git is None:
        return
    identity = ["-c", "user.name=patientinfo new-site", "-c", "user.email=new-site@patientinfo.invalid"]
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        [*identity, "commit", "-q", "-m", "New site (patientinfo new-site)"],
    ):
        subprocess.run([git, *command], cwd=target, check=True, capture_output=True)


def next_steps(target: Path, written: list[str]) -> str:
    """What the command made and what to do next, in the editor's language."""
    repository = (
        _("It is a git repository with a first commit: commit each change (translators' files then show what changed).")
        if (target / ".git").is_dir()
        else _("git was not found: run 'git init' there, so translators' files can show what changed.")
    )
    return "\n".join(
        [
            _(
                "Created a new patient-information site in {folder} ({count} files), with one made-up treatment,"
                " '{example}': every page, leaflet and form says it is an example."
            ).format(folder=target, count=len(written), example=EXAMPLE),
            repository,
            "",
            _("Next steps:"),
            f"  cd {target}",
            _("  1. Preview it at http://127.0.0.1:8000/ while you edit:"),
            "       scripts/serve",
            _("  2. Write your clinic in content/clinic.yaml: name, address, phone, website, country, colour, logo."),
            _("  3. Add your treatment, then write its facts (with their sources) and its texts:"),
            "       scripts/patientinfo add-treatment YOUR-TREATMENT",
            _("     Once they are written:"),
            "       scripts/patientinfo publish YOUR-TREATMENT",
            _("     Then remove '{example}' from treatments: in content/settings.yaml and delete its folders.").format(
                example=EXAMPLE
            ),
            _("  4. What is missing or outdated, file by file:"),
            "       scripts/check",
            _("  5. The site and the PDFs in site/ (mkdocs build does the same):"),
            "       scripts/build",
            _("  The editors' guide (docs/<lang>/editors.md, /editors/ on the site) explains each step."),
        ]
    )
