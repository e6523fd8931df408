"""One project exception that carries every problem found, each with its file and line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A single finding an editor can act on: ``path:line: message`` (``path:line:column:``
    when the column is known, as for a YAML syntax error or a wrong byte)."""

    path: str
    line: int
    message: str
    column: int = 0
    code: str = "C001"  # the rule it breaks (patientinfo.rules); reading and validation by default

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when content cannot be built; lists all problems, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class StrictFindings(Exception):
    """The editors' check has findings and the build is strict (``--strict``, CI)."""

    def __init__(self, findings: list[str]):
        self.findings = findings
        listed = "\n".join(findings)
        super().__init__(
            f"the editors' check has {len(findings)} finding(s); strict mode (CI, --strict) stops here:\n{listed}"
        )
