"""Section 2: how long an editor waits, under `mkdocs serve`, between saving a fact or a docs file
and seeing the change in the served page."""

from __future__ import annotations

import html
import os
import random
import re
import shutil
import signal
import socket
import string
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from .builds import BuildFigures
from .common import PYTHON, say
from .projects import copy_project, read_yaml
from .runs import environment, fmt_median, with_token

POLL = 0.05  # seconds between two requests while waiting for an edit to show
EDITS = 5  # edits per figure: the target is on the median of 5
EDIT_TIMEOUT = 120.0


# The editors' guide, a hand-made page, in the browser's language (English) and in another.
DOCS_PAGES = (("en", "en/editors/"), ("fr", "editors/"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(with_token(url), timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and of its running child processes (the PDF workers of mkdocs serve)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that just ended
            continue
        if stat.parent.name == str(pid) or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, timeout: float = 180.0) -> None:
    """Until the server and its workers use under 10 % of a core over half a second (a rebuild or
    the background PDFs finished), so that one measurement does not pay for the previous one's work."""
    end = time.monotonic() + timeout
    before = cpu_seconds(pid)
    while time.monotonic() < end:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now - before < 0.05:
            return
        before = now


def pick_fact(project: Path, site: Path) -> tuple[str, str]:
    """An English fact (plain text, no placeholder) shown on a page other than the home page:
    (fact id, page path like 'en/risks/')."""
    texts = read_yaml(project / "content/en/mesotherapy/facts.yaml")
    facts = {f["id"] for f in read_yaml(project / "content/treatments/mesotherapy/facts.yaml")["facts"]}
    pages = {
        path.parent.relative_to(site).as_posix() + "/": path.read_text(encoding="utf-8")
        for path in sorted((site / "en").glob("*/index.html"))
        if "editors" not in path.parts
    }
    for fact_id, entry in texts.items():
        text = entry.get("text") if isinstance(entry, dict) else None
        if fact_id not in facts or not text or re.search(r"[{}*_\[\]`<>&]", text):
            continue
        for page, body in pages.items():
            if html.escape(text, quote=False) in body or html.escape(text) in body:
                return fact_id, page
    raise RuntimeError("no English fact text found on an English page")


def append_to_fact(texts_file: Path, fact_id: str, word: str) -> None:
    """Append `` word`` to the fact's English text, editing one line as an editor would."""
    source = texts_file.read_text(encoding="utf-8")
    pattern = re.compile(rf'^({re.escape(fact_id)}:\n  text: "(?:[^"\\]|\\.)*)"', re.M)
    edited, count = pattern.subn(lambda m: f'{m.group(1)} {word}"', source, count=1)
    if count != 1:  # not the usual one-line form: the same change through the YAML parser
        data = yaml.safe_load(source)
        data[fact_id]["text"] += f" {word}"
        edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    texts_file.write_text(edited, encoding="utf-8")


def fetch_bytes(url: str) -> bytes:
    try:
        with urllib.request.urlopen(with_token(url), timeout=5) as response:
            return response.read()
    except (urllib.error.URLError, OSError):
        return b""


def wait_changed(url: str, before: bytes, started: float) -> float | None:
    """Seconds from ``started`` until ``url`` serves other bytes than ``before`` (a PDF made again)."""
    while time.perf_counter() - started < EDIT_TIMEOUT:
        now = fetch_bytes(url)
        if now.startswith(b"%PDF") and now != before:
            return time.perf_counter() - started
        time.sleep(POLL)
    return None


def wait_for(url: str, word: str) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < EDIT_TIMEOUT:
        status, body = fetch(url)
        if status == 200 and word in body:
            return time.perf_counter() - started
        time.sleep(POLL)
    return None


def unique_word() -> str:
    return "Benchword" + "".join(random.choices(string.ascii_lowercase, k=10))


@dataclass
class ServeFigures:
    fact: list[float | None]
    docs: list[float | None]
    page: str
    fact_id: str
    startup: float
    fact_other: list[float | None]  # the same fact's French text, on the French page
    pdf: list[float | None]  # the English leaflet made again after the English edit
    docs_pages: dict[str, list[float | None]]  # an edit of docs/<lang>/editors.md, by language


def start_serve(project: Path, cache: Path, port: int) -> tuple[subprocess.Popen, list[str]]:
    """`mkdocs serve` of ``project`` on ``port``, and the lines it prints (read by a thread)."""
    log_lines: list[str] = []
    process = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env=environment(cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    threading.Thread(target=lambda: log_lines.extend(process.stdout), daemon=True).start()
    return process, log_lines


def wait_serving(process: subprocess.Popen, log_lines: list[str], base: str, started: float) -> float:
    """Seconds from ``started`` until ``base`` answers; the server's last lines if it never does."""
    while fetch(base)[0] != 200:
        if process.poll() is not None or time.perf_counter() - started > 300:
            raise RuntimeError("mkdocs serve did not start:\n" + "".join(log_lines[-15:]))
        time.sleep(0.2)
    return time.perf_counter() - started


def stop_serve(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fact_edits(
    process: subprocess.Popen, project: Path, url: str, fact_id: str, lang: str = "en", pdf_url: str | None = None
) -> tuple[list[float | None], list[float | None]]:
    """EDITS edits of the fact's text in ``lang``, each timed until ``url`` shows it (and, with
    ``pdf_url``, until that PDF is made again)."""
    times: list[float | None] = []
    pdf_times: list[float | None] = []
    for _ in range(EDITS):
        word = unique_word()
        before = fetch_bytes(pdf_url) if pdf_url else b""
        started = time.perf_counter()
        append_to_fact(project / f"content/{lang}/mesotherapy/facts.yaml", fact_id, word)
        times.append(wait_for(url, word))
        if pdf_url:
            pdf_times.append(wait_changed(pdf_url, before, started))
        wait_idle(process.pid)
    return times, pdf_times


def docs_edits(process: subprocess.Popen, project: Path, base: str) -> list[float | None]:
    """Three edits of a hand-made docs file (a style sheet), each timed until it is served."""
    times: list[float | None] = []
    css = project / "docs/assets/stylesheets/extra.css"
    for _ in range(EDITS):
        word = unique_word()
        with css.open("a", encoding="utf-8") as f:
            f.write(f"\n/* {word} */\n")
        times.append(wait_for(base + "assets/stylesheets/extra.css", word))
        wait_idle(process.pid)
    return times


def docs_page_edits(process: subprocess.Popen, project: Path, base: str, lang: str, path: str) -> list[float | None]:
    """Edits of a hand-made page (the editors' guide in ``lang``), each timed until ``path`` shows it."""
    times: list[float | None] = []
    page = project / f"docs/{lang}/editors.md"
    for _ in range(EDITS):
        word = unique_word()
        with page.open("a", encoding="utf-8") as f:
            f.write(f"\n\n{word}\n")
        times.append(wait_for(base + path, word))
        wait_idle(process.pid)
    return times


def shown(values: list[float | None]) -> str:
    return ", ".join("timeout" if v is None else f"{v:.2f}" for v in values)


def measure_serve(tmp: Path, builds: BuildFigures) -> ServeFigures:
    say("\n2. mkdocs serve, edit to page (livereload on; polling every 50 ms)")
    project = copy_project(tmp / "serve")
    cache = tmp / "pdf-serve"
    shutil.copytree(builds.pdf_cache, cache)  # filled, as on an editor's machine; edits replace entries
    fact_id, page = pick_fact(project, builds.site)
    say(f"   fact '{fact_id}', shown on /{page}")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    process, log_lines = start_serve(project, cache, port)
    try:
        startup = wait_serving(process, log_lines, base, started)
        say(f"   serving after {startup:.1f} s")
        wait_idle(process.pid)
        fact_times, pdf_times = fact_edits(process, project, base + page, fact_id, pdf_url=base + "en/leaflet-en.pdf")
        french = page.removeprefix("en/")
        other_times, _ = fact_edits(process, project, base + french, fact_id, lang="fr")
        docs_times = docs_edits(process, project, base)
        docs_pages = {lang: docs_page_edits(process, project, base, lang, path) for lang, path in DOCS_PAGES}
    finally:
        stop_serve(process)
    figures = ServeFigures(fact_times, docs_times, page, fact_id, startup, other_times, pdf_times, docs_pages)
    say(f"   fact edit (content/en/...) -> /{page}:  median {fmt_median(fact_times)}   [{shown(fact_times)}]")
    say(f"   fact edit (content/fr/...) -> /{french}:  median {fmt_median(other_times)}   [{shown(other_times)}]")
    say(f"   English leaflet made again after the edit:  median {fmt_median(pdf_times)}   [{shown(pdf_times)}]")
    say(f"   docs edit (docs/assets/stylesheets/extra.css):  median {fmt_median(docs_times)}   [{shown(docs_times)}]")
    for lang, path in DOCS_PAGES:
        times = docs_pages[lang]
        say(f"   docs edit (docs/{lang}/editors.md) -> /{path}:  median {fmt_median(times)}   [{shown(times)}]")
    return figures
