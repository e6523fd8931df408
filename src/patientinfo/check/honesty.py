"""Honesty: every source a fact cites (other than the clinic's own protocol and the site's
editorial reading) is quoted on the fact, and every number and date of the fact is in its quote."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from patientinfo.check.findings import Finding
from patientinfo.content.model import Treatment
from patientinfo.content.reading import YamlDocument
from patientinfo.content.schema import OWN_SOURCE_TYPES, Fact

# --------------------------------------------------------------------------- honesty
# A clinic's web page is cited for what it says, so a fact that cites one must quote its words;
# publications, regulations and the clinic's own protocols may be cited without a quote.

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])")
# Numbers written as words in the languages of the sources. Articles count as "one": a quote
# saying "une séance" supports a value of 1.
_NUMBER_WORD_LISTS = {
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf vingt",
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici "
    "sedici diciassette diciotto diciannove venti",
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty",
}
NUMBER_WORDS: dict[str, int] = {
    word: number for words in _NUMBER_WORD_LISTS.values() for number, word in enumerate(words.split())
}
NUMBER_WORDS.update(
    {
        "une": 1,
        "un": 1,
        "una": 1,
        "trente": 30,
        "quarante": 40,
        "cinquante": 50,
        "soixante": 60,
        "cent": 100,
        "mille": 1000,
        "douzaine": 12,
        "quinzaine": 15,
        "trenta": 30,
        "quaranta": 40,
        "cinquanta": 50,
        "sessanta": 60,
        "cento": 100,
        "dozzina": 12,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "hundred": 100,
        "thousand": 1000,
        "dozen": 12,
    }
)


def quoted_numbers(quote: str) -> set[float]:
    """Every number a quote may mean: "3-5" gives 3 and 5, "0,5" 0.5, "1.000" 1 or 1000,
    "1 000" 1000, "10/12" 10 and 12, "six semaines" 6."""
    numbers: set[float] = set()
    for token in _TOKEN.findall(quote):
        separators = [c for c in token if c in ".,"]
        digits_only = token.replace(".", "").replace(",", "")
        if not separators:
            numbers.add(float(token))
            continue
        if len(separators) == 1:  # "0,5" or "0.5"; "1.000" may also be a thousand
            numbers.add(float(token.replace(",", ".")))
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token) or re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
            numbers.add(float(digits_only))
        grouped_decimal = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+),(\d+)|(\d{1,3}(?:,\d{3})+)\.(\d+)", token)
        if grouped_decimal:
            whole = (grouped_decimal.group(1) or grouped_decimal.group(3)).replace(".", "").replace(",", "")
            fraction = grouped_decimal.group(2) or grouped_decimal.group(4)
            numbers.add(float(f"{whole}.{fraction}"))
    for grouped in _SPACE_GROUPED.findall(quote):
        numbers.add(float(re.sub(r"\D", "", grouped)))
    lowered = quote.lower()
    for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", lowered):
        if word in NUMBER_WORDS:
            numbers.add(float(NUMBER_WORDS[word]))
            continue
        tens, _, units = word.partition("-")
        ten, unit = NUMBER_WORDS.get(tens), NUMBER_WORDS.get(units)
        if "-" not in units and ten is not None and unit is not None and ten >= 20 and unit < 10:  # vingt-deux
            numbers.add(float(ten + unit))
        else:
            found = (NUMBER_WORDS.get(part) for part in word.split("-"))
            numbers.update(float(number) for number in found if number is not None)
    return numbers


def _month_names(treatment: Treatment) -> dict[str, int]:
    from babel import Locale

    names: dict[str, int] = {}
    locales = {treatment.settings.locale(lang) for lang in treatment.languages} | {"en", "fr", "it"}
    for locale_name in sorted(locales):
        locale = Locale.parse(locale_name)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    names[name.lower().rstrip(".")] = number
    return names


def quoted_dates(quote: str, months: dict[str, int]) -> set[dt.date]:
    """Full dates written in a quote: 2011-04-11, 11/04/2011, 11.04.2011, 11 avril 2011, April 11, 2011."""
    found: set[dt.date] = set()

    def add(year: str, month: int | str, day: str) -> None:
        with contextlib.suppress(ValueError):  # "31/02/2011" is not a date
            found.add(dt.date(int(year), int(month), int(day)))

    for year, month, day in re.findall(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)", quote):
        add(year, month, day)
    for day, month, year in re.findall(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)", quote):
        add(year, month, day)
    month_pattern = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    lowered = quote.lower()
    for day, month, year in re.findall(
        rf"(?<!\d)(\d{{1,2}})(?:er|st|nd|rd|th|°)?\s+({month_pattern})\.?\s+(\d{{4}})(?!\d)", lowered
    ):
        add(year, months[month], day)
    for month, day, year in re.findall(
        rf"\b({month_pattern})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", lowered
    ):
        add(year, months[month], day)
    return found


def _shown(number: float | int) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def _date_in_quote(day: dt.date, quote: str, months: dict[str, int]) -> bool:
    """The full date as written, or its year when the quote gives no other date in that year."""
    dates = quoted_dates(quote, months)
    if day in dates:
        return True
    same_year = [d for d in dates if d.year == day.year]
    return not same_year and float(day.year) in quoted_numbers(quote)


FIX_VALUE = (
    "Fix: read the source again and correct the value in the treatment's facts.yaml; if the source "
    "really gives this number, replace the quote with the source's exact words that give it."
)


def honesty_findings(treatment: Treatment, *, countries: bool = True) -> list[Finding]:
    """Facts whose numbers no longer appear in the words they quote, and sources cited without their
    words (every source but the clinic's own protocol and the site's own reading, ``editorial``).
    ``countries``: the country files' facts too (they are shared: checked once per site)."""
    files = [(treatment.facts_path, treatment.facts_file.facts)]
    if countries:
        files += [(treatment.layout.country(c), file.facts) for c, file in treatment.countries.items()]
    findings: list[Finding] = []
    for path, facts in files:
        document = treatment.yaml_files[path]
        for index, fact in enumerate(facts):
            findings += _unquoted_sources(treatment, document, index, fact)
            findings += _values_not_quoted(treatment, document, index, fact)
    return findings


def _unquoted_sources(treatment: Treatment, document: YamlDocument, index: int, fact: Fact) -> list[Finding]:
    findings = []
    for field_name in ("sources", "note_sources", "studied_in"):
        for position, source_id in enumerate(getattr(fact, field_name)):
            source = treatment.sources.get(source_id)
            if source is None or source.type in OWN_SOURCE_TYPES or source_id in fact.quotes:
                continue
            what = "the clinic page" if source.type == "clinic_website" else "the source"
            findings.append(
                Finding(
                    "honesty",
                    document.path,
                    document.line(["facts", index, field_name, position]),
                    f"fact '{fact.id}' cites {what} {source_id} ({source.label}) without quoting it. "
                    f"Fix: under 'quotes', add '{source_id}:' with the source's exact words that say this; "
                    f"if the source does not say it, remove {source_id} from the fact's {field_name} (the "
                    f"clinic's own rules cite clinic-protocol, the site's own conclusions cite editorial).",
                    fact.id,
                )
            )
    return findings


def _values_not_quoted(treatment: Treatment, document: YamlDocument, index: int, fact: Fact) -> list[Finding]:
    """The fact's values that none of its quotes gives (the clinic's own protocol and the site's
    own reading quote nothing, so have nothing to compare with)."""
    months = _month_names(treatment)
    findings = []
    for name, quantity in fact.values.items() if fact.quotes else ():
        if quantity.date is not None:
            if any(_date_in_quote(quantity.date, q, months) for q in fact.quotes.values()):
                continue
            wanted = quantity.date.isoformat()
            missing_text = f"the date {wanted} (or its year {quantity.date.year})"
        else:
            numbers = [n for n in (quantity.value, quantity.about, quantity.min, quantity.max) if n is not None]
            best: list[float | int] | None = None
            for quote in fact.quotes.values():
                present = quoted_numbers(quote)
                missing = [n for n in numbers if not any(abs(float(n) - p) < 1e-9 for p in present)]
                if best is None or len(missing) < len(best):
                    best = missing
            if not best:
                continue
            wanted = " to ".join(_shown(n) for n in numbers) if quantity.shape == "range" else _shown(numbers[0])
            missing_text = " or ".join(_shown(n) for n in best)
        quotes = "; ".join(f'{source_id}: "{quote}"' for source_id, quote in fact.quotes.items())
        findings.append(
            Finding(
                "honesty",
                document.path,
                document.line(["facts", index, "values", name]),
                f"fact '{fact.id}' value '{name}' is {wanted}, but {missing_text} is not in the words "
                f"it quotes ({quotes}). {FIX_VALUE}",
                fact.id,
            )
        )
    return findings
