"""The plugin's options (``plugins: - patientinfo: ...`` in mkdocs.yml) and their problems in
an editor's words: the file, the line and the option, never a Python type."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c


class PatientInfoConfig(base.Config):
    content_dir = c.Type(str, default="content")  # the content folder, relative to mkdocs.yml
    staging_dir = c.Type(str, default=".cache/patientinfo/docs")  # what MkDocs reads (generated)
    pdf_cache = c.Type(str, default=".cache/patientinfo/pdf")  # PATIENTINFO_PDF_CACHE overrides it


OPTIONS = tuple(name for name, value in vars(PatientInfoConfig).items() if isinstance(value, base.BaseConfigOption))


def config_line(config_file: str | None, option: str) -> int:
    """The line of ``option`` under the patientinfo plugin in mkdocs.yml (1 when not found)."""
    if not config_file:
        return 1
    try:
        lines = Path(config_file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    start = next((i for i, line in enumerate(lines) if line.strip().rstrip(":") == "- patientinfo"), None)
    if start is None:
        return 1
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith("- "):
            break
        if stripped.startswith(f"{option}:"):
            return index + 1
    return start + 1


def option_problems(options: dict, config_file: str | None) -> list[tuple[str, str]]:
    """Every unknown option and every option that is not text, as (option, message) naming
    mkdocs.yml and the line: an unknown option is an error, not a warning --quiet would hide."""
    shown = Path(config_file).name if config_file else "mkdocs.yml"
    found = []
    for key, value in options.items():
        if key not in OPTIONS:
            words = f"is not an option of the patientinfo plugin (its options are: {', '.join(OPTIONS)})"
        elif not isinstance(value, str):
            words = "must be a folder path written as text, like .cache/patientinfo/docs"
        else:
            continue
        found.append((key, f"{shown}:{config_line(config_file, key)}: patientinfo option '{key}' {words}"))
    return found
