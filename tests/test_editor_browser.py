"""The browser editor in a real browser (Debian's Chromium, Playwright): a form made from the
file's JSON Schema; a wrong value is shown beside its field and nothing is written; a right one
is saved, keeping every other character of the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DAY
from patientinfo.content.layout import Layout
from patientinfo.content.load import load_treatment
from patientinfo.editor.server import start

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOKEN = "browser-editor-token"


@pytest.fixture
def editor_page(project: Path, browser):
    server, address = start(Layout(project), TOKEN, DAY)
    page = browser.new_page(viewport={"width": 412, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(request.url) if "127.0.0.1" not in request.url else None)
    page.goto(address)  # the address with its token: the browser keeps the cookie
    yield page, address.split("?", 1)[0], errors
    page.close()
    server.shutdown()


def open_clinic_form(page, base: str):
    page.goto(base + "edit?file=content/clinic.yaml")
    age = page.locator('[name="root[minimum_age]"]')
    age.wait_for(timeout=20_000)
    return age


def test_a_wrong_value_is_shown_beside_its_field_and_nothing_is_written(editor_page, project: Path) -> None:
    page, base, errors = editor_page
    before = (project / "content/clinic.yaml").read_bytes()
    age = open_clinic_form(page, base)
    age.fill("eighteen")
    age.dispatch_event("change")
    page.click("#save")
    problem = page.locator(".problem")
    problem.wait_for(timeout=20_000)
    assert "minimum_age: must be a whole number" in problem.text_content()
    # Beside its field: inside the form's container of that field.
    assert page.locator('[data-schemapath="root.minimum_age"] .problem').count() == 1
    assert (project / "content/clinic.yaml").read_bytes() == before
    assert errors == []  # no script error, nothing asked of another host


def test_a_right_value_is_saved_keeping_the_rest_of_the_file(editor_page, project: Path) -> None:
    page, base, errors = editor_page
    path = project / "content/clinic.yaml"
    before = path.read_text(encoding="utf-8")
    age = open_clinic_form(page, base)
    age.fill("21")
    age.dispatch_event("change")
    page.click("#save")
    page.locator("#status.good").wait_for(timeout=20_000)
    after = path.read_text(encoding="utf-8")
    changed = [(old, new) for old, new in zip(before.splitlines(), after.splitlines(), strict=True) if old != new]
    assert len(changed) == 1 and changed[0][1].startswith("minimum_age: 21")  # its comment kept
    assert load_treatment(project).clinic.minimum_age == 21
    assert "+minimum_age: 21" in page.locator("#diff").text_content()
    assert errors == []


def test_a_changed_source_text_shows_the_translations_to_review(editor_page, project: Path) -> None:
    page, base, errors = editor_page
    before = (project / "content/fr/mesotherapy/facts.yaml").read_bytes()
    page.goto(base + "edit?file=content/fr/mesotherapy/facts.yaml")
    field = page.locator('[name="root[principle-microinjections][text]"]')
    field.wait_for(timeout=60_000)
    field.fill(field.input_value() + " Sans douleur.")
    field.dispatch_event("change")
    page.click("#check")
    page.locator("#stale dl").first.wait_for(timeout=30_000)
    shown = page.locator("#stale").inner_text()
    assert "it · principle-microinjections (content/it/mesotherapy/facts.yaml)" in shown
    assert "en · principle-microinjections (content/en/mesotherapy/facts.yaml)" in shown
    assert "Sans douleur." in shown and "The doctor gives many small injections" in shown
    assert (project / "content/fr/mesotherapy/facts.yaml").read_bytes() == before  # Check writes nothing
    assert errors == []
