"""Measurements, printed as figures (not tests, no pass/fail): build times against plain MkDocs,
`mkdocs serve` edit-to-page latency, peak memory, scaling with facts and languages, first-load
page weight and, with --lighthouse, Lighthouse scores in its default mobile mode.

    scripts/bench                 # everything (about 13 minutes on the 2-core development machine)
    scripts/bench --quick         # builds, memory and page weights only (about 2 minutes)
    scripts/bench --profile       # plus a cProfile of one warm build, by stage
    scripts/lighthouse [--quick]  # plus the Lighthouse table (needs Node)

Everything runs on copies of the project in a temporary folder (never on content/ or site/),
each build as a subprocess, timed the same way for ours and for plain MkDocs:

    NO_MKDOCS_2_WARNING=1 CI= python -m mkdocs build -q -f <copy>/mkdocs.yml -d <folder>

(wall clock, interpreter start included). PATIENTINFO_PDF_CACHE always points into the
temporary folder. "Plain MkDocs" builds the Markdown the plugin staged (.cache/patientinfo/docs,
with the PDFs and assets) with the same mkdocs.yml minus the patientinfo plugin (Material,
search and i18n unchanged). Cold: empty PDF cache and no .cache/; warm: both filled.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import gzip
import html
import http.server
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PAGES = ("index", "risks", "contact")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync"
)
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
SYNTHETIC_MAX_PAGES = 200
WATCHED = ("src", "content", "docs", "overrides", "mkdocs.yml")  # what the revision line reports
POLL = 0.05  # seconds between two requests while waiting for an edit to show
EDIT_TIMEOUT = 120.0


def say(text: str = "") -> None:
    print(text, flush=True)


# ------------------------------------------------------------------------------------ projects


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
        facts.extend({**fact, "id": f"{fact['id']}-x{k}"} for k in range(2, times + 1))
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


def plugin_configuration(project: Path) -> tuple[list, list[dict]]:
    """The menu and the i18n languages the patientinfo plugin sets, written out for plain MkDocs."""
    from patientinfo.content.load import load_project
    from patientinfo.mkdocs.plugin import i18n_languages, site_nav

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


# ------------------------------------------------------------------------------------ builds


@dataclass
class Run:
    seconds: float
    max_rss_mb: float


class BuildFailed(Exception):
    pass


def environment(pdf_cache: Path) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "", "PATIENTINFO_PDF_CACHE": str(pdf_cache)}


def run_measured(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Wall time and peak RSS (os.wait4, this child only) of one subprocess."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").strip().splitlines()[-12:]
            raise BuildFailed("\n".join(tail))
    return Run(elapsed, usage.ru_maxrss / 1024)


def mkdocs_build(project: Path, site: Path, pdf_cache: Path, *extra: str) -> Run:
    shutil.rmtree(site, ignore_errors=True)
    command = [PYTHON, *extra, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    return run_measured(command, project, environment(pdf_cache))


def median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def seconds_list(runs: list[Run]) -> str:
    return ", ".join(f"{r.seconds:.1f}" for r in runs)


# ------------------------------------------------------------------------------------ 1 and 3: builds


@dataclass
class BuildFigures:
    cold: Run
    warm: list[Run]
    plain: list[Run]
    project: Path
    site: Path
    pdf_cache: Path


def measure_builds(tmp: Path) -> BuildFigures:
    say("1. Builds (subprocess `python -m mkdocs build -q`, wall clock)")
    project = copy_project(tmp / "base")
    cache = tmp / "pdf-base"
    cache.mkdir()
    cold = mkdocs_build(project, tmp / "site-cold", cache)
    say(f"   cold (empty PDF cache, no .cache/):   {cold.seconds:5.1f} s   peak RSS {cold.max_rss_mb:5.0f} MB")
    warm = [mkdocs_build(project, tmp / "site", cache) for _ in range(3)]
    rss = max(r.max_rss_mb for r in warm)
    runs = seconds_list(warm)
    say(f"   warm (median of 3):                   {median(warm):5.1f} s   peak RSS {rss:5.0f} MB   [{runs}]")
    plain_root = plain_project(tmp / "plain", project)
    plain = [mkdocs_build(plain_root, tmp / "site-plain", cache) for _ in range(3)]
    rss = max(r.max_rss_mb for r in plain)
    runs = seconds_list(plain)
    say(f"   plain MkDocs, same Markdown (med. 3): {median(plain):5.1f} s   peak RSS {rss:5.0f} MB   [{runs}]")
    p = median(plain)
    say(f"   warm / plain {median(warm) / p:.2f}x, cold / plain {cold.seconds / p:.2f}x")
    return BuildFigures(cold, warm, plain, project, tmp / "site", cache)


# ------------------------------------------------------------------------------------ 2: serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and of its running child processes (the PDF workers of mkdocs serve)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that just ended
            continue
        if stat.parent.name == str(pid) or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, timeout: float = 180.0) -> None:
    """Until the server and its workers use under 10 % of a core over half a second (a rebuild or
    the background PDFs finished), so that one measurement does not pay for the previous one's work."""
    end = time.monotonic() + timeout
    before = cpu_seconds(pid)
    while time.monotonic() < end:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now - before < 0.05:
            return
        before = now


def pick_fact(project: Path, site: Path) -> tuple[str, str]:
    """An English fact (plain text, no placeholder) shown on a page other than the home page:
    (fact id, page path like 'en/risks/')."""
    texts = read_yaml(project / "content/en/mesotherapy/facts.yaml")
    facts = {f["id"] for f in read_yaml(project / "content/treatments/mesotherapy/facts.yaml")["facts"]}
    pages = {
        path.parent.relative_to(site).as_posix() + "/": path.read_text(encoding="utf-8")
        for path in sorted((site / "en").glob("*/index.html"))
        if "editors" not in path.parts
    }
    for fact_id, entry in texts.items():
        text = entry.get("text") if isinstance(entry, dict) else None
        if fact_id not in facts or not text or re.search(r"[{}*_\[\]`<>&]", text):
            continue
        for page, body in pages.items():
            if html.escape(text, quote=False) in body or html.escape(text) in body:
                return fact_id, page
    raise RuntimeError("no English fact text found on an English page")


def append_to_fact(texts_file: Path, fact_id: str, word: str) -> None:
    """Append `` word`` to the fact's English text, editing one line as an editor would."""
    source = texts_file.read_text(encoding="utf-8")
    pattern = re.compile(rf'^({re.escape(fact_id)}:\n  text: "(?:[^"\\]|\\.)*)"', re.M)
    edited, count = pattern.subn(lambda m: f'{m.group(1)} {word}"', source, count=1)
    if count != 1:  # not the usual one-line form: the same change through the YAML parser
        data = yaml.safe_load(source)
        data[fact_id]["text"] += f" {word}"
        edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    texts_file.write_text(edited, encoding="utf-8")


def wait_for(url: str, word: str) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < EDIT_TIMEOUT:
        status, body = fetch(url)
        if status == 200 and word in body:
            return time.perf_counter() - started
        time.sleep(POLL)
    return None


def unique_word() -> str:
    return "Benchword" + "".join(random.choices(string.ascii_lowercase, k=10))


@dataclass
class ServeFigures:
    fact: list[float | None]
    docs: list[float | None]
    page: str
    fact_id: str
    startup: float


def measure_serve(tmp: Path, builds: BuildFigures) -> ServeFigures:
    say("\n2. mkdocs serve, edit to page (livereload on; polling every 50 ms)")
    project = copy_project(tmp / "serve")
    cache = tmp / "pdf-serve"
    shutil.copytree(builds.pdf_cache, cache)  # filled, as on an editor's machine; edits replace entries
    fact_id, page = pick_fact(project, builds.site)
    say(f"   fact '{fact_id}', shown on /{page}")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_lines: list[str] = []
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env=environment(cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    threading.Thread(target=lambda: log_lines.extend(process.stdout), daemon=True).start()
    fact_times: list[float | None] = []
    docs_times: list[float | None] = []
    try:
        while fetch(base)[0] != 200:
            if process.poll() is not None or time.perf_counter() - started > 300:
                raise RuntimeError("mkdocs serve did not start:\n" + "".join(log_lines[-15:]))
            time.sleep(0.2)
        startup = time.perf_counter() - started
        say(f"   serving after {startup:.1f} s")
        wait_idle(process.pid)
        for _ in range(3):
            word = unique_word()
            append_to_fact(project / "content/en/mesotherapy/facts.yaml", fact_id, word)
            fact_times.append(wait_for(base + page, word))
            wait_idle(process.pid)
        css = project / "docs/assets/stylesheets/extra.css"
        for _ in range(3):
            word = unique_word()
            with css.open("a", encoding="utf-8") as f:
                f.write(f"\n/* {word} */\n")
            docs_times.append(wait_for(base + "assets/stylesheets/extra.css", word))
            wait_idle(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def shown(values: list[float | None]) -> str:
        return ", ".join("timeout" if v is None else f"{v:.2f}" for v in values)

    figures = ServeFigures(fact_times, docs_times, page, fact_id, startup)
    edited = "content/en/mesotherapy/facts.yaml"
    say(f"   fact edit ({edited}) -> /{page}:  median {fmt_median(fact_times)}   [{shown(fact_times)}]")
    say(f"   docs edit (docs/assets/stylesheets/extra.css):  median {fmt_median(docs_times)}   [{shown(docs_times)}]")
    return figures


def median_or_none(values: list[float | None]) -> float | None:
    if not values or any(v is None for v in values):
        return None
    return statistics.median(values)  # type: ignore[arg-type]


def fmt_median(values: list[float | None]) -> str:
    value = median_or_none(values)
    return "timeout" if value is None else f"{value:.2f} s"


# ------------------------------------------------------------------------------------ 4: scaling


@dataclass
class Scale:
    label: str
    first: Run | None = None  # the build that fills the PDF cache
    warm: list[Run] | None = None
    error: str | None = None

    @property
    def seconds(self) -> float | None:
        return median(self.warm) if self.warm else None


def scale_run(label: str, project: Path, cache: Path, tmp: Path) -> Scale:
    result = Scale(label)
    site = tmp / "site-scale"
    try:
        result.first = mkdocs_build(project, site, cache)
        result.warm = [mkdocs_build(project, site, cache) for _ in range(2)]
    except BuildFailed as exc:
        result.error = str(exc)
    line = f"   {label:<22}"
    if result.error:
        say(f"{line} build refused:\n" + "\n".join("      " + row for row in result.error.splitlines()))
    else:
        say(
            f"{line} warm {result.seconds:6.1f} s [{seconds_list(result.warm)}]   "
            f"first build (fills the PDF cache) {result.first.seconds:6.1f} s   "
            f"peak RSS {max(r.max_rss_mb for r in [result.first, *result.warm]):4.0f} MB"
        )
    return result


def synthetic(tmp: Path, name: str, max_pages: int) -> Path:
    project = copy_project(tmp / name)
    set_max_pages(project, max_pages)
    return project


def measure_scaling(tmp: Path, builds: BuildFigures) -> tuple[dict[str, Scale], str | None]:
    say("\n4. Scaling (synthetic copies; warm = median of 2 after one build that fills the PDF cache)")
    note = None
    max_pages = SYNTHETIC_MAX_PAGES
    probe = synthetic(tmp, "probe", max_pages)
    try:  # does the schema accept the page limit? (loading the content says, in a second)
        sys.path.insert(0, str(ROOT / "src"))
        from patientinfo.content.load import load_treatment
        from patientinfo.errors import ContentError

        load_treatment(probe)
    except ContentError as exc:
        message = " ".join(str(exc).split())
        if "leaflet_max_pages" not in message:
            raise
        limit = re.search(r"leaflet_max_pages: must be at most (\d+)", message)
        max_pages = int(limit.group(1)) if limit else 40
        note = (
            f"leaflet_max_pages: {SYNTHETIC_MAX_PAGES} is refused by the settings schema "
            f"({message[-140:]}); the synthetic copies use {max_pages}, its maximum"
        )
        say(f"   NOTE: {note}")
    shutil.rmtree(probe, ignore_errors=True)
    results: dict[str, Scale] = {}
    base_cache = tmp / "pdf-scale-1x"
    shutil.copytree(builds.pdf_cache, base_cache)  # same HTML as the real project: already filled
    one = synthetic(tmp, "facts-1x", max_pages)
    results["1x"] = scale_run("1x facts, 3 languages", one, base_cache, tmp)
    for times in (5, 10):
        project = synthetic(tmp, f"facts-{times}x", max_pages)
        count = multiply_facts(project, times)
        cache = tmp / f"pdf-facts-{times}x"
        cache.mkdir()
        results[f"{times}x"] = scale_run(f"{times}x facts ({count})", project, cache, tmp)
        shutil.rmtree(project, ignore_errors=True)
    codes = list(EXTRA_LANGUAGES)
    previous_cache = base_cache
    for count in (6, 10):
        project = synthetic(tmp, f"langs-{count}", max_pages)
        add_languages(project, codes[: count - 3])
        cache = tmp / f"pdf-langs-{count}"
        shutil.copytree(previous_cache, cache)  # the languages already rendered keep their PDFs
        results[f"{count}L"] = scale_run(f"{count} languages", project, cache, tmp)
        previous_cache = cache
        shutil.rmtree(project, ignore_errors=True)
    return results, note


# ------------------------------------------------------------------------------------ 5: page weight


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


# ------------------------------------------------------------------------------------ profile

# (label, file name ending, function name): cumulative seconds of each, from one warm build.
STAGES = (
    ("MkDocs build, everything", "mkdocs/commands/build.py", "build"),
    ("patientinfo on_config", "patientinfo/mkdocs_plugin.py", "on_config"),
    ("  load_project", "patientinfo/content.py", "load_project"),
    ("  editors' check", "patientinfo/mkdocs_plugin.py", "_editors_check"),
    ("  render_pages (Markdown)", "patientinfo/render.py", "render_pages"),
    ("  render_pdfs", "patientinfo/documents.py", "render_pdfs"),
    ("    leaflet_jobs (leaflet HTML)", "patientinfo/pdf.py", "leaflet_jobs"),
    ("    document_jobs (forms' HTML)", "patientinfo/documents.py", "document_jobs"),
    ("    make_pdfs (cache, WeasyPrint)", "patientinfo/pdf.py", "make_pdfs"),
    ("  staged_files + sync_tree", "patientinfo/mkdocs_plugin.py", "staged_files|sync_tree"),
    ("patientinfo on_page_context", "patientinfo/mkdocs_plugin.py", "on_page_context"),
    ("patientinfo on_post_build", "patientinfo/mkdocs_plugin.py", "_after_all_languages|_keep_404"),
    ("i18n: other languages' builds", "mkdocs_static_i18n/plugin.py", "on_post_build"),
    ("pages: Markdown -> HTML", "mkdocs/commands/build.py", "_populate_page"),
    ("pages: theme templates", "mkdocs/commands/build.py", "_build_page"),
    ("theme: 404, sitemap...", "mkdocs/commands/build.py", "_build_theme_template"),
    ("theme files listed", "mkdocs/structure/files.py", "add_files_from_theme"),
    ("Jinja template compiling", "jinja2/environment.py", "compile"),
    ("search index", "search/plugin.py", "on_page_context|on_post_build"),
)


def measure_profile(tmp: Path, builds: BuildFigures) -> None:
    say("\nProfile of one warm build (cProfile, so about 1.7x slower than unprofiled)")
    out = tmp / "warm.prof"
    run = mkdocs_build(builds.project, tmp / "site-profile", builds.pdf_cache, "-m", "cProfile", "-o", str(out))
    stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    say(f"   total {run.seconds:.1f} s")
    for label, file_end, names in STAGES:
        wanted = set(names.split("|"))
        total = sum(
            entry[3]
            for (file, _, name), entry in stats.items()
            if file.replace("\\", "/").endswith(file_end) and name in wanted
        )
        say(f"   {label:<32} {total:6.2f} s")
    say("   top 15 by own time:")
    buffer = io.StringIO()
    pstats.Stats(str(out), stream=buffer).sort_stats("tottime").print_stats(15)
    for line in buffer.getvalue().splitlines():
        if re.match(r"\s*\d", line):
            shown = line.replace(str(ROOT) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")
            say("   " + shown[:150])


# ------------------------------------------------------------------------------------ report


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; nproc {os.cpu_count()}; {cpu}; "
        f"Python {platform.python_version()}; load average at start {load}"
    )


def revision() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", *WATCHED],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    changed = [line[3:] for line in changed if line.strip()]
    return f"commit {head}" + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "weasyprint"):
        with contextlib.suppress(PackageNotFoundError):
            parts.append(f"{package} {version(package)}")
    return ", ".join(parts)


def ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def summary(
    builds: BuildFigures,
    serve: ServeFigures | None,
    scale: dict[str, Scale] | None,
    weights: list[tuple[str, int, int]],
    header: str,
    elapsed: float,
) -> None:
    plain = median(builds.plain)
    warm = median(builds.warm)
    rows: list[tuple[str, str, str]] = [
        ("plain MkDocs, same Markdown (median of 3)", f"{plain:.1f} s", ""),
        ("warm build (median of 3)", f"{warm:.1f} s", ""),
        ("cold build (1 run)", f"{builds.cold.seconds:.1f} s", ""),
        ("warm / plain", ratio(warm, plain), "<= 1.3x"),
        ("cold / plain", ratio(builds.cold.seconds, plain), "<= 2x"),
    ]
    if serve:
        fact, docs = median_or_none(serve.fact), median_or_none(serve.docs)
        rows += [
            ("serve: fact edit -> page (median of 3)", "timeout" if fact is None else f"{fact:.2f} s", "<= 1.0 s"),
            ("serve: docs edit -> file (median of 3)", "timeout" if docs is None else f"{docs:.2f} s", "<= 0.8 s"),
        ]
    rows += [
        ("peak RSS, cold build", f"{builds.cold.max_rss_mb:.0f} MB", ""),
        ("peak RSS, warm build (max of 3)", f"{max(r.max_rss_mb for r in builds.warm):.0f} MB", ""),
        ("peak RSS, plain MkDocs (max of 3)", f"{max(r.max_rss_mb for r in builds.plain):.0f} MB", ""),
    ]
    if scale:
        s = {key: value.seconds for key, value in scale.items()}
        rows += [
            ("facts 5x / 1x (warm)", ratio(s.get("5x"), s.get("1x")), ""),
            ("facts 10x / 1x (warm)", ratio(s.get("10x"), s.get("1x")), "<= 10x"),
            ("languages 6 / 3 (warm)", ratio(s.get("6L"), s.get("1x")), ""),
            ("languages 10 / 3 (warm)", ratio(s.get("10L"), s.get("1x")), "<= 3.33x"),
        ]
    if weights:
        gz = [w[2] for w in weights]
        rows.append(("first load of a page, gzip", f"{min(gz) / 1000:.0f} to {max(gz) / 1000:.0f} KB", ""))
    say("\nSummary")
    say(f"   {header}")
    width = max(len(r[0]) for r in rows)
    say(f"   {'figure':<{width}}  {'value':>12}  target")
    for label, value, target in rows:
        say(f"   {label:<{width}}  {value:>12}  {target}")
    say(f"   (bench took {elapsed / 60:.1f} min)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the serve latency and the scaling builds")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling builds (serve still measured)")
    parser.add_argument("--profile", action="store_true", help="also profile one warm build (cProfile), by stage")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (needs tools/lighthouse)")
    args = parser.parse_args()
    started = time.perf_counter()
    header = f"{machine()}\n   {revision()}; {versions()}"
    say(header)
    say("All builds: NO_MKDOCS_2_WARNING=1 CI= python -m mkdocs build -q -f <copy>/mkdocs.yml -d <dir> (subprocess)\n")
    with tempfile.TemporaryDirectory(prefix="patientinfo-bench-") as folder:
        tmp = Path(folder)
        builds = measure_builds(tmp)
        serve = None if args.quick else measure_serve(tmp, builds)
        warm_rss, plain_rss = (max(r.max_rss_mb for r in runs) for runs in (builds.warm, builds.plain))
        say(
            f"\n3. Peak memory (max RSS of the build process, os.wait4): cold {builds.cold.max_rss_mb:.0f} MB, "
            f"warm {warm_rss:.0f} MB, plain MkDocs {plain_rss:.0f} MB"
        )
        scale = None
        if not (args.quick or args.no_scaling):
            scale, _ = measure_scaling(tmp, builds)
            one = scale["1x"].seconds
            say(
                "   ratios (warm): "
                f"5x/1x facts {ratio(scale['5x'].seconds, one)}, 10x/1x facts {ratio(scale['10x'].seconds, one)}, "
                f"6/3 languages {ratio(scale['6L'].seconds, one)}, 10/3 languages {ratio(scale['10L'].seconds, one)}"
            )
        paths = page_paths(builds.project)
        weights = measure_weight(builds.site, paths)
        if args.profile:
            measure_profile(tmp, builds)
        if args.lighthouse:
            measure_lighthouse(builds.site, paths, tmp)
        summary(builds, serve, scale, weights, header, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
