"""The build context: what a build may know about the world, decided once at its entry point.

The day (whether a review is overdue), strict mode, where PDFs are cached and how many worker
processes print them. The command line, the MkDocs plugin (when MkDocs is the entry point), the
tests and the benchmark make one and pass it down; nothing below reads the clock or the
environment, so a build is a function of its inputs and this object.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from patientinfo.messages import language_of

# What a build does with the PDFs: print them (a build), show the last printed ones while new ones
# are printed in the background (the preview), or leave them out (the fast tests).
PdfMode = Literal["print", "last", "none"]


@dataclass(frozen=True)
class BuildContext:
    day: dt.date  # today, or SOURCE_DATE_EPOCH's day: decides "review overdue", never printed
    strict: bool = False  # every editors' check finding stops the build (--strict, CI)
    pdf_cache: Path | None = None  # PDFs kept by the hash of their HTML; None: always printed
    workers: int = 0  # processes printing PDFs; 0: one per core
    pdfs: PdfMode = "print"
    drafts: bool = False  # the preview shows the draft languages and treatments; a build never does
    messages: str = "en"  # the language of the tool's own messages (errors, findings, help)
    preview_token: str | None = None  # the preview's token (None: a random one per preview)


def is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes")


def context_from_environment(
    environ: Mapping[str, str] | None = None,
    *,
    strict: bool = False,
    pdf_cache: Path | None = None,
    today: dt.date | None = None,
) -> BuildContext:
    """The context of a build started by a person or CI: ``SOURCE_DATE_EPOCH`` fixes the day
    (reproducible builds), ``CI`` makes it strict, ``PATIENTINFO_PDF_CACHE`` moves the PDF cache,
    ``PATIENTINFO_WORKERS`` sets the printing processes, ``PATIENTINFO_LANGUAGE`` or the locale
    the language of the tool's messages, ``PATIENTINFO_PREVIEW_TOKEN`` the preview's token (for
    tests and the benchmark). The only place these are read."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    day = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date() if epoch else today or dt.date.today()
    cache = environ.get("PATIENTINFO_PDF_CACHE")
    workers = environ.get("PATIENTINFO_WORKERS", "")
    return BuildContext(
        day=day,
        strict=strict or is_true(environ.get("CI")),
        pdf_cache=Path(cache) if cache else pdf_cache,
        workers=int(workers) if workers.isdigit() else 0,
        messages=language_of(environ),
        preview_token=environ.get("PATIENTINFO_PREVIEW_TOKEN") or None,
    )
