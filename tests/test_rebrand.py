"""Another clinic changes only content/clinic.yaml and nothing of the old clinic remains."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import build_pages, html_of, pdf_of
from patientinfo.content.load import load_project
from patientinfo.printing.registry import PRINTED

NEW_CLINIC = {
    "name": "Studio Medico Prova",
    "address": ["Via Inventata 7", "00100 Roma, Italia"],
    "phone": "+39 06 0000 1111",
    "email": "info@studio-prova.example.net",
    "website": "https://studio-prova.example.net/",
    "medical_reviewer": "Dr.ssa Giulia Prova",
    "emergency_number": "118",
    "brand_colour": "#7a1f3d",
    "logo": "docs/assets/studio-logo.svg",
    "fictional": True,
}
LOGO = "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40'><circle cx='20' cy='20' r='18' fill='#7a1f3d'/></svg>"


def site_text(root: Path) -> str:
    """Every page and file of the site, the HTML of every printed document in every language
    (what WeasyPrint prints), and the text of one PDF as pdftotext reads it."""
    parts = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted((root / "site").rglob("*"))
        if path.suffix in (".html", ".json", ".xml", ".css", ".js", ".txt")
    ]
    project = load_project(root)
    treatment = project.first
    parts += [html_of(treatment, lang, printed.kind) for lang in project.languages for printed in PRINTED]
    pdf = pdf_of(treatment, "it", "consent")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")
    return "\n".join([*parts, re.sub(r"\s+", " ", text)])


@pytest.mark.slow  # prints one consent form
def test_rebranding_is_one_file_and_leaves_nothing_of_the_old_clinic(project: Path):
    old = yaml.safe_load((project / "content/clinic.yaml").read_text(encoding="utf-8"))
    (project / "docs/assets/studio-logo.svg").write_text(LOGO, encoding="utf-8")
    text = "# yaml-language-server: $schema=../schema/clinic.schema.json\n" + yaml.safe_dump(
        NEW_CLINIC, allow_unicode=True, sort_keys=False
    )
    (project / "content/clinic.yaml").write_text(text, encoding="utf-8")
    result = build_pages(project)
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"
    everything = site_text(project)
    leftovers = [
        value
        for value in (
            old["name"],
            *old["address"],
            old["phone"],
            old["phone"].replace(" ", ""),
            old["email"],
            old["website"].split("//")[1].rstrip("/"),
            old["medical_reviewer"],
            old["brand_colour"],
        )
        if value.lower() in everything.lower()
    ]
    assert not leftovers, f"the old clinic remains in site/: {leftovers}"
    for value in ("Studio Medico Prova", "Via Inventata 7", "+39 06 0000 1111", "Dr.ssa Giulia Prova", "#7a1f3d"):
        assert value in everything, value
    home = (site / "it" / "index.html").read_text(encoding="utf-8")
    assert 'src="../assets/clinic-logo.svg"' in home or 'src="/assets/clinic-logo.svg"' in home  # logo in the header
    assert 'alt="Studio Medico Prova"' in home and 'alt="logo"' not in home  # named for screen readers
    brand = (site / "assets/stylesheets/brand.css").read_text(encoding="utf-8")
    assert ".md-header__button.md-logo { display: inline-block; }" in brand  # shown on a phone too
    assert "tel:+390600001111" in home
    assert "Made with" not in home
    assert (site / "assets" / "clinic-logo.svg").read_text(encoding="utf-8") == LOGO
    treatment = load_project(project).first
    for printed in PRINTED:  # every leaflet and form carries the new clinic's logo, named by its name
        html = html_of(treatment, "it", printed.kind)
        assert 'class="logo"' in html and 'alt="Studio Medico Prova"' in html, printed.kind
