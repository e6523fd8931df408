"""Review dates: a page's front matter (and so its JSON-LD) carries the review its footer shows,
and a leaflet shows the overdue notice once its review is due, whatever day it is built."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from markupsafe import escape

from conftest import DAY, edit_yaml, html_of
from patientinfo.content.load import load_treatment
from patientinfo.render.pages import LanguageRenderer, render_language


def older_review_on_first_risk(project: Path) -> tuple[str, dt.date]:
    """Give the first risk fact its own, older review; returns its id and review day."""
    chosen: dict = {}

    def change(data: dict) -> None:
        general = data["review"]
        fact = next(f for f in data["facts"] if f["category"] == "risk")
        day = general["last_reviewed"] - dt.timedelta(days=30)
        fact["review"] = {
            "last_reviewed": day,
            "next_review": general["next_review"] - dt.timedelta(days=30),
        }
        chosen.update(id=fact["id"], day=day)

    edit_yaml(project / "content/treatments/mesotherapy/facts.yaml", change)
    return chosen["id"], chosen["day"]


def front_matter(markdown: str) -> dict:
    return yaml.safe_load(markdown.split("---", 2)[1])


def test_a_page_front_matter_has_the_review_of_the_facts_it_shows(project: Path):
    fact_id, day = older_review_on_first_risk(project)
    content = load_treatment(project)
    pages = render_language(content, "en", DAY)
    general = content.facts_file.review.last_reviewed
    assert front_matter(pages["risks.md"])["last_reviewed"] == day.isoformat()
    footer = LanguageRenderer(content, "en", day=DAY).fmt.date(day)
    assert footer in pages["risks.md"].rsplit("---", 1)[-1]  # the footer says the same
    assert front_matter(pages["contact.md"])["last_reviewed"] == general.isoformat()


def test_the_build_day_decides_the_overdue_notice_on_the_leaflet(project: Path):
    """The day comes from the build context: the day after the review was due, the leaflet says
    so; on the day itself, it does not."""
    content = load_treatment(project)
    next_review = content.facts_file.review.next_review
    renderer = LanguageRenderer(content, "en", day=DAY)
    overdue = renderer.plain("ui", "review.overdue", next=renderer.fmt.date(next_review))
    assert str(escape(overdue)) in html_of(content, "en", "leaflet", day=next_review + dt.timedelta(days=1))
    assert str(escape(overdue)) not in html_of(content, "en", "leaflet", day=next_review)


def test_the_leaflet_review_is_the_stalest_of_the_facts_it_prints(project: Path):
    """The leaflet printed the treatment's general review even when a fact it prints was
    reviewed earlier; its review now comes from the page model, like a page's."""
    fact_id, day = older_review_on_first_risk(project)
    content = load_treatment(project)
    assert content.facts[fact_id].leaflet
    shown = LanguageRenderer(content, "en", day=DAY).fmt.date(day)
    assert str(escape(shown)) in html_of(content, "en", "leaflet")
