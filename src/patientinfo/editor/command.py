"""``patientinfo edit``: the browser editor and, beside it, the preview that shows each saved
change, both on 127.0.0.1 behind one random token, until Ctrl-C."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import socket
import subprocess
import sys

from patientinfo.content.layout import Layout
from patientinfo.messages import _


def edit_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("edit", help=_("edit the content in a browser, on this computer only"))
    parser.add_argument("--port", type=int, default=0, help=_("the port (default: a free one)"))
    parser.add_argument("--no-browser", action="store_true", help=_("print the address, open no browser"))
    parser.add_argument(
        "--no-preview", action="store_true", help=_("do not start the preview that shows each saved change")
    )


def _start_preview(layout: Layout, token: str) -> tuple[subprocess.Popen, str]:
    """The preview (mkdocs serve, drafts included) on a free port of 127.0.0.1, behind ``token``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    environment = {**os.environ, "PATIENTINFO_PREVIEW_TOKEN": token}
    return subprocess.Popen(command, cwd=layout.root, env=environment), f"http://127.0.0.1:{port}/?token={token}"


def edit(layout: Layout, args: argparse.Namespace, day: dt.date, token: str | None) -> int:
    """The browser editor's local server (and the preview) until Ctrl-C; its address, with its
    token (``token``, or a random one), is printed. ``day``: the build context's."""
    import secrets
    import time
    import webbrowser

    from patientinfo.editor.server import start

    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(0))  # stop the preview too
    token = token or secrets.token_urlsafe(18)
    preview, preview_address = (None, None) if args.no_preview else _start_preview(layout, token)
    server, address = start(layout, token, day, args.port, preview_address)
    print(_("The editor, on this computer only: {address}").format(address=address), flush=True)
    if preview_address:
        print(_("The preview of the saved changes: {address}").format(address=preview_address), flush=True)
    if not args.no_browser:
        webbrowser.open(address)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        if preview is not None:
            preview.terminate()
            preview.wait(timeout=10)
    return 0
