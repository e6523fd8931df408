"""Where every file of a project lives, so that no other module spells a path.

A project is a folder with ``mkdocs.yml``, the hand-made ``docs/`` and ``overrides/``, and the
content folder (``content/`` unless the plugin's ``content_dir`` option names another). Paths
come in two forms: the *shown* path, relative to the project and written with ``/`` (what every
message prints, so an editor finds the file), and the real path on disk (``layout.path(shown)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath


class LayoutError(ValueError):
    """The content folder option points outside the project."""


@dataclass(frozen=True)
class Layout:
    root: Path
    content_dir: str = "content"

    def __post_init__(self) -> None:
        folder = PurePosixPath(self.content_dir.replace("\\", "/"))
        if folder.is_absolute() or ".." in folder.parts or not folder.parts or folder.parts == (".",):
            raise LayoutError(f"content_dir '{self.content_dir}' must be a folder inside the project, like content")
        object.__setattr__(self, "root", Path(self.root))
        object.__setattr__(self, "content_dir", folder.as_posix())

    # ------------------------------------------------------------------ shown paths (messages)
    def shown(self, *parts: str) -> str:
        """A content file as messages name it: ``content/fr/ui.yaml``."""
        return "/".join((self.content_dir, *parts))

    @property
    def settings(self) -> str:
        return self.shown("settings.yaml")

    @property
    def clinic(self) -> str:
        return self.shown("clinic.yaml")

    @property
    def treatments_folder(self) -> str:
        return self.shown("treatments")

    def treatment_folder(self, treatment: str) -> str:
        return self.shown("treatments", treatment)

    def facts(self, treatment: str) -> str:
        return self.shown("treatments", treatment, "facts.yaml")

    def sources(self, treatment: str) -> str:
        return self.shown("treatments", treatment, "sources.yaml")

    @property
    def countries_folder(self) -> str:
        return self.shown("countries")

    def country(self, code: str) -> str:
        """``<content>/countries/FR.yaml``: what patients of one country need, whatever the treatment."""
        return self.shown("countries", f"{code}.yaml")

    def language_folder(self, lang: str) -> str:
        return self.shown(lang)

    def texts(self, lang: str, domain: str, treatment: str) -> str:
        """``<content>/<lang>/ui.yaml`` (the site's words), ``<content>/<lang>/countries.yaml`` (the
        countries' facts) or ``<content>/<lang>/<treatment>/<domain>.yaml``."""
        if domain == "ui":
            return self.shown(lang, "ui.yaml")
        if domain == "country":
            return self.shown(lang, "countries.yaml")
        return self.shown(lang, treatment, f"{domain}.yaml")

    # ------------------------------------------------------------------ real paths
    def path(self, shown: str) -> Path:
        """The file on disk of a shown path (or of a path relative to the project, like a logo)."""
        return self.root / shown

    @property
    def content(self) -> Path:
        return self.root / self.content_dir

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def overrides(self) -> Path:
        return self.root / "overrides"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @classmethod
    def of_project(cls, root: Path) -> Layout:
        """The layout ``root/mkdocs.yml`` declares: the patientinfo plugin's ``content_dir``
        (``content`` when the file or the option is absent). The command line reads it, so
        that it works on the same folders as ``mkdocs build``."""
        import yaml

        class _Loader(yaml.SafeLoader):  # mkdocs.yml may hold !!python/name tags: read them as text
            pass

        _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
        try:
            config = yaml.load(Path(root, "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return cls(Path(root))
        for plugin in config.get("plugins") or [] if isinstance(config, dict) else []:
            if isinstance(plugin, dict) and isinstance(plugin.get("patientinfo"), dict):
                folder = plugin["patientinfo"].get("content_dir")
                if isinstance(folder, str):
                    return cls(Path(root), folder)
        return cls(Path(root))

    def relative(self, path: Path) -> str:
        """A real path as messages show it (relative to the project when inside it)."""
        path = Path(path)
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)
