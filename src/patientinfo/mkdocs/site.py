"""What MkDocs and its theme need from the content besides the pages: the menu, the languages
of mkdocs-static-i18n, each page's context (language alternates, JSON-LD, the documents to
download, the clinic's phone), the 404 page's words and one search index per language."""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import PluginError

from patientinfo.content.model import Project
from patientinfo.printing.registry import FORMS, LEAFLET, links
from patientinfo.render.pages import PAGES
from patientinfo.render.texts import texts_of
from patientinfo.render.urls import language_of, language_prefix

FRONT_MATTER_TEXTS = ("title", "description", "treatment", "reviewed_by")


def tel_href(phone: str) -> str:
    """A tap-to-call link: 'tel:+33199001234' for '+33 1 99 00 12 34'."""
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def escaped(text: str) -> Markup:
    """A text from the content as the theme needs it: Material prints the site name and the menu's
    section titles as they are in some places and escapes them in others; Markup is escaped once."""
    return Markup(html.escape(text, quote=True))


def site_nav(project: Project) -> list:
    """The menu: a treatment's pages in order; with several treatments, the home page then one
    section per treatment, titled in the default language (i18n_languages translates it)."""
    if not project.several_treatments:
        return [f"{page}.md" for page in PAGES]
    lang = project.languages[0]
    return ["index.md"] + [
        {escaped(texts_of(treatment, lang).plain("pages", "index.name")): [f"{t}/{page}.md" for page in PAGES]}
        for t, treatment in project.treatments.items()
    ]


def i18n_languages(project: Project) -> list:
    """mkdocs-static-i18n's languages, from the settings: their order, names in their own words,
    site names and the treatments' section titles."""
    from babel import Locale
    from mkdocs_static_i18n.config import I18nPluginLanguage

    default = project.languages[0]
    items = []
    for lang in project.languages:
        name = Locale.parse(project.settings.locale(lang)).get_language_name(project.settings.locale(lang)) or lang
        titles = {t: texts_of(c, lang).plain("pages", "index.name") for t, c in project.treatments.items()}
        defaults = {t: texts_of(c, default).plain("pages", "index.name") for t, c in project.treatments.items()}
        item = I18nPluginLanguage()
        item.load_dict(
            {
                "locale": lang,
                "name": name[:1].upper() + name[1:],
                "default": lang == default,
                "build": True,
                "site_name": escaped(
                    project.clinic.name if project.several_treatments else titles[project.settings.treatments[0]]
                ),
                "nav_translations": {escaped(defaults[t]): escaped(titles[t]) for t in titles}
                if project.several_treatments
                else None,
            }
        )
        errors, _ = item.validate()
        if errors:
            raise PluginError(f"{project.layout.settings}: language '{lang}' cannot be configured: {errors[0][1]}")
        items.append(item)
    return items


def page_context(project: Project, url: str, meta: Mapping[str, Any], site_url: str) -> dict:
    """The ``pi`` context of a page: alternates, the language's root, JSON-LD, the leaflet and
    the documents of its treatment, the clinic's phone."""
    languages = project.languages
    lang, path = language_of(url, languages)

    def absolute(language: str) -> str:
        return site_url + language_prefix(language, languages) + path

    alternates = [{"lang": language, "href": absolute(language)} for language in languages]
    alternates.append({"lang": "x-default", "href": absolute(languages[0])})
    treatment = project.treatments.get(str(meta.get("treatment_id", "")))
    if treatment is None and not project.several_treatments:
        treatment = project.first  # the editors' guide of a one-treatment site: its leaflet too
    folder = language_prefix(lang, languages) + (treatment.folder if treatment else "")
    leaflet = links(treatment, lang, (LEAFLET,))[0] if treatment else None
    return {
        "leaflet": {"href": folder + leaflet[0], "label": leaflet[1]} if leaflet else None,
        "alternates": alternates,
        "language_root": language_prefix(lang, languages),
        "language_roots": [language_prefix(language, languages) for language in languages],
        "search_worker": "assets/javascripts/workers/search-i18n.js",
        "jsonld": _jsonld(project, meta, lang, absolute(lang), site_url),
        "documents": [{"href": folder + name, "label": label} for name, label in links(treatment, lang, FORMS)]
        if treatment
        else [],
        "clinic": {"name": project.clinic.name, "phone": project.clinic.phone, "tel": tel_href(project.clinic.phone)},
    }


def _jsonld(project: Project, meta: Mapping[str, Any], lang: str, url: str, site_url: str) -> dict | None:
    if "last_reviewed" not in meta:
        return None
    text = {key: html.unescape(str(meta.get(key, ""))) for key in FRONT_MATTER_TEXTS}  # JSON: plain text
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": text["title"],
        "description": text["description"],
        "url": url,
        "inLanguage": lang,
        "lastReviewed": meta["last_reviewed"],
        "reviewedBy": {"@type": "Person", "name": text["reviewed_by"]},
        "audience": {"@type": "PeopleAudience", "audienceType": "patients"},
        "about": {"@type": "MedicalTherapy", "name": text["treatment"]},
        "publisher": {
            "@type": "MedicalClinic",
            "name": project.clinic.name,
            "telephone": project.clinic.phone,
            "url": site_url,
        },
    }


def not_found_context(project: Project, lang: str) -> dict:
    """The 404 page's words in the language being built (Material's are English only)."""
    texts = texts_of(project.first, lang)
    return {
        "title": texts.plain("ui", "notfound.title"),
        "text": texts.plain("ui", "notfound.text"),
        "home": texts.plain("ui", "notfound.home"),
        "href": "/" + language_prefix(lang, project.languages),
    }


def split_search_index(site_dir: Path, languages: list[str]) -> dict[str, int]:
    """One search index per language, each at its language's root: a search on the Italian site
    returns Italian pages only. Locations become relative to that root."""
    combined_path = site_dir / "search" / "search_index.json"
    if not combined_path.is_file():
        return {}
    combined = json.loads(combined_path.read_text(encoding="utf-8"))
    counts = {}
    for lang in languages:
        docs = []
        for doc in combined["docs"]:
            doc_lang, rest = language_of(doc["location"], languages)
            if doc_lang == lang:
                docs.append({**doc, "location": rest})
        index = {"config": {**combined["config"], "lang": [lang]}, "docs": docs}
        root = site_dir if lang == languages[0] else site_dir / lang
        (root / "search").mkdir(parents=True, exist_ok=True)
        (root / "search" / "search_index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        counts[lang] = len(docs)
        if lang != languages[0] and (site_dir / "sitemap.xml").is_file():
            # Material looks for <language root>/sitemap.xml; the sitemap lists every language.
            shutil.copy(site_dir / "sitemap.xml", root / "sitemap.xml")
    return counts
