"""The browser editor's JavaScript, fetched from the npm registry at set-up, pinned and checked.

Never from a CDN at run time: the editor's page loads nothing from another host. Each asset is
one file of one pinned npm package, checked against the registry's sha512 integrity (written
here, so a changed package on the registry is refused), and kept in ``static/`` (not in git).

    .venv/bin/python -m patientinfo.editor.assets     # what scripts/setup runs
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class Asset:
    name: str  # the file in static/
    tarball: str  # the package's tarball on the npm registry
    integrity: str  # its sha512, as the registry gives it ("sha512-" + base64)
    member: str  # the file inside the tarball
    licence: str  # its licence file inside the tarball, kept beside it
    sha256: str  # of the file itself: checked each time the editor serves it


ASSETS = (
    Asset(
        "jsoneditor.js",
        "https://registry.npmjs.org/@json-editor/json-editor/-/json-editor-2.17.2.tgz",
        "sha512-np0V7s3wSxMq76/GA4S9yDO7iPpX7rFbuCW1C8VqJ3uOZmwatFTV9tirFWKl0rn05PQrnU9MPGo6sP6LUt+kGw==",
        "package/dist/jsoneditor.js",
        "package/LICENSE",
        "c7a7278bf93d75e3de8b02a914ed36bd879a3e76105a87b6aa286a5a7885f4fc",
    ),
)


def _checked(data: bytes, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    return algorithm == "sha512" and base64.b64encode(hashlib.sha512(data).digest()).decode() == expected


def installed(asset: Asset, folder: Path = STATIC) -> bytes | None:
    """The asset's bytes if they are in ``folder`` and are the pinned ones; None otherwise."""
    target = folder / asset.name
    data = target.read_bytes() if target.is_file() else None
    return data if data is not None and hashlib.sha256(data).hexdigest() == asset.sha256 else None


def fetch(asset: Asset, folder: Path = STATIC) -> Path:
    """The asset's file in ``folder``, fetched and checked if it is not there (or not the pinned one)."""
    target = folder / asset.name
    if installed(asset, folder) is not None:
        return target
    with urllib.request.urlopen(asset.tarball, timeout=60) as response:
        data = response.read()
    if not _checked(data, asset.integrity):
        raise RuntimeError(f"{asset.tarball}: its sha512 is not the pinned one; nothing was installed")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        script = archive.extractfile(asset.member)
        licence = archive.extractfile(asset.licence)
        if script is None or licence is None:
            raise RuntimeError(f"{asset.tarball}: {asset.member} or {asset.licence} is missing")
        content = script.read()
        if hashlib.sha256(content).hexdigest() != asset.sha256:
            raise RuntimeError(f"{asset.tarball}: {asset.member} is not the pinned file; nothing was installed")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{asset.name}.LICENSE").write_bytes(licence.read())
        target.write_bytes(content)
    return target


def main() -> int:
    try:
        for asset in ASSETS:
            fetch(asset)
    except (OSError, RuntimeError) as exc:
        print(f"warning: the browser editor's script could not be installed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
