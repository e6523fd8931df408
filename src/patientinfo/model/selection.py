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

from patientinfo.content.memo import per_treatment
from patientinfo.content.model import Treatment
from patientinfo.content.schema import Dispute, Fact, FaqItem, Severity, Step, Urgency

SEVERITIES: tuple[str, ...] = get_args(Severity)
STEPS: tuple[str, ...] = get_args(Step)
URGENCIES: tuple[str, ...] = get_args(Urgency)


@dataclass(frozen=True)
class Pick:
    """Facts chosen by their fields; ``None`` means any value."""

    category: str | None = None
    key: bool | None = None
    group: str | None = None
    severity: str | None = None
    step: str | None = None
    undisputed: bool = False  # leave out facts shown in a dispute box instead
    beside_claims: bool = True  # False: leave out facts in a dispute with a clinic's claim (a signed form)
    reporting: bool | None = None  # whose first source is (not) an official reporting system
    leaving_out: tuple[str, ...] = ()  # categories left out
    urgency: str | None = None
    # Every country's facts, the clinic's country first: a reader of another language may live
    # elsewhere (reporting systems, registers of doctors). Otherwise only the clinic's country's.
    every_country: bool = False

    def narrowed(self, **fields: object) -> Pick:
        return replace(self, **fields)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Disputes:
    """The disagreements with at least one fact of ``category`` (or of one of several);
    ``claims=False`` leaves out those that hold a clinic's claim (a signed form states facts)."""

    category: str | tuple[str, ...]
    claims: bool = True


@dataclass(frozen=True)
class Split:
    """One list of facts per group, severity or step, in the content's or the schema's order."""

    pick: Pick
    by: Literal["group", "severity", "step", "urgency"]


@dataclass(frozen=True)
class Questions:
    """The frequently asked questions, each with its facts and disputes."""


Selection = Pick | Disputes | Split | Questions | tuple[Pick, ...]  # a tuple: one list, in that order

# Warning signs by what to do: call the emergency number now, or the clinic the same day.
WARNING_SIGNS = Split(Pick("warning_sign"), "urgency")
AFTERCARE = Pick("aftercare")
# Whom to call when the clinic cannot be reached: every country's, the clinic's first.
OUT_OF_HOURS = Pick("out_of_hours", every_country=True)
REPORTING = Pick("help", reporting=True, every_country=True)
HELP = (Pick("help", reporting=False, every_country=True), REPORTING)
STUDIES, BENEFITS, REGULATION = Pick("evidence"), Pick("benefit"), Pick("regulation")

SITE: dict[str, dict[str, Selection]] = {
    "index": {"in_brief": Pick("summary"), "warning_signs": WARNING_SIGNS, "out_of_hours": OUT_OF_HOURS},
    "how-it-works": {
        "principle": Pick("principle"),
        "history": Pick("history"),
        "fields": Pick("field"),
        "eligibility": Pick("eligibility"),
        "complementary": Pick("complementary"),
        "practice": Pick("practice"),
    },
    "evidence": {
        "studies": STUDIES,
        "benefits": BENEFITS,
        "claims": Pick("claim", undisputed=True),
        "disputes": Disputes("claim"),
        "regulation": REGULATION,
        "alternatives": Pick("alternative"),
        "without": Pick("without_treatment"),
        "daily_life": Pick("daily_life"),
        "help": HELP,
    },
    "conditions": {"indications": Split(Pick("indication"), "group"), "limits": Pick("limitation")},
    "substances": {"disputes": Disputes("substance"), "groups": Split(Pick("substance", undisputed=True), "group")},
    "session": {
        "steps": Split(Pick(undisputed=True), "step"),
        "disputes": Disputes("technique"),
        "aftercare": AFTERCARE,
        "warning_signs": WARNING_SIGNS,
        "out_of_hours": OUT_OF_HOURS,
        "consent": Pick("consent"),
    },
    "schedule": {"disputes": Disputes("schedule"), "general": Pick("schedule", undisputed=True)},
    "risks": {
        "warning_signs": WARNING_SIGNS,
        "out_of_hours": OUT_OF_HOURS,
        "disputes": Disputes("risk"),
        "list": Pick("risk", undisputed=True),
        "aftercare": AFTERCARE,
        "reporting": REPORTING,
    },
    "contraindications": {
        "severities": Split(Pick("contraindication"), "severity"),
        "questions": Pick("screening"),
        "before": Pick("practice", step="before"),
        "limits": Pick("limitation"),
    },
    "faq": {"questions": Questions()},
    "contact": {"warning_signs": WARNING_SIGNS, "out_of_hours": OUT_OF_HOURS, "help": HELP},
    "about": {},  # the sources and the claims left out: no facts
}

# The leaflet prints the site's selections, shortened only where it must fit its pages: facts
# marked ``leaflet: false`` are left out of every printed selection (see PRINTED).
_evidence = SITE["evidence"]
LEAFLET: dict[str, Selection] = {
    "warning_signs": WARNING_SIGNS,
    "out_of_hours": OUT_OF_HOURS,
    "aftercare": AFTERCARE,
    # The key messages first, as on the home page.
    "in_brief": SITE["index"]["in_brief"],
    "indications": SITE["conditions"]["indications"],
    "limits": SITE["conditions"]["limits"],
    "substance_disputes": SITE["substances"]["disputes"],
    "substances": Pick("substance", undisputed=True),
    "technique_disputes": SITE["session"]["disputes"],
    "schedule_disputes": SITE["schedule"]["disputes"],
    "risk_disputes": SITE["risks"]["disputes"],
    "risks": SITE["risks"]["list"],
    "contraindications": SITE["contraindications"]["severities"],
    "evidence": (BENEFITS, STUDIES, REGULATION),
    "alternatives": _evidence["alternatives"],
    "without": _evidence["without"],
    "daily_life": _evidence["daily_life"],
    "help": HELP,
    "consent": SITE["session"]["consent"],
}

# The forms. Consent lists every benefit and risk the facts hold, whatever the leaflet leaves out.
# A signed form states facts: no clinic's claim (the risks in a dispute with a claim are left out,
# and it says that practice varies without quoting the clinics: the doctor writes the plan);
# every risk, whatever the leaflet leaves out.
DOCUMENTS: dict[str, dict[str, Selection]] = {
    "questionnaire": {"questions": Pick("screening")},
    "consent": {
        "what": Pick("principle", key=True),
        "benefits": Pick("benefit"),
        "risks": Pick("risk", beside_claims=False),
        "warning_signs": WARNING_SIGNS,
        "out_of_hours": OUT_OF_HOURS,
        "alternatives": Pick("alternative"),
        "without": Pick("without_treatment"),
        "aftercare": AFTERCARE,
        "consent": (Pick("consent"), Pick("regulation")),
    },
    "record-card": {"warning_signs": WARNING_SIGNS, "out_of_hours": OUT_OF_HOURS, "aftercare": AFTERCARE},
}

# Whether a selection leaves out the facts marked ``leaflet: false`` (a handout has pages to fit).
PRINTED = {"leaflet": True, "questionnaire": False, "consent": False, "record-card": True}


def applies(treatment: Treatment, fact: Fact, *, every_country: bool = False) -> bool:
    """A fact for one country's patients (its law) is shown by a clinic of that country only; a
    clinic with no country shows every country's; ``every_country`` shows them all."""
    return every_country or fact.country is None or treatment.clinic.country in (None, fact.country)


def _clinic_country_first(treatment: Treatment, facts: list[Fact]) -> list[Fact]:
    country = treatment.clinic.country
    return sorted(facts, key=lambda fact: fact.country is not None and fact.country != country)


@per_treatment
def disputed_ids(treatment: Treatment) -> frozenset[str]:
    return frozenset(f for d in treatment.facts_file.disputes for f in d.facts)


def _beside_claims(treatment: Treatment) -> frozenset[str]:
    """The facts of the disputes that hold a clinic's claim ("side effects are rare")."""
    facts = treatment.facts
    return frozenset(
        f
        for d in treatment.facts_file.disputes
        if any(facts[x].category == "claim" for x in d.facts)
        for f in d.facts
        if facts[f].category != "claim"
    )


def _matches(treatment: Treatment, fact: Fact, pick: Pick, disputed: frozenset[str]) -> bool:
    wanted = (
        (pick.category, fact.category),
        (pick.key, fact.key),
        (pick.group, fact.group),
        (pick.severity, fact.severity),
        (pick.step, fact.step),
        (pick.urgency, fact.urgency),
    )
    if any(want is not None and want != have for want, have in wanted):
        return False
    if fact.category in pick.leaving_out or (pick.undisputed and fact.id in disputed):
        return False
    if not pick.beside_claims and fact.id in _beside_claims(treatment):
        return False
    if pick.reporting is not None:
        first = treatment.sources[fact.sources[0]].type if fact.sources else None
        if (first == "reporting_system") != pick.reporting:
            return False
    return True


def fact_ids(treatment: Treatment, picks: Pick | tuple[Pick, ...], *, printed: bool = False) -> list[str]:
    """The facts a selection shows, in the order of its picks, then of the facts file. The same
    in every language: worked out once per loaded treatment."""
    return list(_fact_ids(treatment, picks, printed))


@per_treatment
def _fact_ids(treatment: Treatment, picks: Pick | tuple[Pick, ...], printed: bool) -> tuple[str, ...]:
    disputed = disputed_ids(treatment)
    chosen: list[str] = []
    for pick in picks if isinstance(picks, tuple) else (picks,):
        matching = [
            fact
            for fact in treatment.facts.values()
            if applies(treatment, fact, every_country=pick.every_country)
            and (fact.leaflet or not printed)
            and _matches(treatment, fact, pick, disputed)
        ]
        chosen += [fact.id for fact in _clinic_country_first(treatment, matching)]
    return tuple(chosen)


def disputes(treatment: Treatment, selection: Disputes) -> list[Dispute]:
    """A dispute is shown with every section of one of its facts' categories, in the site, the
    leaflet and the forms alike; its box always shows all its facts, side by side."""
    facts = treatment.facts
    categories = selection.category if isinstance(selection.category, tuple) else (selection.category,)
    return [
        d
        for d in treatment.facts_file.disputes
        if any(facts[f].category in categories for f in d.facts)
        and (selection.claims or all(facts[f].category != "claim" for f in d.facts))
    ]


def split(treatment: Treatment, selection: Split, *, printed: bool = False) -> list[tuple[str, list[str]]]:
    """(group, facts) for every group, severity or step, empty ones included, in order."""
    keys: tuple[str, ...]
    if selection.by == "group":
        keys = tuple(treatment.facts_file.groups.get(selection.pick.category or "", []))  # type: ignore[call-overload]
    else:
        keys = {"severity": SEVERITIES, "step": STEPS, "urgency": URGENCIES}[selection.by]
    return [(key, fact_ids(treatment, selection.pick.narrowed(**{selection.by: key}), printed=printed)) for key in keys]


def questions(treatment: Treatment) -> list[tuple[FaqItem, list[str]]]:
    """Each question with the facts its answer shows (those that apply to the clinic's country)."""
    facts = treatment.facts

    def answer(item: FaqItem) -> list[str]:
        named = [facts[f] for f in item.facts if f in facts]  # a country's facts: when that country is shown
        shown = [fact for fact in named if applies(treatment, fact, every_country=fact.category == "help")]
        return [fact.id for fact in _clinic_country_first(treatment, shown)]

    return [(item, answer(item)) for item in treatment.facts_file.faq]


Resolved = list[str] | list[Dispute] | list[tuple[str, list[str]]] | list[tuple[FaqItem, list[str]]]


@per_treatment
def resolve(treatment: Treatment, selection: Selection, *, printed: bool = False) -> Resolved:
    """Fact ids (or disputes, or lists by group, or questions) that a selection shows; worked out
    once per loaded treatment (every language shows the same facts)."""
    if isinstance(selection, Disputes):
        return disputes(treatment, selection)
    if isinstance(selection, Split):
        return split(treatment, selection, printed=printed)
    if isinstance(selection, Questions):
        return questions(treatment)
    return fact_ids(treatment, selection, printed=printed)


def shown_facts(treatment: Treatment, selections: dict[str, Selection], *, printed: bool = False) -> set[str]:
    """Every fact a page, leaflet or form shows, disputes' and questions' facts included: its
    review date is the stalest of theirs."""
    shown: set[str] = set()
    for selection in selections.values():
        if isinstance(selection, Disputes):
            shown.update(f for d in disputes(treatment, selection) for f in d.facts)
        elif isinstance(selection, Split):
            shown.update(f for _, ids in split(treatment, selection, printed=printed) for f in ids)
        elif isinstance(selection, Questions):
            for item, ids in questions(treatment):
                shown.update(ids)
                shown.update(f for d in treatment.facts_file.disputes if d.id in item.disputes for f in d.facts)
        else:
            shown.update(fact_ids(treatment, selection, printed=printed))
    # A risk shows how often it happened beside it (its frequency fact).
    facts = treatment.facts
    shown.update(facts[f].frequency for f in list(shown) if f in facts and facts[f].frequency)  # type: ignore[misc]
    return shown
