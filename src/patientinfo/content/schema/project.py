"""The files the treatments share: the clinic (name, contacts, hours, look) and the settings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    model_validator,
)

from patientinfo.content.schema.base import (
    Colour,
    EmailAddress,
    Id,
    LangCode,
    LocaleCode,
    Matching,
    Model,
    PhoneNumber,
    RepoPath,
    WebAddress,
    invalid,
)
from patientinfo.content.schema.facts import CountryCode
from patientinfo.messages import N_

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]
ClockTime = Annotated[
    str, Matching(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$", N_("must be a time of day like 09:00 or 18:30 (24-hour clock)"))
]


class OpeningHours(Model):
    """Days the clinic answers the phone, and from when to when (formatted in each language)."""

    days: list[Weekday] = Field(min_length=1, description="mon, tue, wed, thu, fri, sat, sun")
    opens: ClockTime
    closes: ClockTime

    @model_validator(mode="after")
    def _order(self) -> OpeningHours:
        if self.closes <= self.opens:
            raise invalid(N_("closes ({closes}) must come after opens ({opens})"), closes=self.closes, opens=self.opens)
        if len(set(self.days)) != len(self.days):
            raise invalid(N_("a day is listed twice"))
        return self


class SiteHost(Model):
    """Who hosts the published site (named in the legal notice)."""

    name: str = Field(min_length=1)
    address: list[str] = Field(min_length=1)
    phone: PhoneNumber | None = None
    website: WebAddress | None = None


class Clinic(Model):
    """The publisher's details, printed on every page and leaflet."""

    name: str = Field(min_length=1)
    address: list[str] = Field(min_length=1)
    phone: PhoneNumber
    email: EmailAddress
    website: Annotated[
        str,
        Matching(
            r"^https?://[^\s/$.?#<>\"'][^\s<>\"']*/$",
            N_(
                "must be the address where the site is published, starting with https:// and ending with / "
                "(for example https://www.example.org/)"
            ),
            "where the site is published (ends with /): links, QR codes, canonical URLs",
        ),
    ]
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
    emergency_number: (
        Annotated[
            str, Matching(r"^[0-9]{2,4}$", N_("must be the emergency phone number, digits only (for example 112)"))
        ]
        | None
    ) = Field(
        default=None,
        description="digits only; leave it out to use the country's (content/countries/<CC>.yaml)",
    )
    country: CountryCode | None = Field(
        default=None,
        description="where the clinic is (e.g. FR): decides which country's facts are shown, such as the official "
        "side-effect reporting system; without it, every country's are shown",
    )
    brand_colour: Colour = "#1f4e79"
    logo: RepoPath | None = Field(default=None, description="an .svg or .png file, path relative to the repository")
    fictional: bool = False
    publication_director: str | None = Field(
        default=None,
        description="the person responsible for what the site says (directeur de la publication), named in the "
        "legal notice",
    )
    host: SiteHost | None = Field(default=None, description="who hosts the published site, named in the legal notice")


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
    text: Annotated[
        str, Matching(r"^\d+(?:[.,]\d+)*$", N_("must be the number exactly as typed in the text, like 12 or 0,5"))
    ]
    reason: str = Field(min_length=1)


class CheckSettings(Model):
    readability: dict[str, ReadabilityRule] = Field(default_factory=dict)
    allowed_digits: list[AllowedDigits] = Field(default_factory=list)


# Folder names a treatment id may not take: they are languages' or the site's own.
RESERVED_FOLDERS = frozenset({"treatments", "assets", "search", "ui", "editors", "brand"})


class Drafts(Model):
    """Languages and treatments being written: the preview (``mkdocs serve``) shows them with a
    "draft" band, the published build leaves them out, so the rest of the site keeps publishing."""

    languages: list[LangCode] = Field(default_factory=list, description="languages being translated")
    treatments: list[Id] = Field(default_factory=list, description="treatments being written")


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
    drafts: Drafts = Field(
        default_factory=Drafts,
        description="languages and treatments being written: shown by the preview with a draft band, never published",
    )
    leaflet_max_pages: int = Field(
        default=4, ge=1, le=40, description="pages a leaflet may have (4 = two sheets printed on both sides)"
    )

    @model_validator(mode="after")
    def _source_is_a_language(self) -> Settings:
        if self.source_language not in self.languages:
            raise invalid(N_("source_language '{lang}' is not in languages"), lang=self.source_language)
        if len(set(self.languages)) != len(self.languages):
            raise invalid(N_("a language is listed twice"))
        if len(set(self.treatments)) != len(self.treatments):
            raise invalid(N_("a treatment is listed twice"))
        clash = sorted(set(self.treatments) & (set(self.languages) | RESERVED_FOLDERS))
        if clash:
            raise invalid(
                N_("treatment id '{id}' is also the name of a language or of a folder of the site: choose another"),
                id=clash[0],
            )
        drafted = sorted(set(self.drafts.languages) & set(self.languages)) + sorted(
            set(self.drafts.treatments) & set(self.treatments)
        )
        if drafted:
            raise invalid(
                N_(
                    "'{name}' is listed both as published and under drafts: keep it in one place "
                    "(scripts/patientinfo publish moves a finished draft)"
                ),
                name=drafted[0],
            )
        every_language = set(self.languages) | set(self.drafts.languages)
        clash = sorted(set(self.drafts.treatments) & (every_language | RESERVED_FOLDERS))
        if clash:
            raise invalid(
                N_("treatment id '{id}' is also the name of a language or of a folder of the site: choose another"),
                id=clash[0],
            )
        unknown = sorted(set(self.locales) - set(self.languages) - set(self.drafts.languages))
        if unknown:
            raise invalid(N_("locales given for unknown languages: {languages}"), languages=", ".join(unknown))
        return self

    def locale(self, lang: str) -> str:
        return self.locales.get(lang, lang)

    def with_drafts(self, left_out: frozenset[str] = frozenset()) -> Settings:
        """The settings of the preview: the drafts are languages and treatments like the others
        (the band on their pages and PDFs says they are drafts), except those ``left_out``."""
        return self.model_copy(
            update={
                "languages": [*self.languages, *(d for d in self.drafts.languages if d not in left_out)],
                "treatments": [*self.treatments, *(d for d in self.drafts.treatments if d not in left_out)],
            }
        )

    def draft_names(self) -> list[str]:
        return [*self.drafts.languages, *self.drafts.treatments]

    def is_draft(self, lang: str, treatment: str) -> bool:
        return lang in self.drafts.languages or treatment in self.drafts.treatments


__all__ = [
    "SiteHost",
    "Drafts",
    "Weekday",
    "WEEKDAYS",
    "ClockTime",
    "OpeningHours",
    "Clinic",
    "CLINIC_QUANTITIES",
    "ReadabilityRule",
    "AllowedDigits",
    "CheckSettings",
    "RESERVED_FOLDERS",
    "Settings",
]
