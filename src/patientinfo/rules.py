"""Every rule the content is held to, in one table: a code, a severity and what it checks.

An ``error`` stops every build (the pages cannot be made right: an unknown id, a missing
translation). A ``warning`` is a finding of the editors' check: shown while editing, fatal in a
strict build (``--strict``, CI). Problems and findings carry their rule's code, so the tools tell
them apart by code, never by wording. Imports nothing of the engine: every package may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str


_TABLE = (
    # Reading and validating each file on its own.
    Rule("C001", "file", "error", "a content file can be read, is YAML and has the fields of its kind"),
    Rule("C002", "unlisted-treatment", "error", "every treatment folder is listed in the settings"),
    Rule("C003", "locale", "error", "every language's locale is one Babel knows"),
    # Between files: what the pages need to be made at all.
    Rule("C101", "duplicate-id", "error", "no two sources, facts, disputes or questions share an id"),
    Rule("C102", "unknown-source", "error", "a fact cites only sources of the sources file"),
    Rule("C103", "group", "error", "a fact's group is one of its category's groups"),
    Rule("C104", "unknown-fact", "error", "disputes, questions and counts name facts that exist"),
    Rule("C105", "unknown-dispute", "error", "questions name disputes that exist"),
    Rule("C106", "screening", "error", "the questionnaire asks about every contraindication"),
    Rule("C107", "logo", "error", "the clinic's logo is an SVG or PNG of the project, with no script"),
    Rule("C108", "country", "error", "the clinic's country has its own facts where facts are per country"),
    Rule("C109", "required-category", "error", "balanced information: every required category has a fact"),
    Rule("C110", "missing-text", "error", "every text exists in every language"),
    Rule("C111", "unknown-text", "error", "a language has no text the source language lacks"),
    Rule("C112", "link", "error", "links go to the web, e-mail or a phone only"),
    Rule("C113", "fact-placeholder", "error", "a fact's text shows exactly its own values"),
    Rule("C114", "heading", "error", "every group and unit has its words in every language"),
    Rule("C115", "template", "error", "a template renders with the content it is given"),
    Rule("C116", "print-layout", "error", "a printed document fits its pages and loads only project files"),
    # The editors' check.
    Rule("W201", "stale", "warning", "a translation translates the current source text"),
    Rule("W202", "unreviewed", "warning", "a translation records which source text it translates"),
    Rule("W203", "missing", "warning", "a translation exists (while a language is being added)"),
    Rule("W204", "digit", "warning", "prose never retypes a number: numbers live in the facts"),
    Rule("W205", "markup", "warning", "no HTML or template syntax in a text"),
    Rule("W206", "overdue", "warning", "the review date has not passed"),
    Rule("W207", "honesty", "warning", "every cited source is quoted, and every number is in its quote"),
    Rule("W208", "placeholder", "warning", "a translation has the same placeholders as its source"),
    Rule("W209", "typography", "warning", "French spaces before : ; ! ? and inside « »"),
    Rule("W210", "untranslated", "warning", "a translation is not the source text copied"),
    Rule("W211", "readability", "warning", "each page reads at the language's level"),
)

RULES: dict[str, Rule] = {rule.name: rule for rule in _TABLE}
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in _TABLE}


def code(name: str) -> str:
    """The code of the rule ``name`` (a KeyError for a rule not in the table: a typo in the engine)."""
    return RULES[name].code
