"""The clinic's logo is shown on every page and leaflet: it must be an image and nothing else.

An SVG file is XML that can carry scripts, event handlers and links to other files; opened from
the site, such a file runs in the site's origin. So an SVG logo is accepted only when it is
plain drawing: no DOCTYPE or entities, no script, no ``on...`` attribute, no link that leaves
the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

MAX_LOGO_BYTES = 1024 * 1024
_XLINK = "{http://www.w3.org/1999/xlink}href"


def svg_problem(data: bytes) -> str | None:
    """Why ``data`` is not a safe SVG image, in plain words; None when it is."""
    if re.search(rb"<!DOCTYPE|<!ENTITY", data, re.IGNORECASE):
        return "an SVG logo must not contain a DOCTYPE or entities: export it again as plain SVG"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return f"this file is not a readable SVG image ({exc})"
    if root.tag.rsplit("}", 1)[-1] != "svg":
        return "this file is not an SVG image (its first element is not <svg>)"
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if name in ("script", "foreignobject", "iframe", "embed", "object"):
            return f"an SVG logo must not contain <{name}>: export it again as a plain drawing"
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                return f"an SVG logo must not contain the script attribute '{local}'"
            if (attribute == _XLINK or local == "href") and not value.startswith(("#", "data:image/")):
                return f"an SVG logo must not link to another file or address ('{value[:60]}')"
    return None
