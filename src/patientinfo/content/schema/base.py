"""The building blocks of every content file: ids, codes, paths, numbers, categories."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StrictFloat,
    StrictInt,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from patientinfo.messages import N_

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def invalid(template: str, **params: object) -> PydanticCustomError:
    """A validation error in the editor's words: ``template`` (marked with ``N_``) is translated
    where the error is shown (``content.validation``), then filled with ``params``."""
    return PydanticCustomError("editor", template, {"template": template, **params})


@dataclass(frozen=True)
class Matching:
    """Annotated metadata: the string must match ``pattern``; a mismatch says ``message`` in an
    editor's words. The JSON Schema keeps the pattern (editors' YAML support underlines mistakes)."""

    pattern: str
    message: str
    description: str | None = None

    def check(self, value: str) -> str:
        if not re.search(self.pattern, value):
            raise invalid(self.message)
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        if self.description:
            json_schema["description"] = self.description
        return json_schema


Colour = Annotated[
    str, Matching(r"^#[0-9a-fA-F]{6}$", N_("must be a colour like #1f4e79 ('#' and six digits or letters a-f)"))
]
WebAddress = Annotated[
    str,
    Matching(
        r"^https?://[^\s/$.?#<>\"'][^\s<>\"']*$",
        N_("must be a web address starting with https:// (for example https://www.example.org/)"),
    ),
]


def international_number(value: str) -> str:
    """A phone number read by libphonenumber (``phonenumbers``): it must carry its country code, so
    that a patient abroad or in another country can dial it; written back in the international
    format (``+33 1 99 00 12 34``)."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise invalid(
            N_(
                "must start with + and the country code (for example +33 1 99 00 12 34 in France, "
                "+39 02 1234 5678 in Italy)"
            )
        ) from None
    if not phonenumbers.is_possible_number(number):
        raise invalid(N_("is not a possible phone number of its country: check the digits (too many or too few?)"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


PhoneNumber = Annotated[
    str,
    Matching(
        r"^\+[0-9][0-9 .()-]{1,30}$",
        N_(
            "must be a phone number in the international form: + then the country code and the digits "
            "(for example +33 1 99 00 12 34)"
        ),
    ),
    AfterValidator(international_number),
]
EmailAddress = Annotated[
    str, Matching(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$", "must be an e-mail address like contact@example.org")
]
FileName = Annotated[
    str,
    Matching(
        r"^[A-Za-z0-9._-]+$",
        N_("must be a plain file name (letters, digits, '.', '_' and '-'), without folders"),
    ),
]
RepoPath = Annotated[
    str,
    Matching(
        r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[A-Za-z0-9._/-]+\.(?:svg|png)$",
        N_("must be the path of an .svg or .png file inside the repository, like docs/assets/logo.svg"),
    ),
]
LocaleCode = Annotated[
    str, Matching(r"^[a-z]{2,3}(?:_[A-Z]{2})?$", N_("must be a locale code like fr_FR, it_IT or en_GB"))
]
VALUE_NAME_PATTERN = r"^[a-z_][a-z0-9_]*$"
LANG_PATTERN = r"^[a-z]{2}$"

Id = Annotated[
    str,
    Matching(
        ID_PATTERN,
        N_("must be an id: lower-case letters and digits joined by hyphens, like risk-bruise"),
        "lower-case words joined by hyphens",
    ),
]
LangCode = Annotated[
    str, Matching(LANG_PATTERN, N_("must be a two-letter language code in lower case, like fr, it or en"))
]
ValueName = Annotated[
    str, Matching(VALUE_NAME_PATTERN, N_("must be a value name: lower-case letters, digits and '_', like sessions"))
]
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


@cache
def is_cldr_unit(unit: str) -> bool:
    """A full CLDR unit id such as ``length-millimeter`` (Babel also guesses from "year": we don't)."""
    from babel.units import UnknownUnitError, get_unit_name

    if "-" not in unit:
        return False
    try:
        return get_unit_name(unit, locale="en") is not None
    except UnknownUnitError:
        return False


__all__ = [
    "ID_PATTERN",
    "Matching",
    "Colour",
    "WebAddress",
    "PhoneNumber",
    "EmailAddress",
    "FileName",
    "RepoPath",
    "LocaleCode",
    "VALUE_NAME_PATTERN",
    "LANG_PATTERN",
    "Id",
    "LangCode",
    "ValueName",
    "Number",
    "Category",
    "CATEGORIES",
    "REQUIRED_CATEGORIES",
    "Severity",
    "Step",
    "Urgency",
    "Model",
    "is_cldr_unit",
]
