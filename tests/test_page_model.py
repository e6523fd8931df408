"""The page model: which facts each page, leaflet section and form shows, written once for all."""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape

from conftest import DAY, edit_yaml, html_of
from patientinfo.content.load import load_treatment
from patientinfo.model import selection as page_model
from patientinfo.model.selection import LEAFLET, SITE, Pick, Split
from patientinfo.render.pages import LanguageRenderer


def test_every_fact_is_shown_on_some_page(content):
    """A fact the model gives no page would vanish from the site without any error."""
    shown = set().union(*(page_model.shown_facts(content, selections) for selections in SITE.values()))
    applying = {f.id for f in content.facts_file.facts if page_model.applies(content, f)}
    assert applying - shown == set()


def test_every_leaflet_fact_is_a_site_fact_and_printed_ones_only(content):
    printed = page_model.shown_facts(content, LEAFLET, printed=True)
    on_site = set().union(*(page_model.shown_facts(content, selections) for selections in SITE.values()))
    assert printed <= on_site
    left_out = {f.id for f in content.facts_file.facts if not f.leaflet}
    disputed = page_model.disputed_ids(content)  # a dispute box always shows all its sides
    assert printed & left_out <= disputed


def test_a_split_keeps_every_group_in_the_content_order(content):
    groups = page_model.resolve(content, Split(Pick("indication"), "group"))
    assert [group for group, _ in groups] == content.facts_file.groups["indication"]
    for group, ids in groups:
        assert all(content.facts[f].group == group for f in ids)


def test_a_fact_for_another_country_is_in_no_selection_but_its_help_is(content):
    """Another country's law is not this clinic's; another country's help (reporting system,
    register of doctors, out-of-hours numbers) is shown, after the clinic's own."""
    others = [f for f in content.facts_file.facts if f.country and f.country != content.clinic.country]
    everywhere = set().union(*(page_model.shown_facts(content, selections) for selections in SITE.values()))
    for fact in others:
        assert (fact.id in everywhere) is (fact.category in ("help", "out_of_hours")), fact.id
    reporting = page_model.fact_ids(content, page_model.REPORTING)
    assert content.facts[reporting[0]].country == content.clinic.country


def reorder_side_effects_dispute(project: Path) -> str:
    """Put the dispute's risk first and its promotional claim last; returns the dispute's id."""
    chosen: dict = {}

    def change(data: dict) -> None:
        facts = {f["id"]: f for f in data["facts"]}
        dispute = next(d for d in data["disputes"] if {facts[f]["category"] for f in d["facts"]} == {"claim", "risk"})
        dispute["facts"].sort(key=lambda f: facts[f]["category"] != "risk")
        chosen["id"] = dispute["id"]

    edit_yaml(project / "content/treatments/mesotherapy/facts.yaml", change)
    return chosen["id"]


def test_a_dispute_shows_with_its_section_whatever_the_order_of_its_facts(project: Path):
    """The leaflet once chose a dispute's section by its first or last fact: a risk listed first
    lost its box on the leaflet while the site still showed it."""
    dispute_id = reorder_side_effects_dispute(project)
    content = load_treatment(project)
    assert dispute_id in [d.id for d in page_model.resolve(content, LEAFLET["risk_disputes"], printed=True)]
    renderer = LanguageRenderer(content, "en", day=DAY)
    leaflet = html_of(content, "en", "leaflet")
    risks = leaflet.split(escape(renderer.plain("pages", "risks.title")), 1)[1]
    assert str(escape(renderer.plain("facts", dispute_id))) in risks


def test_the_consent_form_lists_a_risk_the_leaflet_leaves_out(project: Path):
    def change(data: dict) -> None:
        next(f for f in data["facts"] if f["category"] == "risk" and f["id"] == "risk-infection")["leaflet"] = False

    edit_yaml(project / "content/treatments/mesotherapy/facts.yaml", change)
    content = load_treatment(project)
    text = str(escape(LanguageRenderer(content, "en", day=DAY).views.fact_plain("risk-infection")))
    assert text not in html_of(content, "en", "leaflet")
    assert 'data-fact="risk-infection"' in html_of(content, "en", "consent")
    assert "risk-infection" in page_model.shown_facts(content, SITE["risks"])
