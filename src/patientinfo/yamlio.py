"""Load YAML while remembering the line of every key and item.

PyYAML drops positions once it builds Python objects, and silently keeps the last of two
duplicate keys. Editors need ``path:line`` for every error, so we compose the node tree
ourselves, refuse duplicate keys, and keep a way back from a data path to its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ContentError, Problem

Loc = Sequence[str | int]


@dataclass
class YamlDocument:
    """Parsed data plus the node tree that knows where everything came from."""

    path: str  # relative to the repository, as shown to editors
    data: object
    root: yaml.Node | None

    def line(self, loc: Loc) -> int:
        """1-based line of the deepest node that ``loc`` reaches (the file's first line if none)."""
        node = self.root
        best = node.start_mark.line + 1 if node is not None else 1
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(key):
                        node = value_node
                        best = key_node.start_mark.line + 1
                        break
                else:
                    return best
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if 0 <= key < len(node.value):
                    node = node.value[key]
                    best = node.start_mark.line + 1
                else:
                    return best
            else:
                return best
        return best


def _duplicate_keys(node: yaml.Node, path: str) -> list[Problem]:
    problems: list[Problem] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in current.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    problems.append(Problem(path, line, f"duplicate key '{key}' (first defined on line {seen[key]})"))
                else:
                    seen[key] = line
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return problems


def load_yaml(file: Path, repo_root: Path) -> YamlDocument:
    """Parse ``file``; raise ContentError with ``path:line`` on a syntax error or duplicate key."""
    try:
        shown = file.resolve().relative_to(repo_root.resolve()).as_posix()
    except ValueError:
        shown = file.as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError([Problem(shown, 1, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(shown, 1, f"not valid UTF-8 text ({exc.reason})")]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        problems = _duplicate_keys(root, shown) if root is not None else []
        if problems:
            raise ContentError(problems)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        raise ContentError([Problem(shown, line, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(shown, 1, f"YAML error: {exc}")]) from None
    return YamlDocument(shown, data, root)
