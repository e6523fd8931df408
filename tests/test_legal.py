"""The legal notice, privacy and accessibility page: in every language, from the clinic file,
linked from the about page; the host and the person responsible shown when the clinic gives them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import LANGS, build_pages, copy_project

PREFIX = {"fr": "", "it": "it/", "en": "en/"}
NO_COOKIE = {
    "fr": "Ce site ne dépose aucun cookie.",
    "it": "Questo sito non usa cookie.",
    "en": "This site sets no cookies.",
}


def text_of(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).replace("\u00a0", " ")


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_the_page_linked_from_about(built_pages: Path, lang: str):
    site = built_pages / "site" / PREFIX[lang]
    page = text_of(site / "legal/index.html")
    clinic = yaml.safe_load((built_pages / "content/clinic.yaml").read_text(encoding="utf-8"))
    for value in (clinic["name"], clinic["email"], clinic["phone"], clinic["medical_reviewer"], *clinic["address"]):
        assert value in page, value
    assert NO_COOKIE[lang] in page
    raw = (site / "legal/index.html").read_text(encoding="utf-8")
    assert re.search(r"<p>(Relecture médicale|Revisione medica|Medical review)", raw)  # its own paragraph
    assert 'href="../legal/"' in (site / "about/index.html").read_text(encoding="utf-8")


def test_the_host_and_the_person_responsible_come_from_the_clinic_file(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    path = project / "content/clinic.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + 'publication_director: "Dr <b>Responsable</b>"\n'
        + 'host: {name: "Hébergeur & Cie", address: ["1 rue du Serveur", "69000 Lyon"], phone: "+33 4 00 00 00 00"}\n',
        encoding="utf-8",
    )
    assert build_pages(project).returncode == 0
    raw = (project / "site/en/legal/index.html").read_text(encoding="utf-8")
    assert "Dr &lt;b&gt;Responsable&lt;/b&gt;" in raw and "<b>Responsable" not in raw  # escaped once
    assert "Hébergeur &amp; Cie" in raw and "69000 Lyon" in raw and "+33 4 00 00 00 00" in raw
    assert "has not yet said who hosts" not in raw
