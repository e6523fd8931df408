"""Command line: ``python -m patientinfo build`` (what scripts/build runs).

The site is built in a scratch folder and swapped into ``site/`` only when everything
succeeded, so an error never destroys the last good build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .content import load_content
from .errors import ContentError


def repo_root() -> Path:
    """The folder holding mkdocs.yml: the current one, or the nearest parent that has it."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return here


def swap_into_place(new_site: Path, site: Path) -> None:
    """Replace ``site`` by ``new_site`` with two renames on the same file system."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    new_site.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def build(root: Path, site: Path) -> int:
    started = time.perf_counter()
    try:
        load_content(root)
    except ContentError as exc:
        print(f"Content errors ({len(exc.problems)}); site/ was not changed:", file=sys.stderr)
        print(exc, file=sys.stderr)
        return 1
    scratch = root / ".cache" / f"build-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    new_site = scratch / "site"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
             "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(new_site)],
            cwd=root,
        )
        if result.returncode != 0:
            print("The site build failed; site/ was not changed.", file=sys.stderr)
            return result.returncode
        swap_into_place(new_site, site)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"Built {site.relative_to(root) if site.is_relative_to(root) else site} "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="patientinfo", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build the site into site/")
    build_parser.add_argument("--site-dir", default="site")
    args = parser.parse_args(argv)
    root = repo_root()
    if args.command == "build":
        return build(root, (root / args.site_dir).resolve())
    return 2


if __name__ == "__main__":
    sys.exit(main())
