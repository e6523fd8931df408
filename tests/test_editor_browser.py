"""The browser editor in a real browser (Debian's Chromium, Playwright): a form made from the
file's JSON Schema; a wrong value is shown beside its field and nothing is written; a right one
is saved, keeping every other character of the file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import DAY
from patientinfo.content.layout import Layout
from patientinfo.content.load import load_treatment
from patientinfo.editor.server import as_json, start

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


@pytest.fixture
def with_preview(project: Path, browser):
    """The editor with the preview of the same project beside it, as ``patientinfo edit`` runs them."""
    from test_serve import TOKEN as PREVIEW_TOKEN
    from test_serve import Server

    preview = Server(project)
    preview.wait_for("Serving on", timeout=120)
    server, address = start(
        Layout(project), TOKEN, DAY, preview=f"http://127.0.0.1:{preview.port}/?token={PREVIEW_TOKEN}"
    )
    page = browser.new_page(viewport={"width": 412, "height": 900})
    page.goto(address)
    yield page, address.split("?", 1)[0], preview
    page.close()
    server.shutdown()
    preview.stop()


def test_a_changed_session_count_shows_in_the_preview_from_the_link_after_saving(with_preview) -> None:
    page, base, preview = with_preview
    page.goto(base)
    page.click("text=Each fact on its own")
    page.click("a:text-is('sched-sport')")  # one fact's own form
    count = page.locator('[name="root[values][sessions][value]"]')
    count.wait_for(timeout=20_000)
    assert count.input_value() == "3"
    english = preview.get("/en/schedule/")
    assert re.search(r"3\s+sessions are enough", english)  # a no-break space between number and unit
    count.fill("4")
    count.dispatch_event("change")
    page.click("#save")  # refused: the source's words, quoted below, say 3
    page.locator(".problem", has_text="is not in the words it quotes").wait_for(timeout=30_000)
    quote = page.locator('[name="root[quotes][seed-002]"]')
    quote.fill(quote.input_value().replace("3 séances", "4 séances"))  # a made-up correction, for the test
    quote.dispatch_event("change")
    page.click("#save")
    link = page.locator("#changed a", has_text="/en/schedule/")
    link.wait_for(timeout=30_000)
    assert page.locator("#status").text_content() == "Saved."
    with page.context.expect_page() as opened:
        link.click()
    shown = opened.value
    for _ in range(100):  # the preview rebuilds on its own; the page it serves then shows 4
        shown.reload()
        if re.search(r"4\s+sessions are enough", shown.text_content("body") or ""):
            break
        shown.wait_for_timeout(300)
    assert re.search(r"4\s+sessions are enough", shown.text_content("body") or "")


def test_a_contraindication_is_added_with_its_source_and_quote_in_the_form(editor_page, project: Path) -> None:
    page, base, errors = editor_page
    page.goto(base + "add?file=content/treatments/mesotherapy/facts.yaml")
    page.locator('[name="root[fact][id]"]').wait_for(timeout=20_000)
    page.fill('[name="root[fact][id]"]', "ci-made-up")
    page.select_option('[name="root[fact][severity]"]', "relative")
    page.select_option('[name="root[fact][sources][0]"]', "seed-004")
    page.click("button:has-text('Add Quote')")
    page.select_option('[name="root[fact][quotes][0][source]"]', "seed-004")
    quote = "Controindicazioni relative riguardano i pazienti che assumono antiaggreganti o anticoagulanti"
    page.fill('[name="root[fact][quotes][0][words]"]', quote)
    for lang, words in {
        "fr": "Une maladie inventée.",
        "it": "Una malattia inventata.",
        "en": "A made-up illness.",
    }.items():
        page.fill(f'[name="root[texts][{lang}]"]', words)
        page.dispatch_event(f'[name="root[texts][{lang}]"]', "change")
    page.select_option('[name="root[asked_by]"]', "screen-health")
    page.click("#save")
    page.locator("#status.good, #status.bad").wait_for(timeout=30_000)  # (the page's policy forbids eval)
    assert page.locator("#status").text_content() == "Saved.", page.locator("#problems").text_content()
    treatment = load_treatment(project)
    assert treatment.facts["ci-made-up"].quotes == {"seed-004": quote}
    assert "ci-made-up" in treatment.facts["screen-health"].covers
    assert errors == []


def test_writes_without_the_token_from_another_origin_or_outside_the_content_are_refused(
    editor_page, project: Path, browser
) -> None:
    """In the browser: a page of another origin on this computer (another port: same site, so the
    editor's cookie goes with its requests) cannot write; nor can a browser without the token;
    nor the editor's own page outside the content folder."""
    import http.server
    import threading

    page, base, _errors = editor_page
    clinic = project / "content/clinic.yaml"
    before = clinic.read_bytes()
    data = as_json(yaml.safe_load(before))
    data["name"] = "Taken over"
    body = json.dumps({"file": "content/clinic.yaml", "data": data})
    script = (
        "async ([url, body]) => { const r = await fetch(url, {method: 'POST', body: body, credentials: 'include',"
        " mode: 'no-cors', headers: {'Content-Type': 'text/plain'}}); return r.type; }"
    )

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the base class's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!doctype html><title>another site</title>")

        def log_message(self, *args) -> None:
            pass

    other = http.server.HTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        context = browser.new_context()
        context.new_page().goto(f"{base}?token={TOKEN}")  # the editor's cookie, in this context
        elsewhere = context.new_page()
        elsewhere.goto(f"http://127.0.0.1:{other.server_port}/")
        elsewhere.evaluate(script, [base + "api/save", body])
        assert clinic.read_bytes() == before, "a page of another origin wrote"
        stranger = browser.new_page()  # no cookie, no token
        stranger.goto(base)
        assert "only with its address and token" in (stranger.text_content("body") or "")
        own = page.evaluate(
            "async (body) => (await fetch('/api/save', {method: 'POST', body: body})).status",
            '{"file": "../mkdocs.yml", "data": {}}',
        )
        assert own == 400
        # The same change, from the editor's own page, is a change it would write (so the
        # refusals above are the token's and the Origin's, not the request's).
        proposed = page.evaluate(
            "async (body) => (await (await fetch('/api/propose', {method: 'POST', body: body})).json()).diff", body
        )
        assert '+name: "Taken over"' in proposed
        stranger.close()
        context.close()
    finally:
        other.shutdown()
    assert clinic.read_bytes() == before
