"""The text files: one entry per id, with its text, note or plural forms."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    RootModel,
    model_validator,
)

from patientinfo.content.schema.base import Matching, Model, invalid
from patientinfo.messages import N_

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+(?:-[a-z0-9]+)*(?:\.[a-z_][a-z0-9_]*)?)\}")


class TextEntry(Model):
    """One translatable text. A bare string in YAML is shorthand for ``{text: ...}``.

    ``forms`` holds plural forms (``one``, ``other``, ``=1``...) for units. ``source_hash``
    records which version of the source-language text a translation translates.
    """

    text: str | None = None
    forms: dict[str, str] | None = None
    note: str | None = None
    source_hash: (
        Annotated[
            str,
            Matching(
                r"^[0-9a-f]{8,64}$",
                N_(
                    "must be the fingerprint written by 'scripts/check --mark-reviewed' (letters a-f and digits); "
                    "delete the line and mark the text reviewed again"
                ),
            ),
        ]
        | None
    ) = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: object) -> object:
        return {"text": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_kind(self) -> TextEntry:
        if (self.text is None) == (self.forms is None):
            raise invalid(N_("give either text or forms"))
        if self.text is not None and not self.text.strip():
            raise invalid(N_("text is empty"))
        if self.forms is not None and "other" not in self.forms:
            raise invalid(N_("forms need at least 'other'"))
        return self

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):  # noqa: ANN001, ANN206
        """A bare string is valid too (the shorthand), so editors' YAML support accepts it."""
        return {"anyOf": [{"type": "string"}, handler(core_schema)]}

    def strings(self) -> list[str]:
        """Every piece of prose in the entry, for checks that look at the wording."""
        parts = [self.text, self.note, *(self.forms or {}).values()]
        return [part for part in parts if part]


class Catalog(RootModel[dict[str, TextEntry]]):
    """All the texts of one file of one language, by id."""


def entry_fields(entry: TextEntry | str | dict) -> dict[str, str]:
    """Every translatable field of an entry, in a stable order: text, forms.<key>..., note.

    Accepts what YAML gives (a plain string or a mapping) or a validated ``TextEntry``; the
    plain string is the shorthand of ``{text: ...}``, so both shapes give the same fields.
    """
    if not isinstance(entry, TextEntry):
        entry = TextEntry.model_validate(entry)
    fields: dict[str, str] = {}
    if entry.text is not None:
        fields["text"] = entry.text
    for key, form in (entry.forms or {}).items():
        fields[f"forms.{key}"] = form
    if entry.note is not None:
        fields["note"] = entry.note
    return fields


def po_text(text: str) -> str:
    """A field as translators see it: YAML block scalars end with a newline that means nothing."""
    return text.strip("\n")


__all__ = ["PLACEHOLDER", "TextEntry", "Catalog", "entry_fields", "po_text"]
