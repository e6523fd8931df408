"""The projects the builds run on, all copies in the temporary folder (never content/ or site/):
the project as it is, synthetic copies (more facts, more languages, a page limit) and the same
staged Markdown as a plain MkDocs project without the patientinfo plugin."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import yaml

from .common import ROOT

# Synthetic languages (Babel and Material know them), in the order they are added.
EXTRA_LANGUAGES = {
    "de": ("de_DE", "Deutsch"),
    "es": ("es_ES", "Español"),
    "pt": ("pt_PT", "Português"),
    "nl": ("nl_NL", "Nederlands"),
    "pl": ("pl_PL", "Polski"),
    "sv": ("sv_SE", "Svenska"),
    "da": ("da_DK", "Dansk"),
}


def copy_project(target: Path) -> Path:
    """What a build needs (not site/, .venv/ or caches), as tests/conftest.py copies it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "docs", "overrides"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def read_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class _NoAliases(yaml.SafeDumper):
    """Content refuses YAML anchors and aliases: write shared values out in full."""

    def ignore_aliases(self, data) -> bool:
        return True


def write_yaml(path: Path, data) -> None:
    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def set_max_pages(project: Path, pages: int) -> None:
    settings = read_yaml(project / "content/settings.yaml")
    settings["leaflet_max_pages"] = pages
    write_yaml(project / "content/settings.yaml", settings)


def letters(k: int) -> str:
    """A digit-free tag for copy ``k`` (2 -> 'b'): a digit typed in a text is a check finding."""
    tag = ""
    while True:
        k, r = divmod(k - 1, 26)
        tag = string.ascii_lowercase[r] + tag
        if k == 0:
            return tag


def multiply_facts(project: Path, times: int) -> int:
    """Every fact ``times`` times: copies ``<id>-x2``... right after the original, with the same
    text plus '(copy b)'... in every language; disputes and the FAQ unchanged. Returns the count."""
    facts_file = project / "content/treatments/mesotherapy/facts.yaml"
    data = read_yaml(facts_file)
    originals = data["facts"]
    ids = {fact["id"] for fact in originals}
    facts = []
    for fact in originals:
        facts.append(fact)
        for k in range(2, times + 1):
            copy = {**fact, "id": f"{fact['id']}-x{k}"}
            if fact.get("covers"):  # each copied question asks about the copies of its contraindications
                copy["covers"] = [f"{covered}-x{k}" for covered in fact["covers"]]
            facts.append(copy)
    data["facts"] = facts
    write_yaml(facts_file, data)
    for lang in read_yaml(project / "content/settings.yaml")["languages"]:
        texts_file = project / "content" / lang / "mesotherapy" / "facts.yaml"
        texts = read_yaml(texts_file)
        out = {}
        for text_id, entry in texts.items():
            out[text_id] = entry
            if text_id in ids:
                for k in range(2, times + 1):
                    copy = dict(entry) if isinstance(entry, dict) else {"text": entry}
                    copy["text"] = f"{copy.get('text', '')} (copy {letters(k)})"
                    out[f"{text_id}-x{k}"] = copy
        write_yaml(texts_file, out)
    return len(facts)


def add_languages(project: Path, codes: list[str]) -> None:
    """Each code a copy of English: content/<code>/, docs/<code>/editors.md and settings (the site's
    languages follow content/settings.yaml)."""
    settings = read_yaml(project / "content/settings.yaml")
    for code in codes:
        locale, _name = EXTRA_LANGUAGES[code]
        shutil.copytree(project / "content/en", project / "content" / code)
        (project / "docs" / code).mkdir(parents=True, exist_ok=True)
        shutil.copy(project / "docs/en/editors.md", project / "docs" / code / "editors.md")
        settings["languages"].append(code)
        settings.setdefault("locales", {})[code] = locale
    write_yaml(project / "content/settings.yaml", settings)


def only_source_language(project: Path) -> None:
    """A site in its source language alone: the other languages become drafts, which the published
    build leaves out (their files stay, so nothing else of the project changes)."""
    settings = read_yaml(project / "content/settings.yaml")
    others = [code for code in settings["languages"] if code != settings["source_language"]]
    settings["languages"] = [settings["source_language"]]
    settings.setdefault("drafts", {})["languages"] = [*settings["drafts"].get("languages", []), *others]
    write_yaml(project / "content/settings.yaml", settings)


def edit_one_fact(project: Path, word: str) -> None:
    """Append ``word`` to the first English fact text written on one line, as an editor would."""
    path = project / "content/en/mesotherapy/facts.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith('  text: "') and line.endswith('"'))
    lines[index] = lines[index][:-1] + f' {word}"'
    path.write_text("\n".join(lines), encoding="utf-8")


def add_treatments(project: Path, count: int) -> None:
    """``count`` treatments in all: copies of the first (facts, sources and texts), each under
    its own id; the site then has a folder per treatment and a home page listing them."""
    settings = read_yaml(project / "content/settings.yaml")
    first = settings["treatments"][0]
    for number in range(2, count + 1):
        copy = f"{first}-{number}"
        shutil.copytree(project / "content/treatments" / first, project / "content/treatments" / copy)
        for lang in settings["languages"]:
            shutil.copytree(project / "content" / lang / first, project / "content" / lang / copy)
        settings["treatments"].append(copy)
    write_yaml(project / "content/settings.yaml", settings)


def plugin_configuration(project: Path) -> tuple[list, list[dict]]:
    """The menu and the i18n languages the patientinfo plugin sets, written out for plain MkDocs."""
    from patientinfo.content.load import load_project
    from patientinfo.mkdocs.site import i18n_languages, site_nav

    site = load_project(project)
    nav = [item if isinstance(item, str) else {str(k): v for k, v in item.items()} for item in site_nav(site)]
    languages = [
        {
            "locale": item.locale,
            "name": item.name,
            "default": item.default,
            "build": True,
            "site_name": str(item.site_name),
        }
        for item in i18n_languages(site)
    ]
    return nav, languages


def plain_project(target: Path, built: Path) -> Path:
    """A copy of ``built`` whose mkdocs.yml has no patientinfo plugin and whose docs_dir is a copy
    of the staging folder the plugin wrote. Site URL and brand style sheet as the plugin sets them."""
    copy_project(target)
    shutil.copytree(built / ".cache/patientinfo/docs", target / "staged")
    config = read_yaml(target / "mkdocs.yml")
    config["plugins"] = [
        p for p in config["plugins"] if p != "patientinfo" and not (isinstance(p, dict) and "patientinfo" in p)
    ]
    config["docs_dir"] = "staged"
    config["nav"], languages = plugin_configuration(built)
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    i18n["languages"] = languages
    clinic = read_yaml(target / "content/clinic.yaml")
    config.setdefault("site_url", clinic.get("website"))
    if (target / "staged/assets/stylesheets/brand.css").is_file():
        config["extra_css"] = [*config.get("extra_css", []), "assets/stylesheets/brand.css"]
    write_yaml(target / "mkdocs.yml", config)
    return target


def synthetic(tmp: Path, name: str, max_pages: int) -> Path:
    project = copy_project(tmp / name)
    set_max_pages(project, max_pages)
    return project
