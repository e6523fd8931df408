"""Measurements, printed as figures (not tests): build time, leaflet time, first-load page weight,
and, with --lighthouse, Lighthouse scores in its default mobile mode.

    .venv/bin/python scripts/bench.py                 # build times and page weights
    .venv/bin/python scripts/bench.py --lighthouse    # plus the Lighthouse table (needs Node)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("index", "risks", "contact")
PREFIX = {"fr": "", "it": "it/", "en": "en/"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync"
)


def timed_build(cold: bool) -> float:
    """One full build; cold empties the leaflet cache first, as on a fresh clone."""
    if cold:
        shutil.rmtree(ROOT / ".cache" / "patientinfo" / "leaflets", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "patientinfo", "build"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def leaflet_seconds() -> float:
    sys.path.insert(0, str(ROOT / "src"))
    from patientinfo.content import load_content
    from patientinfo.pdf import render_leaflets

    content = load_content(ROOT)
    started = time.perf_counter()
    render_leaflets(content, cache=None)
    return time.perf_counter() - started


def first_load_bytes(site: Path, page_path: str) -> tuple[int, int]:
    """Raw and gzip bytes of the HTML plus every stylesheet, script and image it loads."""
    html_file = site / page_path / "index.html"
    html = html_file.read_text(encoding="utf-8")
    assets = re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"', html)
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


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lighthouse", action="store_true")
    args = parser.parse_args()
    print(f"Full build (site + 3 leaflets + check), empty leaflet cache: {timed_build(cold=True):.1f} s")
    print(f"Full build again, leaflets from the cache:                  {timed_build(cold=False):.1f} s")
    print(f"Leaflets alone (3 PDFs, no cache):                          {leaflet_seconds():.1f} s")
    site = ROOT / "site"
    print("\nFirst load (HTML + CSS + JS + images), bytes")
    print(f"  {'page':<14} {'raw':>9} {'gzip':>9}")
    for prefix in PREFIX.values():
        for page in PAGES:
            path = prefix + ("" if page == "index" else f"{page}/")
            raw, compressed = first_load_bytes(site, path)
            print(f"  /{path:<13} {raw:>9,} {compressed:>9,}")
    if args.lighthouse:
        server, base = serve(site)
        print("\nLighthouse (default mobile mode)")
        print(f"  {'page':<14} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
        with tempfile.TemporaryDirectory() as folder:
            for prefix in PREFIX.values():
                for page in PAGES:
                    path = prefix + ("" if page == "index" else f"{page}/")
                    scores = lighthouse(base + path, Path(folder) / "report.json")
                    print(
                        f"  /{path:<13} {scores['performance']:>5} {scores['accessibility']:>5} "
                        f"{scores['best-practices']:>5} {scores['seo']:>5}"
                    )
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
