"""Setting one value anywhere in a content file (the browser editor's writes), through the
comment-keeping editor of ``editing``: keys and list positions lead to a single value, which is
replaced in place; the rest of the file is kept character for character."""

from __future__ import annotations

import json

import yaml

from patientinfo.content.editing import EditError, _quoted, _replace_scalar, child, compose

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
