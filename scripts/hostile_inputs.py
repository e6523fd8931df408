"""Try broken and hostile content on a copy of the project, as an editor (or an attacker) would,
and print what the build says for each: exit status, the first message, whether a traceback
appeared, and whether the last good site/ survived. Usage: .venv/bin/python scripts/hostile_inputs.py
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FACTS, CLINIC, SETTINGS, SOURCES = (
    "content/treatments/mesotherapy/facts.yaml",
    "content/clinic.yaml",
    "content/settings.yaml",
    "content/treatments/mesotherapy/sources.yaml",
)
EN_UI = "content/en/ui.yaml"
FR_PAGES, IT_FACTS = "content/fr/mesotherapy/pages.yaml", "content/it/mesotherapy/facts.yaml"


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def edit(relative: str, old: str, new: str, regex: bool = False) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        changed = re.sub(old, new, text, count=1, flags=re.M) if regex else text.replace(old, new, 1)
        if changed == text:
            raise SystemExit(f"case did not apply: {relative}: {old!r}")
        path.write_text(changed, encoding="utf-8")

    return apply


def put(relative: str, data: str | bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        path.unlink(missing_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())

    return apply


def link(relative: str, target: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        path.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)

    return apply


def append(relative: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        with open(root / relative, "a", encoding="utf-8") as handle:
            handle.write(text)

    return apply


def first_text_key(root: Path, relative: str) -> str:
    for line in (root / relative).read_text(encoding="utf-8").splitlines():
        if re.match(r"^[a-z][\w.-]*:", line):
            return line.split(":", 1)[0]
    raise SystemExit(f"no text in {relative}")


def in_text(relative: str, addition: str) -> Callable[[Path], None]:
    """Append ``addition`` to the first text of a texts file (either YAML shape)."""

    def apply(root: Path) -> None:
        import yaml

        path = root / relative
        data = yaml.safe_load(path.read_text(encoding="utf-8"))

        def text_of(value: object) -> str:
            return value if isinstance(value, str) else str((value or {}).get("text") or "{")

        key = next(k for k, v in data.items() if "{" not in text_of(v))
        if isinstance(data[key], str):
            data[key] += addition
        else:
            data[key]["text"] += addition
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")

    return apply


def drop_first_text(path: Path) -> None:
    """Delete the first text of a texts file (its id line and the indented lines under it)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.match(r"^[a-z0-9][\w.-]*:", line))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for n, p in zip("bcdefghij", "abcdefghi", strict=True)
)
CASES: dict[str, Callable[[Path], None]] = {
    "malformed YAML (unclosed quote)": append(EN_UI, '\nbroken: "never closed\n'),
    "a colon inside an unquoted text": append(EN_UI, "\nbroken: one: two\n"),
    "tab used for indentation": edit(FACTS, "\n  - id:", "\n\t- id:"),
    "control character (BEL)": edit(CLINIC, "name:", "na\x07me:"),
    "Latin-1 bytes in a UTF-8 file": lambda r: (r / FR_PAGES).write_bytes(
        (r / FR_PAGES).read_text().encode("latin-1", "replace")
    ),
    "UTF-8 byte-order mark": lambda r: (r / CLINIC).write_bytes(b"\xef\xbb\xbf" + (r / CLINIC).read_bytes()),
    "Windows line endings": lambda r: (r / CLINIC).write_bytes((r / CLINIC).read_bytes().replace(b"\n", b"\r\n")),
    "empty file": put(CLINIC, ""),
    "a list instead of a mapping": put(SETTINGS, "- fr\n- it\n"),
    "duplicate key": append(EN_UI, "\nleaflet.download: again\n"),
    "billion laughs (nested aliases)": put(FACTS, LAUGHS),
    "1,000-level nested mapping": put(
        FACTS, "".join(" " * i + f"k{i}:\n" for i in range(1000)) + " " * 1000 + "x: 1\n"
    ),
    "100,000-level nested flow list": put(FACTS, "a: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "3 MB file": put(FACTS, 'x: "' + "a" * 3_000_000 + '"\n'),
    "python object tag": put(FACTS, '!!python/object/apply:os.system ["echo pwned"]\n'),
    "impossible date 2027-13-45": edit(FACTS, r"last_reviewed: \S+", "last_reviewed: 2027-13-45", regex=True),
    "next review before last review": edit(FACTS, r"next_review: \S+", "next_review: 2000-01-01", regex=True),
    "wrong type (text for a number)": edit(FACTS, r"(min|max): \d+", r'\1: "three"', regex=True),
    "a date as a key": append(EN_UI, "\n2026-01-01: a text\n"),
    "unknown field (typo)": edit(CLINIC, "brand_colour:", "brand_color:"),
    "bad colour": edit(CLINIC, r"brand_colour: .*", 'brand_colour: "blue"', regex=True),
    "javascript: website": edit(CLINIC, r"website: .*", 'website: "javascript:alert(1)//"', regex=True),
    "script in the phone number": edit(CLINIC, r"phone: .*", 'phone: "<script>alert(1)</script>"', regex=True),
    "missing logo file": edit(CLINIC, r"logo: .*", 'logo: "docs/assets/missing.svg"', regex=True),
    "SVG logo with a script": lambda r: (
        put("docs/assets/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")(r),
        edit(CLINIC, r"logo: .*", 'logo: "docs/assets/logo.svg"', regex=True)(r),
    ),
    "logo linking to /etc/passwd": lambda r: (
        link("docs/assets/logo.png", "/etc/passwd")(r),
        edit(CLINIC, r"logo: .*", 'logo: "docs/assets/logo.png"', regex=True)(r),
    ),
    "unknown source id": edit(FACTS, r"sources: \[([a-z0-9-]+)", r"sources: [no-such-source", regex=True),
    "unknown fact id in a dispute": edit(FACTS, r"(?<=facts: \[)[a-z0-9-]+", "no-such-fact", regex=True),
    "missing translation": lambda r: drop_first_text(r / IT_FACTS),
    "unknown placeholder": in_text(EN_UI, " {nothing.here}"),
    "<script> in a text": in_text(EN_UI, " <script>alert(1)</script>"),
    "<img onerror> in a text": in_text(FR_PAGES, " <img src=x onerror=alert(1)>"),
    "Jinja syntax in a text": in_text(EN_UI, " {{ 7*7 }} {% include 'x' %}"),
    "javascript: link in a text": in_text(EN_UI, " [click](javascript:alert(1))"),
    "content file is a link to /etc/passwd": link(FACTS, "/etc/passwd"),
    "content file is a folder": lambda r: ((r / FACTS).unlink(), (r / FACTS).mkdir()),
    "content file missing": lambda r: (r / SOURCES).unlink(),
    "link in docs/ to /etc/passwd": link("docs/passwd.txt", "/etc/passwd"),
    "link in overrides/ to /etc/hostname": link("overrides/partials/x.html", "/etc/hostname"),
    "dangling link in docs/": link("docs/gone.txt", "/nonexistent/file"),
    "a FIFO in docs/": lambda r: os.mkfifo(r / "docs" / "pipe"),
    "unknown patientinfo option": edit(
        "mkdocs.yml", "  - patientinfo\n", "  - patientinfo:\n      content_dri: content\n"
    ),
    "wrong type for a patientinfo option": edit(
        "mkdocs.yml", "  - patientinfo\n", "  - patientinfo:\n      content_dir: 12\n"
    ),
}


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / "base"
        base.mkdir()
        for name in ("content", "docs", "overrides"):
            shutil.copytree(REPO / name, base / name)
        shutil.copy(REPO / "mkdocs.yml", base / "mkdocs.yml")
        env = {**os.environ, "CI": "", "NO_MKDOCS_2_WARNING": "1"}
        build = [sys.executable, "-m", "patientinfo", "build"]
        subprocess.run(build, cwd=base, env=env, capture_output=True, check=True)
        good = digest(base / "site")
        rows = []
        for number, (name, mutate) in enumerate(CASES.items(), start=1):
            root = Path(scratch) / f"case{number}"
            shutil.copytree(base, root, symlinks=True)
            mutate(root)
            result = subprocess.run(build, cwd=root, env=env, capture_output=True, text=True, timeout=300)
            output = result.stderr + result.stdout
            lines = [
                line.strip()
                for line in output.splitlines()
                if re.match(r"\s*(content|docs|overrides|mkdocs\.yml|src)/?[^\s:]*:\d+", line.strip())
            ]
            traceback = "Traceback" in output
            intact = digest(root / "site") == good
            rows.append((name, result.returncode, traceback, intact, lines[0] if lines else output.strip()[-160:]))
            shutil.rmtree(root, ignore_errors=True)
    bad = 0
    for number, (name, code, traceback, intact, message) in enumerate(rows, start=1):
        ok = not traceback and (code == 0 or intact)
        bad += not ok
        status = f"exit {code}" + (" TRACEBACK" if traceback else "") + ("" if intact or code == 0 else " SITE CHANGED")
        print(f"{number:2}. {name}: {status}\n    {message}")
    print(f"{len(rows)} kinds of bad input; {len(rows) - bad} handled (clear message or built literally), {bad} not")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
