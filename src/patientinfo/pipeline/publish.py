"""``scripts/build``: run MkDocs in this process, into a scratch folder, then swap it into place.

MkDocs runs in this process; its plugin stages the pages and PDFs through ``pipeline.stage``
with the build context made here. This wrapper only adds what a plain ``mkdocs build`` cannot promise: the
previous ``site/`` survives any failure, because the new site is built beside it and replaces
it with two renames only when everything succeeded.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from patientinfo.content.layout import Layout
from patientinfo.messages import _
from patientinfo.pipeline.context import BuildContext


def swap_into_place(new_site: Path, site: Path) -> None:
    """Replace ``site`` by ``new_site`` with two renames on the same file system."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    new_site.rename(site)
    shutil.rmtree(old, ignore_errors=True)


class _Messages(logging.Formatter):
    """MkDocs' log lines as the mkdocs command prints them: 'WARNING -  message'."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<7} -  {record.getMessage()}"


def build_site(layout: Layout, site_dir: Path, context: BuildContext) -> int:
    """Build the project's site into ``site_dir``; 0 on success, 1 with the problems on stderr."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    started = time.perf_counter()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Messages())
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    root = layout.root
    scratch = root / ".cache" / f"build-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    new_site = scratch / "site"
    try:
        config = load_config(str(layout.mkdocs_yml), site_dir=str(new_site), strict=context.strict)
        plugin = config.plugins.get("patientinfo")
        if plugin is not None:  # the plugin builds with this context, not one of its own
            cache = context.pdf_cache or root / plugin.config.pdf_cache
            plugin.context = dataclasses.replace(context, pdf_cache=cache)
        build(config)
        swap_into_place(new_site, site_dir)
    except (Abort, ConfigurationError) as exc:
        failed = _("The site build failed; {folder}/ was not changed.").format(folder=site_dir.name)
        print(f"{exc}\n{failed}", file=sys.stderr)
        return 1
    finally:
        logger.removeHandler(handler)
        shutil.rmtree(scratch, ignore_errors=True)
    shown = site_dir.relative_to(root) if site_dir.is_relative_to(root) else site_dir
    print(_("Built {folder}/ in {seconds:.1f} s").format(folder=shown, seconds=time.perf_counter() - started))
    return 0
