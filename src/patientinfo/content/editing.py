"""The one comment-keeping YAML editor: every tool that writes a content file goes through it.

Two kinds of edit: the structure of a file (append an item to a list, add a key to a mapping:
the scaffolding's edits of the settings) and text entries (set a text, a note, a plural form or
the review mark ``source_hash``: the PO import and ``--mark-reviewed``). Each edit is parsed
again and compared with what was meant; a mismatch is an ``EditError`` and nothing is written.

The node tree of PyYAML gives the exact span of every value, so a changed text replaces its old
scalar (keeping the block style ``|`` where it was one), a new field is added as one line in
the entry's own indentation (or inside a flow mapping ``{...}``), the shorthand ``id: "text"``
becomes a mapping only when a field or a ``source_hash`` has to be added, and a new entry goes
right after the entry that precedes it in the source language. Comments, blank lines, quoting
and order elsewhere are untouched. The result is parsed again and compared with what was meant.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml
from pydantic import ValidationError

from patientinfo.content.schema import entry_fields, po_text

PLAIN_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
CANONICAL = ("text", "forms", "note", "source_hash")


@dataclass
class EntryChange:
    text_id: str
    fields: dict[str, str] = field(default_factory=dict)  # "text" | "note" | "forms.<key>" -> new text
    new_hash: str | None = None


class EditError(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(message)


def _key(name: str) -> str:
    return name if PLAIN_KEY.match(name) else json.dumps(name, ensure_ascii=False)


def _quoted(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _block(value: str, indent: int, header: str = "|") -> str | None:
    """``value`` as a literal block scalar at ``indent``, or None if that would not read back the same."""
    if not value or value[0] in " \t" or "\r" in value or any(ord(c) < 32 and c not in "\n\t" for c in value):
        return None
    pad = " " * indent
    emitted = header + "\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))
    probe = "k: " + header + "\n" + "\n".join("  " + line if line else "" for line in value.split("\n")) + "\n"
    try:
        back = yaml.safe_load(probe)["k"]
    except yaml.YAMLError:
        return None
    return emitted if isinstance(back, str) and po_text(back) == value else None


def _line_end(text: str, index: int) -> int:
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _is_block(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")


def _content_end(text: str, node: yaml.Node) -> int:
    """Index just past the line holding the last character of ``node`` (not the comments after it)."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _content_end(text, last[1] if isinstance(last, tuple) else last)
    if _is_block(node):
        span = text[node.start_mark.index : node.end_mark.index]
        return _line_end(text, node.start_mark.index + len(span.rstrip(" \n")))
    return _line_end(text, node.end_mark.index)


def _replace_scalar(text: str, node: yaml.Node, value: str, indent: int, in_flow: bool) -> tuple[int, int, str]:
    start, end = node.start_mark.index, node.end_mark.index
    if _is_block(node):
        span = text[start:end]
        tail = span[len(span.rstrip(" \n")) :]
        header = "|-" if span.split("\n", 1)[0].strip().startswith(("|-", ">-")) else "|"
        return start, end, (_block(value, indent, header) or _quoted(value)) + tail
    rest_of_line = text[end : _line_end(text, end)].strip()
    if "\n" in value and not in_flow and not rest_of_line:
        return start, end, _block(value, indent) or _quoted(value)
    return start, end, _quoted(value)


def _added_line(name: str, value: str, indent: int) -> str:
    shown = (_block(value, indent + 2) if "\n" in value else None) or _quoted(value)
    return f"{' ' * indent}{_key(name)}: {shown}\n"


def _insert_key(text: str, mapping: yaml.MappingNode, name: str, value: str, after: yaml.Node | None = None):
    """An edit adding ``name: value`` to ``mapping`` (after the value node ``after`` if given)."""
    if mapping.flow_style:
        close = mapping.end_mark.index - 1
        position = len(text[:close].rstrip())
        separator = ", " if mapping.value else ""
        return position, position, f"{separator}{_key(name)}: {_quoted(value)}"
    indent = mapping.value[0][0].start_mark.column
    position = _content_end(text, after if after is not None else mapping)
    prefix = "\n" if position == len(text) and not text.endswith("\n") else ""
    return position, position, prefix + _added_line(name, value, indent)


def _entry_edits(text: str, key: yaml.Node, value: yaml.Node, change: EntryChange) -> list[tuple[int, int, str]]:
    line = key.start_mark.line + 1
    indent = key.start_mark.column + 2
    if isinstance(value, yaml.ScalarNode):
        if set(change.fields) <= {"text"} and not change.new_hash:
            return [_replace_scalar(text, value, change.fields["text"], indent, False)]
        # The shorthand ``id: text`` becomes a mapping, with the current text kept.
        unknown = set(change.fields) - {"text", "note"}
        if unknown:
            raise EditError(
                line, f"'{key.value}' has a text, not plural forms; cannot add {', '.join(sorted(unknown))}"
            )
        if not change.fields:  # only the review mark: the text stays exactly as written
            return [_mark_shorthand(text, key, value, change.new_hash or "")]
        current = po_text(yaml.safe_load(text[value.start_mark.index : value.end_mark.index]) or "")
        fields = {"text": change.fields.get("text", current), **{k: v for k, v in change.fields.items() if k != "text"}}
        body = "".join(_added_line(name, fields[name], indent) for name in CANONICAL if name in fields)
        if change.new_hash:
            body += f"{' ' * indent}source_hash: {_quoted(change.new_hash)}\n"
        start = len(text[: value.start_mark.index].rstrip(" "))
        if _is_block(value):
            return [(start, _content_end(text, value), "\n" + body)]
        # A comment after a one-line text stays at the end of the entry's last line.
        return [(start, value.end_mark.index, "\n" + body.rstrip("\n"))]
    if not isinstance(value, yaml.MappingNode):
        raise EditError(line, f"'{key.value}' is neither a text nor a mapping of text fields")
    children = {k.value: (k, v) for k, v in value.value}
    edits = []
    for name, new in change.fields.items():
        if name.startswith("forms."):
            form = name.removeprefix("forms.")
            if "forms" not in children or not isinstance(children["forms"][1], yaml.MappingNode):
                raise EditError(line, f"'{key.value}' has no plural forms in this language; add 'forms:' by hand")
            forms = children["forms"][1]
            existing = {k.value: (k, v) for k, v in forms.value}
            if form in existing:
                form_key, form_value = existing[form]
                column = form_key.start_mark.column + 2
                edits.append(_replace_scalar(text, form_value, new, column, bool(forms.flow_style)))
            else:
                edits.append(_insert_key(text, forms, form, new))
        elif name in children:
            child_key, child_value = children[name]
            column = child_key.start_mark.column + 2
            edits.append(_replace_scalar(text, child_value, new, column, bool(value.flow_style)))
        elif name == "text" and "forms" in children:
            raise EditError(line, f"'{key.value}' has plural forms in this language, not a text; edit it by hand")
        else:
            after = children["text"][1] if name == "note" and "text" in children else None
            edits.append(_insert_key(text, value, name, new, after))
    if change.new_hash:
        if "source_hash" in children:
            edits.append(_replace_scalar(text, children["source_hash"][1], change.new_hash, indent, True))
        else:
            edits.append(_insert_key(text, value, "source_hash", change.new_hash))
    return edits


def _mark_shorthand(text: str, key: yaml.Node, value: yaml.ScalarNode, new_hash: str) -> tuple[int, int, str]:
    """``id: text`` as a mapping ``text:`` + ``source_hash:``, the scalar kept as written."""
    indent = " " * (key.start_mark.column + 2)
    start = len(text[: value.start_mark.index].rstrip(" "))
    scalar = text[value.start_mark.index : value.end_mark.index]
    quoted = _quoted(new_hash)
    if value.style in ("|", ">"):
        head, _, body = scalar.partition("\n")
        body = "".join("  " + line if line.strip() else line for line in body.splitlines(keepends=True))
        return start, value.end_mark.index, f"\n{indent}text: {head}\n{body}{indent}source_hash: {quoted}\n"
    return start, value.end_mark.index, f"\n{indent}text: {scalar}\n{indent}source_hash: {quoted}"


def _new_entry(change: EntryChange) -> str:
    fields = change.fields
    lines = [f"{_key(change.text_id)}:\n"]
    if "text" in fields:
        lines.append(_added_line("text", fields["text"], 2))
    forms = {k.removeprefix("forms."): v for k, v in fields.items() if k.startswith("forms.")}
    if forms:
        lines.append("  forms: {" + ", ".join(f"{_key(k)}: {_quoted(v)}" for k, v in forms.items()) + "}\n")
    if "note" in fields:
        lines.append(_added_line("note", fields["note"], 2))
    if change.new_hash:
        lines.append(f"  source_hash: {_quoted(change.new_hash)}\n")
    return "".join(lines)


def apply_changes(text: str, changes: list[EntryChange], order: list[str]) -> str:
    """``text`` with every change made; ``order`` is the source language's order of ids."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise EditError(1, "the file is not a mapping of text ids")
    nodes = {k.value: (k, v) for k, v in root.value} if root is not None else {}
    wanted = {c.text_id: c for c in changes}
    edits: list[tuple[int, int, str]] = []
    for change in changes:
        if change.text_id in nodes:
            edits += _entry_edits(text, *nodes[change.text_id], change)
    # New entries go after the nearest preceding id (in source order) that the file has.
    anchor: str | None = None
    pending: dict[str | None, list[str]] = {}
    for text_id in order:
        if text_id in nodes:
            anchor = text_id
        elif text_id in wanted:
            pending.setdefault(anchor, []).append(_new_entry(wanted[text_id]))
    for after, blocks in pending.items():
        if after is not None:
            position = _content_end(text, nodes[after][1])
        elif nodes:
            first = next(iter(nodes.values()))[0]
            position = first.start_mark.index - first.start_mark.column
        else:
            position = len(text)
        prefix = "\n" if position == len(text) and text and not text.endswith("\n") else ""
        edits.append((position, position, prefix + "".join(blocks)))
    edits.sort(key=lambda e: (e[0], e[1]), reverse=True)
    for (_start, end, _), (next_start, _, _) in zip(edits[1:], edits, strict=False):
        if end > next_start:
            raise EditError(1, "two changes overlap in this file; nothing was written")
    result = text
    for start, end, replacement in edits:
        result = result[:start] + replacement + result[end:]
    _verify(text, result, wanted)
    return result


def _verify(before: str, after: str, wanted: dict[str, EntryChange]) -> None:
    """The edited file must hold exactly the intended values, and nothing else may differ."""
    old = yaml.safe_load(before) or {}
    new = yaml.safe_load(after) or {}
    for text_id in set(old) | set(new):
        if text_id not in wanted:
            if old.get(text_id) != new.get(text_id):
                raise EditError(1, f"editing changed '{text_id}' by mistake; nothing was written")
            continue
        change = wanted[text_id]
        expected = {**(entry_fields(old[text_id]) if text_id in old else {}), **change.fields}
        try:
            got = entry_fields(new[text_id]) if text_id in new else {}
        except ValidationError:
            got = {}
        if {k: po_text(v) for k, v in got.items()} != {k: po_text(v) for k, v in expected.items()}:
            raise EditError(1, f"'{text_id}' did not read back as written; nothing was written")
        old_hash = old[text_id].get("source_hash") if isinstance(old.get(text_id), dict) else None
        new_hash = new[text_id].get("source_hash") if isinstance(new[text_id], dict) else None
        if new_hash != (change.new_hash or old_hash):
            raise EditError(1, f"'{text_id}' source_hash did not read back as written; nothing was written")


# --------------------------------------------------------------------------- structure edits
def compose(text: str, shown: str) -> yaml.MappingNode:
    """The node tree of a file that must be a mapping (``shown`` names it in messages)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EditError(1, f"{shown} cannot be read as YAML ({exc}); fix it first") from None
    if not isinstance(node, yaml.MappingNode):
        raise EditError(1, f"{shown} does not hold 'name: value' lines; fix it first")
    return node


def child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key:
                return value
    return None


def _node_at(text: str, shown: str, path: tuple[str, ...]) -> yaml.Node | None:
    node: yaml.Node | None = compose(text, shown)
    for key in path:
        node = child(node, key)
    return node


def after_line(text: str, node: yaml.Node) -> int:
    """The position just after the line where ``node`` ends (its comment included)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value and not node.flow_style:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    end = node.end_mark.index
    if end > 0 and text[end - 1] == "\n":  # a block scalar ends with its line
        return end
    newline = text.find("\n", end)
    return len(text) if newline == -1 else newline + 1


def _insert_lines(text: str, position: int, lines: str) -> str:
    if position == len(text) and text and not text.endswith("\n"):
        lines = "\n" + lines
    return text[:position] + lines + text[position:]


def _value_at(data: object, path: tuple[str, ...]) -> object:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _verified(before: str, after: str, path: tuple[str, ...], expected: object, shown: str) -> str:
    """``after``, if it parses to ``before`` with only the value at ``path`` changed to ``expected``."""
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    if _value_at(new, path) != expected:
        raise EditError(1, f"{shown}: the edit of {'.'.join(path)} did not read back as meant; nothing was written")
    scrubbed_old, scrubbed_new = json.loads(json.dumps(old, default=str)), json.loads(json.dumps(new, default=str))
    for data in (scrubbed_old, scrubbed_new):
        holder = _value_at(data, path[:-1]) if path else None
        if isinstance(holder, dict):
            holder.pop(path[-1], None)
    if path and scrubbed_old != scrubbed_new:
        raise EditError(1, f"{shown}: the edit changed more than {'.'.join(path)}; nothing was written")
    return after


def append_item(text: str, shown: str, path: tuple[str, ...], item: str) -> str:
    """Add ``item`` (a YAML scalar as written) at the end of the list at ``path``:
    ``[a, b]`` becomes ``[a, b, item]``; in a block list, a ``- item`` line below the last."""
    sequence = _node_at(text, shown, path)
    if not isinstance(sequence, yaml.SequenceNode) or not (sequence.value or sequence.flow_style):
        raise EditError(1, f"{shown}: '{'.'.join(path)}' must be a list; fix it first")
    if sequence.flow_style:
        end = sequence.value[-1].end_mark.index if sequence.value else sequence.start_mark.index + 1
        after = text[:end] + (", " if sequence.value else "") + item + text[end:]
    else:
        last = sequence.value[-1]
        line_start = text.rfind("\n", 0, last.start_mark.index) + 1
        dash = text.rfind("-", line_start, last.start_mark.index)
        after = _insert_lines(text, after_line(text, sequence), f"{' ' * (dash - line_start)}- {item}\n")
    expected = [*(_value_at(yaml.safe_load(text), path) or []), yaml.safe_load(item)]  # type: ignore[misc]
    return _verified(text, after, path, expected, shown)


def add_key(text: str, shown: str, path: tuple[str, ...], key: str, value: str | dict[str, str]) -> str:
    """Add ``key: value`` as the last entry of the mapping at ``path`` (``()``: the file's top
    level), flow (``{...}``) or block. ``value`` is YAML source (``{formula: x, min: 60}``), or a
    mapping of YAML sources written in block style under ``key`` in a block mapping."""
    mapping = _node_at(text, shown, path) if path else compose(text, shown)
    if not isinstance(mapping, yaml.MappingNode) or not (mapping.value or mapping.flow_style):
        raise EditError(1, f"{shown}: '{'.'.join(path)}' must be a group of 'name: value' lines; fix it first")
    source = value if isinstance(value, str) else "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    if mapping.flow_style:
        end = mapping.value[-1][1].end_mark.index if mapping.value else mapping.start_mark.index + 1
        after = text[:end] + (", " if mapping.value else "") + f"{key}: {source}" + text[end:]
    else:
        indent = " " * mapping.value[0][0].start_mark.column
        if isinstance(value, dict):
            lines = f"{indent}{key}:\n" + "".join(f"{indent}  {k}: {v}\n" for k, v in value.items())
        else:
            lines = f"{indent}{key}: {value}\n"
        after = _insert_lines(text, after_line(text, mapping), lines)
    return _verified(text, after, (*path, key), yaml.safe_load(f"k: {source}")["k"], shown)


def remove_item(text: str, shown: str, path: tuple[str, ...], item: str) -> str:
    """Take the item ``item`` (a plain scalar) out of the list at ``path``: ``[a, b]`` becomes
    ``[a]``; in a block list, its ``- item`` line goes."""
    sequence = _node_at(text, shown, path)
    if not isinstance(sequence, yaml.SequenceNode):
        raise EditError(1, f"{shown}: '{'.'.join(path)}' must be a list; fix it first")
    found = [i for i, node in enumerate(sequence.value) if isinstance(node, yaml.ScalarNode) and node.value == item]
    if not found:
        raise EditError(1, f"{shown}: '{item}' is not in {'.'.join(path)}")
    index = found[0]
    node = sequence.value[index]
    if sequence.flow_style:
        if len(sequence.value) == 1:
            start, end = node.start_mark.index, node.end_mark.index
        elif index == 0:
            start, end = node.start_mark.index, sequence.value[1].start_mark.index
        else:
            start, end = sequence.value[index - 1].end_mark.index, node.end_mark.index
        after = text[:start] + text[end:]
    else:
        line_start = text.rfind("\n", 0, node.start_mark.index) + 1
        after = text[:line_start] + text[after_line(text, node) :]
    expected = [value for value in (_value_at(yaml.safe_load(text), path) or []) if value != item]  # type: ignore[attr-defined]
    return _verified(text, after, path, expected, shown)


def move_item(text: str, shown: str, source: tuple[str, ...], target: tuple[str, ...], item: str) -> str:
    """Take ``item`` out of the list at ``source`` and add it at the end of the list at ``target``."""
    return append_item(remove_item(text, shown, source, item), shown, target, item)
