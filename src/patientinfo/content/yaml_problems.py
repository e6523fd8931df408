"""YAML syntax errors in an editor's words, at the line of the mistake (PyYAML often notices
a forgotten quote or bracket lines later)."""

from __future__ import annotations

import re

import yaml

from patientinfo.messages import N_, _

_TAB = N_("a tab character is used here; YAML needs spaces for indentation: replace the tab with spaces")
_INDENT = N_("the indentation is wrong here: line it up with the lines it belongs with")
_TAG = N_("YAML tags (starting with '!') are not used in content: remove it")
_START = N_("a text cannot start with '@' or '`' unless it is in quotes")

# PyYAML's wording -> an editor's words. Checked in order; the first that matches is used.
_YAML_WORDS = (
    ("'\\t'", _TAB),
    ("tab character", _TAB),
    (
        "mapping values are not allowed",
        N_("a ':' appears where YAML does not expect one: put the whole text in quotes"),
    ),
    ("could not find expected ':'", N_("this line has no ':' after its name, or its indentation is off")),
    ("did not find expected key", _INDENT),
    ("expected <block end>", _INDENT),
    ("did not find expected '-' indicator", N_("a list item must start with '- ', lined up with the other items")),
    ("did not find expected node content", N_("a value is missing here (after ':' or '- ')")),
    ("found unexpected end of stream", N_("a quote (\" or ') is opened here but never closed")),
    (
        "found unknown escape character",
        N_(
            "a backslash starts an unknown escape inside double quotes: write \\\\ for a backslash, "
            "or use single quotes"
        ),
    ),
    ("found undefined tag handle", _TAG),
    ("could not determine a constructor", _TAG),
    ("expected ',' or ']'", N_("a list in [ ] is not closed: add the missing ']' or a ','")),
    ("expected ',' or '}'", N_("a group in { } is not closed: add the missing '}' or a ','")),
    ("found character '@'", _START),
    ("found character '`'", _START),
    ("expected a single document", N_("the file holds more than one YAML document ('---'): keep one")),
    ("found duplicate anchor", N_("YAML anchors (&name) are not used in content: remove them")),
)


def unclosed_quote(text: str, first: int, last: int) -> tuple[int, str] | None:
    """(line, quote) of the first line from ``first`` (0-based) to ``last`` (1-based) whose value
    opens a quote it does not close: where a forgotten closing quote is, not where YAML notices."""
    lines = text.split("\n")
    for number in range(max(first, 0), min(last, len(lines))):
        value = re.sub(r"^\s*(?:-\s+)?(?:[^\s\"':#][^:#]*:\s+)?", "", lines[number], count=1)
        for quote in ('"', "'"):
            if value.startswith(quote):
                body = value[1:].replace("\\" + quote, "") if quote == '"' else value[1:].replace("''", "")
                if quote not in body:
                    return number + 1, quote
    return None


def plain_yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> str:
    what = f"{exc.context or ''} {exc.problem or ''}"
    mark = exc.problem_mark
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return _(_YAML_WORDS[0][1])
    if "cannot start any token" in what:
        return _("this character cannot start a value here: put the whole text in quotes")
    for needle, words in _YAML_WORDS:
        if needle in what:
            return _(words)
    if exc.problem and "is not a real date" in exc.problem:
        return exc.problem
    detail = (exc.problem or exc.context or "invalid YAML").strip()
    return _("the YAML cannot be read here ({detail})").format(detail=detail)
