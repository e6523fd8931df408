"""Which facts each page of the site, each section of the leaflet and each form shows.

One model for all of them, written once as data: a leaflet section names the site's selection it
prints, so the two cannot drift apart; a disagreement (dispute) is attached to a section the same
way everywhere (when any of its facts is of the section's category); and a page's review date is
computed from the facts the model gives it, before the page is rendered. Templates receive the
resolved selections and choose only how to lay them out. The functions here are pure: content in,
fact ids out, in the order of the facts file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, get_args

from .content import Content
from .schema import Dispute, Fact, FaqItem, Severity, Step

SEVERITIES: tuple[str, ...] = get_args(Severity)
STEPS: tuple[str, ...] = get_args(Step)


@dataclass(frozen=True)
class Pick:
    """Facts chosen by their fields; ``None`` means any value."""

    category: str | None = None
    key: bool | None = None
    group: str | None = None
    severity: str | None = None
    step: str | None = None
    undisputed: bool = False  # leave out facts shown in a dispute box instead
    reporting: bool | None = None  # whose first source is (not) an official reporting system
    leaving_out: tuple[str, ...] = ()  # categories left out

    def narrowed(self, **fields: object) -> Pick:
        return replace(self, **fields)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Disputes:
    """The disagreements with at least one fact of ``category``."""

    category: str


@dataclass(frozen=True)
class Split:
    """One list of facts per group, severity or step, in the content's or the schema's order."""

    pick: Pick
    by: Literal["group", "severity", "step"]


@dataclass(frozen=True)
class Questions:
    """The frequently asked questions, each with its facts and disputes."""


Selection = Pick | Disputes | Split | Questions | tuple[Pick, ...]  # a tuple: one list, in that order

WARNING_SIGNS = Pick("warning_sign")
AFTERCARE = Pick("aftercare")
HELP = (Pick("help", reporting=False), Pick("help", reporting=True))

SITE: dict[str, dict[str, Selection]] = {
    "index": {"in_brief": Pick(key=True)},
    "how-it-works": {
        "principle": Pick("principle"),
        "history": Pick("history"),
        "fields": Pick("field"),
        "eligibility": Pick("eligibility"),
        "complementary": Pick("complementary"),
        "practice": Pick("practice"),
    },
    "conditions": {"indications": Split(Pick("indication"), "group"), "limits": Pick("limitation")},
    "substances": {"disputes": Disputes("substance"), "groups": Split(Pick("substance", undisputed=True), "group")},
    "session": {
        "steps": Split(Pick(undisputed=True), "step"),
        "disputes": Disputes("technique"),
        "aftercare": AFTERCARE,
        "warning_signs": WARNING_SIGNS,
    },
    "schedule": {"disputes": Disputes("schedule"), "general": Pick("schedule", undisputed=True)},
    "risks": {
        "warning_signs": WARNING_SIGNS,
        "disputes": Disputes("risk"),
        "list": Pick("risk", undisputed=True),
        "aftercare": AFTERCARE,
        "reporting": Pick("help", reporting=True),
    },
    "contraindications": {"severities": Split(Pick("contraindication"), "severity"), "limits": Pick("limitation")},
    "evidence": {
        "studies": Pick("evidence"),
        "benefits": Pick("benefit"),
        "claims": Pick("claim", undisputed=True),
        "disputes": Disputes("claim"),
        "regulation": Pick("regulation"),
        "alternatives": Pick("alternative"),
        "without": Pick("without_treatment"),
        "daily_life": Pick("daily_life"),
        "help": HELP,
    },
    "faq": {"questions": Questions()},
    "contact": {"warning_signs": WARNING_SIGNS, "help": HELP},
    "about": {},  # the sources and the claims left out: no facts
}

# The leaflet prints the site's selections, shortened only where it must fit its pages: facts
# marked ``leaflet: false`` are left out of every printed selection (see PRINTED).
_evidence = SITE["evidence"]
LEAFLET: dict[str, Selection] = {
    "warning_signs": WARNING_SIGNS,
    "aftercare": AFTERCARE,
    # "In brief": the key facts that no other section of the leaflet prints.
    "in_brief": Pick(
        key=True,
        leaving_out=(
            "risk",
            "contraindication",
            "evidence",
            "regulation",
            "without_treatment",
            "schedule",
            "substance",
            "field",
            "complementary",
        ),
    ),
    "indications": SITE["conditions"]["indications"],
    "limits": SITE["conditions"]["limits"],
    "substance_disputes": SITE["substances"]["disputes"],
    "substances": Pick("substance", undisputed=True),
    "technique_disputes": SITE["session"]["disputes"],
    "schedule_disputes": SITE["schedule"]["disputes"],
    "risk_disputes": SITE["risks"]["disputes"],
    "risks": SITE["risks"]["list"],
    "contraindications": SITE["contraindications"]["severities"],
    "evidence": (_evidence["benefits"], _evidence["studies"].narrowed(key=True), _evidence["regulation"]),  # type: ignore[union-attr]
    "alternatives": _evidence["alternatives"],
    "without": _evidence["without"],
    "daily_life": _evidence["daily_life"],
    "help": HELP,
}

# The forms. Consent lists every benefit and risk the facts hold, whatever the leaflet leaves out.
DOCUMENTS: dict[str, dict[str, Selection]] = {
    "questionnaire": {"contraindications": Split(Pick("contraindication"), "severity")},
    "consent": {
        "key_principle": Pick("principle", key=True),
        "principle": Pick("principle"),
        "benefits": Pick("benefit"),
        "risks": Pick("risk"),
        "warning_signs": WARNING_SIGNS,
        "alternatives": Pick("alternative"),
        "without": Pick("without_treatment"),
    },
    "record-card": {"warning_signs": WARNING_SIGNS, "help": HELP},
}

# Whether a selection leaves out the facts marked ``leaflet: false`` (a handout has pages to fit).
PRINTED = {"leaflet": True, "questionnaire": False, "consent": False, "record-card": True}


def applies(content: Content, fact: Fact) -> bool:
    """A fact for one country's patients (its reporting system) is shown by a clinic of that
    country only; a clinic with no country shows every country's."""
    return fact.country is None or content.clinic.country in (None, fact.country)


def disputed_ids(content: Content) -> frozenset[str]:
    made = content.derived.setdefault("page_model", {})
    if "disputed" not in made:
        made["disputed"] = frozenset(f for d in content.facts_file.disputes for f in d.facts)
    return made["disputed"]


def _matches(content: Content, fact: Fact, pick: Pick, disputed: frozenset[str]) -> bool:
    wanted = (
        (pick.category, fact.category),
        (pick.key, fact.key),
        (pick.group, fact.group),
        (pick.severity, fact.severity),
        (pick.step, fact.step),
    )
    if any(want is not None and want != have for want, have in wanted):
        return False
    if fact.category in pick.leaving_out or (pick.undisputed and fact.id in disputed):
        return False
    if pick.reporting is not None:
        first = content.sources[fact.sources[0]].type if fact.sources else None
        if (first == "reporting_system") != pick.reporting:
            return False
    return True


def fact_ids(content: Content, picks: Pick | tuple[Pick, ...], *, printed: bool = False) -> list[str]:
    """The facts a selection shows, in the order of its picks, then of the facts file."""
    disputed = disputed_ids(content)
    chosen: list[str] = []
    for pick in picks if isinstance(picks, tuple) else (picks,):
        chosen += [
            fact.id
            for fact in content.facts_file.facts
            if applies(content, fact) and (fact.leaflet or not printed) and _matches(content, fact, pick, disputed)
        ]
    return chosen


def disputes(content: Content, selection: Disputes) -> list[Dispute]:
    """A dispute is shown with every section of one of its facts' categories, in the site, the
    leaflet and the forms alike; its box always shows all its facts, side by side."""
    facts = content.facts
    return [d for d in content.facts_file.disputes if any(facts[f].category == selection.category for f in d.facts)]


def split(content: Content, selection: Split, *, printed: bool = False) -> list[tuple[str, list[str]]]:
    """(group, facts) for every group, severity or step, empty ones included, in order."""
    keys: tuple[str, ...]
    if selection.by == "group":
        keys = tuple(content.facts_file.groups.get(selection.pick.category or "", []))
    else:
        keys = SEVERITIES if selection.by == "severity" else STEPS
    return [(key, fact_ids(content, selection.pick.narrowed(**{selection.by: key}), printed=printed)) for key in keys]


def questions(content: Content) -> list[tuple[FaqItem, list[str]]]:
    """Each question with the facts its answer shows (those that apply to the clinic's country)."""
    facts = content.facts
    return [(item, [f for f in item.facts if applies(content, facts[f])]) for item in content.facts_file.faq]


Resolved = list[str] | list[Dispute] | list[tuple[str, list[str]]] | list[tuple[FaqItem, list[str]]]


def resolve(content: Content, selection: Selection, *, printed: bool = False) -> Resolved:
    """Fact ids (or disputes, or lists by group, or questions) that a selection shows; worked out
    once per loaded content (every language shows the same facts)."""
    made = content.derived.setdefault("page_model", {})
    key = (selection, printed)
    if key not in made:
        if isinstance(selection, Disputes):
            made[key] = disputes(content, selection)
        elif isinstance(selection, Split):
            made[key] = split(content, selection, printed=printed)
        elif isinstance(selection, Questions):
            made[key] = questions(content)
        else:
            made[key] = fact_ids(content, selection, printed=printed)
    return made[key]


def shown_facts(content: Content, selections: dict[str, Selection], *, printed: bool = False) -> set[str]:
    """Every fact a page, leaflet or form shows, disputes' and questions' facts included: its
    review date is the stalest of theirs."""
    shown: set[str] = set()
    for selection in selections.values():
        resolved = resolve(content, selection, printed=printed)
        if isinstance(selection, Disputes):
            shown.update(f for d in resolved for f in d.facts)  # type: ignore[union-attr]
        elif isinstance(selection, Split):
            shown.update(f for _, ids in resolved for f in ids)  # type: ignore[misc]
        elif isinstance(selection, Questions):
            for item, ids in resolved:  # type: ignore[misc]
                shown.update(ids)
                shown.update(f for d in content.facts_file.disputes if d.id in item.disputes for f in d.facts)
        else:
            shown.update(resolved)  # type: ignore[arg-type]
    return shown
