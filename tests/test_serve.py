"""``mkdocs serve``: an edit rebuilds once (never a loop on its own output), pages first and PDFs
after; while the content has an error, the pages show it instead of hanging."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from conftest import SAMPLE_ID

pytestmark = pytest.mark.slow
TOKEN = "test-preview-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path):
        self.port = free_port()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # An editor's preview, not CI; its token fixed so that the test can use its address.
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "", "PATIENTINFO_PREVIEW_TOKEN": TOKEN},
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def count(self, needle: str) -> int:
        return sum(needle in line for line in list(self.lines))

    def wait_for(self, needle: str, times: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.count(needle) < times:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"waited for {needle!r} x{times}:\n" + "".join(self.lines))
            time.sleep(0.2)

    def get(self, path: str) -> str:
        return self.get_bytes(path).decode("utf-8")

    def get_bytes(self, path: str, *, token: bool = True, headers: dict | None = None) -> bytes:
        query = ("&" if "?" in path else "?") + f"token={TOKEN}" if token else ""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}{query}", headers=headers or {})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def server(sample_project: Path):
    """``mkdocs serve`` of the made-up project, stopped after the test."""
    started = Server(sample_project)
    yield started
    started.stop()


def poll(read, ready, timeout: float = 120) -> object:
    """Call ``read()`` until ``ready(value)``; the value, or an AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = read()
        except OSError:
            value = None
        if value is not None and ready(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not ready after {timeout} s (last: {str(value)[:200]!r})")
        time.sleep(0.1)


def edit_until_noticed(server: Server, path: Path, old: str, new: str) -> None:
    """Edit a file; write it again if the watcher (still starting) did not see the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    for _ in range(20):
        path.write_text(text.replace(old, new), encoding="utf-8")
        try:
            server.wait_for("Detected file changes", timeout=3)
            return
        except AssertionError:
            path.write_text(text, encoding="utf-8")
    raise AssertionError("the file watcher never noticed the edit:\n" + "".join(server.lines))


def test_a_changed_fact_rebuilds_once_and_the_pdfs_follow(server: Server, sample_project: Path):
    server.wait_for("Serving on")
    server.wait_for("PDFs up to date")  # the PDFs of the content as it is
    before = server.get_bytes("/it/leaflet-it.pdf")
    word = f"leggero{uuid.uuid4().hex[:6]}"  # a text no cached PDF has
    texts = sample_project / "content" / "it" / SAMPLE_ID / "facts.yaml"
    edit_until_noticed(server, texts, "Un livido", f"Un livido {word}")
    page = poll(lambda: server.get("/it/risks/"), lambda page: word in page)
    # Meanwhile the page's links to PDFs say "updating" (the preview's status file says so).
    assert "patientinfo-preview.json" in page and "aria-busy" in page
    poll(lambda: server.get("/patientinfo-preview.json"), lambda status: '"updating": true' in status, timeout=10)
    # The page comes first; the leaflet follows once WeasyPrint has made it again.
    try:
        poll(lambda: server.get_bytes("/it/leaflet-it.pdf"), lambda data: data.startswith(b"%PDF") and data != before)
    except AssertionError:
        raise AssertionError("".join(server.lines)) from None
    server.wait_for("PDFs up to date", times=2)
    assert '"updating": false' in server.get("/patientinfo-preview.json")
    assert server.count("Detected file changes") == 1, "".join(server.lines)  # no loop on its own output


def test_while_the_content_has_an_error_the_pages_show_it(server: Server, sample_project: Path):
    server.wait_for("Serving on")
    poll(lambda: server.get("/en/risks/"), lambda page: "A bruise" in page)
    clinic = sample_project / "content" / "clinic.yaml"
    good = clinic.read_text(encoding="utf-8")
    edit_until_noticed(server, clinic, "brand_colour:", "brand_colour: blue\nbrand_color:")
    page = poll(lambda: server.get("/en/risks/"), lambda page: "The content has errors" in page)
    assert "content/clinic.yaml:" in page and "A bruise" in page  # the error and the last good page
    assert "Traceback" not in "".join(server.lines)
    clinic.write_text(good, encoding="utf-8")
    poll(lambda: server.get("/en/risks/"), lambda page: "The content has errors" not in page)


def test_a_docs_edit_is_copied_without_a_full_build(server: Server, sample_project: Path):
    server.wait_for("Serving on")
    css = sample_project / "docs" / "assets" / "stylesheets" / "extra.css"
    marker = f"/* {uuid.uuid4().hex} */"
    edit_until_noticed(server, css, "\n", f"\n{marker}\n")
    poll(lambda: server.get("/assets/stylesheets/extra.css"), lambda text: marker in text)
    server.wait_for("Reloading browsers")
    assert server.count("Building documentation") == 1, "".join(server.lines)  # copied, no full build


def test_a_fact_edit_renders_only_the_pages_that_show_it_as_a_full_build_would(server: Server, sample_project: Path):
    """The quick preview (mkdocs/quick.py): an edit of one text renders again the pages that show
    it and no other, and each is what a full build of every language makes of it."""
    server.wait_for("Serving on")
    server.wait_for("PDFs up to date")
    word = f"leggero{uuid.uuid4().hex[:6]}"
    texts = sample_project / "content" / "it" / SAMPLE_ID / "facts.yaml"
    edit_until_noticed(server, texts, "Un livido", f"Un livido {word}")
    quick = poll(lambda: server.get("/it/risks/"), lambda page: word in page)
    server.wait_for("Reloading browsers")
    rendered = {line.split("quick preview of ", 1)[1].strip() for line in server.lines if "quick preview of" in line}
    staging = sample_project / ".cache/patientinfo/docs"
    showing = {
        path.relative_to(staging).as_posix()
        for path in staging.rglob("*.md")
        if word in path.read_text(encoding="utf-8")
    }
    assert rendered == showing and rendered, "".join(server.lines)
    assert server.count("Building documentation") == 1, "".join(server.lines)  # no full build for it
    # A full build (an edit of mkdocs.yml) makes the same page.
    config = sample_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# full build\n", encoding="utf-8")
    server.wait_for("Building documentation", times=2)
    server.wait_for("Reloading browsers", times=2)

    def built(page: str) -> str:  # the served page without the server's live-reload counters
        return re.sub(r"livereload\(\d+, \d+\)", "livereload()", page)

    assert built(server.get("/it/risks/")) == built(quick)


def test_the_preview_answers_only_this_computer_with_its_token(server: Server, sample_project: Path):
    server.wait_for("Serving on")
    server.wait_for(f"?token={TOKEN}")  # the address to open is printed
    assert b"<html" in server.get_bytes("/it/risks/")

    def status(**options) -> int:
        try:
            server.get_bytes("/it/risks/", **options)
        except urllib.error.HTTPError as exc:
            return exc.code
        return 200

    assert status(token=False) == 403  # another program, or a page of another site
    assert status(token=False, headers={"Cookie": f"patientinfo_preview={TOKEN}"}) == 200  # the browser
    assert status(token=False, headers={"Cookie": "patientinfo_preview=guess"}) == 403
    assert status(headers={"Host": f"attacker.example:{server.port}"}) == 403  # a name made to point here


def test_the_preview_refuses_to_listen_beyond_this_computer(sample_project: Path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"0.0.0.0:{free_port()}"],
        cwd=sample_project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": ""},
    )
    assert result.returncode != 0
    assert "the preview answers this computer only" in result.stderr + result.stdout


def test_a_page_title_edit_makes_a_full_build_so_every_menu_follows(server: Server, sample_project: Path):
    """A title shows in the menu of every page: the quick preview leaves it to a full build."""
    server.wait_for("Serving on")
    pages = sample_project / "content" / "it" / SAMPLE_ID / "pages.yaml"
    lines = pages.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("risks.title:"))
    title = lines[at] if lines[at].strip() != "risks.title:" else lines[at + 1]  # "id: text" or its text line
    word = f"Titolo{uuid.uuid4().hex[:6]}"
    edit_until_noticed(server, pages, title, re.sub(r"(: \"?)", rf"\g<1>{word} ", title, count=1))
    poll(lambda: server.get("/it/contact/"), lambda page: word in page)  # the menu of another page
    assert server.count("Building documentation") == 2 and server.count("quick preview of") == 0


def test_an_edit_of_no_language_renders_the_language_being_read_first(server: Server, sample_project: Path):
    """A number is in the facts of no language: every language's pages change, those of the
    language the editor last opened first (preview.LookedAt)."""
    server.wait_for("Serving on")
    server.wait_for("PDFs up to date")
    server.get("/it/")  # the editor reads the Italian pages
    reloads, before = server.count("Reloading browsers"), server.count("quick preview of")
    facts = sample_project / "content" / "treatments" / SAMPLE_ID / "facts.yaml"
    edit_until_noticed(server, facts, "max: 5\n", "max: 6\n")
    server.wait_for("Reloading browsers", times=reloads + 1)
    rendered = [line.split("quick preview of ", 1)[1].strip() for line in server.lines if "quick preview of" in line]
    rendered = rendered[before:]
    assert rendered and rendered[0].startswith("it/"), "".join(server.lines)
    assert {path.split("/", 1)[0] for path in rendered} == {"fr", "it", "en"}, rendered
