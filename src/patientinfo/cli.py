"""Command line: ``python -m patientinfo build|check|schema`` (what the scripts run).

The site is built in a scratch folder and swapped into ``site/`` only when everything
succeeded, so an error never destroys the last good build.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable
from pathlib import Path

from patientinfo.check.findings import format_report
from patientinfo.check.reviewed import mark_all_reviewed, mark_reviewed
from patientinfo.check.run import run_project_check
from patientinfo.content.layout import Layout
from patientinfo.content.load import load_project
from patientinfo.editor.command import edit, edit_parser
from patientinfo.errors import ContentError
from patientinfo.messages import _, use_argparse
from patientinfo.pipeline.context import BuildContext, context_from_environment
from patientinfo.release.command import release_parser
from patientinfo.release.command import run as release_run


def repo_root() -> Path:
    """The folder holding mkdocs.yml: the current one, or the nearest parent that has it."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return here


def print_problems(exc: ContentError, what: str) -> None:
    print(_("{count} content error(s); {what}").format(count=len(exc.problems), what=what), file=sys.stderr)
    print(exc, file=sys.stderr)


def build(layout: Layout, site_dir: Path, context: BuildContext) -> int:
    from patientinfo.pipeline.publish import build_site  # imports MkDocs only when building

    return build_site(layout, site_dir, context)


def check(layout: Layout, args: argparse.Namespace, context: BuildContext) -> int:
    root = layout.root
    try:
        project = load_project(layout, allow_missing_texts=True)
    except ContentError as exc:
        print_problems(exc, _("fix them first:"))
        return 1
    try:
        if args.mark_reviewed:
            text_id, lang = args.mark_reviewed
            path = mark_reviewed(project, text_id, lang)
            print(
                _("{path}: '{id}' ({lang}) marked as reviewed").format(
                    path=path.relative_to(root), id=text_id, lang=lang
                )
            )
            return 0
        if args.mark_all_reviewed:
            count = mark_all_reviewed(project, args.mark_all_reviewed)
            print(_("{count} text(s) of '{lang}' marked as reviewed").format(count=count, lang=args.mark_all_reviewed))
            return 0
    except ValueError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 2
    report = run_project_check(project, context.day, readability=not args.no_readability)
    print(format_report(report))
    if project.settings.drafts.languages or project.settings.drafts.treatments:
        print_drafts_progress(layout)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(report.to_json(), encoding="utf-8")
        print(_("JSON report: {file}").format(file=args.json))
    if report.findings and context.strict:
        print(_("Strict mode: the findings above fail the check."), file=sys.stderr)
        return 1
    return 0


def write_schemas(root: Path) -> int:
    from patientinfo.content.schema.export import write_json_schemas

    folder = write_json_schemas(root)
    print(_("JSON Schemas written to {folder}/").format(folder=folder.relative_to(root)))
    return 0


# ----------------------------------------------------------------- translations (issue 13) begin
# ``patientinfo translations export LANG [-o FILE]`` and ``patientinfo translations import FILE``:
# gettext PO files for translators' tools. The work is done in po_export.py and po_import.py.
def add_translations_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("translations", help=_("export or import a language's texts as a gettext PO file"))
    actions = parser.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help=_("write the PO file of a language (default: translations/LANG.po)"))
    export.add_argument("lang", metavar="LANG", help=_("a language of content/settings.yaml, e.g. it"))
    export.add_argument("-o", "--output", metavar="FILE", help=_("where to write it ('-' for standard output)"))
    export.add_argument(
        "--treatment",
        metavar="ID",
        help=_("the treatment whose texts to export, with the site's words (default: the first)"),
    )
    imported = actions.add_parser("import", help=_("check a translated PO file, then write it into content/LANG/"))
    imported.add_argument("file", metavar="FILE", help=_("the PO file (its header names the language)"))
    imported.add_argument("--dry-run", action="store_true", help=_("check and report, write nothing"))


def translations(layout: Layout, args: argparse.Namespace) -> int:
    from patientinfo.translate.catalogue import load_translatable
    from patientinfo.translate.po_export import export_file
    from patientinfo.translate.po_import import import_po

    if args.action == "import":
        path = Path(args.file)
        result = import_po(layout, path if path.is_absolute() else Path.cwd() / path, args.file, dry_run=args.dry_run)
        for problem in result.errors:
            print(problem, file=sys.stderr)
        for notice in result.notices:
            print(notice)
        print(_("Import of {file}: {summary}").format(file=args.file, summary=result.summary()))
        if result.errors:
            print(_("{count} problem(s); nothing was written.").format(count=len(result.errors)), file=sys.stderr)
            return 1
        if result.written:
            done = _("Would change: {files}.") if args.dry_run else _("Changed: {files}.")
            print(done.format(files=", ".join(result.written)), _("Next: scripts/check, then scripts/build."))
        else:
            print(_("No file changed."))
        return 0
    try:
        treatment, _problems = load_translatable(
            layout, args.treatment
        )  # a language being translated may still miss texts
    except ContentError as exc:
        print_problems(exc, _("fix them first:"))
        return 1
    lang, source = args.lang, treatment.settings.source_language
    if lang not in treatment.languages:
        message = _("error: '{lang}' is not a language of this site ({file} languages: {languages})")
        print(
            message.format(lang=lang, file=layout.settings, languages=", ".join(treatment.languages)), file=sys.stderr
        )
        return 2
    if lang == source:
        message = _("error: '{lang}' is the source language; its texts are the msgids of every other language's file")
        print(message.format(lang=lang), file=sys.stderr)
        return 2
    to_stdout = args.output == "-"
    name = f"{lang}-{treatment.id}.po" if treatment.several_treatments else f"{lang}.po"
    root = layout.root
    output = None if to_stdout else Path(args.output) if args.output else root / "translations" / name
    text, messages = export_file(treatment, lang, output)
    fuzzy = sum(m.fuzzy for m in messages)
    missing = sum(m.translation is None for m in messages)
    counts = _("{count} texts: {translated} translated, {fuzzy} fuzzy, {missing} untranslated").format(
        count=len(messages), translated=len(messages) - fuzzy - missing, fuzzy=fuzzy, missing=missing
    )
    if to_stdout:
        sys.stdout.write(text)
        print(counts, file=sys.stderr)
    else:
        assert output is not None
        shown = output.resolve().relative_to(root) if output.resolve().is_relative_to(root) else output
        print(_("Wrote {file} ({counts})").format(file=shown, counts=counts))
    return 0


# ----------------------------------------------------------------- translations (issue 13) end


# ----------------------------------------------------------------- add-language (issue 12) begin
# ``patientinfo add-language CODE [--locale xx_YY]``: settings, content/CODE/ with every text still
# to translate, docs/CODE/editors.md. The work is done in scaffold.py.
def add_language_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "add-language", help=_("add a language: settings and content/CODE/ with every text to translate")
    )
    parser.add_argument("code", metavar="CODE", help=_("two-letter language code in lower case, e.g. de"))
    parser.add_argument("--locale", metavar="LOCALE", help=_("Babel locale for numbers and dates, e.g. de_AT"))


def add_language(layout: Layout, args: argparse.Namespace) -> int:
    from patientinfo.scaffold.language import ScaffoldError, next_steps
    from patientinfo.scaffold.language import add_language as scaffold_language

    try:
        added = scaffold_language(layout, args.code, args.locale)
    except ScaffoldError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 2
    print(next_steps(added))
    return 0


# ----------------------------------------------------------------- add-language (issue 12) end


def add_treatment_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "add-treatment", help=_("add a treatment: settings, its facts and sources, and its texts to write")
    )
    parser.add_argument("id", metavar="ID", help=_("the treatment's id: lower case and hyphens, e.g. hyaluronic-acid"))
    parser.add_argument(
        "--from", dest="template", metavar="EXISTING", help=_("start from a copy of this treatment's facts and sources")
    )


def add_treatment(layout: Layout, args: argparse.Namespace, context: BuildContext) -> int:
    from patientinfo.scaffold.language import ScaffoldError
    from patientinfo.scaffold.treatment import add_treatment as scaffold_treatment
    from patientinfo.scaffold.treatment import next_steps

    try:
        added = scaffold_treatment(layout, args.id, args.template, today=context.day)
    except ScaffoldError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 2
    print(next_steps(added))
    return 0


def publish_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "publish", help=_("publish a draft language or treatment (refused while it misses texts)")
    )
    parser.add_argument("name", metavar="NAME", help=_("the draft's language code or treatment id, e.g. de"))


def publish(layout: Layout, args: argparse.Namespace) -> int:
    from patientinfo.scaffold.language import ScaffoldError
    from patientinfo.scaffold.publish import publish as publish_draft

    try:
        progress = publish_draft(layout, args.name)
    except ScaffoldError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 1
    print(
        _("'{name}' ({kind}) is published: the next build puts it on the site.").format(
            name=args.name, kind=progress.kind
        )
    )
    return 0


def print_drafts_progress(layout: Layout) -> None:
    """The drafts' progress, after the report: a few lines per draft, never one per text."""
    from patientinfo.scaffold.publish import drafts_progress

    try:
        project = load_project(layout, drafts=True)
    except ContentError as exc:
        print("\n" + _("Drafts (not published) have {count} error(s):").format(count=len(exc.problems)), exc, sep="\n")
        return
    progress = drafts_progress(project)
    if progress:
        print("\n" + _("Drafts (shown by the preview, not published):"))
        for draft in progress:
            print("\n".join(draft.lines()))


def serve_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve", help=_("preview the site while editing (mkdocs serve, on 127.0.0.1 only; drafts included)")
    )
    parser.add_argument(
        "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT", help=_("where it answers (this computer only)")
    )
    parser.add_argument("mkdocs_args", nargs=argparse.REMAINDER, help=_("more options for mkdocs serve"))


def serve(args: argparse.Namespace) -> int:
    """mkdocs serve in this process's Python: the same plugin, with drafts and a draft band."""
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", args.dev_addr, *args.mkdocs_args]
    os.execv(sys.executable, command)
    return 0  # not reached


def new_site_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("new-site", help=_("start a new clinic's site with an example treatment"))
    parser.add_argument("folder", metavar="DIR", help=_("a new (or empty) folder for the project"))


def new_site(args: argparse.Namespace, context: BuildContext) -> int:
    from patientinfo.scaffold.language import ScaffoldError
    from patientinfo.scaffold.site import new_site as make_site
    from patientinfo.scaffold.site import next_steps

    target = Path(args.folder)
    try:
        written = make_site(target, today=context.day)
    except ScaffoldError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 2
    print(next_steps(target, written))
    return 0


def main(argv: list[str] | None = None) -> int:
    # The entry point: the only place the clock and the environment are read (BuildContext).
    context = context_from_environment()
    use_argparse(context.messages)  # messages, help and argparse's own words in the editor's language
    parser = argparse.ArgumentParser(
        prog="patientinfo",
        description=_(
            "Build, check, translate and extend a patient-information site. The site is built "
            "beside site/ and swapped in only when everything succeeded: an error never destroys the last "
            "good build."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help=_("build the site into site/"))
    build_parser.add_argument("--site-dir", default="site")
    build_parser.add_argument(
        "--strict", action="store_true", help=_("fail on any check finding (default with CI=true)")
    )
    check_parser = commands.add_parser("check", help=_("the editors' report"))
    check_parser.add_argument("--strict", action="store_true", help=_("exit 1 on any finding (default with CI=true)"))
    check_parser.add_argument("--json", metavar="FILE", help=_("also write the report as JSON"))
    check_parser.add_argument("--no-readability", action="store_true", help=_("skip the readability scores (faster)"))
    check_parser.add_argument(
        "--mark-reviewed",
        nargs=2,
        metavar=("ID", "LANG"),
        help=_("record that the LANG text of ID translates the current source text"),
    )
    check_parser.add_argument("--mark-all-reviewed", metavar="LANG", help=_("mark every text of LANG reviewed"))
    commands.add_parser("schema", help=_("write JSON Schemas of the content files to schema/"))
    add_translations_parser(commands)  # translations (issue 13)
    add_language_parser(commands)  # add-language (issue 12)
    add_treatment_parser(commands)
    publish_parser(commands)
    serve_parser(commands)
    release_parser(commands)
    edit_parser(commands)
    new_site_parser(commands)
    args = parser.parse_args(argv)
    context = dataclasses.replace(context, strict=context.strict or bool(getattr(args, "strict", False)))
    if args.command == "new-site":  # not inside a project: the folder is the argument
        return new_site(args, context)
    root = repo_root()
    layout = Layout.of_project(root)  # mkdocs.yml may name another content folder
    actions: dict[str, Callable[[], int]] = {
        "build": lambda: build(layout, (root / args.site_dir).resolve(), context),
        "check": lambda: check(layout, args, context),
        "schema": lambda: write_schemas(root),
        "translations": lambda: translations(layout, args),
        "add-language": lambda: add_language(layout, args),
        "add-treatment": lambda: add_treatment(layout, args, context),
        "publish": lambda: publish(layout, args),
        "serve": lambda: serve(args),
        "release": lambda: release_run(layout, args.note, context.day, context.pdf_cache, context.workers),
        "edit": lambda: edit(layout, args, context.day, context.preview_token),
    }
    if args.command in actions:
        return actions[args.command]()
    return 2


if __name__ == "__main__":
    sys.exit(main())
