"""Setting one value anywhere in a content file (the browser editor's writes), through the
comment-keeping editor of ``editing``: keys and list positions lead to a single value, which is
replaced in place; the rest of the file is kept character for character."""

from __future__ import annotations

import json
import re

import yaml

from patientinfo.content.editing import EditError, _insert_lines, _quoted, _replace_scalar, after_line, child, compose

Path_ = tuple[str | int, ...]


def _node_along(text: str, shown: str, path: Path_) -> yaml.Node | None:
    node: yaml.Node | None = compose(text, shown)
    for key in path:
        if isinstance(key, int):
            node = node.value[key] if isinstance(node, yaml.SequenceNode) and 0 <= key < len(node.value) else None
        else:
            node = child(node, key)
    return node


def _data_along(data: object, path: Path_) -> object:
    for key in path:
        if isinstance(key, int):
            data = data[key] if isinstance(data, list) and 0 <= key < len(data) else None
        else:
            data = data.get(key) if isinstance(data, dict) else None
    return data


def _scalar(value: str | int | float | bool) -> str:
    """A value as YAML writes it: text in double quotes, numbers and true/false as they are."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _quoted(value)


def set_scalar(text: str, shown: str, path: Path_, value: str | int | float | bool) -> str:
    """The file with the single value at ``path`` (keys and list positions) set to ``value``;
    every other character kept (comments, order, quoting). Read back and compared with what was
    meant: anything else is an EditError and nothing is written."""
    if _data_along(yaml.safe_load(text), path) == value and type(_data_along(yaml.safe_load(text), path)) is type(
        value
    ):
        return text  # unchanged: the file stays byte for byte as it was
    node = _node_along(text, shown, path)
    where = ".".join(str(key) for key in path)
    if not isinstance(node, yaml.ScalarNode):
        raise EditError(1, f"{shown}: {where} is not a single value that can be set")
    if isinstance(value, str):
        start, end, new = _replace_scalar(text, node, value, node.start_mark.column, in_flow=False)
    else:
        start, end, new = node.start_mark.index, node.end_mark.index, _scalar(value)
    after = text[:start] + new + text[end:]
    old, read = yaml.safe_load(text), yaml.safe_load(after)
    holder = _data_along(old, path[:-1])
    if isinstance(holder, dict | list):
        holder[path[-1]] = value  # type: ignore[index]
    if _data_along(read, path) != value or json.dumps(old, default=str) != json.dumps(read, default=str):
        raise EditError(node.start_mark.line + 1, f"{shown}: the edit of {where} did not read back as meant")
    return after


class _Dumper(yaml.SafeDumper):
    """Words in double quotes, as the content files write them; ids and numbers as they are."""


_Dumper.add_representer(
    str,
    lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"' if " " in data else None),
)


def _block_item(item: dict, indent: int) -> str:
    """``item`` as one ``- key: value`` entry of a block list, its lists and mappings of single
    values written inline as the content files write them (``sources: [a, b]``)."""
    dumped = yaml.dump(item, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=None, width=10**6)
    lines = dumped.splitlines()
    pad = " " * indent
    return "".join(f"{pad}{'- ' if number == 0 else '  '}{line}\n" for number, line in enumerate(lines))


def _after_own_comments(text: str, position: int, dash_column: int) -> int:
    """Past the comment lines that follow an item, indented under it (its ``# en:`` line)."""
    while position < len(text):
        end = text.find("\n", position)
        line = text[position : len(text) if end == -1 else end + 1]
        stripped = line.lstrip(" ")
        if not stripped.startswith("#") or len(line) - len(stripped) <= dash_column:
            break
        position += len(line)
    return position


def insert_mapping_item(text: str, shown: str, path: tuple[str, ...], item: dict, after: int = -1) -> str:
    """The file with ``item`` added to the block list of mappings at ``path`` just after its
    item number ``after`` (the last by default: a new fact after the last of its category),
    after a blank line as the items are; every other character kept, and the result read back
    and compared with what was meant."""
    sequence = _node_along(text, shown, path)
    where = ".".join(path)
    if not isinstance(sequence, yaml.SequenceNode) or sequence.flow_style or not sequence.value:
        raise EditError(1, f"{shown}: '{where}' must be a list of items, one '- ' per item; fix it first")
    if not -len(sequence.value) <= after < len(sequence.value):
        raise EditError(1, f"{shown}: '{where}' has no item number {after}")
    last = sequence.value[after]
    line_start = text.rfind("\n", 0, last.start_mark.index) + 1
    dash = text.rfind("-", line_start, last.start_mark.index)
    position = _after_own_comments(text, after_line(text, last), dash - line_start)
    written = _insert_lines(text, position, "\n" + _block_item(item, dash - line_start))
    old, read = yaml.safe_load(text), yaml.safe_load(written)
    items = _data_along(old, path)
    if isinstance(items, list):
        items.insert(after % len(items) + 1, item)
    if json.dumps(old, default=str) != json.dumps(read, default=str):
        raise EditError(last.start_mark.line + 1, f"{shown}: the new item of {where} did not read back as meant")
    return written


def _item(value: str) -> str:
    """An id as the files write it in lists (``[ci-allergy, ci-pregnancy]``); other words quoted."""
    return value if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value) else _quoted(value)


def append_scalar(text: str, shown: str, path: Path_, value: str) -> str:
    """The file with ``value`` added at the end of the list of single values at ``path`` (a
    contraindication's id in a question's ``covers``): ``[a, b]`` becomes ``[a, b, value]``."""
    sequence = _node_along(text, shown, path)
    where = ".".join(str(key) for key in path)
    holder = _node_along(text, shown, path[:-1])
    if sequence is None and isinstance(holder, yaml.MappingNode) and holder.value and not holder.flow_style:
        indent = " " * holder.value[0][0].start_mark.column  # the list is new: a 'name: [value]' line
        written = _insert_lines(text, after_line(text, holder), f"{indent}{path[-1]}: [{_item(value)}]\n")
        return _checked_append(text, written, shown, path, value, holder.start_mark.line + 1)
    if not isinstance(sequence, yaml.SequenceNode) or not (sequence.flow_style or sequence.value):
        raise EditError(1, f"{shown}: '{where}' must be a list; edit the file")
    if sequence.flow_style:
        end = sequence.value[-1].end_mark.index if sequence.value else sequence.start_mark.index + 1
        written = text[:end] + (", " if sequence.value else "") + _item(value) + text[end:]
    else:
        last = sequence.value[-1]
        line_start = text.rfind("\n", 0, last.start_mark.index) + 1
        dash = text.rfind("-", line_start, last.start_mark.index)
        written = _insert_lines(text, after_line(text, last), f"{' ' * (dash - line_start)}- {_item(value)}\n")
    return _checked_append(text, written, shown, path, value, sequence.start_mark.line + 1)


def _checked_append(text: str, written: str, shown: str, path: Path_, value: str, line: int) -> str:
    old, read = yaml.safe_load(text), yaml.safe_load(written)
    holder = _data_along(old, path[:-1])
    if isinstance(holder, dict) and path[-1] not in holder:
        holder[path[-1]] = []
    items = _data_along(old, path)
    if isinstance(items, list):
        items.append(value)
    if json.dumps(old, default=str) != json.dumps(read, default=str):
        where = ".".join(str(key) for key in path)
        raise EditError(line, f"{shown}: the new item of {where} did not read back as meant")
    return written
