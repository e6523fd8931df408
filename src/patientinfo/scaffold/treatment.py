"""``patientinfo add-treatment ID [--from EXISTING]``: a new treatment's files, every text to write.

It lists the treatment in ``content/settings.yaml`` (editing its text, so comments stay) and
creates ``content/treatments/ID/`` and ``content/<lang>/ID/`` for every language:

- with ``--from EXISTING``, the facts and sources of EXISTING, to correct one by one (a starting
  point, never published as they are: every text is still to write);
- without it, an empty facts file and sources file whose comments say what they need.

Every text file holds the texts of the first treatment (or of EXISTING) as comments, like
``add-language`` does. The treatment is a draft (settings ``drafts: treatments``) until
``patientinfo publish ID``: the published site goes on without it, the preview shows it.
Nothing is written when anything is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from patientinfo.content import editing
from patientinfo.content.layout import Layout
from patientinfo.content.load import as_layout
from patientinfo.content.model import TREATMENT_DOMAINS
from patientinfo.content.reading import load_yaml
from patientinfo.content.schema import RESERVED_FOLDERS, Settings
from patientinfo.errors import ContentError
from patientinfo.messages import _
from patientinfo.scaffold.language import ScaffoldError, add_draft, commented_texts, write_files

TREATMENT_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
EMPTY_FACTS = """\
# yaml-language-server: $schema=../../../schema/facts.schema.json
#
# The language-neutral facts about the treatment '{id}' (made by 'patientinfo add-treatment {id}').
# Every number, unit and range lives here, once; each language's words are in content/<lang>/{id}/.
# Each fact needs at least one source of content/treatments/{id}/sources.yaml, quoted in its own
# words (except the clinic's own protocol and the site's own reading, 'editorial'); for balanced
# information the site needs facts of these categories: benefit, risk, warning_sign (each with an
# urgency: emergency or same_day), contraindication, screening (the questionnaire's questions;
# every contraindication is asked by one), evidence, alternative, without_treatment, help.
# See content/treatments/{example}/facts.yaml for complete examples. A fact looks like:
#
#   - id: risk-bruising
#     category: risk
#     sources: [some-source]
#     quotes:
#       some-source: "the words of the source, verbatim"

review:
  last_reviewed: {today}
  next_review: {next}

groups:
  indication: []
  substance: []

facts: []
"""
EMPTY_SOURCES = """\
# yaml-language-server: $schema=../../../schema/sources.schema.json
# Every source a fact of '{id}' may cite, cited as published (see content/treatments/{example}/sources.yaml).
# A source looks like:
#
#   - id: some-review
#     type: systematic_review
#     label: "Author et al. 2020"
#     citation: "Author A, Author B. Title. Journal. 2020;1:1-10. doi:..."
#
# The clinic's own rules and advice, and the site's own conclusions, are sources too:
#   - id: clinic-protocol
#     type: clinic_protocol
#     label: "clinic-protocol"
#   - id: editorial
#     type: editorial
#     label: "editorial"

sources: []
"""


@dataclass
class AddedTreatment:
    id: str
    template: str  # the treatment whose texts (and, with --from, facts) were copied
    copied_facts: bool
    content_dir: str = "content"
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def _settings(layout: Layout) -> tuple[Settings, str]:
    path = layout.path(layout.settings)
    try:
        document = load_yaml(path, layout.root)
        return Settings.model_validate(document.data), path.read_text(encoding="utf-8")
    except ContentError as exc:
        raise ScaffoldError(
            f"{exc}\n" + _("fix {file} first (scripts/check says more)").format(file=layout.settings)
        ) from None
    except ValidationError:
        raise ScaffoldError(
            _("{file} has errors: run scripts/check and fix them first").format(file=layout.settings)
        ) from None


def _commented_file(layout: Layout, lang: str, domain: str, model: str, treatment: str, *, texts: bool) -> str:
    """A text file with only comments: a header, then (``texts``) the model's texts to rewrite."""
    shown = layout.texts(lang, domain, model)
    try:
        load_yaml(layout.path(shown), layout.root)  # refuses what the build would refuse
        source_text = layout.path(shown).read_text(encoding="utf-8")
    except ContentError as exc:
        raise ScaffoldError(f"{exc}\n" + _("fix {file} first").format(file=shown)) from None
    first = source_text.split("\n", 1)[0]
    lines = [first] if first.startswith("# yaml-language-server:") else []
    lines += [
        f"# Texts of the treatment '{treatment}' in '{lang}' (made by 'patientinfo add-treatment').",
        f"# Below, as comments, are the texts of '{model}' ({shown}), as a model. For each id the"
        if texts
        else f"# Write here, for each fact id of {layout.facts(treatment)}, its text (see {shown}).",
        "# pages need, remove the '# ' and write this treatment's own words. Keep every {placeholder};"
        if texts
        else "# Keep every {placeholder} of the fact's values;",
        "# never type a number. Until every text is there, the build stops and lists the missing ones.",
        "",
    ]
    if texts:
        lines += commented_texts(source_text, shown)
    return "\n".join(lines) + "\n"


def _refuse_unless_new(layout: Layout, settings: Settings, treatment: str, template: str | None) -> None:
    """A ScaffoldError unless ``treatment`` is a free, well-formed id and ``template`` a treatment."""
    if not TREATMENT_ID.match(treatment):
        raise ScaffoldError(
            _(
                "'{treatment}' cannot be a treatment id: use lower-case letters, digits and hyphens, "
                "starting with a letter (like 'hyaluronic-acid')"
            ).format(treatment=treatment)
        )
    if treatment in settings.treatments or treatment in settings.drafts.treatments:
        raise ScaffoldError(
            _("'{treatment}' is already a treatment of this site (or one of its drafts)").format(treatment=treatment)
        )
    if treatment in settings.languages or treatment in RESERVED_FOLDERS:
        raise ScaffoldError(
            _("'{treatment}' is the name of a language or of a folder of the site: choose another").format(
                treatment=treatment
            )
        )
    if template is not None and template not in settings.treatments:
        raise ScaffoldError(
            _("--from {template}: not a treatment of this site (treatments: {treatments})").format(
                template=template, treatments=", ".join(settings.treatments)
            )
        )
    folders = [layout.treatment_folder(treatment)] + [layout.shown(lang, treatment) for lang in settings.languages]
    for folder in folders:
        if layout.path(folder).exists() or layout.path(folder).is_symlink():
            raise ScaffoldError(
                _("{folder}/ already exists: move it away (or delete it) and run the command again").format(
                    folder=folder
                )
            )


def add_treatment(
    where: Layout | Path, treatment: str, template: str | None = None, *, today: dt.date
) -> AddedTreatment:
    """Add ``treatment`` to the project; a ScaffoldError changes nothing."""
    layout = as_layout(where)
    settings, settings_text = _settings(layout)
    _refuse_unless_new(layout, settings, treatment, template)
    model = template or settings.treatments[0]
    added = AddedTreatment(treatment, model, copied_facts=template is not None, content_dir=layout.content_dir)
    try:
        writes = {layout.settings: add_draft(settings_text, layout.settings, "treatments", treatment)}
    except editing.EditError as exc:
        raise ScaffoldError(exc.message) from None
    if template is not None:
        for path, copy in ((layout.facts, "facts"), (layout.sources, "sources")):
            text = layout.path(path(template)).read_text(encoding="utf-8")
            note = (
                f"# Copied from '{template}' by 'patientinfo add-treatment {treatment} --from {template}': "
                f"check every {copy[:-1]} against this treatment's own sources; remove what does not apply.\n"
            )
            lines = text.split("\n", 1)
            writes[path(treatment)] = lines[0] + "\n" + note + (lines[1] if len(lines) > 1 else "")
    else:
        values = {"id": treatment, "example": model, "today": today.isoformat()}
        values["next"] = (today + dt.timedelta(days=182)).isoformat()
        writes[layout.facts(treatment)] = EMPTY_FACTS.format(**values)
        writes[layout.sources(treatment)] = EMPTY_SOURCES.format(**values)
    for lang in settings.languages:
        for domain in TREATMENT_DOMAINS:
            keep = domain != "facts" or template is not None  # a fact's words only fit its own fact
            writes[layout.texts(lang, domain, treatment)] = _commented_file(
                layout, lang, domain, model, treatment, texts=keep
            )

    added.created, added.changed = write_files(layout.root, writes)
    return added


def next_steps(added: AddedTreatment) -> str:
    """What the command did and what to do next, in the editor's language."""
    t = added.id
    start = (
        _("facts and sources copied from '{model}': check each against {treatment}'s own sources")
        if added.copied_facts
        else _("facts and sources to write")
    ).format(model=added.template, treatment=t)
    return "\n".join(
        [
            _("Added the treatment '{treatment}' ({start}); its texts are to write in every language.").format(
                treatment=t, start=start
            ),
            *(_("  changed {file}").format(file=path) for path in added.changed),
            *(_("  created {file}").format(file=path) for path in added.created),
            "",
            _("Next steps:"),
            _("  1. Write the facts in {file}, each with its sources and quotes.").format(
                file=f"{added.content_dir}/treatments/{t}/facts.yaml"
            ),
            _(
                "  2. Write the texts in {folder} (the model's texts are there as comments), starting with"
                " index.name, the treatment's name in the menu and on the home page."
            ).format(folder=f"{added.content_dir}/<lang>/{t}/"),
            _(
                "  3. '{code}' is a draft: the published site goes on without it. scripts/serve shows it with a draft"
                " band; scripts/check shows how many texts are written, per file."
            ).format(code=t),
            _("  4. Once every text is written, this puts it on the site:"),
            f"       scripts/patientinfo publish {t}",
            _(
                "     Then each treatment has its own folder (/{treatment}/ ...), the home page lists them, and the old"
                " addresses lead to their new place."
            ).format(treatment=t),
        ]
    )
