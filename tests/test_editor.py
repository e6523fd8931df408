"""The browser editor's engine (editor/workspace.py): it touches only the content's YAML files,
writes nothing invalid (the build's own loading and checks decide, before anything is written),
shows the change as a diff and writes it atomically; a save with no change leaves the file
byte for byte as it was."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import DAY
from patientinfo.content.layout import Layout
from patientinfo.content.load import load_treatment
from patientinfo.editor.server import start
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


# --------------------------------------------------------------------------- the local server

TOKEN = "editor-test-token"


class Client:
    def __init__(self, project: Path):
        self.server, address = start(Layout(project), TOKEN, DAY)
        self.base = address.split("?", 1)[0]

    def request(self, path: str, body: dict | None = None, *, token: bool = True, origin: str | None = None):
        query = ("&" if "?" in path else "?") + f"token={TOKEN}" if token else ""
        headers = {"Content-Type": "application/json", "Origin": origin or self.base.rstrip("/")}
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path.lstrip("/") + query, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8")
            return exc.code, json.loads(text) if text.startswith("{") else text


@pytest.fixture
def client(project: Path):
    made = Client(project)
    yield made
    made.server.shutdown()


def test_the_editor_saves_a_changed_value_through_its_api(client: Client, project: Path) -> None:
    index, fact_id, name, top = a_range(project)
    status, body = client.request(f"/api/file?file={FACTS}")
    assert status == 200
    data = body["data"]
    data["facts"][index]["values"][name]["max"] = top + 1
    # The number alone: the editors' check finds it in none of its source's words: refused.
    status, body = client.request("/api/save", {"file": FACTS, "data": data})
    assert status == 422 and f"but {top + 1} is not in the words it quotes" in body["problems"][0]["message"]
    assert body["problems"][0]["field"][:4] == ["facts", index, "values", name]  # beside the number
    assert load_treatment(project).facts[fact_id].values[name].max == top
    # With the source's words that give it (here made up, for the test): accepted.
    quotes = data["facts"][index]["quotes"]
    data["facts"][index]["quotes"] = {source: words.replace(str(top), str(top + 1)) for source, words in quotes.items()}
    status, body = client.request("/api/propose", {"file": FACTS, "data": data})
    assert status == 200 and f"max: {top + 1}" in body["diff"] and body["problems"] == []
    assert load_treatment(project).facts[fact_id].values[name].max == top  # proposing writes nothing
    status, body = client.request("/api/save", {"file": FACTS, "data": data})
    assert status == 200 and body["written"] == [FACTS]
    assert load_treatment(project).facts[fact_id].values[name].max == top + 1


def test_the_editor_shows_a_wrong_value_beside_its_field_and_writes_nothing(client: Client, project: Path) -> None:
    index, _fact_id, name, _top = a_range(project)
    before = (project / FACTS).read_bytes()
    _status, body = client.request(f"/api/file?file={FACTS}")
    data = body["data"]
    data["facts"][index]["values"][name]["max"] = "three"
    status, body = client.request("/api/save", {"file": FACTS, "data": data})
    assert status == 422 and "must be a number" in body["problems"][0]["message"]
    assert (project / FACTS).read_bytes() == before


def test_the_editor_refuses_requests_without_its_token_from_elsewhere_or_outside_the_content(
    client: Client, project: Path
) -> None:
    _status, body = client.request("/api/file?file=content/clinic.yaml")
    data = body["data"]
    data["name"] = "Changed"
    before = (project / "content/clinic.yaml").read_bytes()
    assert client.request("/api/file?file=content/clinic.yaml", token=False)[0] == 403
    assert client.request("/api/save", {"file": "content/clinic.yaml", "data": data}, token=False)[0] == 403
    assert (
        client.request("/api/save", {"file": "content/clinic.yaml", "data": data}, origin="http://evil.example")[0]
        == 403
    )
    assert client.request("/api/save", {"file": "../mkdocs.yml", "data": {}})[0] == 400
    assert client.request("/api/file?file=../mkdocs.yml")[0] == 400
    assert (project / "content/clinic.yaml").read_bytes() == before


def test_a_changed_source_text_names_the_translations_to_review_with_old_and_new(project: Path) -> None:
    texts = "content/fr/mesotherapy/facts.yaml"
    french = yaml.safe_load((project / texts).read_text(encoding="utf-8"))
    old = french["principle-microinjections"]["text"]
    proposal = propose(Layout(project), [Edit(texts, ("principle-microinjections", "text"), old + " Sans douleur ?")])
    assert proposal.accepted, proposal.problems
    stale = {(item.lang, item.text_id): item for item in proposal.stale}
    assert set(stale) == {("it", "principle-microinjections"), ("en", "principle-microinjections")}
    english = stale[("en", "principle-microinjections")]
    assert english.file == "content/en/mesotherapy/facts.yaml"
    assert english.source_before == old and english.source_after == old + " Sans douleur ?"
    assert english.translation.startswith("The doctor")
    # A language-neutral fact changed: no translation to review.
    index, _fact_id, name, top = a_range(project)
    assert propose(Layout(project), [Edit(FACTS, ("facts", index, "values", name, "max"), top + 1)]).stale == []


# --------------------------------------------------------------------------- a new fact
QUOTE = "Controindicazioni relative riguardano i pazienti che assumono antiaggreganti o anticoagulanti"
NEW_FACT = {
    "id": "ci-test-new",
    "category": "contraindication",
    "severity": "relative",
    "urgency": "",
    "step": "",
    "leaflet": True,
    "sources": ["seed-004"],
    "quotes": [{"source": "seed-004", "words": QUOTE}],
    "values": [],
}
TEXTS = {"fr": "Une maladie inventée pour ce test.", "it": "Una malattia inventata.", "en": "A made-up illness."}


def test_a_new_contraindication_is_written_with_its_source_quote_texts_and_question(
    client: Client, project: Path
) -> None:
    new = {"fact": NEW_FACT, "texts": TEXTS, "asked_by": "screen-health"}
    status, body = client.request("/api/save", {"file": FACTS, "new_fact": new})
    assert status == 200, body
    assert sorted(body["written"]) == sorted([FACTS, *(f"content/{lang}/mesotherapy/facts.yaml" for lang in TEXTS)])
    treatment = load_treatment(project)  # the build's own loading accepts it
    fact = treatment.facts["ci-test-new"]
    assert (fact.severity, fact.sources, fact.quotes) == ("relative", ["seed-004"], {"seed-004": QUOTE})
    assert "ci-test-new" in treatment.facts["screen-health"].covers
    assert treatment.texts["en"]["facts"].root["ci-test-new"].text == TEXTS["en"]
    # Written after the last contraindication, in the files' own style; nothing else changed.
    diff = body["diff"]
    assert "+  - id: ci-test-new\n" in diff and f'+      seed-004: "{QUOTE}"\n' in diff
    assert "+    covers: [ci-test-new]\n" in diff
    assert diff.count("\n-") == diff.count("\n--- ")  # only lines added, none removed
    # The translations written here are left for their translators to review (no source_hash).
    italian = yaml.safe_load((project / "content/it/mesotherapy/facts.yaml").read_text(encoding="utf-8"))
    assert italian["ci-test-new"] == {"text": TEXTS["it"]}
    # The pages and documents that show it, by their address in the preview.
    assert {"contraindications/", "en/contraindications/", "it/questionnaire-it.pdf"} <= {
        item["address"] for item in body["changed"]
    }
    assert "en/evidence/" not in {item["address"] for item in body["changed"]}


def test_a_new_fact_without_a_published_languages_text_is_refused_beside_the_texts(
    client: Client, project: Path
) -> None:
    before = {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")}
    texts = {**TEXTS, "en": ""}
    status, body = client.request("/api/save", {"file": FACTS, "new_fact": {"fact": NEW_FACT, "texts": texts}})
    assert status == 422
    messages = {problem["message"]: problem["field"] for problem in body["problems"]}
    missing = next(message for message in messages if "'ci-test-new' has no text in language 'en'" in message)
    assert messages[missing] == ["texts"]
    asked = next(message for message in messages if "is asked by no question" in message)
    assert messages[asked] == ["fact", "id"]
    assert before == {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")}


def test_a_new_fact_only_goes_into_a_treatments_facts_file(client: Client) -> None:
    new = {"fact": NEW_FACT, "texts": TEXTS}
    assert client.request("/api/save", {"file": "content/clinic.yaml", "new_fact": new})[0] == 400
    assert client.request("/api/save", {"file": "content/treatments/../clinic.yaml", "new_fact": new})[0] == 400


@pytest.mark.slow  # it starts mkdocs serve
def test_patientinfo_edit_starts_the_editor_and_the_preview_behind_one_token(project: Path) -> None:
    """The command a secretary's computer runs: both servers answer with the printed token only."""
    import subprocess
    import sys
    import time

    env = {**os.environ, "PATIENTINFO_PREVIEW_TOKEN": "cli-token", "CI": ""}
    command = [sys.executable, "-m", "patientinfo", "edit", "--no-browser"]
    process = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        editor = process.stdout.readline().split(": ", 1)[1].strip()
        preview = process.stdout.readline().split(": ", 1)[1].strip()
        assert editor.startswith("http://127.0.0.1:") and editor.endswith("?token=cli-token")
        with urllib.request.urlopen(editor, timeout=30) as response:
            assert "content/clinic.yaml" in response.read().decode("utf-8")
        for _ in range(240):  # the preview builds the site first
            try:
                with urllib.request.urlopen(preview, timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("the preview did not answer")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(preview.split("?")[0], timeout=5)
        assert refused.value.code == 403
    finally:
        process.terminate()
        process.wait(timeout=20)
    with pytest.raises(OSError):  # stopping the editor stops its preview
        urllib.request.urlopen(preview, timeout=5)


def test_a_facts_form_is_labelled_in_the_editors_language(client: Client) -> None:
    from patientinfo.messages import use

    use("fr")
    try:
        _status, one = client.request(f"/api/schema?file={FACTS}&part=facts.84")
        _status, new = client.request(f"/api/new-fact?file={FACTS}")
    finally:
        use("en")
    assert one["schema"]["properties"]["category"]["title"] == "Catégorie"
    assert one["schema"]["definitions"]["Quantity"]["properties"]["max"]["title"] == "Jusqu’à"
    assert new["schema"]["properties"]["texts"]["properties"]["fr"]["title"].startswith("français")
    assert new["schema"]["properties"]["fact"]["properties"]["sources"]["title"] == "Sources"
