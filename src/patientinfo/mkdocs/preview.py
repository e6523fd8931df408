"""``mkdocs serve`` for editors: pages first, PDFs after, and content errors shown on the pages.

An edit should reach the browser in about a second, but a PDF takes WeasyPrint seconds. While
serving, the pages are built with the PDFs already in the cache (the last version of each), and
a background thread prints the PDFs whose HTML changed (on worker processes of the lowest
priority, so that the next edit's pages are not slowed by them), then puts them in place. A content
error does not stop the preview: the last good pages stay, each with the errors on top.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer

from patientinfo.content.model import Project
from patientinfo.errors import ContentError, Problem
from patientinfo.guard import guarded, is_loopback
from patientinfo.messages import _
from patientinfo.pipeline.context import BuildContext
from patientinfo.printing.registry import print_all
from patientinfo.render.texts import md_escape

log = logging.getLogger("mkdocs.plugins.patientinfo")


class PdfRefresher:
    """Prints the PDFs of the latest content in the background; an older run's results are
    kept in the cache but never put in place over a newer one's."""

    def __init__(self) -> None:
        self.generation = 0
        self.lock = threading.Lock()
        self.status: Path | None = None  # the served file that tells the pages PDFs are being made

    def _say(self, updating: bool) -> None:
        if self.status is not None and self.status.parent.is_dir():
            self.status.write_text(json.dumps({"updating": updating}), encoding="utf-8")

    def start(
        self, project: Project, context: BuildContext, place: Callable[[str, str, bytes], None]
    ) -> threading.Thread:
        with self.lock:
            self.generation += 1
            generation = self.generation
            self._say(True)

        def work() -> None:
            try:
                pdfs = print_all(project, context.day, context.pdf_cache, workers=context.workers, background=True)
            except ContentError as exc:
                log.error("patientinfo: the PDFs could not be made:\n%s", exc)
                return
            with self.lock:
                if generation != self.generation:
                    return
                for lang, by_name in pdfs.items():
                    for name, pdf in by_name.items():
                        place(lang, name, pdf)
                self._say(False)
            log.info("patientinfo: PDFs up to date")

        thread = threading.Thread(target=work, name="patientinfo-pdfs", daemon=True)
        thread.start()
        return thread


def _banner(kind: str, title: str, problems: list[Problem]) -> str:
    """An admonition listing ``problems`` (escaped like any text) on top of a served page."""
    listed = [f"    - {md_escape(str(problem))}" for problem in problems[:50]]
    return "\n".join([f'!!! {kind} "{title}"', "", *listed, "", ""])


def error_banner(problems: list[Problem]) -> str:
    """On every served page while the content has errors."""
    return _banner(
        "danger", _("The content has errors: this page shows the last version that could be built"), problems
    )


STATUS_FILE = "patientinfo-preview.json"  # served by the preview only: are PDFs being made again?

# Added to every page the preview serves: while the PDFs are made again, each link to a PDF says
# so (the file it gives is the previous version); the label goes once they are in place.
UPDATING_SCRIPT = """<script>(function () {
  var status = %(status)s, label = %(label)s;
  function mark(updating) {
    document.querySelectorAll('a[href$=".pdf"]').forEach(function (link) {
      var shown = link.querySelector(".pi-updating");
      link.setAttribute("aria-busy", updating ? "true" : "false");
      if (updating && !shown) {
        var span = document.createElement("span");
        span.className = "pi-updating";
        span.textContent = " (" + label + ")";
        link.appendChild(span);
      } else if (!updating && shown) { shown.remove(); }
    });
  }
  function poll() {
    fetch(status, {cache: "no-store"}).then(function (r) { return r.ok ? r.json() : {updating: false}; })
      .then(function (s) { mark(!!s.updating); setTimeout(poll, s.updating ? 500 : 2000); })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();</script>"""


def updating_script(site_url: str) -> str:
    """The preview's script that marks the links to PDFs being made again."""
    return UPDATING_SCRIPT % {
        "status": json.dumps(site_url.rstrip("/") + "/" + STATUS_FILE).replace("</", "<\\/"),
        "label": json.dumps(_("updating…")).replace("</", "<\\/"),
    }


def draft_banner(problems: list[Problem]) -> str:
    """On every served page while a draft has errors: the draft is left out."""
    return _banner("warning", _("A draft has errors: it is left out of the preview until they are fixed"), problems)


def inputs_stamp(*folders: Path) -> tuple:
    """Names, sizes and modification times of every file the pages are made from: equal stamps,
    equal pages (``mkdocs serve`` then skips loading and rendering for an edit of docs/)."""
    return tuple(
        (str(path), info.st_size, info.st_mtime_ns)
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink() and (info := path.stat())
    )


def outside_stamp(theme_dir: Path | None, mkdocs_yml: Path | None) -> tuple:
    """The theme and mkdocs.yml: an edit there needs a full build."""
    folders = [p for p in (theme_dir,) if p is not None and p.is_dir()]
    extra = (mkdocs_yml.stat().st_mtime_ns,) if mkdocs_yml is not None and mkdocs_yml.is_file() else ()
    return (*inputs_stamp(*folders), *extra)


class LookedAt:
    """The language of the page the editor last opened in the preview: after an edit of a file
    of no language (the facts, the settings), that language's pages are rendered first."""

    def __init__(self) -> None:
        self.path = ""
        self.site_url = "/"

    def wrap(self, app: Callable) -> Callable:
        def recording(environ: dict, start_response: Callable) -> object:
            path = environ.get("PATH_INFO", "")
            if path.endswith(("/", ".html")):
                self.path = path
            return app(environ, start_response)

        return recording

    def language(self, languages: list[str]) -> str | None:
        """None before any page was opened."""
        if not self.path:
            return None
        mount = urllib.parse.urlsplit(self.site_url).path
        first = self.path.removeprefix(mount.rstrip("/")).lstrip("/").split("/", 1)[0]
        return first if first in languages else languages[0]


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, keyed by Jinja on the template's name and source, so
    an edited template is compiled again (mkdocs-static-i18n compiles Material's once per
    language otherwise)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def guard_preview(server: LiveReloadServer, config: MkDocsConfig, token: str | None, looked_at: LookedAt) -> None:
    """Loopback only, and the token (guard.py); the address with the token is printed. Behind
    the guard, the pages opened tell ``looked_at`` which language the editor reads."""
    if not is_loopback(config.dev_addr.host):
        message = _("the preview answers this computer only: use --dev-addr 127.0.0.1:PORT, not {address}")
        raise PluginError(message.format(address=f"{config.dev_addr.host}:{config.dev_addr.port}"))
    token = token or secrets.token_urlsafe(18)
    address = f"{config.site_url or '/'}?token={token}"
    refused = _("This preview opens only with its address and token, printed where it was started: {hint}")
    app = server.get_app()
    assert app is not None  # LiveReloadServer sets its app when it is made
    looked_at.site_url = config.site_url or "/"
    server.set_app(guarded(looked_at.wrap(app), token, refused.format(hint="scripts/serve")))
    log.info(_("Preview, on this computer only: {address}").format(address=address))
