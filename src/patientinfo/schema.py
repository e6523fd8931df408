"""Typed models of the content files, validated by pydantic before anything is rendered.

Models forbid unknown fields so that a typo in a field name is an error, not a silent default.
Cross-file rules (an id that must exist elsewhere) live in ``content``; the rules here need
only the model itself. ``python -m patientinfo schema`` writes JSON Schemas from these models.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictFloat,
    StrictInt,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
VALUE_NAME_PATTERN = r"^[a-z_][a-z0-9_]*$"
LANG_PATTERN = r"^[a-z]{2}$"

Id = Annotated[str, Field(pattern=ID_PATTERN, description="lower-case words joined by hyphens")]
Number = StrictInt | StrictFloat

Category = Literal[
    "principle",
    "history",
    "field",
    "indication",
    "substance",
    "technique",
    "schedule",
    "eligibility",
    "practice",
    "claim",
    "risk",
    "contraindication",
    "limitation",
    "evidence",
    "regulation",
    "complementary",
    "alternative",
    "without_treatment",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

# Categories a treatment must have for its information to be balanced (DISCERN, PIF TICK).
REQUIRED_CATEGORIES = ("risk", "contraindication", "evidence", "alternative", "without_treatment")

Severity = Literal["absolute", "relative", "not_recommended", "area"]
Step = Literal["before", "during", "after"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quantity(Model):
    """A language-neutral value: one number, an approximate one, a range, a bound, or a date.

    Exactly one shape: ``value``; ``about``; ``min`` and/or ``max``; or ``date``.
    The templates turn it into "3 à 5 séances", "da 3 a 5 sedute", "3 to 5 sessions".
    """

    value: Number | None = None
    about: Number | None = None
    min: Number | None = None
    max: Number | None = None
    date: dt.date | None = None
    unit: str | None = Field(
        default=None,
        description="a CLDR unit such as length-millimeter or duration-week, "
        "or a unit named in each language's ui.yaml as unit.<name>",
    )

    @model_validator(mode="after")
    def _one_shape(self) -> Quantity:
        shapes = [
            self.value is not None,
            self.about is not None,
            self.min is not None or self.max is not None,
            self.date is not None,
        ]
        if sum(shapes) != 1:
            raise ValueError("give exactly one of: value, about, min/max, date")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be smaller than max ({self.max})")
        if self.date is not None and self.unit is not None:
            raise ValueError("a date has no unit")
        return self

    @field_validator("value", "about", "min", "max")
    @classmethod
    def _not_negative(cls, number: Number | None) -> Number | None:
        if number is not None and number < 0:
            raise ValueError("must not be negative")
        return number

    @property
    def shape(self) -> str:
        if self.date is not None:
            return "date"
        if self.value is not None:
            return "exact"
        if self.about is not None:
            return "about"
        if self.min is not None and self.max is not None:
            return "range"
        return "up_to" if self.max is not None else "at_least"

    @property
    def count(self) -> Number:
        """The number that decides the plural of the unit ("5" in "3 to 5 sessions")."""
        for number in (self.value, self.about, self.max, self.min):
            if number is not None:
                return number
        raise ValueError("a date has no count")


class Review(Model):
    last_reviewed: dt.date
    next_review: dt.date
    reviewed_by: str = Field(min_length=1)

    @model_validator(mode="after")
    def _order(self) -> Review:
        if self.next_review <= self.last_reviewed:
            raise ValueError("next_review must come after last_reviewed")
        return self


class Fact(Model):
    """One statement about the treatment, with the sources that make it."""

    id: Id
    category: Category
    sources: list[Id] = Field(min_length=1)
    quotes: dict[Id, str] = Field(default_factory=dict, description="source id -> verbatim words")
    values: dict[Annotated[str, Field(pattern=VALUE_NAME_PATTERN)], Quantity] = Field(default_factory=dict)
    key: bool = Field(default=False, description="shown in the summary on the home page")
    group: Id | None = None
    severity: Severity | None = None
    step: Step | None = None
    studied_in: list[Id] = Field(default_factory=list)
    note_sources: list[Id] = Field(default_factory=list)
    review: Review | None = Field(
        default=None, description="when this fact was checked, if not with the whole treatment"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if (self.category == "contraindication") != (self.severity is not None):
            raise ValueError("severity is required for a contraindication and only for one")
        unknown = sorted(set(self.quotes) - set(self.sources))
        if unknown:
            raise ValueError(f"quotes cite {', '.join(unknown)}, which is not in this fact's sources")
        if self.studied_in and self.category != "indication":
            raise ValueError("studied_in is only for indications")
        return self


class Dispute(Model):
    """Facts from different sources that disagree; pages show each figure with its source."""

    id: Id
    facts: list[Id] = Field(min_length=2)


class FaqItem(Model):
    id: Id
    facts: list[Id] = Field(default_factory=list)
    disputes: list[Id] = Field(default_factory=list)

    @model_validator(mode="after")
    def _answered(self) -> FaqItem:
        if not self.facts and not self.disputes:
            raise ValueError("a question needs at least one fact or dispute as its answer")
        return self


class Excluded(Model):
    """A statement of a source deliberately left out, said openly on the 'about' page."""

    id: Id
    sources: list[Id] = Field(min_length=1)
    quotes: dict[Id, str] = Field(default_factory=dict)


class FactsFile(Model):
    treatment: Id
    review: Review
    groups: dict[Category, list[Id]] = Field(default_factory=dict)
    facts: list[Fact] = Field(min_length=1)
    disputes: list[Dispute] = Field(default_factory=list)
    faq: list[FaqItem] = Field(default_factory=list)
    excluded: list[Excluded] = Field(default_factory=list)


SourceType = Literal[
    "clinic_website",
    "systematic_review",
    "review",
    "consensus",
    "outbreak_report",
    "regulation",
]


class Source(Model):
    id: Id
    type: SourceType
    label: str = Field(min_length=1, description="short name shown after each fact")
    file: str | None = Field(default=None, description="for clinic pages: the file in shared/seeds")
    language: Annotated[str, Field(pattern=LANG_PATTERN)] | None = None
    citation: str | None = None
    url: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Source:
        if self.type == "clinic_website" and not self.file:
            raise ValueError("a clinic website source needs 'file' (its file name)")
        if self.type != "clinic_website" and not self.citation:
            raise ValueError("a publication or regulation needs 'citation'")
        return self


class SourcesFile(Model):
    sources: list[Source] = Field(min_length=1)


class Clinic(Model):
    """The publisher's details, printed on every page and leaflet."""

    name: str = Field(min_length=1)
    address: list[str] = Field(min_length=1)
    phone: str = Field(min_length=1)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    website: str = Field(
        pattern=r"^https?://[^\s]+/$",
        description="where the site is published (ends with /): links, QR codes, canonical URLs",
    )
    emergency_number: str = Field(min_length=1)
    brand_colour: str = Field(default="#1f4e79", pattern=r"^#[0-9a-fA-F]{6}$")
    logo: str | None = Field(default=None, description="path relative to the repository")
    fictional: bool = False


class ReadabilityRule(Model):
    formula: Literal["kandel_moles", "gulpease", "flesch"]
    min: float = Field(description="lowest acceptable score")


class AllowedDigits(Model):
    """A number that may be typed into a text, declared explicitly rather than guessed."""

    lang: Annotated[str, Field(pattern=LANG_PATTERN)]
    id: str
    text: str = Field(pattern=r"^\d+(?:[.,]\d+)*$")
    reason: str = Field(min_length=1)


class CheckSettings(Model):
    readability: dict[str, ReadabilityRule] = Field(default_factory=dict)
    allowed_digits: list[AllowedDigits] = Field(default_factory=list)


class Settings(Model):
    source_language: Annotated[str, Field(pattern=LANG_PATTERN)]
    languages: list[Annotated[str, Field(pattern=LANG_PATTERN)]] = Field(min_length=1)
    locales: dict[str, str] = Field(default_factory=dict, description="Babel locale per language, e.g. en: en_GB")
    check: CheckSettings = Field(default_factory=CheckSettings)

    @model_validator(mode="after")
    def _source_is_a_language(self) -> Settings:
        if self.source_language not in self.languages:
            raise ValueError(f"source_language '{self.source_language}' is not in languages")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("a language is listed twice")
        unknown = sorted(set(self.locales) - set(self.languages))
        if unknown:
            raise ValueError(f"locales given for unknown languages: {', '.join(unknown)}")
        return self

    def locale(self, lang: str) -> str:
        return self.locales.get(lang, lang)


PLACEHOLDER = re.compile(r"\{([a-z0-9_]+(?:-[a-z0-9]+)*(?:\.[a-z_][a-z0-9_]*)?)\}")


class TextEntry(Model):
    """One translatable text. A bare string in YAML is shorthand for ``{text: ...}``.

    ``forms`` holds plural forms (``one``, ``other``, ``=1``...) for units. ``source_hash``
    records which version of the source-language text a translation translates.
    """

    text: str | None = None
    forms: dict[str, str] | None = None
    note: str | None = None
    source_hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{8,64}$")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: object) -> object:
        return {"text": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_kind(self) -> TextEntry:
        if (self.text is None) == (self.forms is None):
            raise ValueError("give either text or forms")
        if self.text is not None and not self.text.strip():
            raise ValueError("text is empty")
        if self.forms is not None and "other" not in self.forms:
            raise ValueError("forms need at least 'other'")
        return self

    def strings(self) -> list[str]:
        """Every piece of prose in the entry, for checks that look at the wording."""
        parts = [self.text, self.note, *(self.forms or {}).values()]
        return [part for part in parts if part]


class Catalog(RootModel[dict[str, TextEntry]]):
    """All the texts of one file of one language, by id."""
