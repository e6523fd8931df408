"""What patients of one country need whatever the treatment, kept once per country.

``<content>/countries/<CC>.yaml`` holds a country's emergency number, its side-effect reporting
system, its register of doctors and its law on consent, with their sources; their words are in
``<content>/<lang>/countries.yaml``. A treatment's patients see the facts of the clinic's
country and of each language's country (the territory of its locale: an Italian reader of a
French clinic also sees how to report in Italy). A clinic with no country shows them all.
"""

from __future__ import annotations

from collections.abc import Callable

from babel import Locale, UnknownLocaleError

from patientinfo.content.layout import Layout
from patientinfo.content.model import Treatment
from patientinfo.content.reading import YamlDocument
from patientinfo.content.schema import Clinic, CountryFile, Settings, Source
from patientinfo.errors import Problem
from patientinfo.messages import _
from patientinfo.rules import code

ReadFile = Callable[[str], CountryFile | None]


def country_codes(layout: Layout) -> list[str]:
    """The countries that have a file, in alphabetical order."""
    folder = layout.path(layout.countries_folder)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.iterdir() if p.suffix == ".yaml" and p.stem.isupper() and len(p.stem) == 2)


def stray_files(layout: Layout) -> list[Problem]:
    """Files of the countries folder that would be silently ignored (a name like fr.yaml)."""
    folder = layout.path(layout.countries_folder)
    known = set(country_codes(layout))
    strays = sorted(p.name for p in folder.iterdir() if p.stem not in known) if folder.is_dir() else []
    message = _("this file is not read: a country's file is named by its two capital letters, like FR.yaml")
    return [Problem(f"{layout.countries_folder}/{name}", 1, message, code=code("country")) for name in strays]


def read_countries(layout: Layout, read: ReadFile) -> dict[str, CountryFile | None]:
    """Every country file, read and validated on its own (None where it has problems)."""
    return {country: read(layout.country(country)) for country in country_codes(layout)}


def language_country(settings: Settings, lang: str) -> str | None:
    """The country of a language's locale (``it_IT`` -> IT); None when it names none."""
    try:
        return Locale.parse(settings.locale(lang)).territory
    except (UnknownLocaleError, ValueError):
        return None


def shown_countries(settings: Settings, clinic: Clinic, countries: dict[str, CountryFile]) -> tuple[str, ...]:
    """The clinic's country first, then each language's, of those that have a file; every
    country when the clinic names none."""
    if clinic.country is None:
        return tuple(countries)
    wanted = [clinic.country] + [language_country(settings, lang) for lang in settings.languages]
    return tuple(dict.fromkeys(c for c in wanted if c in countries))


def with_emergency_number(clinic: Clinic, countries: dict[str, CountryFile]) -> Clinic:
    """The clinic's own emergency number, or its country's when the clinic file gives none."""
    if clinic.emergency_number or clinic.country not in countries:
        return clinic
    return clinic.model_copy(update={"emergency_number": countries[clinic.country].emergency_number})


def clinic_problems(layout: Layout, clinic: Clinic, clinic_doc: YamlDocument, countries: list[str]) -> list[Problem]:
    """A clinic's country needs its file (else its patients would not see how to report a side
    effect), and a clinic with no country must give its emergency number."""
    if clinic.country is not None and clinic.country not in countries:
        known = ", ".join(countries) or _("none yet")
        message = _(
            "country '{country}': there is no {file} (countries with a file: {known}); copy one of them and "
            "write what applies in '{country}': emergency number, side-effect reporting, register of doctors, "
            "law on consent"
        ).format(country=clinic.country, file=layout.country(clinic.country), known=known)
        return [Problem(clinic_doc.path, clinic_doc.line(["country"]), message, code=code("country"))]
    if clinic.country is None and not clinic.emergency_number:
        message = _("emergency_number: give the emergency number, or the clinic's country (its file gives it)")
        return [Problem(clinic_doc.path, clinic_doc.line([]), message, code=code("country"))]
    return []


def merged_sources(treatment_sources: list[Source], countries: dict[str, CountryFile]) -> dict[str, Source]:
    """The treatment's sources and those of every country (an id both hold: the treatment's)."""
    sources = {source.id: source for source in treatment_sources}
    for country in countries.values():
        for source in country.sources:
            sources.setdefault(source.id, source)
    return sources


def country_problems(treatment: Treatment) -> list[Problem]:
    """Fact ids that clash with the treatment's, and sources a country's fact cites that its file
    lacks. (A source id both files hold is one source: the treatment's details are shown.)"""
    found = []
    treatment_ids = {item.id for _, items in treatment.facts_file.sections() for item in items}
    seen: dict[str, str] = {}
    for country, file in treatment.countries.items():
        shown = treatment.layout.country(country)
        document = treatment.yaml_files[shown]
        sources = {source.id for source in file.sources}
        for index, fact in enumerate(file.facts):
            if fact.id in treatment_ids or fact.id in seen:
                where = treatment.facts_path if fact.id in treatment_ids else seen[fact.id]
                message = f"fact id '{fact.id}' is also used in {where}: ids must be unique"
                found.append(Problem(shown, document.line(["facts", index, "id"]), message, code=code("duplicate-id")))
            seen[fact.id] = shown
            if fact.country not in (None, country):
                message = f"fact '{fact.id}' says country {fact.country} but is in the file of {country}"
                found.append(Problem(shown, document.line(["facts", index, "country"]), message, code=code("country")))
            for field_name in ("sources", "note_sources"):
                for position, source_id in enumerate(getattr(fact, field_name)):
                    if source_id not in sources:
                        message = f"fact '{fact.id}': unknown source '{source_id}' (not in this file's sources)"
                        line = document.line(["facts", index, field_name, position])
                        found.append(Problem(shown, line, message, code=code("unknown-source")))
    return found


def stamped(countries: dict[str, CountryFile]) -> dict[str, CountryFile]:
    """Each country's facts carry their country (the file says it once)."""
    return {
        country: file.model_copy(
            update={"facts": [fact.model_copy(update={"country": fact.country or country}) for fact in file.facts]}
        )
        for country, file in countries.items()
    }
