"""The browser editor's engine (editor/workspace.py): it touches only the content's YAML files,
writes nothing invalid (the build's own loading and checks decide, before anything is written),
shows the change as a diff and writes it atomically; a save with no change leaves the file
byte for byte as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from patientinfo.content.layout import Layout
from patientinfo.content.load import load_treatment
from patientinfo.editor.workspace import Edit, WorkspaceError, editable, propose, write

FACTS = "content/treatments/mesotherapy/facts.yaml"


def a_range(project: Path) -> tuple[int, str, str, int]:
    """(position, fact id, value name, its 'max') of the first fact whose value is a range."""
    facts = yaml.safe_load((project / FACTS).read_text(encoding="utf-8"))["facts"]
    for index, fact in enumerate(facts):
        for name, quantity in (fact.get("values") or {}).items():
            if "min" in quantity and "max" in quantity:
                return index, fact["id"], name, quantity["max"]
    raise AssertionError("no range in the facts")


def test_a_changed_value_is_checked_shown_as_a_diff_and_written_alone(project: Path) -> None:
    layout = Layout(project)
    index, fact_id, name, top = a_range(project)
    before = (project / FACTS).read_text(encoding="utf-8")
    proposal = propose(layout, [Edit(FACTS, ("facts", index, "values", name, "max"), top + 1)])
    assert proposal.accepted, proposal.problems
    removed = [line for line in proposal.diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in proposal.diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 1 and f"max: {top + 1}" in added[0]
    assert write(layout, proposal) == [FACTS]
    after = (project / FACTS).read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines())  # comments and layout kept
    assert load_treatment(project).facts[fact_id].values[name].max == top + 1
    assert not list((project / "content").rglob(".edit-*"))  # no temporary file left


def test_a_wrong_value_is_refused_beside_its_field_and_nothing_is_written(project: Path) -> None:
    layout = Layout(project)
    index, _fact_id, name, _top = a_range(project)
    before = (project / FACTS).read_bytes()
    proposal = propose(layout, [Edit(FACTS, ("facts", index, "values", name, "max"), "three")])
    assert not proposal.accepted
    [problem] = proposal.problems
    assert problem.path == FACTS and "must be a number" in problem.message
    line = (project / FACTS).read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert name in line or "max" in line  # the line of the field
    with pytest.raises(WorkspaceError):
        write(layout, proposal)
    assert (project / FACTS).read_bytes() == before


def test_a_save_with_no_change_leaves_the_file_byte_for_byte(project: Path) -> None:
    layout = Layout(project)
    index, _fact_id, name, top = a_range(project)
    clinic = yaml.safe_load((project / "content/clinic.yaml").read_text(encoding="utf-8"))
    edits = [
        Edit(FACTS, ("facts", index, "values", name, "max"), top),
        Edit("content/clinic.yaml", ("name",), clinic["name"]),
    ]
    proposal = propose(layout, edits)
    assert proposal.accepted and proposal.texts == {} and proposal.diff == ""


@pytest.mark.parametrize(
    "shown",
    ["../mkdocs.yml", "/etc/passwd", "content/../mkdocs.yml", "docs/en/editors.md", "mkdocs.yml", "content/x.txt"],
)
def test_only_the_contents_yaml_files_can_be_edited(project: Path, shown: str) -> None:
    with pytest.raises(WorkspaceError):
        editable(Layout(project), shown)


def test_a_symbolic_link_is_never_followed(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("name: x\n", encoding="utf-8")
    os.symlink(outside, project / "content" / "linked.yaml")
    with pytest.raises(WorkspaceError, match="symbolic link"):
        editable(Layout(project), "content/linked.yaml")
