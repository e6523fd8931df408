"""Fixtures that put a whole project (content, docs, mkdocs.yml) in a temporary folder.

``project`` copies the real content; ``sample_project`` writes a tiny made-up treatment, to show
that nothing in the engine is tied to mesotherapy. Builds and commands run in this process, as
the command line runs them (``run_cli``), except the few tests that check the command itself
(``process=True``). ``built_project``, the shipped project built once, is shared by every xdist
worker of the session (a file lock lets the first one build it).

The suite's clock is a fixed day, ``DAY``: no test depends on today's date, and an edit of the
content's review dates moves nothing but the review tests.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import inspect
import io
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from filelock import FileLock

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
LANGS = ("fr", "it", "en")
DAY = dt.date(2026, 12, 1)  # the suite's "today"
A_YEAR_LATER = DAY + dt.timedelta(days=365)


def epoch_of(day: dt.date) -> str:
    return str(int(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC).timestamp()))


os.environ["SOURCE_DATE_EPOCH"] = epoch_of(DAY)  # every build and command of the suite runs on DAY
# Every test project shares one PDF cache: PDFs are keyed on their own HTML, so a test that
# changes a text gets a new PDF and the others reuse the ones already made.
os.environ.setdefault("PATIENTINFO_PDF_CACHE", str(REPO / ".cache" / "patientinfo" / "test-pdf"))
os.environ.setdefault("PATIENTINFO_WORKERS", "1")  # the xdist workers are the parallelism
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ["PATIENTINFO_LANGUAGE"] = "en"  # the tool's messages in English, whatever the machine's locale


def context(**changes: object):
    """The build context of the suite (DAY, the shared PDF cache, not strict), with ``changes``."""
    from patientinfo.pipeline.context import context_from_environment

    return dataclasses.replace(context_from_environment(os.environ), **{"strict": False, **changes})


def html_of(treatment, lang: str, kind: str, day: dt.date = DAY) -> str:
    """The HTML a printed document is made from (``leaflet``, ``consent``, ``record-card``...)."""
    from patientinfo.printing.registry import html_of as printed_html

    return printed_html(treatment, lang, kind, day)


def pdf_of(treatment, lang: str, kind: str = "leaflet", day: dt.date = DAY) -> bytes:
    """One printed document, made through the engine and the shared PDF cache."""
    from patientinfo.printing.engine import make_pdfs
    from patientinfo.printing.registry import BY_KIND, job

    wanted = job(treatment, lang, BY_KIND[kind], day)
    return make_pdfs([wanted], context().pdf_cache)[wanted.stem]


def text_path(lang: str, domain: str, treatment: str) -> str:
    """A text file as messages name it, in a project with the default layout."""
    from patientinfo.content.layout import Layout

    return Layout(REPO).texts(lang, domain, treatment)


def copy_project(target: Path) -> Path:
    """Copy what a build needs (not site/, .venv/ or caches) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "docs", "overrides"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


@contextlib.contextmanager
def _environment(changes: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(changes)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_cli(
    root: Path, command: str, *args: str, env: dict | None = None, process: bool = False
) -> subprocess.CompletedProcess:
    """``python -m patientinfo COMMAND ARGS`` in ``root``, as an editor would run it: on their own
    machine (not strict) unless the test asks for ``--strict`` or ``CI``, whatever runs the tests.
    In this process (the same code path: ``cli.main``), or as a real process with ``process``."""
    environment = {"NO_MKDOCS_2_WARNING": "1", "CI": "", **(env or {})}
    argv = [command, *args]
    if process:
        return subprocess.run(
            [sys.executable, "-m", "patientinfo", *argv],
            cwd=root,
            capture_output=True,
            text=True,
            env={**os.environ, **environment},
            timeout=600,
        )
    from patientinfo.cli import main
    from patientinfo.messages import use_argparse

    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(environment),
        contextlib.chdir(root),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's errors
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            use_argparse("en")  # the next test of this process speaks English again
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def run_build(root: Path, *args: str, env: dict | None = None, process: bool = False) -> subprocess.CompletedProcess:
    return run_cli(root, "build", *args, env=env, process=process)


def build_pages(root: Path, **changes: object) -> subprocess.CompletedProcess:
    """A build of the pages only (no PDF printed), in this process, with the suite's context:
    for tests about pages, which need not wait for WeasyPrint."""
    from patientinfo.content.layout import Layout
    from patientinfo.pipeline.publish import build_site

    out, err = io.StringIO(), io.StringIO()
    build_context = context(**{"pdfs": "none", **changes})
    with contextlib.chdir(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = build_site(Layout.of_project(root), root / "site", build_context)
    return subprocess.CompletedProcess(["build"], code, out.getvalue(), err.getvalue())


def tree_digest(folder: Path) -> str:
    """One hash of every file's path and bytes: equal digests mean an untouched folder."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def pdf_objects(raw: bytes) -> bytes:
    """The PDF's objects with compressed streams (object streams included) inflated."""
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def content():
    """The shipped content, loaded once (read-only for tests)."""
    from patientinfo.content.load import load_treatment

    return load_treatment(REPO)


@pytest.fixture(scope="session")
def site(content):
    """Every page of the shipped content in every language, rendered once: language -> file -> Markdown."""
    from patientinfo.render.pages import render_treatment

    return render_treatment(content, DAY)


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """``make(folder)`` once per test session, whatever the number of xdist workers: the first
    worker to get the lock makes it, the others wait and reuse it (a failure is shared too)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder every worker's temporary folder is in
    folder, failed = base / name, base / f"{name}.failed"
    with FileLock(str(base / f"{name}.lock")):
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"))
        if not (folder / ".made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            try:
                make(folder)
            except BaseException as exc:
                failed.write_text(f"{name} could not be made: {exc}", encoding="utf-8")
                raise
            (folder / ".made").touch()
    return folder


def _build_shipped(folder: Path) -> None:
    root = copy_project(folder / "project")
    result = run_build(root, "--strict")  # the shipped content passes the editors' check, links included
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project, built once for the whole test session with its PDFs (read-only)."""
    return shared_folder(tmp_path_factory, "built", _build_shipped) / "project"


def _build_pages_of_shipped(folder: Path) -> None:
    root = copy_project(folder / "project")
    result = build_pages(root, strict=True)  # the shipped content passes the editors' check
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.fixture(scope="session")
def built_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's pages, built once for the whole session, without PDFs (read-only):
    what the fast tests read."""
    return shared_folder(tmp_path_factory, "pages", _build_pages_of_shipped) / "project"


def quote_y() -> dict:
    """A fresh dict each time: a shared one would be written as a YAML alias, which content refuses."""
    return {"study-y": "the words of the study"}


SAMPLE_FACTS = {
    "review": {"last_reviewed": "2026-01-10", "next_review": "2026-07-10", "reviewed_by": "Dr Test"},  # overrides
    "groups": {"indication": ["pain"], "substance": ["medicine"]},
    "facts": [
        {"id": "what", "category": "principle", "key": True, "sources": ["clinic-x"]},
        {"id": "use", "category": "indication", "group": "pain", "sources": ["clinic-x"]},
        {"id": "thing", "category": "substance", "group": "medicine", "sources": ["clinic-x"]},
        {
            "id": "course-a",
            "category": "schedule",
            "sources": ["clinic-x"],
            "values": {"sessions": {"min": 3, "max": 5, "unit": "session"}},
        },
        {
            "id": "course-b",
            "category": "schedule",
            "sources": ["study-y"],
            "quotes": {"study-y": "up to 15 sessions"},
            "values": {"sessions": {"max": 15, "unit": "session"}},
        },
        {
            "id": "dose",
            "category": "technique",
            "step": "during",
            "sources": ["clinic-x"],
            "values": {"volume": {"about": 0.5, "unit": "volume-milliliter"}},
        },
        {"id": "bruise", "category": "risk", "step": "after", "sources": ["study-y"], "quotes": quote_y()},
        {"id": "allergy", "category": "contraindication", "severity": "absolute", "sources": ["clinic-x"]},
        {"id": "ask-allergy", "category": "screening", "covers": ["allergy"], "sources": ["clinic-x"]},
        {"id": "trial", "category": "evidence", "sources": ["study-y"], "quotes": quote_y()},
        {"id": "other", "category": "alternative", "sources": ["study-y"], "quotes": quote_y()},
        {"id": "nothing", "category": "without_treatment", "sources": ["study-y"], "quotes": quote_y()},
        {"id": "gain", "category": "benefit", "sources": ["study-y"], "quotes": quote_y()},
        {"id": "watch", "category": "warning_sign", "urgency": "same_day", "sources": ["study-y"], "quotes": quote_y()},
        {"id": "ask", "category": "help", "sources": ["study-y"], "quotes": quote_y()},
    ],
    "disputes": [{"id": "how-many", "facts": ["course-a", "course-b"]}],
    "faq": [{"id": "faq-how-many", "disputes": ["how-many"]}],
    "excluded": [],
}
SAMPLE_SOURCES = {
    "sources": [
        {"id": "clinic-x", "type": "clinic_website", "label": "X", "file": "x.txt", "language": "fr"},
        {"id": "study-y", "type": "review", "label": "Study 2020", "citation": "Author A. A study. 2020."},
    ]
}
SAMPLE_TEXTS = {
    "fr": {
        "what": "Un soin d’exemple.",
        "use": "Un usage d’exemple",
        "thing": "Un produit d’exemple",
        "course-a": "En moyenne {sessions}.",
        "course-b": "Parfois {sessions}.",
        "dose": "On injecte {volume} de produit.",
        "bruise": "Un bleu",
        "allergy": "Une allergie.",
        "trial": "Une étude.",
        "other": "Un autre soin.",
        "nothing": "Sans soin, on ne sait pas.",
        "gain": "Un bienfait possible.",
        "watch": "Une rougeur qui s’étend.",
        "ask": "Votre médecin.",
        "how-many": "Les sources ne sont pas d’accord.",
        "ask-allergy": "Êtes-vous allergique\u00a0?",
        "faq-how-many": "Combien de séances ?",
    },
    "it": {
        "what": "Una cura di esempio.",
        "use": "Un uso di esempio",
        "thing": "Un prodotto di esempio",
        "course-a": "In media {sessions}.",
        "course-b": "A volte {sessions}.",
        "dose": "Si iniettano {volume} di prodotto.",
        "bruise": "Un livido",
        "allergy": "Un’allergia.",
        "trial": "Uno studio.",
        "other": "Un’altra cura.",
        "nothing": "Senza cura, non si sa.",
        "gain": "Un beneficio possibile.",
        "watch": "Un rossore che si allarga.",
        "ask": "Il Suo medico.",
        "how-many": "Le fonti non sono d’accordo.",
        "ask-allergy": "È allergico o allergica?",
        "faq-how-many": "Quante sedute?",
    },
    "en": {
        "what": "An example treatment.",
        "use": "An example use",
        "thing": "An example product",
        "course-a": "On average {sessions}.",
        "course-b": "Sometimes {sessions}.",
        "dose": "{volume} of product is injected.",
        "bruise": "A bruise",
        "allergy": "An allergy.",
        "trial": "A study.",
        "other": "Another treatment.",
        "nothing": "Without treatment, nobody knows.",
        "gain": "A possible benefit.",
        "watch": "Redness that spreads.",
        "ask": "Your doctor.",
        "how-many": "The sources disagree.",
        "ask-allergy": "Do you have an allergy?",
        "faq-how-many": "How many sessions?",
    },
}


SAMPLE_ID = "example-therapy"
SAMPLE_NAMES = {"fr": "Thérapie d’exemple", "it": "Terapia di esempio", "en": "Example therapy"}


def dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def add_sample_treatment(root: Path, *, keep_mesotherapy: bool) -> Path:
    """The made-up treatment ``example-therapy`` in three languages, with its own facts, sources
    and name, reusing mesotherapy's page and document texts; next to mesotherapy, or instead."""
    content = root / "content"
    for lang in LANGS:
        shutil.copytree(content / lang / "mesotherapy", content / lang / SAMPLE_ID)
        dump(content / lang / SAMPLE_ID / "facts.yaml", SAMPLE_TEXTS[lang])
        edit_yaml(content / lang / SAMPLE_ID / "pages.yaml", lambda data, lang=lang: name_sample(data, lang))
    dump(content / "treatments" / SAMPLE_ID / "facts.yaml", SAMPLE_FACTS)
    dump(content / "treatments" / SAMPLE_ID / "sources.yaml", SAMPLE_SOURCES)
    treatments = ["mesotherapy", SAMPLE_ID] if keep_mesotherapy else [SAMPLE_ID]
    edit_yaml(content / "settings.yaml", lambda data: data.update(treatments=treatments))
    if not keep_mesotherapy:
        shutil.rmtree(content / "treatments" / "mesotherapy")
        for lang in LANGS:
            shutil.rmtree(content / lang / "mesotherapy")
    return root


def name_sample(pages: dict, lang: str) -> None:
    """The sample's own name and title (texts without source_hash: not reviewed translations)."""
    pages["index.name"] = {"text": SAMPLE_NAMES[lang]}
    pages["index.title"] = {"text": SAMPLE_NAMES[lang]}


def write_sample(root: Path) -> Path:
    """A project whose only treatment is the made-up one."""
    copy_project(root)
    return add_sample_treatment(root, keep_mesotherapy=False)


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "sample")


@pytest.fixture
def two_treatments(tmp_path: Path) -> Path:
    """The real project with the made-up treatment beside mesotherapy (never published)."""
    return add_sample_treatment(copy_project(tmp_path / "two"), keep_mesotherapy=True)


# Fixtures that print PDFs or build a whole site with MkDocs.
BUILDING_FIXTURES = {"built_project", "built_two", "pdfs", "papers", "leaflets", "built_pages", "rebuilt"}
BUILDING_CALLS = re.compile(r"\b(build_pages|run_build|mkdocs_build|pdf_of|make_pdf|make_pdfs)\(")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fast tier (``-m "not slow"``) checks the validator and the rendered Markdown; a test
    that builds a site with MkDocs or prints a PDF (by a fixture or a call) is slow, whatever
    its file says."""
    for item in items:
        function = getattr(item, "function", None)
        source = inspect.getsource(function) if function is not None else ""
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())) or BUILDING_CALLS.search(source):
            item.add_marker(pytest.mark.slow)


# Debian's Chromium for the browser tests: one browser per test session (Playwright's sync API
# runs once per process), shared by every module that needs it.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Debian's Chromium is missing: apt-get install chromium (.ci/run installs it)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
