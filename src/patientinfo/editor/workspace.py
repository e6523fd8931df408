"""What the browser editor may read and write, and how a change is written.

Only the YAML files of the content folder, named by their shown path (never a path from the
request used as such, never a symbolic link). A change is a list of single values to set; it
is applied by the comment-keeping editor (``content.editing``), then the whole content is
loaded and checked as the build loads it, from a scratch copy: a change that would add a
problem is refused with the problems, at their file and line, and nothing is written. An
accepted change is shown as a unified diff and written atomically (a temporary file beside
each file, then renamed), all files or none.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from patientinfo.check.run import run_project_check
from patientinfo.content.editing import EditError, _quoted, add_key
from patientinfo.content.layout import Layout
from patientinfo.content.load import load_project, read_one
from patientinfo.content.reading import read_repository_file
from patientinfo.content.schema import Settings
from patientinfo.content.value_edit import Path_, append_scalar, insert_mapping_item, set_scalar
from patientinfo.errors import ContentError, Problem
from patientinfo.messages import _


class WorkspaceError(Exception):
    """A request for a file the editor may not touch."""


@dataclass(frozen=True)
class Edit:
    file: str  # shown path, like content/clinic.yaml
    path: Path_  # keys and list positions inside the file
    value: str | int | float | bool


@dataclass(frozen=True)
class AddItem:
    """A new mapping in the block list at ``path`` (a new fact), after item number ``after``."""

    file: str
    path: tuple[str, ...]
    item: dict
    after: int = -1


@dataclass(frozen=True)
class AddText:
    """A new entry of a text file; without ``source_hash``, so that a translation written here
    is listed by the check until its translator has reviewed it."""

    file: str
    text_id: str
    text: str


@dataclass(frozen=True)
class AddToList:
    """A single value at the end of the list at ``path`` (an id in a question's ``covers``)."""

    file: str
    path: Path_
    value: str


Change = Edit | AddItem | AddText | AddToList


def _applied(text: str, change: Change) -> str:
    if isinstance(change, Edit):
        return set_scalar(text, change.file, change.path, change.value)
    if isinstance(change, AddItem):
        return insert_mapping_item(text, change.file, change.path, change.item, change.after)
    if isinstance(change, AddToList):
        return append_scalar(text, change.file, change.path, change.value)
    if change.text_id in (yaml.safe_load(text) or {}):
        raise EditError(1, _("'{id}' already has a text in {file}").format(id=change.text_id, file=change.file))
    return add_key(text, change.file, (), change.text_id, {"text": _quoted(change.text)})


@dataclass(frozen=True)
class Stale:
    """A translation that a change of its source text leaves to review."""

    lang: str
    text_id: str
    file: str  # the translation's file
    source_before: str
    source_after: str
    translation: str


@dataclass
class Proposal:
    texts: dict[str, str]  # shown path -> the file's new text (only files that change)
    diff: str
    problems: list[Problem] = field(default_factory=list)  # those the change would add
    stale: list[Stale] = field(default_factory=list)  # translations of the source texts it changes

    @property
    def accepted(self) -> bool:
        return not self.problems


def editable(layout: Layout, shown: str) -> Path:
    """The file on disk of ``shown``, if the editor may touch it: a regular YAML file inside the
    content folder, reached without a symbolic link."""
    relative = PurePosixPath(shown)
    content = PurePosixPath(layout.content_dir)
    if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".yaml":
        raise WorkspaceError(_("'{file}' is not a content file").format(file=shown))
    if relative.parts[: len(content.parts)] != content.parts:
        raise WorkspaceError(_("'{file}' is not a content file").format(file=shown))
    path = layout.root / Path(*relative.parts)
    for step in [path, *path.parents]:
        if step == layout.root:
            break
        if step.is_symlink():
            raise WorkspaceError(_("'{file}' is reached through a symbolic link: it is not edited").format(file=shown))
    if not path.is_file():
        raise WorkspaceError(_("'{file}' does not exist").format(file=shown))
    return path


def read(layout: Layout, shown: str) -> str:
    return read_repository_file(editable(layout, shown), layout.root).decode("utf-8")


def propose(layout: Layout, edits: list[Change], day: dt.date | None = None) -> Proposal:
    """The change ``edits`` make, with the problems it would add (with ``day``, the build context's,
    the editors' check's findings too); nothing is written."""
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    problems: list[Problem] = []
    for edit in edits:
        if edit.file not in after:
            before[edit.file] = after[edit.file] = read(layout, edit.file)
        try:
            after[edit.file] = _applied(after[edit.file], edit)
        except EditError as exc:
            problems.append(Problem(edit.file, exc.line, exc.message))
    texts = {shown: text for shown, text in after.items() if text != before[shown]}
    diff = "".join(
        "".join(difflib.unified_diff(before[s].splitlines(True), texts[s].splitlines(True), f"a/{s}", f"b/{s}"))
        for s in texts
    )
    if texts and not problems:
        problems = _problems_added(layout, texts, day)
    return Proposal(texts, diff, problems, stale_translations(layout, before, texts))


def _words(entry: object) -> str:
    """What a text entry says (its text, or its forms), as the form shows it."""
    if isinstance(entry, dict):
        return str(entry.get("text") or entry.get("forms") or "")
    return str(entry or "")


def stale_translations(layout: Layout, before: dict[str, str], after: dict[str, str]) -> list[Stale]:
    """The translations, in every other language, of the source-language texts the change rewrites."""
    settings, _problems = read_one(layout, layout.settings, Settings)
    if settings is None:
        return []
    source = settings.source_language
    prefix = f"{layout.shown(source)}/"
    found = []
    for shown, text in after.items():
        if not shown.startswith(prefix):
            continue
        old, new = yaml.safe_load(before[shown]) or {}, yaml.safe_load(text) or {}
        changed = [text_id for text_id in new if text_id in old and _words(old[text_id]) != _words(new[text_id])]
        for lang in (lang for lang in settings.languages + settings.drafts.languages if lang != source):
            other = layout.shown(lang) + "/" + shown.removeprefix(prefix)
            path = layout.path(other)
            translations = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}
            found += [
                Stale(lang, text_id, other, _words(old[text_id]), _words(new[text_id]), _words(translations[text_id]))
                for text_id in changed
                if text_id in translations
            ]
    return found


# The check's findings a change may leave: the translations it makes stale are shown with the
# change (``stale_translations``), and a text written in the browser in another language waits
# for its translator's review. Every other finding the change would add refuses it.
LEFT_TO_TRANSLATORS = ("stale", "unreviewed")


def _problems_of(layout: Layout, day: dt.date | None) -> list[Problem]:
    """What stops the build (a published language missing a text included), the editors' check
    findings (as the strict build of CI fails on them; none without ``day``), and the drafts'
    own errors (their texts still to write excepted); the second load only when there are drafts."""
    key = (_state(layout), day)
    if key in _KNOWN:
        return _KNOWN[key]
    problems: list[Problem] = []
    for drafts in (False, True):
        try:
            project = load_project(layout, drafts=drafts, allow_missing_texts=drafts)
        except ContentError as exc:
            problems += exc.problems
            continue
        if not drafts and day is not None:
            findings = run_project_check(project, day, readability=False).findings
            problems += [Problem(f.path, f.line, f.message) for f in findings if f.kind not in LEFT_TO_TRANSLATORS]
        if not (project.settings.drafts.languages or project.settings.drafts.treatments):
            break  # no draft: the second load would find the same
    _KNOWN.clear()  # one content state remembered: the one the next change starts from
    _KNOWN[key] = list(dict.fromkeys(problems))
    return _KNOWN[key]


_KNOWN: dict[tuple, list[Problem]] = {}


def _state(layout: Layout) -> tuple:
    """Every content file's path, size and time of change: equal states, equal problems."""
    return (str(layout.content),) + tuple(
        (path.as_posix(), stat.st_size, stat.st_mtime_ns)
        for path in sorted(layout.content.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )


def _problems_added(layout: Layout, texts: dict[str, str], day: dt.date | None) -> list[Problem]:
    """The problems the content would have with ``texts`` that it has not now (the build's own
    loading and checks, on a scratch copy of the content folder)."""
    key = (_state(layout), day, tuple(sorted(texts.items())))
    if key in _CHECKED:  # the change just checked, now saved: the same answer
        return _CHECKED[key]
    known = {(p.path, p.message) for p in _problems_of(layout, day)}
    with tempfile.TemporaryDirectory(prefix="patientinfo-edit-") as scratch:
        copy = Layout(Path(scratch), layout.content_dir)
        shutil.copytree(layout.content, copy.content, symlinks=True)
        for shown, text in texts.items():
            copy.path(shown).write_text(text, encoding="utf-8")
        added = [p for p in _problems_of(copy, day) if (p.path, p.message) not in known]
    _CHECKED.clear()
    _CHECKED[key] = added
    return added


_CHECKED: dict[tuple, list[Problem]] = {}


def write(layout: Layout, proposal: Proposal) -> list[str]:
    """Write an accepted proposal: every file's new text in a temporary file beside it, then all
    renamed into place (an interrupted save leaves each file whole, old or new)."""
    if not proposal.accepted:
        raise WorkspaceError(_("the change has problems: nothing was written"))
    staged: list[tuple[Path, Path]] = []
    try:
        for shown, text in proposal.texts.items():
            target = editable(layout, shown)
            handle, name = tempfile.mkstemp(prefix=".edit-", suffix=".yaml", dir=target.parent)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            staged.append((Path(name), target))
        for temporary, target in staged:
            os.replace(temporary, target)
    finally:
        for temporary, _target in staged:
            temporary.unlink(missing_ok=True)
    return list(proposal.texts)
