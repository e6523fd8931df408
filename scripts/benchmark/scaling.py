"""Section 4: how warm builds grow with the number of facts (5x, 10x), of languages (1, 6, 10) and
of treatments (3, 10), on synthetic copies of the project."""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .builds import BuildFigures
from .common import ROOT, say
from .projects import EXTRA_LANGUAGES, add_languages, add_treatments, multiply_facts, only_source_language, synthetic
from .runs import BuildFailed, Run, median, mkdocs_build, seconds_list

SYNTHETIC_MAX_PAGES = 200


@dataclass
class Scale:
    label: str
    first: Run | None = None  # the build that fills the PDF cache
    warm: list[Run] | None = None
    error: str | None = None

    @property
    def seconds(self) -> float | None:
        return median(self.warm) if self.warm else None


def scale_run(label: str, project: Path, cache: Path, tmp: Path) -> Scale:
    result = Scale(label)
    site = tmp / "site-scale"
    try:
        result.first = mkdocs_build(project, site, cache)
        result.warm = [mkdocs_build(project, site, cache) for _ in range(2)]
    except BuildFailed as exc:
        result.error = str(exc)
    line = f"   {label:<22}"
    if result.error:
        say(f"{line} build refused:\n" + "\n".join("      " + row for row in result.error.splitlines()))
    else:
        say(
            f"{line} warm {result.seconds:6.1f} s [{seconds_list(result.warm)}]   "
            f"first build (fills the PDF cache) {result.first.seconds:6.1f} s   "
            f"peak RSS {max(r.max_rss_mb for r in [result.first, *result.warm]):4.0f} MB"
        )
    return result


def measure_scaling(tmp: Path, builds: BuildFigures) -> tuple[dict[str, Scale], str | None]:
    say("\n4. Scaling (synthetic copies; warm = median of 2 after one build that fills the PDF cache)")
    note = None
    max_pages = SYNTHETIC_MAX_PAGES
    probe = synthetic(tmp, "probe", max_pages)
    try:  # does the schema accept the page limit? (loading the content says, in a second)
        sys.path.insert(0, str(ROOT / "src"))
        from patientinfo.content.load import load_treatment
        from patientinfo.errors import ContentError

        load_treatment(probe)
    except ContentError as exc:
        message = " ".join(str(exc).split())
        if "leaflet_max_pages" not in message:
            raise
        limit = re.search(r"leaflet_max_pages: must be at most (\d+)", message)
        max_pages = int(limit.group(1)) if limit else 40
        note = (
            f"leaflet_max_pages: {SYNTHETIC_MAX_PAGES} is refused by the settings schema "
            f"({message[-140:]}); the synthetic copies use {max_pages}, its maximum"
        )
        say(f"   NOTE: {note}")
    shutil.rmtree(probe, ignore_errors=True)
    results: dict[str, Scale] = {}
    base_cache = tmp / "pdf-scale-1x"
    shutil.copytree(builds.pdf_cache, base_cache)  # same HTML as the real project: already filled
    one = synthetic(tmp, "facts-1x", max_pages)
    results["1x"] = scale_run("1x facts, 3 languages", one, base_cache, tmp)
    for times in (5, 10):
        project = synthetic(tmp, f"facts-{times}x", max_pages)
        count = multiply_facts(project, times)
        cache = tmp / f"pdf-facts-{times}x"
        cache.mkdir()
        results[f"{times}x"] = scale_run(f"{times}x facts ({count})", project, cache, tmp)
        shutil.rmtree(project, ignore_errors=True)
    project = synthetic(tmp, "langs-1", max_pages)
    only_source_language(project)
    cache = tmp / "pdf-langs-1"
    shutil.copytree(base_cache, cache)  # its language's PDFs are already in the cache
    results["1L"] = scale_run("1 language", project, cache, tmp)
    shutil.rmtree(project, ignore_errors=True)
    codes = list(EXTRA_LANGUAGES)
    previous_cache = base_cache
    for count in (6, 10):
        project = synthetic(tmp, f"langs-{count}", max_pages)
        add_languages(project, codes[: count - 3])
        cache = tmp / f"pdf-langs-{count}"
        shutil.copytree(previous_cache, cache)  # the languages already rendered keep their PDFs
        results[f"{count}L"] = scale_run(f"{count} languages", project, cache, tmp)
        previous_cache = cache
        shutil.rmtree(project, ignore_errors=True)
    for count in (3, 10):
        project = synthetic(tmp, f"treatments-{count}", max_pages)
        add_treatments(project, count)
        cache = tmp / f"pdf-treatments-{count}"
        cache.mkdir()
        results[f"{count}T"] = scale_run(f"{count} treatments", project, cache, tmp)
        shutil.rmtree(project, ignore_errors=True)
    return results, note
