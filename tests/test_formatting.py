"""Values are formatted per locale by Babel, with the language's own words for ranges and units."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import REPO
from patientinfo.content.load import load_treatment
from patientinfo.content.schema import Quantity
from patientinfo.render.formatting import NBSP, Formatter


@pytest.fixture(scope="module")
def formatters() -> dict[str, Formatter]:
    content = load_treatment(REPO)
    return {
        lang: Formatter(content.settings.locale(lang), content.texts[lang]["ui"].root.get) for lang in content.languages
    }


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "3 à 5 séances"), ("it", "da 3 a 5 sedute"), ("en", "3 to 5 sessions")],
)
def test_session_range(formatters, lang, expected):
    assert plain(formatters[lang].quantity(Quantity(min=3, max=5, unit="session"))) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "environ 0,5 ml"), ("it", "circa 0,5 ml"), ("en", "about 0.5 ml")],
)
def test_decimal_comma_and_about(formatters, lang, expected):
    assert plain(formatters[lang].quantity(Quantity(about=0.5, unit="volume-milliliter"))) == expected


@pytest.mark.parametrize("lang", ["fr", "it", "en"])
def test_no_breaking_space_inside_a_value(formatters, lang):
    shown = formatters[lang].quantity(Quantity(max=13, unit="length-millimeter"))
    assert " " not in shown
    assert "13" + NBSP + "mm" in shown or "13\u202fmm" in shown


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "15 jours"), ("it", "15 giorni"), ("en", "15 days")],
)
def test_durations_are_spelled_out(formatters, lang, expected):
    assert plain(formatters[lang].quantity(Quantity(value=15, unit="duration-day"))) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "une fois par semaine"), ("it", "una volta alla settimana"), ("en", "once a week")],
)
def test_exact_value_form(formatters, lang, expected):
    assert plain(formatters[lang].quantity(Quantity(value=1, unit="per-week"))) == expected


@pytest.mark.parametrize("lang", ["fr", "it", "en"])
def test_years_are_not_grouped(formatters, lang):
    assert "1960" in formatters[lang].quantity(Quantity(value=1960, unit="decade"))
    assert plain(formatters[lang].quantity(Quantity(value=2008, unit="year"))) == "2008"


def test_big_numbers_are_grouped_per_locale(formatters):
    assert plain(formatters["fr"].number(12500)) == "12 500"
    assert formatters["it"].number(12500) == "12.500"
    assert formatters["en"].number(12500) == "12,500"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "11 avril 2011"), ("it", "11 aprile 2011"), ("en", "11 April 2011")],
)
def test_dates(formatters, lang, expected):
    assert plain(formatters[lang].quantity(Quantity(date=dt.date(2011, 4, 11)))) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "a, b et c"), ("it", "a, b e c"), ("en", "a, b and c")],
)
def test_lists(formatters, lang, expected):
    assert formatters[lang].join(["a", "b", "c"]) == expected


def test_plural_of_a_custom_unit(formatters):
    assert plain(formatters["fr"].quantity(Quantity(value=1, unit="session"))) == "1 séance"
    assert plain(formatters["it"].quantity(Quantity(max=15, unit="session"))) == "fino a 15 sedute"
