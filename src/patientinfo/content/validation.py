"""Pydantic's validation errors in an editor's words: which field, of which fact, what is wrong
and what was typed (never "valid dictionary" or a regular expression)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from patientinfo.content.reading import YamlDocument
from patientinfo.errors import Problem
from patientinfo.messages import N_, _

M = TypeVar("M", bound=BaseModel)


def describe(loc: tuple[str | int, ...], data: object) -> str:
    """Turn a pydantic location into words an editor recognises, naming the fact id."""
    parts: list[str] = []
    node = data
    owner = None
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        else:
            parts.append(("." if parts else "") + str(key))
        try:
            node = node[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            owner = node["id"]
    where = "".join(parts) or _("(top level)")
    return f"{where} (id '{owner}')" if owner else where


def _data_loc(loc: tuple[str | int, ...], data: object) -> tuple[str | int, ...]:
    """Drop what pydantic adds past the data (union branches such as ``min.float``)."""
    node, kept = data, []
    for key in loc:
        if isinstance(node, dict):
            kept.append(key)
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int):
            kept.append(key)
            node = node[key] if 0 <= key < len(node) else None
        else:
            break
    return tuple(kept)


_TYPE_WORDS = {
    "dict_type": N_("must be a group of 'name: value' lines, not {found}"),
    "model_type": N_("must be a group of 'name: value' lines, not {found}"),
    "model_attributes_type": N_("must be a group of 'name: value' lines, not {found}"),
    "list_type": N_("must be a list (lines starting with '- '), not {found}"),
    "string_type": N_("must be text, not {found} (put it in quotes if it should be text)"),
    "int_type": N_("must be a number, not {found}"),
    "int_parsing": N_("must be a whole number, not {found}"),
    "int_from_float": N_("must be a whole number, not {found}"),
    "float_parsing": N_("must be a number, not {found}"),
    "float_type": N_("must be a number, not {found}"),
    "bool_type": N_("must be true or false, not {found}"),
    "bool_parsing": N_("must be true or false, not {found}"),
    "date_type": N_("must be a date written like 2026-05-23, not {found}"),
    "date_parsing": N_("must be a date written like 2026-05-23, not {found}"),
    "date_from_datetime_parsing": N_("must be a date written like 2026-05-23, not {found}"),
    "date_from_datetime_inexact": N_("must be a date written like 2026-05-23 (without a time), not {found}"),
    "missing": N_("is missing: add it"),
    "extra_forbidden": N_("is not a field of this file (check the spelling; see the file's JSON Schema in schema/)"),
    "too_short": N_("must not be empty"),
    "string_too_short": N_("must not be empty"),
    "too_long": N_("is too long"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than_equal": N_("must be at most {le}"),
}


def _found(value: object) -> str:
    """What the editor typed, described in words rather than Python types."""
    if value is None:
        return _("an empty value")
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return _("a group of 'name: value' lines")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return _("the text '{text}'").format(text=shown)
    return f"'{value}'"


def plain_message(error: Mapping[str, Any]) -> str:
    """A pydantic error in an editor's words (no 'valid dictionary', no regular expressions)."""
    kind = error["type"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "editor":  # schema.base.invalid: an editor's message, translated here, then filled
        context = dict(error.get("ctx", {}))
        return _(str(context.pop("template"))).format(**context)
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        return _("must be one of {expected}, not {found}").format(expected=expected, found=_found(error.get("input")))
    template = _TYPE_WORDS.get(kind)
    if template is None:
        return str(error["msg"])
    return _(template).format(found=_found(error.get("input")), **{k: v for k, v in error.get("ctx", {}).items()})


def validate(model: type[M], document: YamlDocument, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        seen: set[tuple] = set()
        for error in exc.errors():
            loc = _data_loc(tuple(error["loc"]), document.data)
            if loc in seen:  # one message per field: the first union branch says enough
                continue
            seen.add(loc)
            message = plain_message(error)
            problems.append(Problem(document.path, document.line(loc), f"{describe(loc, document.data)}: {message}"))
        return None
