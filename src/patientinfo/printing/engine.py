"""The one way a PDF is made: HTML in, PDF/UA-1 bytes out, cached by what went in.

A ``PdfJob`` holds plain values only (it is sent to worker processes). WeasyPrint may load the
fonts and files of the project and nothing else. Nothing depends on the clock: the PDF is dated
by the content's review and identified by the hash of its HTML, so the same input gives the same
bytes. The cache keeps one PDF per name, keyed by its HTML, the logo, the fonts and this module.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import threading
import urllib.parse
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from patientinfo.errors import ContentError, Problem


def font_files() -> dict[str, Path]:
    """Atkinson Hyperlegible (designed for low-vision readers), from its Python package."""
    import fontpkg_atkinson_hyperlegible as font

    folder = Path(font.__file__).parent / "files"
    return {
        "regular": folder / "AtkinsonHyperlegible-Regular.ttf",
        "bold": folder / "AtkinsonHyperlegible-Bold.ttf",
        "italic": folder / "AtkinsonHyperlegible-Italic.ttf",
        "bolditalic": folder / "AtkinsonHyperlegible-BoldItalic.ttf",
    }


@dataclass(frozen=True)
class PdfJob:
    """Everything WeasyPrint needs for one PDF, as plain values (sent to a worker process)."""

    stem: str  # its name in the cache
    key: str  # the hash of its input (pdf_key)
    html: str
    root: str  # the project: the only place files may be loaded from
    max_pages: int | None
    what: str  # "the it leaflet", for messages
    reviewed: dt.date  # the PDF's date: the review, never the clock
    pages_rule: str = ""  # the file whose setting limits the pages, for messages
    pages_rule_line: int = 1  # the line of that setting
    # The longest texts the document prints, as (file, line, "'id' (N characters)"): where an
    # editor looks first when it is too long.
    longest_texts: tuple[tuple[str, int, str], ...] = ()


def LocalFetcher(repo_root: Path):  # noqa: N802 (a class made on first use: WeasyPrint is imported lazily)
    """WeasyPrint may load the fonts and files of the project, and nothing else: no network, no
    file outside the project, whatever a text or a template asks for."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    allowed_roots = [repo_root.resolve(), *{path.parent.resolve() for path in font_files().values()}]

    class _LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith("file://"):
                raise FatalURLFetchingError(f"the leaflet may not load '{url[:80]}': only files of the repository")
            path = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in allowed_roots):
                raise FatalURLFetchingError(f"the leaflet may not load '{path}': it is outside the repository")
            return super().fetch(url, headers)

    return _LocalFetcher(allowed_protocols=("file", "data"))


def make_pdf(job: PdfJob) -> bytes:
    """The PDF of ``job``; a ContentError if it breaks the layout rules."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    root = Path(job.root)
    try:
        document = HTML(string=job.html, base_url=str(root), url_fetcher=LocalFetcher(root)).render(
            pdf_variant="pdf/ua-1"
        )
    except FatalURLFetchingError as exc:
        raise ContentError([Problem("src/patientinfo/templates", 1, f"{job.what}: {exc}")]) from None
    if job.max_pages is not None and len(document.pages) > job.max_pages:
        raise ContentError([_too_long(job, document)])
    moment = dt.datetime.combine(job.reviewed, dt.time(), tzinfo=dt.UTC)
    document.metadata.created = moment.isoformat()
    document.metadata.modified = moment.isoformat()
    return document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_identifier=_identifier(job.html),
        uncompressed_pdf=False,
        finisher=_table_header_scope,
    )


_SCOPE = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


def _table_header_scope(document, pdf) -> None:  # noqa: ANN001 (WeasyPrint's Document, pydyf's PDF)
    """PDF/UA-1 wants a /Scope on every table header cell; WeasyPrint 70 writes none. Copy the
    HTML ``<th scope>`` into the cell's structure element (kept by WeasyPrint as the box's
    ``mark``). A test reads the tags back, so a WeasyPrint upgrade that moves this is caught."""
    import pydyf

    for page in document.pages:
        for box in page._page_box.descendants(placeholders=True):
            box = getattr(box, "_box", box)
            mark = getattr(box, "mark", None)
            if box.element_tag == "th" and isinstance(mark, pydyf.Dictionary) and "A" in mark:
                scope = _SCOPE.get((box.element.get("scope") or "").lower())
                if scope:
                    mark["A"]["Scope"] = scope


def _make_in_worker(job: PdfJob) -> bytes | list[Problem]:
    """``make_pdf`` in a worker process: problems come back as values, not as exceptions.
    WeasyPrint makes many short-lived objects: without the cycle collector's passes while it
    lays out one document, a PDF takes about 8% less time (and up to about 18 MB more)."""
    gc.disable()
    try:
        return make_pdf(job)
    except ContentError as exc:
        return exc.problems
    finally:
        gc.enable()


def worker_context():  # noqa: ANN201 (a multiprocessing context)
    """Where PDF workers come from: a "forkserver", a fresh interpreter (safe whatever threads
    this process runs, as ``mkdocs serve`` does) that imports WeasyPrint once; each worker is a
    fork of it, ready to print, instead of an interpreter importing WeasyPrint on its own (about
    half a second of a processor per worker and per build)."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", "patientinfo.printing.engine"])
    return context


def _start_worker(started_by: int, background: bool) -> None:
    """A PDF worker: it leaves when the process that started it is gone (a preview stopped while
    printing would otherwise leave its workers waiting for ever; the fork server, its parent,
    lives as long as they do); in the ``background``, it yields the processor to the pages being
    rebuilt."""
    import threading
    import time

    if background and hasattr(os, "nice"):
        os.nice(19)
    gc.freeze()  # the fork server's modules: never garbage, never scanned again

    def watch() -> None:
        while True:
            try:
                os.kill(started_by, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # another user's process: that pid was given again
                os._exit(0)
            time.sleep(1)

    threading.Thread(target=watch, name="patientinfo-parent-watch", daemon=True).start()


class Printing:
    """PDFs being printed: started before the pages are rendered and checked, collected after,
    so that WeasyPrint (one core per worker) prints while the main process works."""

    def __init__(self, jobs: list[PdfJob], cache: Path | None, *, workers: int = 1, background: bool = False):
        self.cache = cache
        self.found: dict[str, bytes] = {}
        self.missing: list[PdfJob] = []
        for job in jobs:
            pdf = cached_pdf(cache, job.stem, job.key) if cache else None
            if pdf is None:
                self.missing.append(job)
            else:
                self.found[job.stem] = pdf
        workers = min(workers, len(self.missing))
        self.pool: Any = None
        self.futures: list[Any] = []
        if workers > 1 or (background and self.missing):
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(
                max(workers, 1),
                mp_context=worker_context(),
                initializer=_start_worker,
                initargs=(os.getpid(), background),
            )
            self.futures = [self.pool.submit(_make_in_worker, job) for job in self.missing]

    def collect(self) -> dict[str, bytes]:
        """Every PDF by stem, the missing ones kept in the cache; every job's problems at once."""
        try:
            made = [f.result() for f in self.futures] if self.pool else [_make_in_worker(j) for j in self.missing]
        finally:
            self.close()
        problems: list[Problem] = []
        for job, result in zip(self.missing, made, strict=True):
            if isinstance(result, list):
                problems.extend(result)
                continue
            if self.cache is not None:
                keep_pdf(self.cache, job.stem, job.key, result)
            self.found[job.stem] = result
        if problems:
            raise ContentError(problems)
        return self.found

    def close(self) -> None:
        """No worker is left behind, whether the PDFs were collected or the build failed first."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def make_pdfs(
    jobs: list[PdfJob], cache: Path | None, *, workers: int = 1, background: bool = False
) -> dict[str, bytes]:
    """The PDF of every job, by stem: from ``cache`` when it has the job's key, otherwise made,
    on ``workers`` processes when several PDFs are missing (WeasyPrint uses one core), and kept.
    ``background`` (mkdocs serve): in worker processes of the lowest priority, so that an edit's
    pages are not slowed by the previous edit's PDFs. Collects every job's problems before failing."""
    return Printing(jobs, cache, workers=workers, background=background).collect()


def cached_pdf(cache: Path, stem: str, key: str) -> bytes | None:
    """The PDF kept in ``cache`` under ``key``; None when the cache does not have it."""
    try:
        return (cache / f"{stem}-{key}.pdf").read_bytes()
    except FileNotFoundError:
        return None


def keep_pdf(cache: Path, stem: str, key: str, pdf: bytes) -> None:
    """Keep ``pdf`` in ``cache`` under ``key``, in place of an older one of the same ``stem``.
    Several builds may share the cache: whole files are written, never half."""
    path = cache / f"{stem}-{key}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(f"{stem}-" + "?" * len(key) + ".pdf"):
        old.unlink(missing_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    scratch.write_bytes(pdf)
    os.replace(scratch, path)


def _too_long(job: PdfJob, document: Any) -> Problem:
    """Too many pages: where the limit is set, the sections that take the most pages (from the
    document's headings) and the longest texts, the problem pointing at the longest of them."""
    starts = _heading_pages(document.make_bookmark_tree())
    spans = [
        (label, first, (starts[i + 1][1] if i + 1 < len(starts) else len(document.pages)) - first + 1)
        for i, (label, first) in enumerate(starts)
    ]
    widest = sorted(spans, key=lambda span: -span[2])[:3]
    sections = "; ".join(f"'{label}' on pages {first + 1} to {first + span}" for label, first, span in widest)
    texts = "; ".join(f"{path}:{line} {what}" for path, line, what in job.longest_texts)
    path, line = (job.longest_texts[0][0], job.longest_texts[0][1]) if job.longest_texts else (job.pages_rule, 1)
    return Problem(
        path,
        line,
        f"{job.what} needs {len(document.pages)} pages; at most {job.max_pages} are allowed "
        f"(leaflet_max_pages in {job.pages_rule}:{job.pages_rule_line}; 4 fit on two sheets printed on both "
        f"sides): shorten the texts"
        + (f". The longest sections: {sections}" if sections else "")
        + (f". The longest texts: {texts}" if texts else ""),
    )


def _heading_pages(tree: list, found: list[tuple[str, int]] | None = None) -> list[tuple[str, int]]:
    """(heading, page index) of every heading, in order (WeasyPrint's bookmark tree)."""
    found = [] if found is None else found
    for label, target, children, _state in tree:
        found.append((label, target[0]))
        _heading_pages(children, found)
    return found


def _identifier(html: str) -> bytes:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")


@cache
def _renderer_fingerprint() -> str:
    """WeasyPrint's version, this module and the fonts: read once per process, without
    importing WeasyPrint (a second of start-up on a build that reuses every PDF)."""
    from importlib.metadata import version

    digest = hashlib.sha256(version("weasyprint").encode())
    digest.update(Path(__file__).read_bytes())
    for font in font_files().values():
        digest.update(f"{font}:{font.stat().st_size}".encode())
    return digest.hexdigest()


def pdf_key(html: str, logo: bytes | None) -> str:
    """What a PDF depends on: its own HTML (every text, number and the CSS are in it), the logo,
    the fonts and this module. An edit that does not change a PDF's HTML never prints it again,
    so editing one language's page text leaves the other languages' PDFs alone."""
    digest = hashlib.sha256(html.encode("utf-8"))
    digest.update(_renderer_fingerprint().encode())
    if logo:
        digest.update(logo)
    return digest.hexdigest()[:16]
