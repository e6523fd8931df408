"""Releases: a version signed off by the medical reviewer, its PDFs archived byte for byte at
addresses that hold their version id, and a page per language that says what changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import DAY, build_pages, context, run_cli
from patientinfo.content.layout import Layout
from patientinfo.content.releases import read_record
from patientinfo.release.command import ReleaseRefused, release

FACTS = "content/treatments/mesotherapy/facts.yaml"
PAGE = {"fr": "releases/index.html", "it": "it/releases/index.html", "en": "en/releases/index.html"}
CHANGE = {
    "fr": "Avant\u00a0: 3\u00a0séances. Maintenant\u00a0: 4\u00a0séances.",
    "it": "Prima: 3\u00a0sedute. Ora: 4\u00a0sedute.",
    "en": "Before: 3\u00a0sessions. Now: 4\u00a0sessions.",
}


WORDS = {
    "fr": "Selon une troisième clinique, 4\u00a0séances suffisent",
    "it": "4\u00a0sedute",
    "en": "A third clinic says 4\u00a0sessions are enough",
}


def four_sessions_for_sports_injuries(project: Path) -> None:
    """The fact and its source's words changed together (a made-up correction, for the test)."""
    path = project / FACTS
    text = path.read_text(encoding="utf-8")
    old_value, old_quote = "      sessions: {value: 3, unit: session}\n    # en: source C", "3 séances suffiront"
    assert old_value in text and old_quote in text
    text = text.replace(old_value, old_value.replace("3", "4", 1)).replace(old_quote, "4 séances suffiront")
    path.write_text(text, encoding="utf-8")


def archived(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "releases").rglob("*.pdf")}


def test_a_release_with_findings_is_refused_and_writes_nothing(project: Path) -> None:
    path = project / FACTS
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sessions: {value: 3, unit: session}", "sessions: {value: 5, unit: session}"), "utf-8")
    with pytest.raises(ReleaseRefused) as refused:
        release(Layout(project), "Five sessions", DAY, cache=context().pdf_cache)
    assert any("'sched-sport' value 'sessions' is 5" in reason for reason in refused.value.reasons)
    assert not (project / "releases").exists()
    result = run_cli(project, "release", "--note", "Five sessions")
    assert result.returncode == 1 and "Not released:" in result.stdout


@pytest.mark.slow
def test_two_releases_keep_both_versions_byte_for_byte_and_say_what_changed(project: Path) -> None:
    layout = Layout(project)
    first = release(layout, "First version", DAY, cache=context().pdf_cache)
    kept = archived(project)
    assert len(kept) == 15  # five documents in three languages
    with pytest.raises(ReleaseRefused, match="nothing changed since release 1"):
        release(layout, "Again", DAY, cache=context().pdf_cache)

    four_sessions_for_sports_injuries(project)
    second = release(layout, "Sports injuries: 4 sessions", DAY, cache=context().pdf_cache)
    assert {k: v for k, v in archived(project).items() if k in kept} == kept  # the first version untouched
    record = read_record(layout)
    assert [r.number for r in record.releases] == [1, 2] and record.releases[1].reviewer == "Dr Camille Exemple"
    change = record.releases[1].treatments["mesotherapy"].values_changed
    assert [(c.fact, c.before.value, c.after.value) for c in change] == [("sched-sport", 3, 4)]

    assert build_pages(project).returncode == 0
    site = project / "site"
    for lang in ("fr", "it", "en"):
        prefix = "" if lang == "fr" else f"{lang}/"
        for done in (first, second):
            version = done.release.treatments["mesotherapy"].versions[lang]
            for name in ("leaflet", "consent", "leaflet-large"):
                served = site / f"{prefix}archive/mesotherapy/{version}/{name}-{lang}.pdf"
                assert (
                    served.read_bytes() == (project / f"releases/mesotherapy/{version}/{name}-{lang}.pdf").read_bytes()
                )
        page = (site / PAGE[lang]).read_text(encoding="utf-8")
        plain = re.sub(r"<[^>]+>", "", page)
        assert CHANGE[lang] in plain, lang
        assert WORDS[lang] in plain  # the fact named in patients' words, not by its id
        old = first.release.treatments["mesotherapy"].versions[lang]
        new = second.release.treatments["mesotherapy"].versions[lang]
        assert f'id="version-{old}"' in page and new in plain.split(old, 2)[-1]  # replaced, by which version
        assert (
            f'href="../archive/mesotherapy/{old}/leaflet-{lang}.pdf"' in page
            or f'href="archive/mesotherapy/{old}/leaflet-{lang}.pdf"' in page
        )


def test_the_release_record_says_what_it_is(project: Path) -> None:
    """A record written by hand wrongly is refused with its file named, not half-read."""
    (project / "releases").mkdir()
    (project / "releases/record.yaml").write_text(yaml.safe_dump({"releases": [{"number": "one"}]}), "utf-8")
    result = build_pages(project)
    assert result.returncode != 0 and "releases/record.yaml" in result.stdout + result.stderr
