"""``patientinfo publish NAME``: a draft language or treatment becomes part of the published site.

Refused, with a short list of what is still to write, while the draft misses texts; otherwise
the settings move NAME from ``drafts`` to ``languages`` (or ``treatments``), edited in place so
comments stay, after proving in a scratch copy that the published site then loads.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from patientinfo.check.translations import untranslated_findings
from patientinfo.content import editing
from patientinfo.content.layout import Layout
from patientinfo.content.load import as_layout, load_project, read_one
from patientinfo.content.model import SHARED_DOMAINS, TREATMENT_DOMAINS, Project
from patientinfo.content.schema import Settings
from patientinfo.errors import ContentError, Problem
from patientinfo.messages import _
from patientinfo.scaffold.site import ScaffoldError

SHOWN_IDS = 5  # the first ids still to write named per file; the rest are counted


@dataclass
class Progress:
    """How far a draft is: by text file, the texts it must have and those still to write."""

    name: str
    kind: str  # "language" or "treatment"
    files: dict[str, tuple[int, list[str]]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not any(missing for _, missing in self.files.values())

    def lines(self) -> list[str]:
        total = sum(count for count, _ in self.files.values())
        written = total - sum(len(missing) for _, missing in self.files.values())
        kind = _("language") if self.kind == "language" else _("treatment")
        found = [
            _("{name} ({kind}, draft): {written} of {total} texts written").format(
                name=self.name, kind=kind, written=written, total=total
            )
        ]
        for path, (count, missing) in self.files.items():
            if not missing:
                continue
            named = ", ".join(missing[:SHOWN_IDS]) + (
                _(" and {count} more").format(count=len(missing) - SHOWN_IDS) if len(missing) > SHOWN_IDS else ""
            )
            line = _("{file}: {written} of {total} texts written; still to write: {ids}")
            found.append("  " + line.format(file=path, written=count - len(missing), total=count, ids=named))
        return found


def drafts_progress(project: Project) -> list[Progress]:
    """The progress of every draft of a project loaded with its drafts."""
    drafts = project.settings.drafts
    found = []
    for kind, names in (("language", drafts.languages), ("treatment", drafts.treatments)):
        for name in names:
            progress = Progress(name, kind)
            for treatment in project.treatments.values():
                for lang in project.languages:
                    concerned = lang == name if kind == "language" else treatment.id == name
                    if not concerned or (kind == "treatment" and lang in drafts.languages):
                        continue
                    for path in _text_paths(treatment.layout, lang, treatment.id):
                        if path in project.to_write:
                            progress.files[path] = project.to_write[path]
            found.append(progress)
    return found


def _text_paths(layout: Layout, lang: str, treatment: str) -> list[str]:
    return [layout.texts(lang, d, "") for d in SHARED_DOMAINS] + [
        layout.texts(lang, d, treatment) for d in TREATMENT_DOMAINS
    ]


def publish(where: Layout | Path, name: str) -> Progress:
    """Publish the draft ``name``; a ScaffoldError (with what is still to write) changes nothing."""
    layout = as_layout(where)
    settings, problems = read_one(layout, layout.settings, Settings)
    if settings is None:
        raise ScaffoldError(
            "\n".join(str(p) for p in problems) + "\n" + _("fix {file} first").format(file=layout.settings)
        )
    drafts = settings.drafts
    if name in drafts.languages:
        target = "languages"
    elif name in drafts.treatments:
        target = "treatments"
    else:
        listed = ", ".join([*drafts.languages, *drafts.treatments]) or "none"
        message = _("'{name}' is not a draft of this site ({file} drafts: {listed})")
        raise ScaffoldError(message.format(name=name, file=layout.settings, listed=listed))
    try:
        project = load_project(layout, drafts=True)
    except ContentError as exc:
        raise ScaffoldError(_("the content has errors; fix them first:") + f"\n{exc}") from None
    progress = next(p for p in drafts_progress(project) if p.name == name)
    if not progress.complete:
        raise ScaffoldError("\n".join([_("'{name}' cannot be published yet:").format(name=name), *progress.lines()]))
    if target == "languages":
        copied = [f for t in project.treatments.values() for f in untranslated_findings(t) if f.lang == name]
        if copied:
            raise ScaffoldError(
                "\n".join(
                    [
                        _("'{name}' cannot be published yet: {count} text(s) are copied, not translated:").format(
                            name=name, count=len(copied)
                        )
                    ]
                    + [f"  {finding}" for finding in copied[:SHOWN_IDS]]
                    + (
                        [_("  and {count} more (scripts/check lists them)").format(count=len(copied) - SHOWN_IDS)]
                        if len(copied) > SHOWN_IDS
                        else []
                    )
                )
            )
    shown = layout.settings
    text = layout.path(shown).read_text(encoding="utf-8")
    try:
        edited = editing.move_item(text, shown, ("drafts", target), (target,), name)
    except editing.EditError as exc:
        raise ScaffoldError(exc.message) from None
    _refuse_new_problems(layout, edited)
    layout.path(shown).write_text(edited, encoding="utf-8")
    return progress


def _refuse_new_problems(layout: Layout, settings_text: str) -> None:
    """Load the published site with the new settings in a scratch copy: a publication that
    would not build is never written."""
    with tempfile.TemporaryDirectory(prefix="patientinfo-publish-") as scratch:
        copy = Layout(Path(scratch), layout.content_dir)
        shutil.copytree(layout.content, copy.content)
        copy.path(layout.settings).write_text(settings_text, encoding="utf-8")
        try:
            load_project(copy)
        except ContentError as exc:
            problems: list[Problem] = exc.problems
            raise ScaffoldError(
                _("publishing would leave the site with errors; nothing was changed:")
                + "\n"
                + "\n".join(map(str, problems))
            ) from None
