"""One measured subprocess: wall clock and peak memory of a build, the same way for ours and for
plain MkDocs, and how a few runs are summed up (median) and shown."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .common import PYTHON


@dataclass
class Run:
    seconds: float
    max_rss_mb: float


class BuildFailed(Exception):
    pass


PREVIEW_TOKEN = "benchmark-preview-token"  # the preview answers only requests with its token


def environment(pdf_cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "CI": "",
        "PATIENTINFO_PDF_CACHE": str(pdf_cache),
        "PATIENTINFO_PREVIEW_TOKEN": PREVIEW_TOKEN,
    }


def with_token(url: str) -> str:
    return url + ("&" if "?" in url else "?") + f"token={PREVIEW_TOKEN}"


def run_measured(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Wall time and peak RSS (os.wait4, this child only) of one subprocess."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").strip().splitlines()[-12:]
            raise BuildFailed("\n".join(tail))
    return Run(elapsed, usage.ru_maxrss / 1024)


def mkdocs_build(project: Path, site: Path, pdf_cache: Path, *extra: str) -> Run:
    shutil.rmtree(site, ignore_errors=True)
    command = [PYTHON, *extra, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    return run_measured(command, project, environment(pdf_cache))


def median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def seconds_list(runs: list[Run]) -> str:
    return ", ".join(f"{r.seconds:.1f}" for r in runs)


def median_or_none(values: list[float | None]) -> float | None:
    if not values or any(v is None for v in values):
        return None
    return statistics.median(values)  # type: ignore[arg-type]


def fmt_median(values: list[float | None]) -> str:
    value = median_or_none(values)
    return "timeout" if value is None else f"{value:.2f} s"
