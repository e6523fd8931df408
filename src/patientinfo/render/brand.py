"""The clinic's look on the site, from content/clinic.yaml alone: colour, logo and footer.

The colour becomes Material's CSS variables in a generated style sheet. Text on the brand
colour is white or black, whichever reads better (WCAG contrast), and links keep a colour
that reads on white: a clinic picking a pale colour cannot make the site unreadable.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape

from patientinfo.content.layout import Layout
from patientinfo.content.schema import Clinic

BRAND_CSS = "assets/stylesheets/brand.css"


def draft_band(lang: str, treatment: str, draft_languages: list[str]) -> str:
    """The band on every page and PDF of a draft, for the editors who preview it (never
    published, so it is not a patient text to translate)."""
    what = f"language '{lang}'" if lang in draft_languages else f"treatment '{treatment}'"
    return f"DRAFT ({what}): shown by the preview only, not published. ⟦…⟧ marks a text still to write."


SAFE_LINK = "#0b4f8a"  # 8.2:1 on white


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def brand_css(clinic: Clinic) -> str:
    colour = clinic.brand_colour.lower()
    on_colour = "#ffffff" if contrast(colour, "#ffffff") >= contrast(colour, "#000000") else "#000000"
    link = colour if contrast(colour, "#ffffff") >= 4.5 else SAFE_LINK
    return (
        "/* Generated from content/clinic.yaml (brand_colour): do not edit. */\n"
        ":root, [data-md-color-scheme] {\n"
        f"  --md-primary-fg-color: {colour};\n"
        f"  --md-primary-fg-color--light: {colour};\n"
        f"  --md-primary-fg-color--dark: {colour};\n"
        f"  --md-primary-bg-color: {on_colour};\n"
        f"  --md-primary-bg-color--light: {on_colour};\n"
        f"  --md-accent-fg-color: {link};\n"
        f"  --md-typeset-a-color: {link};\n"
        f"  --pi-brand: {colour};\n"
        "}\n"
    ) + (
        "/* The clinic's logo stays in the header on a phone (Material hides it below 1220 px). */\n"
        "@media screen and (max-width: 76.1875em) {\n"
        "  .md-header__button.md-logo { display: inline-block; }\n"
        "}\n"
        if clinic.logo
        else ""
    )


def logo_file(clinic: Clinic) -> str | None:
    """Where the logo is published in the site (its name says nothing of the clinic's files)."""
    return f"assets/clinic-logo{Path(clinic.logo).suffix}" if clinic.logo else None


def staged_brand_files(clinic: Clinic, layout: Layout) -> dict[str, bytes]:
    files = {BRAND_CSS: brand_css(clinic).encode("utf-8")}
    published = logo_file(clinic)
    if published and clinic.logo:
        files[published] = layout.path(clinic.logo).read_bytes()  # checked when the content was loaded
    return files


def footer(clinic: Clinic) -> Markup:
    """The footer line (Material prints it as HTML): the clinic's name and address, escaped."""
    return escape(" · ".join([clinic.name, *clinic.address]))
