"""Read a content file safely and parse its YAML once, remembering the line of every key.

Editors (and whoever else can change a translation) write these files, so nothing in them is
trusted: the file must be a regular file inside the repository, small, UTF-8 text without
control characters; YAML anchors and aliases are refused (editors never need them, and nested
aliases can make a tiny file expand without end); nesting is bounded. Every problem becomes a
``path:line:column: message`` in plain words, never a traceback or PyYAML's own wording.

PyYAML drops positions once it builds Python objects, and silently keeps the last of two
duplicate keys, so the node tree is kept next to the data: ``YamlDocument.line`` goes from a
data path back to its line. The C parser (libyaml) does the work when it is installed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from patientinfo.content.yaml_problems import plain_yaml_problem, unclosed_quote
from patientinfo.errors import ContentError, Problem
from patientinfo.messages import _

Loc = Sequence[str | int]

MAX_FILE_BYTES = 2 * 1024 * 1024  # the largest real content file is about 60 KB
MAX_DEPTH = 32  # real content nests 7 levels deep at most
MAX_NODES = 200_000

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# C0 controls but tab, newline and carriage return; DEL and the C1 controls; BOM and non-characters.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
# Mistakes PyYAML reports where it noticed them (the next line) but whose start it also gives.
AT_ITS_START = ("while scanning a simple key", "while parsing a flow sequence", "while parsing a flow mapping")


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader whose dates fail with a position instead of a Python ValueError."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"'{node.value}' is not a real date: write it as YYYY-MM-DD, like 2026-05-23",
                node.start_mark,
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


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


def shown_path(file: Path, repo_root: Path) -> str:
    """The path an editor recognises: relative to the repository when it is inside it."""
    absolute = Path(os.path.abspath(file))
    try:
        return absolute.relative_to(Path(os.path.abspath(repo_root))).as_posix()
    except ValueError:
        return file.as_posix()


def inside(path: Path, repo_root: Path) -> bool:
    """Whether ``path``, once every symbolic link is followed, is inside the repository."""
    return path.resolve().is_relative_to(repo_root.resolve())


def read_repository_file(file: Path, repo_root: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file the site is made from; refuses anything that is not a plain file of
    the repository (a folder, a device, a link leading outside it) or that is too large."""
    shown = shown_path(file, repo_root)

    def refuse(message: str) -> ContentError:
        return ContentError([Problem(shown, 1, message)])

    try:
        link = file.is_symlink()
        info = file.stat()
    except FileNotFoundError:
        if file.is_symlink():
            raise refuse(_("this is a symbolic link to a file that does not exist: replace it by the file")) from None
        raise refuse(_("file not found")) from None
    except OSError as exc:
        raise refuse(f"the file cannot be read ({exc.strerror})") from None
    if link and not inside(file, repo_root):
        raise refuse(
            "this is a symbolic link to a file outside the repository; the site is only made from the "
            "repository's own files: replace the link by the file itself"
        )
    if stat.S_ISDIR(info.st_mode):
        raise refuse(_("this is a folder, but a file is expected here"))
    if not stat.S_ISREG(info.st_mode):
        raise refuse("this is not a regular file (a device, a pipe or a socket): replace it by a file")
    if info.st_size > max_bytes:
        raise refuse(
            f"the file is {info.st_size / 1024 / 1024:.1f} MiB; content files are limited to "
            f"{max_bytes // 1024 // 1024} MiB: split it or remove what does not belong"
        )
    try:
        with open(file, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise refuse(f"the file cannot be read ({exc.strerror})") from None
    if len(data) > max_bytes:  # it grew while being read
        raise refuse(f"the file is larger than {max_bytes // 1024 // 1024} MiB")
    return data


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def decode_text(data: bytes, shown: str) -> str:
    """UTF-8 text without control characters, or a ContentError saying where the bad byte is."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise ContentError(
            [
                Problem(
                    shown,
                    line,
                    f"this file is not UTF-8 text: the byte at line {line}, column {column} is not valid; "
                    f"save the file as UTF-8",
                    column,
                )
            ]
        ) from None
    text = text.removeprefix("\ufeff")
    found = CONTROL_CHARACTER.search(text)  # one scan in C, not a Python loop over every character
    if found is not None:
        number = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        code = ord(found.group())
        message = (
            f"an invisible control character (U+{code:04X}) is at line {number}, column "
            f"{column}: delete it (it often comes from copying text out of another program)"
        )
        raise ContentError([Problem(shown, number, message, column)])
    return text


def _check_structure(text: str, shown: str) -> None:
    """One pass over the parser's events (no tree is built): refuses aliases and anchors, and
    bounds nesting and size before anything can expand or recurse."""
    depth = nodes = 0
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ContentError(
                    [
                        Problem(
                            shown,
                            mark.line + 1,
                            "YAML anchors and aliases (&name, *name, <<) are not allowed in content: "
                            "write the value out in full",
                            mark.column + 1,
                        )
                    ]
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ContentError(
                        [
                            Problem(
                                shown,
                                mark.line + 1,
                                f"the content is nested more than {MAX_DEPTH} levels deep here; "
                                f"real content needs far fewer: check the indentation",
                                mark.column + 1,
                            )
                        ]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    raise ContentError(
                        [Problem(shown, mark.line + 1, f"the file has more than {MAX_NODES} values: split it")]
                    )
    finally:
        loader.dispose()


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
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(Problem(path, line, "a name before ':' must be plain text, not a list or group"))
                elif key in seen:
                    message = _("duplicate key '{key}' (first defined on line {line})").format(key=key, line=seen[key])
                    problems.append(Problem(path, line, message))
                else:
                    seen[key] = line
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return problems


def parse_yaml(text: str, shown: str) -> YamlDocument:
    """Parse YAML text (see the module's rules); raise ContentError with ``path:line:column``."""
    try:
        _check_structure(text, shown)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            problems = _duplicate_keys(root, shown) if root is not None else []
            if problems:
                raise ContentError(problems)
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (exc.context or "").startswith(AT_ITS_START):
            mark = exc.context_mark  # a key without ':' or an unclosed [ or {: YAML notices it a line later
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 0)
        unclosed = unclosed_quote(text, exc.context_mark.line if exc.context_mark else line - 1, line)
        if unclosed is not None:  # the parser notices a missing quote lines later: name the line
            message = _("the text in quotes on this line has no closing {quote}: add it at the end of the text")
            message = message.format(quote=unclosed[1])
            raise ContentError([Problem(shown, unclosed[0], message)]) from None
        raise ContentError([Problem(shown, line, plain_yaml_problem(exc, text), column)]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(shown, 1, f"the YAML cannot be read ({exc})")]) from None
    except RecursionError:
        raise ContentError([Problem(shown, 1, "the content is nested too deeply: check the indentation")]) from None
    _refuse_odd_keys(data, shown, root)
    return YamlDocument(shown, data, root)


def _refuse_odd_keys(data: object, shown: str, root: yaml.Node | None) -> None:
    """YAML turns keys like 2026-01-01, 12 or yes into dates, numbers or booleans; content ids are
    text, so say so instead of failing later with a confusing type error."""
    stack = [data]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                if not isinstance(key, str):
                    kind = "a date" if isinstance(key, dt.date) else "a number or true/false"
                    line = _find_key_line(root, key)
                    raise ContentError(
                        [
                            Problem(
                                shown, line, f"the name '{key}' is read as {kind}; names must be text: put it in quotes"
                            )
                        ]
                    )
                stack.append(value)
        elif isinstance(current, list):
            stack.extend(current)


def _find_key_line(root: yaml.Node | None, key: object) -> int:
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                    return key_node.start_mark.line + 1
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return 1


def load_yaml(file: Path, repo_root: Path) -> YamlDocument:
    """Read and parse one content file; every problem is a ContentError naming ``path:line``."""
    shown = shown_path(file, repo_root)
    data = read_repository_file(file, repo_root)
    return parse_yaml(decode_text(data, shown), shown)


def tree_problems(folder: Path, repo_root: Path) -> list[Problem]:
    """Links leading outside the repository, and anything that is not a file or a folder, under
    ``folder``: they are refused before anything is copied into the site."""
    problems: list[Problem] = []
    if not folder.exists() and not folder.is_symlink():
        return problems
    pending = [folder]
    while pending:
        current = pending.pop()
        shown = shown_path(current, repo_root)
        if current.is_symlink():
            if not current.exists():
                problems.append(
                    Problem(shown, 1, "this symbolic link leads nowhere: delete it or replace it by the file")
                )
                continue
            if not inside(current, repo_root):
                problems.append(
                    Problem(
                        shown,
                        1,
                        "this is a symbolic link to something outside the repository; nothing outside the "
                        "repository may reach the site: replace the link by the file itself",
                    )
                )
                continue
        try:
            mode = current.stat().st_mode
        except OSError as exc:
            problems.append(Problem(shown, 1, f"cannot be read ({exc.strerror})"))
            continue
        if stat.S_ISDIR(mode):
            if not current.is_symlink():  # a link to a folder inside the repository is read there
                pending.extend(sorted(current.iterdir()))
        elif not stat.S_ISREG(mode):
            problems.append(Problem(shown, 1, "this is not a regular file (a device, a pipe or a socket): remove it"))
    return sorted(problems)
