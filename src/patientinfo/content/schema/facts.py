"""A treatment's facts file and sources file: every fact, where it comes from, how it is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import (
    Field,
    StrictInt,
    field_validator,
    model_validator,
)

from patientinfo.content.schema.base import (
    Category,
    FileName,
    Id,
    LangCode,
    Matching,
    Model,
    Number,
    Severity,
    Step,
    Urgency,
    ValueName,
    WebAddress,
    invalid,
)
from patientinfo.messages import N_


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
            raise invalid(N_("give exactly one of: value, about, min/max, date"))
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise invalid(N_("min ({min}) must be smaller than max ({max})"), min=self.min, max=self.max)
        if self.date is not None and self.unit is not None:
            raise invalid(N_("a date has no unit"))
        return self

    @field_validator("value", "about", "min", "max")
    @classmethod
    def _not_negative(cls, number: Number | None) -> Number | None:
        if number is not None and number < 0:
            raise invalid(N_("must not be negative"))
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
        raise invalid(N_("a date has no count"))


class Review(Model):
    last_reviewed: dt.date
    next_review: dt.date
    reviewed_by: str | None = Field(
        default=None,
        min_length=1,
        description="who checked it; by default the clinic's medical_reviewer (content/clinic.yaml)",
    )

    @model_validator(mode="after")
    def _order(self) -> Review:
        if self.next_review <= self.last_reviewed:
            raise invalid(N_("next_review must come after last_reviewed"))
        return self


CountryCode = Annotated[
    str,
    Matching(
        r"^[A-Z]{2}$", N_("must be a country's two-letter code in capitals, like FR, IT or GB"), "ISO 3166 country code"
    ),
]


class Fact(Model):
    """One statement about the treatment, with the sources that make it."""

    id: Id
    category: Category
    sources: list[Id] = Field(min_length=1)
    quotes: dict[Id, str] = Field(default_factory=dict, description="source id -> verbatim words")
    values: dict[ValueName, Quantity] = Field(default_factory=dict)
    key: bool = Field(
        default=False,
        description="one of the essential facts of its category: the consent form prints the key principles",
    )
    group: Id | None = None
    severity: Severity | None = None
    step: Step | None = None
    studied_in: list[Id] = Field(default_factory=list)
    note_sources: list[Id] = Field(default_factory=list)
    review: Review | None = Field(
        default=None, description="when this fact was checked, if not with the whole treatment"
    )
    leaflet: bool = Field(
        default=True,
        description="false: left out of the printed leaflet and record card, which must fit their pages "
        "(the site and the consent form show it)",
    )
    country: CountryCode | None = Field(
        default=None,
        description="for patients of this country (its side-effect reporting system, its law, its register of "
        "doctors): 'help' facts of every country are shown, the clinic's country first; other facts only when the "
        "clinic (content/clinic.yaml) is in this country",
    )
    urgency: Urgency | None = Field(
        default=None,
        description="warning signs only: 'emergency' (call the emergency number now) or 'same_day' (call the clinic "
        "the same day)",
    )
    covers: list[Id] = Field(
        default_factory=list,
        description="screening questions only: the contraindications this question asks about (every "
        "contraindication must be asked by one question of the questionnaire)",
    )
    write_in: bool = Field(
        default=False, description="screening questions only: the questionnaire leaves room to write the answer"
    )
    unsure_box: bool = Field(
        default=True, description="screening questions only: a 'not sure' box beside yes and no (false for 'your age')"
    )
    not_applicable_box: bool = Field(
        default=False,
        description="screening questions only: a 'does not apply to me' box, for a question that does not concern "
        "everyone (pregnancy)",
    )
    frequency: Id | None = Field(
        default=None,
        description="risks only: the fact that says how often it happened (a count in a trial); without it the "
        "consent form says 'how often: not known'",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if (self.category == "contraindication") != (self.severity is not None):
            raise invalid(N_("severity is required for a contraindication and only for one"))
        if (self.category == "warning_sign") != (self.urgency is not None):
            raise invalid(N_("urgency (emergency or same_day) is required for a warning sign and only for one"))
        boxes = not self.unsure_box or self.not_applicable_box
        if (self.covers or self.write_in or boxes) and self.category != "screening":
            raise invalid(N_("covers, write_in, unsure_box and not_applicable_box are only for screening questions"))
        if self.frequency is not None and self.category != "risk":
            raise invalid(N_("frequency is only for risks"))
        cited = set(self.sources) | set(self.note_sources) | set(self.studied_in)
        unknown = sorted(set(self.quotes) - cited)
        if unknown:
            raise invalid(N_("quotes cite {ids}, which is not in this fact's sources"), ids=", ".join(unknown))
        if self.studied_in and self.category != "indication":
            raise invalid(N_("studied_in is only for indications"))
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
            raise invalid(N_("a question needs at least one fact or dispute as its answer"))
        return self


class Excluded(Model):
    """A statement of a source deliberately left out, said openly on the 'about' page."""

    id: Id
    sources: list[Id] = Field(min_length=1)
    quotes: dict[Id, str] = Field(default_factory=dict)


class FactsFile(Model):
    example: bool = Field(
        default=False,
        description="an example treatment to replace (patientinfo new-site): every page, leaflet and form says its "
        "facts are not medical information",
    )
    review: Review
    groups: dict[Category, list[Id]] = Field(default_factory=dict)
    facts: list[Fact] = Field(min_length=1)
    disputes: list[Dispute] = Field(default_factory=list)
    faq: list[FaqItem] = Field(default_factory=list)
    excluded: list[Excluded] = Field(default_factory=list)

    def sections(self) -> tuple[tuple[str, Sequence[Fact | Dispute | FaqItem | Excluded]], ...]:
        """Every list of items that have an id and texts, with the name of its section."""
        return (("facts", self.facts), ("disputes", self.disputes), ("faq", self.faq), ("excluded", self.excluded))


SourceType = Literal[
    "clinic_website",
    "systematic_review",
    "review",
    "consensus",
    "outbreak_report",
    "regulation",
    "health_authority",
    "reporting_system",
    "clinic_protocol",
    "guideline",
    "patient_information",
    "law",
    "professional_guidance",
    "register",
    "editorial",
]
# The clinic's own rules and the site's own conclusions: said as such, with no outside words to quote.
OWN_SOURCE_TYPES = frozenset({"clinic_protocol", "editorial"})


class Source(Model):
    id: Id
    type: SourceType
    label: str = Field(min_length=1, description="short name shown after each fact")
    file: FileName | None = Field(default=None, description="for clinic pages: the file in shared/seeds")
    language: LangCode | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = Field(
        default=None, description="ISO country code of a clinic page, regulator or reporting system, e.g. FR"
    )
    year: StrictInt | None = Field(default=None, description="year of publication, shown to patients")
    citation: str | None = None
    url: WebAddress | None = None
    general: bool = Field(
        default=False,
        description="true: written about injections, medicines or care in general, not about this treatment "
        "(texts citing it say so; the about page lists it apart)",
    )

    @model_validator(mode="after")
    def _complete(self) -> Source:
        # clinic_protocol: the publishing clinic's own advice or rule; editorial: the site's own reading
        # of its sources. Both stated as such (no file, no citation).
        if self.type == "clinic_website" and not self.file:
            raise invalid(N_("a clinic website source needs 'file' (its file name)"))
        if self.type not in ("clinic_website", *OWN_SOURCE_TYPES) and not self.citation:
            raise invalid(N_("a publication or regulation needs 'citation'"))
        return self


class SourcesFile(Model):
    sources: list[Source] = Field(min_length=1)


COUNTRY_CATEGORIES = ("help", "out_of_hours", "consent", "regulation")


class CountryFile(Model):
    """What one country's patients need whatever the treatment (``content/countries/<CC>.yaml``):
    its emergency number, its side-effect reporting system, its register of doctors, its law on
    consent. Treatments never repeat them; the clinic's country and each language's country
    (from its locale) are shown."""

    emergency_number: Annotated[
        str, Matching(r"^[0-9]{2,4}$", N_("must be the emergency phone number, digits only (for example 112)"))
    ] = Field(description="used when content/clinic.yaml gives none")
    sources: list[Source] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)

    @field_validator("facts")
    @classmethod
    def _country_matters(cls, facts: list[Fact]) -> list[Fact]:
        for fact in facts:
            if fact.category not in COUNTRY_CATEGORIES:
                raise invalid(
                    N_("'{id}': category '{category}' belongs to a treatment; a country file holds only {categories}"),
                    id=fact.id,
                    category=fact.category,
                    categories=", ".join(COUNTRY_CATEGORIES),
                )
        return facts


__all__ = [
    "COUNTRY_CATEGORIES",
    "CountryFile",
    "Quantity",
    "Review",
    "CountryCode",
    "Fact",
    "Dispute",
    "FaqItem",
    "Excluded",
    "FactsFile",
    "SourceType",
    "OWN_SOURCE_TYPES",
    "Source",
    "SourcesFile",
]
