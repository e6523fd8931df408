"""Command line: ``python -m patientinfo build|check|schema`` (what the scripts run).

The site is built in a scratch folder and swapped into ``site/`` only when everything
succeeded, so an error never destroys the last good build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .check import format_report, mark_all_reviewed, mark_reviewed, run_check
from .content import load_content
from .errors import ContentError
from .render import today


def repo_root() -> Path:
    """The folder holding mkdocs.yml: the current one, or the nearest parent that has it."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return here


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def swap_into_place(new_site: Path, site: Path) -> None:
    """Replace ``site`` by ``new_site`` with two renames on the same file system."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    new_site.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def print_problems(exc: ContentError, what: str) -> None:
    print(f"{len(exc.problems)} content error(s); {what}", file=sys.stderr)
    print(exc, file=sys.stderr)


def build(root: Path, site: Path, *, strict: bool) -> int:
    started = time.perf_counter()
    try:
        content = load_content(root)
    except ContentError as exc:
        print_problems(exc, "site/ was not changed:")
        return 1
    report = run_check(content, today(), readability=False)
    if report.findings:
        print(f"The editors' check has {len(report.findings)} finding(s) (details: scripts/check):", file=sys.stderr)
        for finding in report.findings:
            print(f"  {finding}", file=sys.stderr)
        if strict:
            print("Strict mode (CI): site/ was not changed.", file=sys.stderr)
            return 1
    scratch = root / ".cache" / f"build-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    new_site = scratch / "site"
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "--quiet",
                "--config-file",
                str(root / "mkdocs.yml"),
                "--site-dir",
                str(new_site),
            ],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        if result.returncode != 0:
            print("The site build failed; site/ was not changed.", file=sys.stderr)
            return result.returncode
        swap_into_place(new_site, site)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    shown = site.relative_to(root) if site.is_relative_to(root) else site
    print(f"Built {shown}/ ({len(content.languages)} languages) in {time.perf_counter() - started:.1f} s")
    return 0


def check(root: Path, args: argparse.Namespace) -> int:
    try:
        content = load_content(root, allow_missing_texts=True)
    except ContentError as exc:
        print_problems(exc, "fix them first:")
        return 1
    try:
        if args.mark_reviewed:
            text_id, lang = args.mark_reviewed
            path = mark_reviewed(content, text_id, lang)
            print(f"{path.relative_to(root)}: '{text_id}' ({lang}) marked as reviewed")
            return 0
        if args.mark_all_reviewed:
            count = mark_all_reviewed(content, args.mark_all_reviewed)
            print(f"{count} text(s) of '{args.mark_all_reviewed}' marked as reviewed")
            return 0
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = run_check(content, today(), readability=not args.no_readability)
    print(format_report(report))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(report.to_json(), encoding="utf-8")
        print(f"JSON report: {args.json}")
    strict = args.strict or in_ci()
    if report.findings and strict:
        print("Strict mode: the findings above fail the check.", file=sys.stderr)
        return 1
    return 0


def write_schemas(root: Path) -> int:
    from .schema import Catalog, Clinic, FactsFile, Settings, SourcesFile

    folder = root / "schema"
    folder.mkdir(exist_ok=True)
    for name, model in (
        ("facts", FactsFile),
        ("sources", SourcesFile),
        ("clinic", Clinic),
        ("settings", Settings),
        ("texts", Catalog),
    ):
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"content/{name}.yaml" if name != "texts" else "content/<lang>/*.yaml"
        (folder / f"{name}.schema.json").write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    print(f"JSON Schemas written to {folder.relative_to(root)}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="patientinfo", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build the site into site/")
    build_parser.add_argument("--site-dir", default="site")
    build_parser.add_argument("--strict", action="store_true", help="fail on any check finding (default with CI=true)")
    check_parser = commands.add_parser("check", help="the editors' report")
    check_parser.add_argument("--strict", action="store_true", help="exit 1 on any finding (default with CI=true)")
    check_parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    check_parser.add_argument("--no-readability", action="store_true", help="skip the readability scores (faster)")
    check_parser.add_argument(
        "--mark-reviewed",
        nargs=2,
        metavar=("ID", "LANG"),
        help="record that the LANG text of ID translates the current source text",
    )
    check_parser.add_argument("--mark-all-reviewed", metavar="LANG", help="mark every text of LANG reviewed")
    commands.add_parser("schema", help="write JSON Schemas of the content files to schema/")
    args = parser.parse_args(argv)
    root = repo_root()
    if args.command == "build":
        return build(root, (root / args.site_dir).resolve(), strict=args.strict or in_ci())
    if args.command == "check":
        return check(root, args)
    if args.command == "schema":
        return write_schemas(root)
    return 2


if __name__ == "__main__":
    sys.exit(main())
