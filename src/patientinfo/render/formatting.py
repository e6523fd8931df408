"""Locale-aware formatting of the language-neutral values, with Babel.

Numbers, plurals, CLDR units, lists and dates come from Babel; only the words Babel does not
know ("séance", "environ {q}", "{min} à {max}") come from the language's ui.yaml. Every space
inside a formatted value is made non-breaking so that "13 mm" never splits across lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import format_unit

from patientinfo.content.schema import WEEKDAYS, OpeningHours, Quantity, TextEntry, is_cldr_unit

NBSP = "\u00a0"
# Values that are years: "1950", never "1 950" or "1.950".
UNGROUPED_UNITS = frozenset({"year", "decade"})
# Durations read better spelled out ("15 jours"); measures better short ("13 mm").
LONG_UNIT_PREFIXES = ("duration-",)


class FormatError(ValueError):
    """A pattern in ui.yaml is unusable; the caller knows the file and line."""


def fill(pattern: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` in a ui pattern; an unknown name is an error, not an empty string."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise FormatError(f"unknown placeholder '{{{name}}}' (expected: {', '.join(sorted(values))})")
        return values[name]

    return re.sub(r"\{([a-z_]+)\}", replace, pattern)


class Formatter:
    """Formats values for one language. ``lookup`` finds that language's ui.yaml entries (or None)."""

    def __init__(self, locale: str, lookup: Callable[[str], TextEntry | None]):
        self.locale = Locale.parse(locale)
        self.lookup = lookup

    def ui(self, text_id: str) -> TextEntry:
        entry = self.lookup(text_id)
        if entry is None:
            raise FormatError(f"no '{text_id}' in this language's ui.yaml")
        return entry

    def number(self, number: float | int, unit: str | None = None) -> str:
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        return format_decimal(number, locale=self.locale, group_separator=unit not in UNGROUPED_UNITS)

    def date(self, day: dt.date) -> str:
        return format_date(day, format="long", locale=self.locale).replace(" ", NBSP)

    def join(self, items: Sequence[str]) -> str:
        """'a, b et c' / 'a, b e c' / 'a, b and c'."""
        return format_list(list(items), style="standard", locale=self.locale) if items else ""

    def _with_unit(self, shown: str, count: float | int, unit: str | None, exact: bool) -> str:
        if unit is None:
            return shown
        custom = self.lookup(f"unit.{unit}")
        if custom is None and is_cldr_unit(unit):
            lengths: tuple[Literal["long", "short"], ...] = (
                ("long", "short") if unit.startswith(LONG_UNIT_PREFIXES) else ("short",)
            )
            for length in lengths:
                formatted = format_unit(count, unit, length=length, locale=self.locale)
                if unit not in formatted:  # Babel fell back to the unit's id: no pattern here
                    break
            counted = self.number(count, unit)
            return formatted.replace(counted, shown, 1)
        forms = self.ui(f"unit.{unit}").forms or {}
        if "other" not in forms:
            raise FormatError(f"'unit.{unit}' needs plural forms with at least 'other'")
        exact_key = f"={self.number(count, unit)}"
        if exact and exact_key in forms:
            pattern = forms[exact_key]
        else:
            category = self.locale.plural_form(count)
            pattern = forms.get(category, forms["other"])
        return fill(pattern, {"n": shown})

    def quantity(self, quantity: Quantity) -> str:
        """'environ 4 mm', 'da 3 a 5 sedute', 'up to 13 mm', '11 April 2011'."""
        shape = quantity.shape
        if shape == "date":
            assert quantity.date is not None
            return self.date(quantity.date)
        unit = quantity.unit
        if shape == "range":
            assert quantity.min is not None and quantity.max is not None
            numbers = fill(
                self.ui("quantity.range").text or "",
                {"min": self.number(quantity.min, unit), "max": self.number(quantity.max, unit)},
            )
        else:
            numbers = self.number(quantity.count, unit)
        shown = self._with_unit(numbers, quantity.count, unit, exact=shape == "exact")
        if shape in ("about", "up_to", "at_least"):
            shown = fill(self.ui(f"quantity.{shape}").text or "", {"q": shown})
        return shown.replace(" ", NBSP)

    def days(self, days: Sequence[str]) -> str:
        """'du lundi au vendredi', 'lunedì e giovedì', 'Monday to Friday': a run of three days or
        more is a range (ui 'hours.days_range'), a single day 'hours.one_day', others a list."""
        names = self.locale.days["format"]["wide"]
        indexes = sorted(WEEKDAYS.index(day) for day in days)
        runs: list[list[int]] = []
        for index in indexes:
            if runs and index == runs[-1][-1] + 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        if len(runs) == 1 and len(runs[0]) >= 3:
            pattern = self.ui("hours.days_range").text or ""
            return fill(pattern, {"first": names[runs[0][0]], "last": names[runs[0][-1]]})
        if len(indexes) == 1:
            return fill(self.ui("hours.one_day").text or "", {"day": names[indexes[0]]})
        return self.join([names[index] for index in indexes])

    def opening_hours(self, hours: Sequence[OpeningHours]) -> str:
        """'du lundi au vendredi, de 09:00 à 18:00 ; le samedi, de 09:00 à 12:00'."""

        def time(text: str) -> str:
            """'9 h 00' in French, '9:00' in Italian and English: the language's own pattern
            (ui 'hours.time'), else Babel's short time."""
            hour, minute = (int(part) for part in text.split(":"))
            # French writes "9 h" on the hour and "9 h 30" otherwise: forms keyed by the minutes.
            entry = self.lookup("hours.time")
            if entry is not None and entry.forms and "other" in entry.forms:
                pattern = entry.forms.get(f"={minute}", entry.forms["other"])
            elif entry is not None and entry.text is not None:
                pattern = entry.text
            else:
                return format_time(dt.time(hour, minute), format="short", locale=self.locale)
            return fill(pattern, {"h": str(hour), "mm": f"{minute:02d}"}).replace(" ", NBSP)

        entries = [
            fill(
                self.ui("hours.entry").text or "",
                {"days": self.days(entry.days), "opens": time(entry.opens), "closes": time(entry.closes)},
            )
            for entry in hours
        ]
        separator = self.ui("hours.separator").text or "; "
        return separator.join(entries)
