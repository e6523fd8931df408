"""The report's frame: the machine, revision and library versions it was measured with, and the
closing summary of every figure against its target."""

from __future__ import annotations

import contextlib
import datetime
import os
import platform
import subprocess

from .builds import BuildFigures
from .common import ROOT, say
from .runs import median, median_or_none
from .scaling import Scale
from .serve import ServeFigures

WATCHED = ("src", "content", "docs", "overrides", "mkdocs.yml")  # what the revision line reports


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; nproc {os.cpu_count()}; {cpu}; "
        f"Python {platform.python_version()}; load average at start {load}"
    )


def revision() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", *WATCHED],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    changed = [line[3:] for line in changed if line.strip()]
    return f"commit {head}" + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "weasyprint"):
        with contextlib.suppress(PackageNotFoundError):
            parts.append(f"{package} {version(package)}")
    return ", ".join(parts)


def ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def summary(
    builds: BuildFigures,
    serve: ServeFigures | None,
    scale: dict[str, Scale] | None,
    weights: list[tuple[str, int, int]],
    header: str,
    elapsed: float,
) -> None:
    plain = median(builds.plain)
    warm = median(builds.warm)
    rows: list[tuple[str, str, str]] = [
        ("plain MkDocs, same Markdown (median of 3)", f"{plain:.1f} s", ""),
        ("warm build (median of 3)", f"{warm:.1f} s", ""),
        ("cold build (1 run)", f"{builds.cold.seconds:.1f} s", ""),
        ("build after one fact edit (median of 3)", f"{median(builds.edited):.1f} s", ""),
        ("warm / plain", ratio(warm, plain), ""),
        ("after one fact edit / plain", ratio(median(builds.edited), plain), "<= 1.3x"),
        ("cold / plain", ratio(builds.cold.seconds, plain), "<= 2x"),
    ]
    if serve:

        def shown(values: list[float | None]) -> str:
            value = median_or_none(values)
            return "timeout" if value is None else f"{value:.2f} s"

        rows += [
            ("serve: fact edit -> page, en (median of 5)", shown(serve.fact), "<= 1.0 s"),
            ("serve: fact edit -> page, fr (median of 5)", shown(serve.fact_other), "<= 1.0 s"),
            ("serve: docs edit -> file (median of 5)", shown(serve.docs), "<= 0.8 s"),
            ("serve: docs page edit -> page, en (median of 5)", shown(serve.docs_pages["en"]), "<= 0.8 s"),
            ("serve: docs page edit -> page, fr (median of 5)", shown(serve.docs_pages["fr"]), "<= 0.8 s"),
            ("serve: edit -> PDF made again (median of 5)", shown(serve.pdf), "<= 5 s"),
        ]
    rows += [
        ("peak RSS, cold build", f"{builds.cold.max_rss_mb:.0f} MB", ""),
        ("peak RSS, warm build (max of 3)", f"{max(r.max_rss_mb for r in builds.warm):.0f} MB", ""),
        ("peak RSS, plain MkDocs (max of 3)", f"{max(r.max_rss_mb for r in builds.plain):.0f} MB", ""),
    ]
    if scale:
        s = {key: value.seconds for key, value in scale.items()}
        rows += [
            ("facts 5x / 1x (warm)", ratio(s.get("5x"), s.get("1x")), ""),
            ("facts 10x / 1x (warm)", ratio(s.get("10x"), s.get("1x")), "<= 10x"),
            ("languages 3 / 1 (warm)", ratio(s.get("1x"), s.get("1L")), ""),
            ("languages 6 / 3 (warm)", ratio(s.get("6L"), s.get("1x")), ""),
            ("languages 10 / 3 (warm)", ratio(s.get("10L"), s.get("1x")), "<= 3.33x"),
            ("languages 10 / 1 (warm)", ratio(s.get("10L"), s.get("1L")), "<= 10x"),
            ("treatments 3 / 1 (warm)", ratio(s.get("3T"), s.get("1x")), ""),
            ("treatments 10 / 1 (warm)", ratio(s.get("10T"), s.get("1x")), "<= 10x"),
        ]
    if weights:
        gz = [w[2] for w in weights]
        rows.append(("first load of a page, gzip", f"{min(gz) / 1000:.0f} to {max(gz) / 1000:.0f} KB", ""))
    say("\nSummary")
    say(f"   {header}")
    width = max(len(r[0]) for r in rows)
    say(f"   {'figure':<{width}}  {'value':>12}  target")
    for label, value, target in rows:
        say(f"   {label:<{width}}  {value:>12}  {target}")
    say(f"   (bench took {elapsed / 60:.1f} min)")
