"""``patientinfo add-treatment ID [--from EXISTING]``: a new treatment's files, every text to write.

It lists the treatment in ``content/settings.yaml`` (editing its text, so comments stay) and
creates ``content/treatments/ID/`` and ``content/<lang>/ID/`` for every language:

- with ``--from EXISTING``, the facts and sources of EXISTING, to correct one by one (a starting
  point, never published as they are: every text is still to write);
- without it, an empty facts file and sources file whose comments say what they need.

Every text file holds the texts of the first treatment (or of EXISTING) as comments, like
``add-language`` does, so the build stops and lists each missing text until the treatment has
its own words. Nothing is written when anything is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from patientinfo.content.load import TEXT_DOMAINS, facts_path, sources_path, text_path
from patientinfo.content.reading import load_yaml
from patientinfo.content.schema import RESERVED_FOLDERS, Settings
from patientinfo.errors import ContentError
from patientinfo.scaffold.language import (
    ScaffoldError,
    _append_item,
    _child,
    _compose,
    commented_texts,
    write_files,
)

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
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def _settings(root: Path) -> tuple[Settings, str]:
    path = root / "content" / "settings.yaml"
    try:
        document = load_yaml(path, root)
        return Settings.model_validate(document.data), path.read_text(encoding="utf-8")
    except ContentError as exc:
        raise ScaffoldError(f"{exc}\nfix content/settings.yaml first (patientinfo check says more)") from None
    except ValidationError:
        raise ScaffoldError("content/settings.yaml has errors: run 'patientinfo check' and fix them first") from None


def _commented_file(root: Path, lang: str, domain: str, model: str, treatment: str, *, texts: bool) -> str:
    """A text file with only comments: a header, then (``texts``) the model's texts to rewrite."""
    shown = text_path(lang, domain, model)
    try:
        load_yaml(root / shown, root)  # refuses what the build would refuse
        source_text = (root / shown).read_text(encoding="utf-8")
    except ContentError as exc:
        raise ScaffoldError(f"{exc}\nfix {shown} first") from None
    first = source_text.split("\n", 1)[0]
    lines = [first] if first.startswith("# yaml-language-server:") else []
    lines += [
        f"# Texts of the treatment '{treatment}' in '{lang}' (made by 'patientinfo add-treatment').",
        f"# Below, as comments, are the texts of '{model}' ({shown}), as a model. For each id the"
        if texts
        else f"# Write here, for each fact id of content/treatments/{treatment}/facts.yaml, its text (see {shown}).",
        "# pages need, remove the '# ' and write this treatment's own words. Keep every {placeholder};"
        if texts
        else "# Keep every {placeholder} of the fact's values;",
        "# never type a number. Until every text is there, the build stops and lists the missing ones.",
        "",
    ]
    if texts:
        lines += commented_texts(source_text, shown)
    return "\n".join(lines) + "\n"


def add_treatment(root: Path, treatment: str, template: str | None = None, *, today: dt.date) -> AddedTreatment:
    """Add ``treatment`` to the project at ``root``; a ScaffoldError changes nothing."""
    settings, settings_text = _settings(root)
    if not TREATMENT_ID.match(treatment):
        raise ScaffoldError(
            f"'{treatment}' cannot be a treatment id: use lower-case letters, digits and hyphens, "
            "starting with a letter (like 'hyaluronic-acid')"
        )
    if treatment in settings.treatments:
        raise ScaffoldError(f"'{treatment}' is already a treatment of this site")
    if treatment in settings.languages or treatment in RESERVED_FOLDERS:
        raise ScaffoldError(f"'{treatment}' is the name of a language or of a folder of the site: choose another")
    if template is not None and template not in settings.treatments:
        raise ScaffoldError(
            f"--from {template}: not a treatment of this site (treatments: {', '.join(settings.treatments)})"
        )
    for folder in [f"content/treatments/{treatment}"] + [f"content/{lang}/{treatment}" for lang in settings.languages]:
        if (root / folder).exists() or (root / folder).is_symlink():
            raise ScaffoldError(f"{folder}/ already exists: move it away (or delete it) and run the command again")

    model = template or settings.treatments[0]
    added = AddedTreatment(treatment, model, copied_facts=template is not None)
    writes: dict[str, str] = {}
    node = _child(_compose(settings_text, "content/settings.yaml"), "treatments")
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise ScaffoldError("content/settings.yaml: 'treatments' must be a list of treatment ids; fix it first")
    writes["content/settings.yaml"] = _append_item(settings_text, node, treatment)
    if template is not None:
        for path, copy in ((facts_path, "facts"), (sources_path, "sources")):
            text = (root / path(template)).read_text(encoding="utf-8")
            note = (
                f"# Copied from '{template}' by 'patientinfo add-treatment {treatment} --from {template}': "
                f"check every {copy[:-1]} against this treatment's own sources; remove what does not apply.\n"
            )
            lines = text.split("\n", 1)
            writes[path(treatment)] = lines[0] + "\n" + note + (lines[1] if len(lines) > 1 else "")
    else:
        values = {"id": treatment, "example": model, "today": today.isoformat()}
        values["next"] = (today + dt.timedelta(days=182)).isoformat()
        writes[facts_path(treatment)] = EMPTY_FACTS.format(**values)
        writes[sources_path(treatment)] = EMPTY_SOURCES.format(**values)
    for lang in settings.languages:
        for domain in TEXT_DOMAINS:
            if domain != "ui":
                keep = domain != "facts" or template is not None  # a fact's words only fit its own fact
                writes[text_path(lang, domain, treatment)] = _commented_file(
                    root, lang, domain, model, treatment, texts=keep
                )

    added.created, added.changed = write_files(root, writes)
    return added


def next_steps(added: AddedTreatment) -> str:
    t = added.id
    start = (
        f"facts and sources copied from '{added.template}': check each against {t}'s own sources"
        if added.copied_facts
        else "facts and sources to write"
    )
    return "\n".join(
        [
            f"Added the treatment '{t}' ({start}); its texts are to write in every language.",
            *(f"  changed {path}" for path in added.changed),
            *(f"  created {path}" for path in added.created),
            "",
            "Next steps:",
            f"  1. Write the facts in content/treatments/{t}/facts.yaml, each with its sources and quotes.",
            f"  2. Write the texts in content/<lang>/{t}/ (the model's texts are there as comments), starting",
            "     with index.name, the treatment's name in the menu and on the home page.",
            "  3. python -m patientinfo check    lists what is missing; python -m patientinfo build stops until",
            "     every fact has its text in every language.",
            f"  The site now has several treatments: each gets its own folder (/{t}/ ...) and the home page",
            "  lists them.",
        ]
    )
