"""The build as a pipeline that knows nothing of MkDocs.

``stage(layout, context, docs_dir)`` refuses links out of the project, loads and checks the
content, renders every page, prints (or reuses) every PDF and makes the clinic's brand files,
and returns everything MkDocs will read, as bytes by path: the hand-made ``docs/`` plus what was
generated. ``publish_staging`` writes it into the staging folder MkDocs reads, changing only
the files that differ. The MkDocs plugin, the command line, the tests and the benchmark all go
through here; the build context (day, strict, PDF cache, workers) is the only outside input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from patientinfo.check.run import run_project_check
from patientinfo.content.layout import Layout
from patientinfo.content.load import load_project, read_one
from patientinfo.content.model import Project
from patientinfo.content.reading import tree_problems
from patientinfo.content.releases import archived_pdfs
from patientinfo.content.schema import Settings
from patientinfo.errors import ContentError, Problem, StrictFindings
from patientinfo.pipeline import addresses, reuse
from patientinfo.pipeline.context import BuildContext
from patientinfo.pipeline.releases_page import with_releases_page
from patientinfo.printing.registry import PlacedPrinting, last_printed, start_printing
from patientinfo.printing.text import html_environment
from patientinfo.render.brand import draft_band, staged_brand_files
from patientinfo.render.pages import make_environment, render_pages


@dataclass
class Staged:
    project: Project
    files: dict[str, bytes]  # everything MkDocs reads, by path in the staging folder
    generated: list[str]  # the paths the pipeline made (pages, PDFs, brand files)
    findings: list[str] = field(default_factory=list)  # the editors' check (warnings unless strict)
    pages: dict[str, dict[str, str]] = field(default_factory=dict)  # kept for the preview's next edit
    digest: str | None = None  # a build's stamp of its inputs (reuse.py)
    reused: bool = False  # the last build's files, its inputs being the same
    draft_problems: list[Problem] = field(default_factory=list)  # drafts the preview left out, and why
    pending: PendingPdfs | None = None  # PDFs still printing while MkDocs builds the pages


@dataclass
class PendingPdfs:
    """What ``finish_pdfs`` needs once the PDFs are printed: where each goes, and the addresses
    that keep copies of them."""

    printing: PlacedPrinting
    recorded: dict[str, str]
    now: dict[str, str]


def refuse_outside(layout: Layout, *folders: Path) -> None:
    """Links leading out of the project, in the content, docs or theme folders, stop everything."""
    problems = [problem for folder in (layout.content, *folders) for problem in tree_problems(folder, layout.root)]
    if problems:
        raise ContentError(problems)


def editors_findings(project: Project, context: BuildContext) -> list[str]:
    """The editors' check (without readability, left to ``scripts/check``); strict: fatal."""
    drafts = project.settings.drafts
    findings = [
        str(finding)
        for finding in run_project_check(project, context.day, readability=False).findings
        # A draft's texts are still being written: the check shows its progress, not its findings.
        if finding.lang not in drafts.languages and not set(Path(finding.path).parts) & set(drafts.treatments)
    ]
    if findings and context.strict:
        raise StrictFindings(findings)
    return findings


def docs_files(docs_dir: Path, left_out: frozenset[str] = frozenset()) -> dict[str, bytes]:
    """The hand-made docs folder, as it is, but for the folders of draft languages in a build."""
    found = {}
    for path in docs_dir.rglob("*"):
        relative = path.relative_to(docs_dir)
        if path.is_file() and relative.parts[0] not in left_out:
            found[relative.as_posix()] = path.read_bytes()
    return found


def with_draft_band(docs: dict[str, bytes], project: Project) -> dict[str, bytes]:
    """The hand-made pages of draft languages with the draft band after their front matter."""
    marked = dict(docs)
    for name, data in docs.items():
        lang = name.split("/")[0]
        if name.endswith(".md") and lang in project.settings.drafts.languages:
            text = data.decode("utf-8")
            band = f'!!! danger "{draft_band(lang, "", project.settings.drafts.languages)}"\n\n'
            closing = text.find("\n---\n", 4) if text.startswith("---\n") else -1
            end = closing + 5 if closing >= 0 else 0
            marked[name] = (text[:end] + "\n" + band + text[end:]).encode("utf-8")
    return marked


def stage(
    layout: Layout,
    context: BuildContext,
    docs_dir: Path,
    *,
    theme_dir: Path | None = None,
    staging: Path | None = None,
    previous: Staged | None = None,
    check: bool = True,
    defer_pdfs: bool = False,
) -> Staged:
    """Everything MkDocs reads. ``staging``: a build may reuse the last build's files there when
    every input is the same. ``previous``: the preview reuses its pages when only docs/ changed.
    ``check``: False leaves the editors' check to the caller (the quick preview runs it after).
    ``defer_pdfs``: PDFs to print are left printing, with stand-ins (``Staged.pending``), for the
    caller to ``finish_pdfs`` once MkDocs has built the pages."""
    refuse_outside(layout, docs_dir, *([theme_dir] if theme_dir else []))
    if staging is not None:
        keep_compiled_templates(reuse.beside(staging, "templates"))
    if previous is not None:
        project, pages, findings = previous.project, previous.pages, previous.findings
    else:
        project, draft_problems = _load(layout, context)
        # The preview ("last") never records: its PDFs are whatever the cache holds at the time.
        digest = None if context.pdfs == "last" else reuse.inputs_digest(layout, context, project.clinic.logo)
        record = reuse.load(staging, digest) if staging is not None and digest is not None else None
        if record is not None:
            kept, findings = record
            if findings and context.strict:
                raise StrictFindings(findings)
            docs = docs_files(docs_dir, _draft_folders(project, context))
            return Staged(project, {**docs, **kept}, list(kept), findings, digest=digest, reused=True)
    printing = _start_pdfs(project, context)  # printed while the pages are rendered and checked
    deferred = defer_pdfs and printing is not None and bool(printing.printing.missing)
    try:
        if previous is None:
            findings = editors_findings(project, context) if check else []
            pages = with_releases_page(project, render_pages(project, context.day))
        pdfs = _pdfs(project, context) if printing is None else printing.collect(stand_ins=deferred)
    except BaseException:
        if printing is not None:
            printing.close()
        raise
    docs = docs_files(docs_dir, _draft_folders(project, context))
    files, recorded, now = _assemble(layout, project, context, docs, pages, pdfs)
    generated = [path for path, data in files.items() if docs.get(path) != data]
    digest = None if previous is not None else digest
    kept_problems = previous.draft_problems if previous is not None else draft_problems
    staged = Staged(project, files, generated, findings, pages, digest, draft_problems=kept_problems)
    if deferred:
        assert printing is not None
        staged.pending = PendingPdfs(printing, recorded, now)
    return staged


def _assemble(
    layout: Layout,
    project: Project,
    context: BuildContext,
    docs: dict[str, bytes],
    pages: dict[str, dict[str, str]],
    pdfs: dict[str, dict[str, bytes]],
) -> tuple[dict[str, bytes], dict[str, str], dict[str, str]]:
    """Every staged file; and, in a published build, the recorded addresses and those of now."""
    files = with_draft_band(docs, project) if context.drafts else dict(docs)
    for lang, page_texts in pages.items():
        files.update({f"{lang}/{path}": text.encode("utf-8") for path, text in page_texts.items()})
    for lang, printed in pdfs.items():
        files.update({f"{lang}/{path}": pdf for path, pdf in printed.items()})
    files.update(archive_files(project))
    files.update(staged_brand_files(project.clinic, layout))
    recorded: dict[str, str] = {}
    now: dict[str, str] = {}
    if not context.drafts:  # a published build: its addresses are recorded, the old ones kept
        now = addresses.published(project, pages)
        recorded = addresses.read_record(layout)
        files.update(addresses.old_addresses(recorded, now, pdfs, project.languages))
        addresses.write_record(layout, {**recorded, **now})
    return files, recorded, now


def finish_pdfs(staged: Staged, staging: Path) -> dict[str, bytes]:
    """The PDFs printed while MkDocs built the pages, in place of their stand-ins: in the staged
    files and the staging folder, then the record a later build may reuse. The files that
    changed, by path in the staging folder; a ContentError if a PDF breaks the layout rules."""
    pending, staged.pending = staged.pending, None
    if pending is None:
        return {}
    pdfs = pending.printing.collect()
    files = {f"{lang}/{path}": pdf for lang, printed in pdfs.items() for path, pdf in printed.items()}
    files.update(addresses.old_addresses(pending.recorded, pending.now, pdfs, staged.project.languages))
    changed = {path: data for path, data in files.items() if staged.files.get(path) != data}
    staged.files.update(changed)
    for relative, data in changed.items():
        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        (staging / relative).write_bytes(data)
    _save_record(staged, staging)
    return changed


def keep_compiled_templates(folder: Path) -> None:
    """The engine's templates compile once per machine, not once per build: Jinja keeps their
    code by name and source, so an edited template is compiled again."""
    compiled = FileSystemBytecodeCache(str(folder))
    for environment in (make_environment(), html_environment()):
        environment.bytecode_cache = compiled


def archive_files(project: Project) -> dict[str, bytes]:
    """Every released PDF, as it was published, at its address with its version id (copied, never
    printed again: the build does not get slower with each release beyond the copying)."""
    files: dict[str, bytes] = {}
    problems = []
    for lang, archived in archived_pdfs(project.layout, project.releases).items():
        if lang not in project.languages:
            continue
        for address, path in archived.items():
            if path.is_file():
                files[f"{lang}/{address}"] = path.read_bytes()
            else:
                shown = project.layout.relative(path)
                problems.append(Problem(shown, 1, f"{shown}: an archived PDF is missing; restore it from git"))
    if problems:
        raise ContentError(problems)
    return files


def _load(layout: Layout, context: BuildContext) -> tuple[Project, list[Problem]]:
    """The project; in the preview, with its drafts, except a draft whose own files have errors:
    it is left out (with its errors) so that the rest still shows. Errors elsewhere stop it."""
    if not context.drafts:
        return load_project(layout), []
    try:
        return load_project(layout, drafts=True), []
    except ContentError as exc:
        settings, _ = read_one(layout, layout.settings, Settings)
        if settings is None:
            raise
        broken = {
            name: [problem for problem in exc.problems if _in_draft(layout, settings, name, problem.path)]
            for name in settings.draft_names()
        }
        broken = {name: problems for name, problems in broken.items() if problems}
        if not broken or sum(len(p) for p in broken.values()) < len(exc.problems):
            raise  # some errors are in the published content: the preview shows them
        project = load_project(layout, drafts=True, left_out=frozenset(broken))
        return project, [problem for problems in broken.values() for problem in problems]


def _in_draft(layout: Layout, settings: Settings, name: str, path: str) -> bool:
    """Whether ``path`` is a file of the draft language or treatment ``name``."""
    if name in settings.drafts.languages:
        return path.startswith(layout.language_folder(name) + "/")
    languages = [*settings.languages, *settings.drafts.languages]
    return path.startswith(
        (layout.treatment_folder(name) + "/", *(layout.shown(lang, name) + "/" for lang in languages))
    )


def _draft_folders(project: Project, context: BuildContext) -> frozenset[str]:
    """The docs folders a published build leaves out: those of the draft languages."""
    return frozenset() if context.drafts else frozenset(project.settings.drafts.languages)


def _start_pdfs(project: Project, context: BuildContext) -> PlacedPrinting | None:
    if context.pdfs != "print":
        return None
    return start_printing(project, context.day, context.pdf_cache, workers=context.workers)


def _pdfs(project: Project, context: BuildContext) -> dict[str, dict[str, bytes]]:
    if context.pdfs == "last" and context.pdf_cache is not None:
        return last_printed(project, context.pdf_cache)
    return {}


def sync_tree(files: dict[str, bytes], target: Path) -> int:
    """Make ``target`` hold exactly ``files`` (relative path -> bytes); returns files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    for relative, data in files.items():
        path = target / relative
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written


def publish_staging(staged: Staged, staging: Path) -> int:
    """Write the staged files where MkDocs reads them, and the record a later build may reuse."""
    reuse.forget(staging)  # the record describes the staged files: never both out of step
    written = sync_tree(staged.files, staging)
    if staged.pending is None:  # else once the PDFs are printed (finish_pdfs)
        _save_record(staged, staging)
    return written


def _save_record(staged: Staged, staging: Path) -> None:
    if staged.digest is not None:
        reuse.save(staging, staged.digest, list(staged.generated), staged.findings)
