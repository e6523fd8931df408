"""Section 5 and scripts/lighthouse: what a patient's browser downloads on a first visit to a
page, and Lighthouse's scores for it, served as a static host would serve the built site."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .common import ROOT, say
from .projects import read_yaml

PAGES = ("index", "risks", "contact")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync"
)


def first_load_bytes(site: Path, page_path: str) -> tuple[int, int]:
    """Raw and gzip bytes of the HTML plus every stylesheet, script and image it loads."""
    html_file = site / page_path / "index.html"
    text = html_file.read_text(encoding="utf-8")
    assets = re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"', text)
    files = [html_file]
    base = f"/{page_path}"
    for asset in assets:
        if asset.startswith(("http:", "https:", "data:")):
            continue
        resolved = urlsplit(urljoin(base, asset)).path.lstrip("/")
        files.append(site / resolved)
    raw = sum(f.stat().st_size for f in files)
    compressed = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    return raw, compressed


def page_paths(project: Path) -> list[str]:
    languages = read_yaml(project / "content/settings.yaml")["languages"]
    prefixes = ["" if i == 0 else f"{lang}/" for i, lang in enumerate(languages)]
    return [prefix + ("" if page == "index" else f"{page}/") for prefix in prefixes for page in PAGES]


def measure_weight(site: Path, paths: list[str]) -> list[tuple[str, int, int]]:
    say("\n5. First load (HTML + CSS + JS + images), bytes")
    say(f"   {'page':<14} {'raw':>9} {'gzip':>9}")
    rows = []
    for path in paths:
        raw, compressed = first_load_bytes(site, path)
        rows.append((path, raw, compressed))
        say(f"   /{path:<13} {raw:>9,} {compressed:>9,}")
    return rows


def serve_static(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        """Serves the site as a static host would in production: gzip for text, long cache for assets."""

        def log_message(self, *args):
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                if not self.path.split("?")[0].endswith("/"):
                    return super().send_head()
                path = path / "index.html"
            compressible = path.suffix in (".html", ".css", ".js", ".json", ".xml", ".svg", ".map")
            if not (path.is_file() and compressible and "gzip" in self.headers.get("Accept-Encoding", "")):
                return super().send_head()
            body = gzip.compress(path.read_bytes(), 9, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

        def end_headers(self):
            if "/assets/" in self.path:
                self.send_header("Cache-Control", "public, max-age=31536000")
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse(url: str, out: Path) -> dict[str, int]:
    binary = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
    subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=performance,accessibility,best-practices,seo",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        timeout=300,
    )
    report = json.loads(out.read_text())
    return {key: round(category["score"] * 100) for key, category in report["categories"].items()}


def measure_lighthouse(site: Path, paths: list[str], tmp: Path) -> None:
    server, base = serve_static(site)
    say("\nLighthouse (default mobile mode)")
    say(f"   {'page':<14} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
    try:
        for path in paths:
            scores = lighthouse(base + path, tmp / "report.json")
            say(
                f"   /{path:<13} {scores['performance']:>5} {scores['accessibility']:>5} "
                f"{scores['best-practices']:>5} {scores['seo']:>5}"
            )
    finally:
        server.shutdown()
