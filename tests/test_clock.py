"""The suite runs on a fixed day (``DAY`` in conftest), never today's date; and the content's own
review dates decide what an editor and a patient are told. A year later, the same content makes
the strict check fail, and every page and the leaflet say that the review is overdue."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from markupsafe import escape

from conftest import A_YEAR_LATER, DAY, build_pages, context, epoch_of, html_of, run_cli
from patientinfo.content.load import load_treatment
from patientinfo.render.pages import PAGES, LanguageRenderer


def test_the_suite_day_is_a_fixed_date_inside_the_shipped_review_period(project: Path):
    review = load_treatment(project).facts_file.review
    assert dt.date(2026, 12, 1) == DAY
    assert context().day == DAY  # what every build and command of the suite is given
    assert review.last_reviewed <= DAY < review.next_review < A_YEAR_LATER


def test_a_year_later_the_check_fails_and_the_pages_and_leaflet_warn(project: Path):
    treatment = load_treatment(project)
    due = treatment.facts_file.review.next_review
    # The command as a real process: the exit code and the message an editor sees.
    later = run_cli(
        project,
        "check",
        "--strict",
        "--no-readability",
        env={"SOURCE_DATE_EPOCH": epoch_of(A_YEAR_LATER)},
        process=True,
    )
    assert later.returncode == 1
    assert f"the review was due on {due.isoformat()}" in later.stdout + later.stderr
    on_time = run_cli(project, "check", "--strict", "--no-readability")
    assert on_time.returncode == 0, on_time.stdout + on_time.stderr
    renderer = LanguageRenderer(treatment, "en", day=A_YEAR_LATER)
    notice = renderer.plain("ui", "review.overdue", next=renderer.fmt.date(due))
    assert build_pages(project, day=A_YEAR_LATER).returncode == 0
    for page in PAGES:
        html = (project / "site" / "en" / ("" if page == "index" else page) / "index.html").read_text(encoding="utf-8")
        assert re.sub(r"\s+", " ", str(escape(notice))) in re.sub(r"\s+", " ", html), page
    assert str(escape(notice)) in html_of(treatment, "en", "leaflet", day=A_YEAR_LATER)
    assert str(escape(notice)) not in html_of(treatment, "en", "leaflet", day=DAY)
