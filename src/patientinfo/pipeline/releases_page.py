"""The releases page of each language: what the release record says, in patients' words and this
language's formats (dates, numbers with units), with the links to the archived PDFs."""

from __future__ import annotations

from markupsafe import Markup

from patientinfo.content.model import Project, Treatment
from patientinfo.content.releases import Release, ReleaseRecord, TreatmentRelease, site_address
from patientinfo.printing.registry import PRINTED
from patientinfo.printing.text import version_id
from patientinfo.render.brand import draft_band
from patientinfo.render.pages import site_page
from patientinfo.render.texts import Texts, md_escape, texts_of

RELEASES_PAGE = "releases.md"  # at the root of each language, linked from the about page


def _since(record: ReleaseRecord, treatment: str, lang: str, version: str) -> Release | None:
    """The first release that gave patients ``version``."""
    return next(
        (
            r
            for r in record.releases
            if r.treatments.get(treatment, TreatmentRelease(versions={})).versions.get(lang) == version
        ),
        None,
    )


def _status(record: ReleaseRecord, release: Release, treatment: str, lang: str, texts: Texts) -> Markup:
    version = release.treatments[treatment].versions[lang]
    newer = record.replaced_by(release.number, treatment, lang)
    if newer is None:
        first = _since(record, treatment, lang, version) or release
        return texts.text("ui", "releases.current", version=version, date=texts.fmt.date(first.date))
    return texts.text(
        "ui",
        "releases.replaced",
        version=version,
        date=texts.fmt.date(newer.date),
        newer=newer.treatments[treatment].versions[lang],
    )


def _changes(released: TreatmentRelease, lang: str, texts: Texts) -> list[Markup]:
    words = released.words.get(lang, {})

    def fact(fact_id: str) -> str:
        return words.get(fact_id, fact_id)

    lines = [
        texts.text(
            "ui",
            "releases.value",
            fact=fact(change.fact),
            before=texts.fmt.quantity(change.before) if change.before else "—",
            after=texts.fmt.quantity(change.after) if change.after else "—",
        )
        for change in released.values_changed
    ]
    lines += [texts.text("ui", "releases.added", fact=fact(fact_id)) for fact_id in released.facts_added]
    lines += [texts.text("ui", "releases.removed", fact=fact(fact_id)) for fact_id in released.facts_removed]
    count = len(released.texts_changed.get(lang, []))
    if count:
        lines.append(texts.forms("releases.texts", count, n=Markup(texts.fmt.number(count))))
    return lines or [texts.text("ui", "releases.unchanged")]


def _entry(record: ReleaseRecord, release: Release, treatment: Treatment, lang: str, project: Project) -> dict:
    texts = texts_of(treatment, lang)
    released = release.treatments[treatment.id]
    version = released.versions[lang]
    first = record.releases[0].number == release.number
    own = texts_of(treatment, lang)
    return {
        "name": own.text("pages", "index.name") if project.several_treatments else "",
        "anchor": f"version-{version}",
        "status": _status(record, release, treatment.id, lang, texts),
        "documents": [
            (site_address(treatment.id, version, printed.file_name(lang)), own.plain(*printed.label))
            for printed in PRINTED
            if printed.file_name(lang) in released.files.get(lang, [])
        ],
        "changes_title": texts.text("ui", "releases.first" if first else "releases.changes"),
        "changes": [] if first else _changes(released, lang, texts),
    }


def releases_values(project: Project, lang: str) -> dict:
    """What the releases page of ``lang`` shows, newest release first."""
    record = project.releases
    texts = texts_of(project.first, lang)
    releases, versions = [], []
    for release in reversed(record.releases):
        entries = [
            _entry(record, release, treatment, lang, project)
            for treatment in project.treatments.values()
            if lang in release.treatments.get(treatment.id, TreatmentRelease(versions={})).versions
        ]
        heading = texts.text("ui", "releases.release", number=release.number, date=texts.fmt.date(release.date))
        for entry in entries:
            versions.append((entry["anchor"].removeprefix("version-"), release.number, entry["anchor"], heading))
        releases.append(
            {
                "heading": heading,
                "signed": texts.text("ui", "releases.signed", reviewer=release.reviewer),
                "note": texts.text("ui", "releases.note", note=Markup(md_escape(release.note))),
                "treatments": entries,
            }
        )
    return {"releases": releases, "versions": sorted(versions), "currents": _currents(project, lang)}


def _currents(project: Project, lang: str) -> list[Markup]:
    """For each treatment, whether the documents on the site now are a released version."""
    found = []
    for treatment in project.treatments.values():
        texts = texts_of(treatment, lang)
        version = version_id(treatment, lang)
        since = _since(project.releases, treatment.id, lang, version)
        if since is None:
            found.append(texts.text("ui", "releases.not_released", version=version))
        else:
            found.append(texts.text("ui", "releases.now", version=version, date=texts.fmt.date(since.date)))
    return found


def render_releases(project: Project, lang: str) -> str:
    drafts = project.settings.drafts.languages
    band = draft_band(lang, "", drafts) if lang in drafts else ""
    return site_page(project, lang, "releases", draft=band, **releases_values(project, lang))


def with_releases_page(project: Project, pages: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The pages of every language with their releases page (at the root of the language)."""
    return {lang: {**by_path, RELEASES_PAGE: render_releases(project, lang)} for lang, by_path in pages.items()}
