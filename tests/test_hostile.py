"""Hostile and broken content: every text escaped once wherever it lands, nothing from outside
the repository, bounded YAML, and a ``path:line`` message in plain words instead of a traceback."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import build_pages, edit_yaml, html_of, pdf_of, run_build, tree_digest
from patientinfo.content.layout import Layout
from patientinfo.content.load import load_project, load_treatment
from patientinfo.content.schema import Clinic, FactsFile, Settings, SourcesFile
from patientinfo.errors import ContentError
from patientinfo.printing.registry import PRINTED
from payloads import content_files, free_text_paths, inject_everywhere

FACTS = "content/treatments/mesotherapy/facts.yaml"


def write(project: Path, relative: str, data: str | bytes) -> Path:
    path = project / relative
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def load_error(project: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_treatment(project)
    return str(caught.value)


# --------------------------------------------------------------------------- bounded YAML


def test_nested_aliases_are_refused_before_they_expand(project: Path):
    laughs = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for name, previous in zip("bcdefghij", "abcdefghi", strict=True):
        laughs += f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    write(project, FACTS, laughs)
    message = load_error(project)
    assert re.search(
        r"^content/treatments/mesotherapy/facts\.yaml:1:4: YAML anchors and aliases .* are not allowed", message, re.M
    ), message


def test_a_thousand_levels_of_nesting_is_a_message_not_a_recursion_error(project: Path):
    write(project, FACTS, "".join(" " * i + f"k{i}:\n" for i in range(1000)) + " " * 1000 + "x: 1\n")
    assert re.search(
        r"content/treatments/mesotherapy/facts\.yaml:33:33: the content is nested more than 32 levels",
        load_error(project),
    )


def test_deep_flow_nesting_is_a_message(project: Path):
    write(project, FACTS, "a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "content/treatments/mesotherapy/facts.yaml:1:35: the content is nested more than 32 levels" in load_error(
        project
    )


def test_a_huge_file_is_refused_by_size(project: Path):
    write(project, FACTS, 'x: "' + "a" * 3_000_000 + '"\n')
    assert (
        "content/treatments/mesotherapy/facts.yaml:1: the file is 2.9 MiB; content files are limited to 2 MiB"
        in load_error(project)
    )


# --------------------------------------------------------------------------- plain words


def test_an_impossible_date_names_line_and_column(project: Path):
    facts = project / FACTS
    text = facts.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip().startswith("last_reviewed:"))
    column = text.splitlines()[line - 1].index("last_reviewed:") + len("last_reviewed: ") + 1
    facts.write_text(re.sub(r"last_reviewed: \S+", "last_reviewed: 2027-13-45", text, count=1), encoding="utf-8")
    assert (
        f"content/treatments/mesotherapy/facts.yaml:{line}:{column}: '2027-13-45' is not a real date: write it as YYYY-MM-DD"
        in (load_error(project))
    )


def test_a_tab_used_for_indentation(project: Path):
    write(project, FACTS, "treatment: x\nreview:\n\tlast_reviewed: 2026-01-01\n")
    assert (
        "content/treatments/mesotherapy/facts.yaml:3:1: a tab character is used here; YAML needs spaces for indentation"
        in (load_error(project))
    )


def test_a_control_character(project: Path):
    write(
        project, "content/clinic.yaml", (project / "content/clinic.yaml").read_text().replace("name:", "na\x07me:", 1)
    )
    message = load_error(project)
    assert re.search(r"content/clinic\.yaml:(\d+):3: an invisible control character \(U\+0007\) is at line \1", message)


def test_a_latin1_file_names_the_line_of_the_wrong_byte(project: Path):
    text = "# yaml\n" + "\n".join(f"a{i}: plain" for i in range(11)) + "\nb: caf\u00e9 \u00e0 la carte\n"
    write(project, "content/en/ui.yaml", text.encode("latin-1"))
    assert (
        "content/en/ui.yaml:13:7: this file is not UTF-8 text: the byte at line 13, column 7 is not valid; "
        "save the file as UTF-8"
    ) in load_error(project)


def test_an_empty_file(project: Path):
    write(project, "content/clinic.yaml", "")
    assert "content/clinic.yaml:1: the file is empty" in load_error(project)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("brand_colour", '"blue"', "brand_colour: must be a colour like #1f4e79"),
        ("website", '"javascript:alert(1)//"', "website: must be the address where the site is published"),
        ("email", '"nobody"', "email: must be an e-mail address like contact@example.org"),
        ("phone", '"<script>"', "phone: must be a phone number in the international form"),
        ("emergency_number", "[1, 2]", "emergency_number: must be text, not a list"),
        ("name", "{a: 1}", "name: must be text, not a group of 'name: value' lines"),
    ],
)
def test_clinic_mistakes_in_an_editors_words(project: Path, field: str, value: str, words: str):
    clinic = project / "content/clinic.yaml"
    text, found = re.subn(rf"(?m)^{field}:.*$", f"{field}: {value}", clinic.read_text(encoding="utf-8"), count=1)
    clinic.write_text(text if found else f"{text}{field}: {value}\n", encoding="utf-8")
    message = load_error(project)
    assert words in message
    assert "pattern" not in message and "valid dictionary" not in message and "^" not in message


def test_unknown_field_and_wrong_top_level(project: Path):
    write(project, "content/settings.yaml", "- fr\n- it\n")
    assert "content/settings.yaml:1: (top level): must be a group of 'name: value' lines, not a list" in (
        load_error(project)
    )


@pytest.mark.parametrize("target", ["javascript:alert(1)", "data:text/html,x", "/etc/passwd", "vbscript:x"])
def test_a_link_may_only_go_to_the_web_mail_or_phone(project: Path, target: str):
    ui = project / "content/en/ui.yaml"
    data = yaml.safe_load(ui.read_text(encoding="utf-8"))
    key = next(k for k, v in data.items() if isinstance(v, dict) and "text" in v and "{" not in v["text"])
    text = ui.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith(f"{key}:"))
    data[key]["text"] += f" [click]({target})"
    ui.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    message = load_error(project)
    line = next(i for i, row in enumerate(ui.read_text().splitlines(), 1) if row.startswith(f"{key}:"))
    assert f"content/en/ui.yaml:{line}: '{key}' (language 'en'): the link '{target}' is not allowed" in message


def test_allowed_inline_markup_renders_and_other_markup_shows_literally():
    from patientinfo.content.markup import render_inline, strip_inline

    text = "Call **now** or *soon*: [us](tel:+33199001234) <b>x</b> [bad](javascript:x)"
    out = render_inline(text, html.escape)
    assert '<strong>now</strong> or <em>soon</em>: <a href="tel:+33199001234">us</a>' in out
    assert "&lt;b&gt;x&lt;/b&gt; [bad](javascript:x)" in out
    assert strip_inline(text) == "Call now or soon: us <b>x</b> [bad](javascript:x)"


# --------------------------------------------------------------------------- outside the repository


def test_a_content_file_that_links_outside_the_repository_is_refused(project: Path):
    (project / FACTS).unlink()
    os.symlink("/etc/passwd", project / FACTS)
    assert (
        "content/treatments/mesotherapy/facts.yaml:1: this is a symbolic link to a file outside the repository"
        in load_error(project)
    )


def test_a_content_file_that_is_a_folder(project: Path):
    (project / FACTS).unlink()
    (project / FACTS).mkdir()
    assert "content/treatments/mesotherapy/facts.yaml:1: this is a folder, but a file is expected here" in load_error(
        project
    )


@pytest.mark.parametrize(
    ("logo", "data", "words"),
    [
        ("docs/assets/missing.svg", None, "logo 'docs/assets/missing.svg': file not found"),
        (
            "docs/assets/logo.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "<script>",
        ),
        ("docs/assets/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "'onload'"),
        ("docs/assets/logo.svg", b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>', "DOCTYPE"),
        ("docs/assets/logo.png", b"GIF89a not a png", "this file is not a PNG image"),
        ("../outside.png", None, "must be the path of an .svg or .png file inside the repository"),
    ],
)
def test_the_logo_must_be_a_plain_image_of_the_repository(project: Path, logo: str, data: bytes | None, words: str):
    if data is not None:
        write(project, logo, data)
    clinic = project / "content/clinic.yaml"
    clinic.write_text(re.sub(r"(?m)^logo:.*$", f'logo: "{logo}"', clinic.read_text(encoding="utf-8")), "utf-8")
    message = load_error(project)
    assert re.search(r"content/clinic\.yaml:\d+: ", message) and words in message, message


def test_a_logo_linking_outside_the_repository_is_refused(project: Path):
    os.symlink("/etc/hostname", project / "docs/assets/logo.png")
    clinic = project / "content/clinic.yaml"
    clinic.write_text(re.sub(r"(?m)^logo:.*$", 'logo: "docs/assets/logo.png"', clinic.read_text()), "utf-8")
    assert "symbolic link to a file outside the repository" in load_error(project)


@pytest.mark.slow
def test_a_link_in_docs_to_a_system_file_never_reaches_the_site(project: Path):
    assert build_pages(project).returncode == 0
    before = tree_digest(project / "site")
    os.symlink("/etc/passwd", project / "docs" / "passwd.txt")
    result = build_pages(project)
    assert result.returncode != 0
    assert "docs/passwd.txt:1: this is a symbolic link to something outside the repository" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project / "site") == before
    assert not list((project / "site").rglob("passwd*"))


@pytest.mark.slow
def test_mkdocs_options_are_checked_and_named(project: Path):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - patientinfo\n", "  - patientinfo:\n      content_dri: content\n"), "utf-8")
    line = next(i for i, row in enumerate(config.read_text().splitlines(), 1) if "content_dri" in row)
    result = run_build(project)
    assert result.returncode != 0
    assert f"mkdocs.yml:{line}: patientinfo option 'content_dri' is not an option of the patientinfo plugin" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- one escaping rule


def test_the_payload_walker_is_generated_from_the_schema():
    """Constrained strings (ids, colours, addresses) are validated; every other string is text."""
    schema = Clinic.model_json_schema()
    data = {"name": "x", "address": ["a"], "phone": "1", "email": "a@b.c", "website": "https://x/", "logo": "a.svg"}
    assert sorted(free_text_paths(data, schema, schema)) == [("address", 0), ("name",)]
    for model in (FactsFile, SourcesFile, Settings):
        assert model.model_json_schema()  # each model has a schema the walker can follow


def pdf_lines_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext reads it (a missing pdftotext fails: it is part of the set-up)."""
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def _site_files(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8", errors="replace")
        for path in site.rglob("*")
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js", ".txt", ".webmanifest")
    }


# Fields that are stored but never shown to a patient (they are for editors and checks).
NOT_SHOWN = (
    (FACTS, "quotes"),  # the seed's verbatim words, checked against the seed, never published
    ("content/settings.yaml", "reason"),  # why a digit may be typed into a text
    ("content/settings.yaml", "allowed_digits"),  # which text may type it: an id, never published
    (
        "content/treatments/mesotherapy/sources.yaml",
        "file",
    ),  # the seed's file name: patients see the source's name instead
)


def shown_only_sometimes(file: str, path: tuple) -> bool:
    """Texts whose use depends on the data: a plural form only for some counts, the overdue
    notice only once a review is due, a language's name only if a cited clinic page is in it,
    a text for a clinic detail the shipped clinic does not give."""
    if any(file == where and field in path for where, field in NOT_SHOWN):
        return True
    text_id = str(path[0]) if path else ""
    if (
        file == "content/treatments/mesotherapy/sources.yaml"
        and path[-1] == "label"
        and (sources_of_type("clinic_protocol", path[1]) or sources_of_type("editorial", path[1]))
    ):
        return True  # the clinic's own advice and the site's reading are named in each language (ui texts)
    if file.startswith("content/countries/") and path[0] == "sources" and _also_a_treatments_source(file, path[1]):
        return True  # a source both hold is one source: the treatment's details are shown (countries.merged_sources)
    # The clinic's data decides: it gives opening hours, no out-of-hours number, no registration, and
    # it sells the treatment (the texts for the other case are not shown).
    sometimes = ("contact.no_hours", "contact.out_of_hours_phone", "about.no_interests_text", "about.registration")
    sometimes += ("legal.director",)  # the shipped clinic names no person responsible for the site
    # leaflet.qr_alt: the QR code's alternative text, read by screen readers from the PDF's tags
    sometimes += ("leaflet.qr_alt",)
    sometimes += ("releases.none",)  # the releases page before the first release
    return "forms" in path or text_id.startswith(("review.overdue", "language.", *sometimes))


def _also_a_treatments_source(file: str, index: int) -> bool:
    from conftest import REPO

    source_id = yaml.safe_load((REPO / file).read_text(encoding="utf-8"))["sources"][index]["id"]
    treatment = yaml.safe_load((REPO / "content/treatments/mesotherapy/sources.yaml").read_text(encoding="utf-8"))
    return any(source["id"] == source_id for source in treatment["sources"])


def sources_of_type(kind: str, index: int) -> bool:
    from conftest import REPO

    sources = yaml.safe_load((REPO / "content/treatments/mesotherapy/sources.yaml").read_text(encoding="utf-8"))[
        "sources"
    ]
    return sources[index]["type"] == kind


def record_two_releases(project: Path) -> None:
    """A release record that shows every text of the releases page: a replaced version, changes
    of every kind, a treatment unchanged, documents changed since the last release and not."""
    from patientinfo.content.releases import Release, ReleaseRecord, TreatmentRelease, ValueChange, write_record
    from patientinfo.printing.text import version_id

    loaded = load_project(project)
    now = {
        t: {lang: version_id(treatment, lang) for lang in loaded.languages}
        for t, treatment in loaded.treatments.items()
    }
    old = {lang: "0000-0001" for lang in loaded.languages}
    change = ValueChange(
        fact="sched-sport", value="sessions", before={"value": 3, "unit": "session"}, after={"value": 4}
    )
    second = TreatmentRelease(
        versions={lang: "0000-0002" for lang in loaded.languages},
        facts_added=["sched-sport"],
        facts_removed=["gone"],
        values_changed=[change],
        texts_changed={lang: ["facts/sched-sport"] for lang in loaded.languages},
    )
    record = ReleaseRecord(
        releases=[
            Release(
                number=1,
                date="2026-11-01",
                reviewer="<x-r1>",
                note="<x-n1>",
                treatments={
                    "mesotherapy": TreatmentRelease(versions=old),
                    "second": TreatmentRelease(versions=now["second"]),
                },
            ),
            Release(
                number=2,
                date="2026-11-20",
                reviewer="<x-r2>",
                note="<x-n2>",
                treatments={"mesotherapy": second, "second": TreatmentRelease(versions=now["second"])},
            ),
        ]
    )
    write_record(Layout(project), record)


@pytest.mark.slow
def test_every_text_is_escaped_exactly_once_everywhere(project: Path):
    # Every text shown somewhere: every country's facts (a clinic with no country), the home page
    # of a site with several treatments, and the notice of an example treatment (the second one).
    edit_yaml(project / "content/clinic.yaml", lambda data: (data.pop("country"), data.update(emergency_number="112")))
    shutil.copytree(project / "content/treatments/mesotherapy", project / "content/treatments/second")
    edit_yaml(project / "content/treatments/second/facts.yaml", lambda data: data.update(example=True))
    for lang in ("fr", "it", "en"):
        shutil.copytree(project / "content" / lang / "mesotherapy", project / "content" / lang / "second")
    edit_yaml(project / "content/settings.yaml", lambda data: data.update(treatments=["mesotherapy", "second"]))
    placed = inject_everywhere(project)
    assert len(placed) > 500  # every text of every language, clinic, sources, settings
    record_two_releases(project)
    settings = project / "content/settings.yaml"
    settings.write_text(re.sub(r"(?m)^leaflet_max_pages:.*\n", "", settings.read_text()) + "leaflet_max_pages: 12\n")
    # The pages through the real build (MkDocs, the theme, search); the printed documents through
    # the HTML WeasyPrint is given (every kind, language and treatment), and one PDF printed.
    result = build_pages(project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    site = project / "site"
    files = _site_files(site)
    project_loaded = load_project(project)
    printed = {
        f"{treatment.id}/{kind}-{lang}": html_of(treatment, lang, kind)
        for treatment in project_loaded.treatments.values()
        for lang in project_loaded.languages
        for kind in (p.kind for p in PRINTED)
    }
    everything = {**files, **printed}
    raw = {name: re.findall(r"<x-p\d+>", text) for name, text in everything.items()}
    assert not {name: found for name, found in raw.items() if found}, "a content text reached the site unescaped"
    releases_page = files[next(name for name in files if name.endswith("en/releases/index.html"))]
    assert "&lt;x-r2&gt;" in releases_page and "&lt;x-n2&gt;" in releases_page  # the record's words too
    assert not any("<x-r2>" in text or "<x-n2>" in text for text in files.values())
    double = {name: re.findall(r"&amp;lt;x-p\d+", text) for name, text in everything.items()}
    assert not {name: found for name, found in double.items() if found}, "a content text was escaped twice"
    shown = set(re.findall(r"&lt;(x-p\d+)&gt;", "\n".join(everything.values())))
    json_shown = set(re.findall(r"\\u003c(x-p\d+)\\u003e", "\n".join(files.values())))
    # Page footers of printed documents are CSS strings: every sign escaped for CSS (css_string).
    css_shown = set(re.findall(r"\\3c (x-p\d+)\\3e ", "\n".join(printed.values())))
    missing = [
        (tag, where)
        for tag, where in placed.items()
        if tag[1:-1] not in shown | json_shown | css_shown and not shown_only_sometimes(*where)
    ]
    assert not missing, f"{len(missing)} texts are shown nowhere: {missing[:40]}"
    # On paper the text is shown literally, not as markup (pdftotext is installed by .ci/run).
    consent = pdf_lines_text(pdf_of(project_loaded.first, "fr", "consent"))
    clinic_tag = next(
        tag for tag, (file, path) in placed.items() if file == "content/clinic.yaml" and path == ("name",)
    )
    assert clinic_tag in consent.replace("\n", "")
    for name, text in files.items():
        if name.endswith("search_index.json"):
            json.loads(text)  # still valid JSON
    jsonld = re.findall(r'<script type="application/ld\+json">(.*?)</script>', files["mesotherapy/index.html"], re.S)
    assert jsonld and "<x-p" in json.loads(jsonld[0])["name"]  # JSON-LD carries the plain text


@pytest.mark.slow
def test_a_quote_in_a_description_cannot_break_out_of_its_attribute(project: Path):
    pages = project / "content/en/mesotherapy/pages.yaml"
    data = yaml.safe_load(pages.read_text(encoding="utf-8"))
    entry = data["risks.description"]
    if isinstance(entry, dict):
        entry["text"] += '" onmouseover="alert(1)'
    else:
        data["risks.description"] = entry + '" onmouseover="alert(1)'
    pages.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    assert build_pages(project).returncode == 0
    page = (project / "site/en/risks/index.html").read_text(encoding="utf-8")
    assert ' onmouseover="alert(1)' not in page
    assert "&#34; onmouseover=&#34;alert(1)" in page or "&quot; onmouseover=&quot;alert(1)" in page


def test_leaflets_never_fetch_anything_outside_the_repository(tmp_path: Path):
    from patientinfo.printing.engine import LocalFetcher

    fetcher = LocalFetcher(tmp_path)
    (tmp_path / "ok.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert fetcher.fetch((tmp_path / "ok.svg").as_uri())
    for url in ("file:///etc/passwd", "https://example.org/x.png", "http://127.0.0.1/", "ftp://x/y"):
        with pytest.raises(BaseException, match="may not load"):  # WeasyPrint's fatal error
            fetcher.fetch(url)


def test_free_text_fields_cover_every_content_file(project: Path):
    files = content_files(project)
    assert {
        "content/treatments/mesotherapy/facts.yaml",
        "content/clinic.yaml",
        "content/treatments/mesotherapy/sources.yaml",
        "content/settings.yaml",
    } <= set(files)
    for lang in ("fr", "it", "en"):
        assert f"content/{lang}/ui.yaml" in files and f"content/{lang}/mesotherapy/pages.yaml" in files
