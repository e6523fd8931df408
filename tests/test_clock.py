"""The suite runs on a pinned clock (conftest), and the content's own review dates decide what
an editor is told: a year after the next review is due, the check fails and the pages warn."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml

from conftest import REPO, pinned_epoch, run_cli


def epoch_of(day: dt.date) -> str:
    return str(int(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC).timestamp()))


def test_the_suite_runs_on_the_contents_review_day_not_today():
    review = yaml.safe_load((REPO / "content/treatments/mesotherapy/facts.yaml").read_text(encoding="utf-8"))["review"]
    assert os.environ["SOURCE_DATE_EPOCH"] == pinned_epoch() == epoch_of(review["last_reviewed"])


def test_a_year_after_the_review_was_due_the_strict_check_says_so(project: Path):
    review = yaml.safe_load((project / "content/treatments/mesotherapy/facts.yaml").read_text(encoding="utf-8"))[
        "review"
    ]
    later = review["next_review"] + dt.timedelta(days=365)
    result = run_cli(project, "check", "--strict", "--no-readability", env={"SOURCE_DATE_EPOCH": epoch_of(later)})
    assert result.returncode == 1
    assert f"the review was due on {review['next_review'].isoformat()}" in result.stdout + result.stderr
