"""Sections 1 and 3: cold and warm builds against plain MkDocs on the same Markdown, and, with
--profile, where the time of one warm build goes, by stage of the engine and of MkDocs."""

from __future__ import annotations

import io
import pstats
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .common import ROOT, say
from .projects import copy_project, edit_one_fact, plain_project
from .runs import Run, median, mkdocs_build, seconds_list


@dataclass
class BuildFigures:
    cold: Run
    warm: list[Run]
    plain: list[Run]
    edited: list[Run]  # a warm build after one fact's text changed (its language's PDFs printed again)
    project: Path
    site: Path
    pdf_cache: Path


def measure_builds(tmp: Path) -> BuildFigures:
    say("1. Builds (subprocess `python -m mkdocs build -q`, wall clock)")
    project = copy_project(tmp / "base")
    cache = tmp / "pdf-base"
    cache.mkdir()
    cold = mkdocs_build(project, tmp / "site-cold", cache)
    say(f"   cold (empty PDF cache, no .cache/):   {cold.seconds:5.1f} s   peak RSS {cold.max_rss_mb:5.0f} MB")
    warm = [mkdocs_build(project, tmp / "site", cache) for _ in range(3)]
    rss = max(r.max_rss_mb for r in warm)
    runs = seconds_list(warm)
    say(f"   warm (median of 3):                   {median(warm):5.1f} s   peak RSS {rss:5.0f} MB   [{runs}]")
    edited = []
    for number in range(3):
        edit_one_fact(project, f"Benchedit{number}")
        edited.append(mkdocs_build(project, tmp / "site", cache))
    say(f"   after one fact edit (median of 3):    {median(edited):5.1f} s   [{seconds_list(edited)}]")
    plain_root = plain_project(tmp / "plain", project)
    plain = [mkdocs_build(plain_root, tmp / "site-plain", cache) for _ in range(3)]
    rss = max(r.max_rss_mb for r in plain)
    runs = seconds_list(plain)
    say(f"   plain MkDocs, same Markdown (med. 3): {median(plain):5.1f} s   peak RSS {rss:5.0f} MB   [{runs}]")
    p = median(plain)
    say(
        f"   warm / plain {median(warm) / p:.2f}x, after an edit / plain {median(edited) / p:.2f}x, "
        f"cold / plain {cold.seconds / p:.2f}x"
    )
    return BuildFigures(cold, warm, plain, edited, project, tmp / "site", cache)


# (label, file name ending, function name): cumulative seconds of each, from one warm build.
STAGES = (
    ("MkDocs build, everything", "mkdocs/commands/build.py", "build"),
    ("patientinfo on_config", "patientinfo/mkdocs/plugin.py", "on_config"),
    ("  load_project", "patientinfo/content/load.py", "load_project"),
    ("  reuse: inputs digest + record", "patientinfo/pipeline/reuse.py", "inputs_digest|load"),
    ("  editors' check", "patientinfo/pipeline/stage.py", "editors_findings"),
    ("  render_pages (Markdown)", "patientinfo/render/pages.py", "render_pages"),
    ("  print_all (PDFs)", "patientinfo/printing/registry.py", "print_all"),
    ("    leaflet_html (leaflet HTML)", "patientinfo/printing/leaflet.py", "leaflet_html"),
    ("    form_html (forms' HTML)", "patientinfo/printing/forms.py", "form_html"),
    ("    make_pdfs (cache, WeasyPrint)", "patientinfo/printing/engine.py", "make_pdfs"),
    ("  docs_files + publish_staging", "patientinfo/pipeline/stage.py", "docs_files|publish_staging"),
    ("patientinfo on_page_context", "patientinfo/mkdocs/plugin.py", "on_page_context"),
    ("patientinfo on_post_build", "patientinfo/mkdocs/plugin.py", "_after_all_languages|_keep_404"),
    ("i18n: other languages' builds", "mkdocs_static_i18n/plugin.py", "on_post_build"),
    ("pages: Markdown -> HTML", "mkdocs/commands/build.py", "_populate_page"),
    ("pages: theme templates", "mkdocs/commands/build.py", "_build_page"),
    ("theme: 404, sitemap...", "mkdocs/commands/build.py", "_build_theme_template"),
    ("theme files listed", "mkdocs/structure/files.py", "add_files_from_theme"),
    ("Jinja template compiling", "jinja2/environment.py", "compile"),
    ("search index", "search/plugin.py", "on_page_context|on_post_build"),
)


def measure_profile(tmp: Path, builds: BuildFigures) -> None:
    say("\nProfile of one warm build (cProfile, so about 1.7x slower than unprofiled)")
    out = tmp / "warm.prof"
    run = mkdocs_build(builds.project, tmp / "site-profile", builds.pdf_cache, "-m", "cProfile", "-o", str(out))
    stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    say(f"   total {run.seconds:.1f} s")
    for label, file_end, names in STAGES:
        wanted = set(names.split("|"))
        total = sum(
            entry[3]
            for (file, _, name), entry in stats.items()
            if file.replace("\\", "/").endswith(file_end) and name in wanted
        )
        say(f"   {label:<32} {total:6.2f} s")
    say("   top 15 by own time:")
    buffer = io.StringIO()
    pstats.Stats(str(out), stream=buffer).sort_stats("tottime").print_stats(15)
    for line in buffer.getvalue().splitlines():
        if re.match(r"\s*\d", line):
            shown = line.replace(str(ROOT) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")
            say("   " + shown[:150])
