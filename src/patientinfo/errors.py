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

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when content cannot be built; lists all problems, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
