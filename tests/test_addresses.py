"""Published addresses never break: a build records every address it publishes; when a second
treatment moves every page and PDF into its folder, each old address leads to its new place."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from conftest import add_sample_treatment, build_pages, copy_project
from patientinfo.pipeline.addresses import RECORD, old_addresses

REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def pages_of(site: Path) -> list[str]:
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("index.html")
        if not path.relative_to(site).as_posix().startswith(("assets/", "search/"))
    )


def follow(site: Path, page: str) -> tuple[str, str]:
    """The page a visitor of ``page`` ends on (following redirects), and its HTML."""
    for _ in range(5):
        html = (site / page).read_text(encoding="utf-8")
        found = REFRESH.search(html)
        if not found:
            return page, html
        page = urljoin(page, found.group(1)) + "index.html"
        assert (site / page).is_file(), f"redirect to a missing page: {page}"
    raise AssertionError(f"{page}: too many redirects")


def title(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def test_no_address_is_lost_when_a_second_treatment_is_published(project: Path):
    assert build_pages(project).returncode == 0
    site = project / "site"
    before = {page: title(follow(site, page)[1]) for page in pages_of(site)}
    record = yaml.safe_load((project / "content" / RECORD).read_text(encoding="utf-8"))
    assert record["fr/risks/"] == "mesotherapy/risks" and record["it/leaflet-it.pdf"] == "mesotherapy/leaflet-it.pdf"

    add_sample_treatment(project, keep_mesotherapy=True)
    result = build_pages(project)
    assert result.returncode == 0, result.stderr + result.stdout
    assert (site / "mesotherapy/risks/index.html").is_file()
    for page, old_title in before.items():
        assert (site / page).is_file(), f"{page} is gone"
        landed, html = follow(site, page)
        if page == "index.html" or page.endswith(("it/index.html", "en/index.html")) and page.count("/") == 1:
            continue  # the home page stays where it was and now lists the treatments
        assert title(html) == old_title, (page, landed)
    assert follow(site, "risks/index.html")[0] == "mesotherapy/risks/index.html"
    assert follow(site, "it/risks/index.html")[0] == "it/mesotherapy/risks/index.html"
    record = yaml.safe_load((project / "content" / RECORD).read_text(encoding="utf-8"))
    assert record["fr/risks/"] == "mesotherapy/risks" and record["fr/mesotherapy/risks/"] == "mesotherapy/risks"


def test_a_moved_pdf_stays_at_its_old_address_and_a_removed_page_leads_home():
    record = {"fr/leaflet-fr.pdf": "meso/leaflet-fr.pdf", "it/risks/": "meso/risks", "it/gone/": "old/gone"}
    now = {"fr/meso/leaflet-fr.pdf": "meso/leaflet-fr.pdf", "it/meso/risks/": "meso/risks"}
    kept = old_addresses(record, now, {"fr": {"meso/leaflet-fr.pdf": b"%PDF-current"}}, ["fr", "it"])
    assert kept["fr/leaflet-fr.pdf"] == b"%PDF-current"
    assert b'url=../meso/risks/"' in kept["it/risks/index.html"]
    assert b'url=../"' in kept["it/gone/index.html"]
    assert set(kept) == {"fr/leaflet-fr.pdf", "it/risks/index.html", "it/gone/index.html"}


def test_pdfs_printed_while_the_pages_are_built_reach_their_old_addresses_too(tmp_path: Path):
    """A build leaves stand-ins while the PDFs print (stage.finish_pdfs): every stand-in, the
    copy at an old address included, becomes the printed PDF, in the staging folder as well,
    and only then is the record a later build reuses written."""
    from types import SimpleNamespace

    from patientinfo.pipeline import reuse
    from patientinfo.pipeline.stage import PendingPdfs, Staged, finish_pdfs, publish_staging

    class Printed:  # what the workers give back
        def collect(self) -> dict[str, dict[str, bytes]]:
            return {"fr": {"meso/leaflet-fr.pdf": b"%PDF-printed"}}

    files = {"fr/meso/leaflet-fr.pdf": b"", "fr/leaflet-fr.pdf": b"", "fr/index.md": b"# Home\n"}
    project = SimpleNamespace(languages=["fr"])
    staged = Staged(project, dict(files), sorted(files), [], digest="stamp")  # type: ignore[arg-type]
    pending = PendingPdfs(
        Printed(), {"fr/leaflet-fr.pdf": "meso/leaflet-fr.pdf"}, {"fr/meso/leaflet-fr.pdf": "meso/leaflet-fr.pdf"}
    )  # type: ignore[arg-type]
    staged.pending = pending
    staging = tmp_path / "docs"
    publish_staging(staged, staging)
    assert reuse.load(staging, "stamp") is None  # no record of stand-ins
    changed = finish_pdfs(staged, staging)
    assert changed == {"fr/meso/leaflet-fr.pdf": b"%PDF-printed", "fr/leaflet-fr.pdf": b"%PDF-printed"}
    assert (staging / "fr/leaflet-fr.pdf").read_bytes() == b"%PDF-printed" == staged.files["fr/leaflet-fr.pdf"]
    kept = reuse.load(staging, "stamp")
    assert kept is not None and kept[0]["fr/meso/leaflet-fr.pdf"] == b"%PDF-printed"
    assert staged.pending is None and finish_pdfs(staged, staging) == {}
