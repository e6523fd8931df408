"""What a patient signs and takes home (issue 19): the consent form, the questionnaire, the record
card and the leaflets are complete, state facts rather than a clinic's claims, carry the warning
signs with whom to call, never break a phone number, and are tagged for screen readers.

HTML is checked in every language (fast); the PDFs are made once for the module and read back
with poppler and pikepdf, as a printer and a screen reader would.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import DAY, LANGS, copy_project, edit_yaml, html_of
from patientinfo.content.load import load_treatment
from patientinfo.model import selection as page_model
from patientinfo.printing.forms import RECORD_ROWS
from patientinfo.printing.registry import FORMS, PRINTED
from patientinfo.render.pages import LanguageRenderer


def plain(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")
    return re.sub(r"\s+", " ", text).strip()


def html_text(markup: str) -> str:
    return plain(html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def facts_of(content, category: str) -> list[str]:
    return [f.id for f in content.facts_file.facts if f.category == category]


# --------------------------------------------------------------------------- the consent form
@pytest.mark.parametrize("lang", LANGS)
def test_consent_form_has_every_field_a_clinic_needs_signed(content, lang: str):
    page = html_of(content, lang, "consent")
    text = html_text(page)
    renderer = LanguageRenderer(content, lang, day=DAY)
    fields = [
        "common.patient_name",
        "common.date_of_birth",
        "consent.age",
        "consent.area",
        "consent.reason",
        "consent.reason_pain",
        "consent.reason_cosmetic",
        "consent.products",
        "consent.off_label",
        "consent.corticosteroid",
        "consent.needle",
        "consent.sessions",
        "consent.cost_session",
        "consent.cost_total",
        "consent.refund",
        "consent.practitioner",
        "consent.registration",
        "consent.how_often",
        "consent.follow_up",
        "consent.questions",
        "consent.photos_text",
        "consent.interpreter",
        "consent.informed_on",
        "consent.treatment_on",
        "consent.think",
        "consent.statement",
        "consent.patient",
        "consent.doctor",
        "consent.copy",
    ]
    missing = [f for f in fields if plain(renderer.plain("documents", f).split("\n")[0])[:40] not in text]
    assert not missing
    assert page.count('class="signature-box"') == 2
    # The minimum age comes from the clinic file, formatted in the language: no digit typed in a text.
    assert str(content.clinic.minimum_age) in text


@pytest.mark.parametrize("lang", LANGS)
def test_consent_form_states_facts_never_a_clinics_claim(content, lang: str):
    """A signed form quotes no clinic's claim: no fact of category claim, no risk that sits in a
    disagreement with a claim ("side effects are rare"), no clinic's figure from a disagreement;
    it says that practice varies, and the doctor writes the plan."""
    page = html_of(content, lang, "consent")
    shown = set(re.findall(r'data-fact="([^"]+)"', page))
    claims = set(facts_of(content, "claim"))
    disputed = {f for d in content.facts_file.disputes for f in d.facts}
    assert not shown & (claims | disputed)
    renderer = LanguageRenderer(content, lang, day=DAY)
    text = html_text(page)
    for fact_id in claims | disputed:
        assert plain(renderer.views.fact_plain(fact_id)) not in text, fact_id
    assert "data-dispute" not in page
    assert plain(renderer.plain("documents", "consent.practice_varies")) in text


@pytest.mark.parametrize("lang", LANGS)
def test_consent_form_lists_every_risk_with_how_often(content, lang: str):
    page = html_of(content, lang, "consent")
    renderer = LanguageRenderer(content, lang, day=DAY)
    rows = dict(re.findall(r'<tr data-fact="([^"]+)"><td>.*?</td><td class="how">(.*?)</td></tr>', page, re.S))
    wanted = page_model.fact_ids(content, page_model.DOCUMENTS["consent"]["risks"])
    assert list(rows) == wanted
    not_known = plain(renderer.plain("documents", "consent.not_known"))
    for fact_id, cell in rows.items():
        counted = content.facts[fact_id].frequency
        if counted is None:
            assert html_text(cell) == not_known, fact_id
        else:  # a count from a trial, with its source
            assert plain(renderer.views.fact_plain(counted)) in html_text(cell), fact_id


@pytest.mark.parametrize("lang", LANGS)
def test_consent_form_says_off_label_the_law_of_the_clinics_country_and_every_other_choice(content, lang: str):
    page = html_of(content, lang, "consent")
    shown = set(re.findall(r'data-fact="([^"]+)"', page))
    country = content.clinic.country
    for fact in content.facts_file.facts:
        if fact.category == "consent":
            assert (fact.id in shown) is (fact.country in (None, country)), fact.id
        if fact.category in ("benefit", "alternative", "without_treatment", "aftercare", "warning_sign"):
            assert fact.id in shown, fact.id
    assert any("off-label" in fact.id for fact in content.facts_file.facts if fact.id in shown)


def test_consent_form_follows_the_clinics_country(tmp_path: Path):
    """An Italian clinic prints the Italian law on its consent form, and no French delay rule."""
    project = copy_project(tmp_path / "project")
    edit_yaml(project / "content" / "clinic.yaml", lambda data: data.update(country="IT"))
    content = load_treatment(project)
    page = html_of(content, "it", "consent")
    shown = set(re.findall(r'data-fact="([^"]+)"', page))
    laws = {f.id: f.country for f in content.facts_file.facts if f.category == "consent" and f.country}
    assert {f for f, c in laws.items() if c == "IT"} <= shown
    assert not {f for f, c in laws.items() if c != "IT"} & shown


# --------------------------------------------------------------------------- the questionnaire
@pytest.mark.parametrize("lang", LANGS)
def test_questionnaire_asks_every_screening_question_with_why_and_who_says_so(content, lang: str):
    page = html_of(content, lang, "questionnaire")
    asked = re.findall(r'<tr class="question" data-fact="([^"]+)"', page)
    assert asked == facts_of(content, "screening")
    renderer = LanguageRenderer(content, lang, day=DAY)
    text = html_text(page)
    for fact_id in asked:
        assert plain(renderer.views.fact_plain(fact_id)) in text, fact_id
    # Every question has yes / no / not sure, and the ones that ask "which?" leave room to write.
    unsure = html.escape(renderer.plain("documents", "common.unsure"), quote=False)
    with_unsure = [f for f in asked if content.facts[f].unsure_box]
    assert page.count(f'<span class="tick" aria-hidden="true"></span>{unsure}</span>') == len(with_unsure)
    write_ins = [f for f in asked if content.facts[f].write_in]
    assert page.count('class="write-in"') == len(write_ins) >= 3
    for field in ("questionnaire.not_complete", "questionnaire.statement", "questionnaire.patient_signature"):
        assert plain(renderer.plain("documents", field)) in text, field


def test_every_contraindication_is_asked_and_the_questionnaire_asks_more(content):
    covered = {c for f in content.facts_file.facts for c in f.covers}
    # Areas not to inject are the doctor's technique: not a question for the patient.
    asked_of_patient = {f for f in facts_of(content, "contraindication") if content.facts[f].severity != "area"}
    assert covered == asked_of_patient
    screening = facts_of(content, "screening")
    assert len(screening) > len(facts_of(content, "contraindication"))
    # Beyond the clinics' contraindications: medicines, allergies, earlier reactions, bleeding, skin, age.
    for wanted in ("medicines", "allergy", "reactions", "bleeding", "skin", "age", "blood-thinners"):
        assert any(wanted in fact_id for fact_id in screening), wanted


def test_a_question_without_a_published_source_is_labelled_the_clinics_own(content):
    for fact_id in facts_of(content, "screening"):
        kinds = {content.sources[s].type for s in content.facts[fact_id].sources}
        assert kinds - {"clinic_website"}, f"{fact_id}: a clinic's page alone does not make a question"


def test_a_contraindication_nobody_asks_about_is_a_content_error(tmp_path: Path):
    from patientinfo.errors import ContentError

    project = copy_project(tmp_path / "project")
    edit_yaml(
        project / "content" / "treatments" / "mesotherapy" / "facts.yaml",
        lambda data: data["facts"].append(
            {
                "id": "ci-test-new",
                "category": "contraindication",
                "severity": "relative",
                "sources": ["clinic-protocol"],
            }
        ),
    )
    with pytest.raises(ContentError) as caught:
        load_treatment(project, allow_missing_texts=True)
    messages = [str(p) for p in caught.value.problems]
    assert any("ci-test-new" in m and "covers" in m and "facts.yaml:" in m for m in messages), messages


def test_a_new_question_adds_a_row_in_every_language(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    before = load_treatment(project)
    counts = {lang: html_of(before, lang, "questionnaire").count('<tr class="question"') for lang in LANGS}
    edit_yaml(
        project / "content" / "treatments" / "mesotherapy" / "facts.yaml",
        lambda data: data["facts"].append(
            {"id": "screen-test", "category": "screening", "write_in": True, "sources": ["clinic-protocol"]}
        ),
    )
    words = {"fr": "Une question de test ?", "it": "Una domanda di prova?", "en": "A test question?"}
    for lang, question in words.items():
        path = project / "content" / lang / "mesotherapy" / "facts.yaml"
        path.write_text(path.read_text(encoding="utf-8") + f'\nscreen-test: "{question}"\n', encoding="utf-8")
    after = load_treatment(project)
    for lang in LANGS:
        page = html_of(after, lang, "questionnaire")
        assert page.count('<tr class="question"') == counts[lang] + 1
        assert 'data-fact="screen-test"' in page and words[lang] in html_text(page)


# --------------------------------------------------------------------------- the record card
@pytest.mark.parametrize("lang", LANGS)
def test_record_card_traces_each_session_and_says_what_to_do(content, lang: str):
    page = html_of(content, lang, "record-card")
    assert page.count('<table class="session"') == RECORD_ROWS
    renderer = LanguageRenderer(content, lang, day=DAY)
    for field in (
        "record.date",
        "record.area",
        "record.products",
        "record.batch",
        "record.dose",
        "record.depth",
        "record.corticosteroid",
        "record.reactions",
        "record.next",
        "record.doctor",
        "record.consent_checked",
    ):
        assert page.count(f">{html.escape(renderer.plain('documents', field), quote=False)}</th>") == RECORD_ROWS, field
    assert "@page {\n  size: A5 portrait;" in page
    # The cover: whose card it is, what to look for and whom to call.
    cover = html_text(page.split('<div class="sessions">', 1)[0])
    for field in ("record.allergies", "record.blood_thinners"):
        assert plain(renderer.plain("documents", field)) in cover, field
    for fact_id in facts_of(content, "warning_sign"):
        assert plain(renderer.views.fact_plain(fact_id)) in cover, fact_id
    assert content.clinic.emergency_number in cover and plain(content.clinic.phone) in cover
    # The back: the clinic's hours, whom to call when it is closed, after-care.
    back = html_text(page.split('class="panel back warning"', 1)[1])
    assert plain(content.clinic.phone) in back
    assert plain(renderer.fmt.opening_hours(content.clinic.opening_hours)) in back
    for fact_id in facts_of(content, "out_of_hours") + facts_of(content, "aftercare"):
        assert plain(renderer.views.fact_plain(fact_id)) in back, fact_id


# --------------------------------------------------------------------------- every take-home paper
TAKE_HOME = ("leaflet", "leaflet-large", "consent", "record-card")


def paper_html(content, lang: str, kind: str) -> str:
    return html_of(content, lang, "leaflet") if kind == "leaflet" else html_of(content, lang, kind)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", TAKE_HOME)
def test_every_take_home_paper_says_what_to_do_about_infection_and_severe_allergy(content, lang: str, kind: str):
    page = paper_html(content, lang, kind)
    renderer = LanguageRenderer(content, lang, day=DAY)
    text = html_text(page)
    for fact in content.facts_file.facts:
        if fact.category == "warning_sign":
            assert plain(renderer.views.fact_plain(fact.id)) in text, (kind, fact.id)
    for urgency in ("emergency", "same_day"):
        heading = renderer.plain(
            "ui", f"warning.{urgency}", phone=content.clinic.phone, emergency=content.clinic.emergency_number
        )
        assert plain(heading) in text, (kind, urgency)
    assert plain(renderer.fmt.opening_hours(content.clinic.opening_hours)) in text, kind
    # When the clinic is closed: whom to call instead, every country's.
    assert plain(renderer.plain("ui", "warning.closed")) in text, kind
    for fact in content.facts_file.facts:
        if fact.category == "out_of_hours":
            assert plain(renderer.views.fact_plain(fact.id)) in text, (kind, fact.id)


def test_warning_signs_cover_infection_and_a_severe_allergic_reaction(content):
    urgencies = {content.facts[f].urgency for f in facts_of(content, "warning_sign")}
    assert urgencies == {"emergency", "same_day"}
    allergy = [f for f in facts_of(content, "warning_sign") if content.facts[f].urgency == "emergency"]
    sources = {s for f in allergy for s in content.facts[f].sources}
    assert {"nhs-anaphylaxis", "cri-anaphylaxis"} <= sources


# --------------------------------------------------------------------------- the PDFs, read back
@pytest.fixture(scope="module")
def papers(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every form and leaflet of every language, as the session's build published them."""
    folder = tmp_path_factory.mktemp("papers")
    for pdf in (built_project / "site").rglob("*.pdf"):
        shutil.copy(pdf, folder / pdf.name)
    return folder


def pdf_lines(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True)
    return [plain(line) for line in out.stdout.splitlines()]


@pytest.mark.slow
def test_phone_numbers_never_break_across_lines_in_any_pdf(papers: Path, content):
    numbers = [content.clinic.phone]
    for path in sorted(papers.glob("*.pdf")):
        lines = pdf_lines(path)
        text = " ".join(lines)
        for number in numbers:
            assert number in text, (path.name, number)
            # Wherever the number starts on a line, it ends on the same line.
            start = number.split(" ")[0] + " " + number.split(" ")[1]
            for line in lines:
                if start in line:
                    assert number in line, (path.name, line)


def structure(path: Path) -> list[tuple[str, str | None, dict]]:
    """(structure type, alternative text, attributes) of every element of the PDF's tag tree."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        assert root is not None, f"{path.name} is not tagged"
        found = []
        stack = [root]
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            for kid in items:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    attributes: dict = {}
                    a = kid.get("/A")
                    for entry in [a] if isinstance(a, pikepdf.Dictionary) else list(a or []):
                        if isinstance(entry, pikepdf.Dictionary):
                            attributes.update({str(k)[1:]: str(v) for k, v in entry.items()})
                    alt = kid.get("/Alt")
                    found.append((str(kid.S)[1:], str(alt) if alt is not None else None, attributes))
                    stack.append(kid)
        return found


@pytest.mark.slow
def test_every_pdf_passes_the_machine_checkable_part_of_pdf_ua(papers: Path, content):
    for path in sorted(papers.glob("*.pdf")):
        elements = structure(path)
        figures = [(t, alt) for t, alt, _ in elements if t == "Figure"]
        assert all(alt for _, alt in figures), (path.name, figures)
        headers = [a for t, _, a in elements if t == "TH"]
        assert all(a.get("Scope") in ("/Column", "/Row") for a in headers), (path.name, headers[:3])
        if path.name.startswith(("leaflet-", "record-card", "consent", "questionnaire")):
            assert any(t in ("H1", "H2") for t, _, _ in elements), path.name
    leaflet = structure(papers / "leaflet-en.pdf")
    qr = [alt for t, alt, _ in leaflet if t == "Figure"]
    assert qr and content.clinic.website in qr[0]
    card = structure(papers / "record-card-fr.pdf")
    assert [a["Scope"] for t, _, a in card if t == "TH"].count("/Row") == RECORD_ROWS * 11


@pytest.mark.slow
def test_the_large_print_leaflet_keeps_the_framed_emergency_panel(papers: Path, content):
    page = html_of(content, "en", "leaflet-large")
    assert 'class="box alert"' in page
    assert re.search(r"section\.box\.alert \{ border: \d+pt solid #000;", page)


@pytest.mark.slow
def test_the_record_card_fits_a_bag(papers: Path):
    info = subprocess.run(["pdfinfo", str(papers / "record-card-en.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+419\.5\d* x 595\.2", info), info  # A5 in points: an A4 sheet folded


def test_take_home_papers_are_the_documents_and_leaflets(papers: Path):
    assert set(TAKE_HOME) - {"leaflet"} <= {printed.kind for printed in FORMS}
    assert {f"{kind}-{lang}.pdf" for kind in TAKE_HOME for lang in LANGS} <= {p.name for p in papers.iterdir()}


# --------------------------------------------------------------------------- the site
@pytest.mark.parametrize("lang", LANGS)
def test_reporting_shows_the_clinics_country_first_then_the_others(site, content, lang: str):
    """A French clinic's patients see France's system first; a reader living in Italy or the UK
    finds theirs too, each text saying which country it is for."""
    reporting = page_model.fact_ids(content, page_model.REPORTING)
    countries = [content.facts[f].country for f in reporting]
    assert countries[0] == content.clinic.country
    assert set(countries) == {"FR", "IT", "GB"}
    risks = site[lang]["risks.md"]
    renderer = LanguageRenderer(content, lang, day=DAY)
    positions = [risks.index(renderer.views.fact(f).text) for f in reporting]
    assert positions == sorted(positions)


@pytest.mark.parametrize("lang", LANGS)
def test_other_help_is_a_live_link(site, content, lang: str):
    contact = site[lang]["contact.md"]
    for fact_id in page_model.fact_ids(content, page_model.REPORTING):
        assert '<a href="https://' in str(LanguageRenderer(content, lang, day=DAY).views.fact(fact_id).text), fact_id
    assert '<a href="https://signalement-sante.gouv.fr/">' in contact


@pytest.mark.parametrize("lang", LANGS)
def test_blood_thinners_are_never_stopped_alone_on_the_site_and_the_questionnaire(site, content, lang: str):
    renderer = LanguageRenderer(content, lang, day=DAY)
    advice = plain(renderer.views.fact_plain("practice-dont-stop-thinners"))
    assert advice in plain(site[lang]["contraindications.md"])
    question = html_text(html_of(content, lang, "questionnaire"))
    note = content.entry(lang, "facts", "screen-blood-thinners").note
    assert plain(renderer.plain_text(note)) in question


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_puts_key_messages_pages_and_warning_signs_first(site, content, lang: str):
    """On a phone: the key messages, the list of pages and the emergency box come first, within a
    few hundred words; the details are one tap away."""
    home = site[lang]["index.md"]
    renderer = LanguageRenderer(content, lang, day=DAY)
    key = home.index(renderer.plain("pages", "index.in_brief"))
    pages = home.index(renderer.plain("pages", "index.read_more"))
    box = home.index("!!! danger")
    assert key < pages < box
    summary = facts_of(content, "summary")
    assert 5 <= len(summary) <= 6
    listed = re.findall(r"(?m)^- (.*)$", home[key:pages])
    assert len(listed) == len(summary)
    assert "(" not in "".join(listed), "references once, after the list"
    top = re.sub(r"\]\([^)]*\)|<[^>]+>", " ", home.split("---", 2)[2][:box])
    assert len(top.split()) < 400, "the key messages and the pages list stay short on a phone"


@pytest.mark.parametrize("lang", LANGS)
def test_about_page_says_who_wrote_it_the_conflict_of_interest_and_how_to_report_an_error(site, content, lang: str):
    about = site[lang]["about.md"]
    renderer = LanguageRenderer(content, lang, day=DAY)
    for text_id in ("about.interests_text", "about.feedback", "about.method"):
        assert str(renderer.t(text_id)) in about, text_id
    assert str(renderer.ui("clinic.reviewer_qualification")) in about
    assert f'href="mailto:{content.clinic.email}"' in about
    assert "https://database.inahta.org/article/17010" in about  # the HAS report, not has-sante.fr's home page
    # The editors' guide is its own paragraph, never run into the patients' text.
    assert re.search(r"\n---\n\n<p class=\"pi-editors\" markdown>", about)


@pytest.mark.parametrize("lang", LANGS)
def test_the_leaflet_gives_what_studies_say_before_the_uses_and_marks_every_use(content, lang: str):
    page = html_of(content, lang, "leaflet")
    renderer = LanguageRenderer(content, lang, day=DAY)
    evidence = page.index(html.escape(renderer.plain("pages", "evidence.title"), quote=False))
    uses = page.index(html.escape(renderer.plain("pages", "conditions.title"), quote=False))
    assert evidence < uses
    studied = plain(renderer.plain("ui", "studied.list_yes"))
    unstudied = plain(renderer.plain("ui", "studied.list_none"))
    for paragraph in re.findall(r'<p class="uses">(.*?)</p>', page, re.S):
        text = html_text(paragraph)
        assert studied in text or unstudied in text
    assert html.escape(renderer.plain("pages", "conditions.limits"), quote=False) in page
    assert html.escape(renderer.plain("pages", "about.interests_text"), quote=False) in page


@pytest.mark.parametrize("kind", [printed.kind for printed in PRINTED])
def test_french_typography_in_templates_and_forms(content, kind: str):
    """A non-breaking space before : ; ! ? and inside « », in what the templates add too."""
    page = paper_html(content, "fr", kind) if kind != "leaflet-large" else html_of(content, "fr", "leaflet")
    body = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page.split("<body>", 1)[1], flags=re.S)
    body = html.unescape(body)
    glued = re.findall(r".{12}\w[:;!?](?=\s).{0,12}", body)
    spaced = re.findall(r".{12}[^\s\u00a0\u202f] [:;!?»].{0,12}", body)
    assert not glued and not spaced, (glued[:3], spaced[:3])


def test_source_types_of_conclusions(content):
    """The site's own conclusions cite an editorial source, never a study."""
    for fact_id in facts_of(content, "summary") + ["none-choice", "ev-size-unknown"]:
        kinds = {content.sources[s].type for s in content.facts[fact_id].sources}
        assert kinds == {"editorial"}, fact_id
