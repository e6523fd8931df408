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
    AfterValidator,
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


def constrained(pattern: str, message: str, description: str | None = None) -> object:
    """A string that must match ``pattern``; a mismatch says ``message`` in an editor's words.

    The JSON Schema keeps the pattern (editors' YAML support underlines mistakes)."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.search(value):
            raise ValueError(message)
        return value

    extra: dict[str, str] = {"pattern": pattern}
    if description:
        extra["description"] = description
    return Annotated[str, AfterValidator(check), Field(json_schema_extra=extra)]


Colour = constrained(r"^#[0-9a-fA-F]{6}$", "must be a colour like #1f4e79 ('#' and six digits or letters a-f)")
WebAddress = constrained(
    r"^https?://[^\s/$.?#<>\"'][^\s<>\"']*$",
    "must be a web address starting with https:// (for example https://www.example.org/)",
)
PhoneNumber = constrained(
    r"^\+?[0-9][0-9 .()-]{1,30}$",
    "must be a phone number made of digits, spaces and an optional leading + (for example +33 1 99 00 12 34)",
)
EmailAddress = constrained(
    r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$", "must be an e-mail address like contact@example.org"
)
FileName = constrained(
    r"^[A-Za-z0-9._-]+$",
    "must be a plain file name (letters, digits, '.', '_' and '-'), without folders",
)
RepoPath = constrained(
    r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[A-Za-z0-9._/-]+\.(?:svg|png)$",
    "must be the path of an .svg or .png file inside the repository, like docs/assets/logo.svg",
)
LocaleCode = constrained(r"^[a-z]{2,3}(?:_[A-Z]{2})?$", "must be a locale code like fr_FR, it_IT or en_GB")
VALUE_NAME_PATTERN = r"^[a-z_][a-z0-9_]*$"
LANG_PATTERN = r"^[a-z]{2}$"

Id = constrained(
    ID_PATTERN,
    "must be an id: lower-case letters and digits joined by hyphens, like risk-bruise",
    "lower-case words joined by hyphens",
)
LangCode = constrained(LANG_PATTERN, "must be a two-letter language code in lower case, like fr, it or en")
ValueName = constrained(VALUE_NAME_PATTERN, "must be a value name: lower-case letters, digits and '_', like sessions")
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
    "benefit",
    "daily_life",
    "aftercare",
    "warning_sign",
    "help",
    "screening",
    "consent",
    "summary",
    "out_of_hours",
    "frequency",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

# Categories a treatment must have for its information to be balanced (DISCERN, PIF TICK).
REQUIRED_CATEGORIES = (
    "benefit",
    "risk",
    "warning_sign",
    "contraindication",
    "evidence",
    "alternative",
    "without_treatment",
    "help",
    "screening",
)

# In the order pages show them. "some_products": only with some mixtures (a source's own limit).
Severity = Literal["absolute", "some_products", "relative", "not_recommended", "area"]
Step = Literal["before", "during", "after"]
# A warning sign says what to do: call the emergency number now, or the clinic the same day.
Urgency = Literal["emergency", "same_day"]


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
    reviewed_by: str | None = Field(
        default=None,
        min_length=1,
        description="who checked it; by default the clinic's medical_reviewer (content/clinic.yaml)",
    )

    @model_validator(mode="after")
    def _order(self) -> Review:
        if self.next_review <= self.last_reviewed:
            raise ValueError("next_review must come after last_reviewed")
        return self


CountryCode = constrained(
    r"^[A-Z]{2}$", "must be a country's two-letter code in capitals, like FR, IT or GB", "ISO 3166 country code"
)


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
            raise ValueError("severity is required for a contraindication and only for one")
        if (self.category == "warning_sign") != (self.urgency is not None):
            raise ValueError("urgency (emergency or same_day) is required for a warning sign and only for one")
        boxes = not self.unsure_box or self.not_applicable_box
        if (self.covers or self.write_in or boxes) and self.category != "screening":
            raise ValueError("covers, write_in, unsure_box and not_applicable_box are only for screening questions")
        if self.frequency is not None and self.category != "risk":
            raise ValueError("frequency is only for risks")
        cited = set(self.sources) | set(self.note_sources) | set(self.studied_in)
        unknown = sorted(set(self.quotes) - cited)
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
            raise ValueError("a clinic website source needs 'file' (its file name)")
        if self.type not in ("clinic_website", *OWN_SOURCE_TYPES) and not self.citation:
            raise ValueError("a publication or regulation needs 'citation'")
        return self


class SourcesFile(Model):
    sources: list[Source] = Field(min_length=1)


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]
ClockTime = constrained(
    r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$", "must be a time of day like 09:00 or 18:30 (24-hour clock)"
)


class OpeningHours(Model):
    """Days the clinic answers the phone, and from when to when (formatted in each language)."""

    days: list[Weekday] = Field(min_length=1, description="mon, tue, wed, thu, fri, sat, sun")
    opens: ClockTime
    closes: ClockTime

    @model_validator(mode="after")
    def _order(self) -> OpeningHours:
        if self.closes <= self.opens:
            raise ValueError(f"closes ({self.closes}) must come after opens ({self.opens})")
        if len(set(self.days)) != len(self.days):
            raise ValueError("a day is listed twice")
        return self


class Clinic(Model):
    """The publisher's details, printed on every page and leaflet."""

    name: str = Field(min_length=1)
    address: list[str] = Field(min_length=1)
    phone: PhoneNumber
    email: EmailAddress
    website: constrained(
        r"^https?://[^\s/$.?#<>\"'][^\s<>\"']*/$",
        "must be the address where the site is published, starting with https:// and ending with / "
        "(for example https://www.example.org/)",
        "where the site is published (ends with /): links, QR codes, canonical URLs",
    )
    medical_reviewer: str = Field(
        min_length=1, description="the doctor responsible for the medical content, named as its reviewer"
    )
    medical_reviewer_registration: str | None = Field(
        default=None,
        min_length=1,
        description="the reviewer's registration with the medical council (RPPS, GMC, Albo number), shown on the "
        "about page; their qualification is 'clinic.reviewer_qualification' in each language's ui.yaml",
    )
    opening_hours: list[OpeningHours] = Field(
        default_factory=list,
        description="when patients can reach the clinic by phone; printed on every take-home paper",
    )
    out_of_hours_phone: PhoneNumber | None = Field(
        default=None, description="a number that answers outside opening hours (on-call doctor), if the clinic has one"
    )
    minimum_age: int = Field(
        default=18,
        ge=0,
        le=120,
        description="the clinic treats people of this age or over (its own rule): the questionnaire and the consent "
        "form ask it, as {clinic.minimum_age}",
    )
    sells_treatments: bool = Field(
        default=True,
        description="the clinic offers and charges for the treatments it describes: the site and leaflet say so "
        "(conflict of interest)",
    )
    emergency_number: constrained(r"^[0-9]{2,4}$", "must be the emergency phone number, digits only (for example 112)")
    country: CountryCode | None = Field(
        default=None,
        description="where the clinic is (e.g. FR): decides which country's facts are shown, such as the official "
        "side-effect reporting system; without it, every country's are shown",
    )
    brand_colour: Colour = "#1f4e79"
    logo: RepoPath | None = Field(default=None, description="an .svg or .png file, path relative to the repository")
    fictional: bool = False


# Clinic fields that are quantities: a text shows them formatted, with their unit ("18 ans").
CLINIC_QUANTITIES = {"minimum_age": "duration-year"}


class ReadabilityRule(Model):
    # One formula per language: see readability.py (kandel_moles fr, gulpease it, flesch en, amstad de,
    # fernandez_huerta or szigriszt_pazos es, flesch_douma nl, oborneva ru).
    formula: Literal[
        "kandel_moles",
        "gulpease",
        "flesch",
        "amstad",
        "fernandez_huerta",
        "szigriszt_pazos",
        "flesch_douma",
        "oborneva",
    ]
    min: float = Field(description="lowest acceptable score")


class AllowedDigits(Model):
    """A number that may be typed into a text, declared explicitly rather than guessed."""

    lang: LangCode
    id: str
    text: constrained(r"^\d+(?:[.,]\d+)*$", "must be the number exactly as typed in the text, like 12 or 0,5")
    reason: str = Field(min_length=1)


class CheckSettings(Model):
    readability: dict[str, ReadabilityRule] = Field(default_factory=dict)
    allowed_digits: list[AllowedDigits] = Field(default_factory=list)


# Folder names a treatment id may not take: they are languages' or the site's own.
RESERVED_FOLDERS = frozenset({"treatments", "assets", "search", "ui", "editors", "brand"})


class Settings(Model):
    source_language: LangCode
    languages: list[LangCode] = Field(min_length=1)
    treatments: list[Id] = Field(
        min_length=1,
        description="the treatments of this site, in the home page's order; each has content/treatments/<id>/ "
        "and content/<lang>/<id>/",
    )
    locales: dict[str, LocaleCode] = Field(
        default_factory=dict, description="Babel locale per language, e.g. en: en_GB"
    )
    check: CheckSettings = Field(default_factory=CheckSettings)
    leaflet_max_pages: int = Field(
        default=4, ge=1, le=40, description="pages a leaflet may have (4 = two sheets printed on both sides)"
    )

    @model_validator(mode="after")
    def _source_is_a_language(self) -> Settings:
        if self.source_language not in self.languages:
            raise ValueError(f"source_language '{self.source_language}' is not in languages")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("a language is listed twice")
        if len(set(self.treatments)) != len(self.treatments):
            raise ValueError("a treatment is listed twice")
        clash = sorted(set(self.treatments) & (set(self.languages) | RESERVED_FOLDERS))
        if clash:
            raise ValueError(
                f"treatment id '{clash[0]}' is also the name of a language or of a folder of the site: choose another"
            )
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
    source_hash: (
        constrained(
            r"^[0-9a-f]{8,64}$",
            "must be the fingerprint written by 'scripts/check --mark-reviewed' (letters a-f and digits); "
            "delete the line and mark the text reviewed again",
        )
        | None
    ) = None

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
