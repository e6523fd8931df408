"""The local servers (the preview, the browser editor) answer this computer only, and only
whoever has their address with its token.

A server on a port answers any program that can reach it, and any web page the editor has open
can make the browser ask it (drafts, unpublished texts) or post to it. So each listens on the
loopback address only, accepts a request only with the token of its address (``?token=``, then
a cookie for the same site) and a ``Host`` of this computer (a page that made a name of its own
point to 127.0.0.1 gets nothing), and a request that changes something only from its own pages
(``Origin``: itself).
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable, Iterable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

COOKIE = "patientinfo_preview"
LOOPBACK_NAMES = ("localhost",)

WsgiApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(header: str) -> str:
    """``127.0.0.1:8000`` -> ``127.0.0.1``; ``[::1]:8000`` -> ``::1``."""
    if header.startswith("["):
        return header[1 : header.find("]")]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def guarded(app: WsgiApp, token: str, refused: str) -> WsgiApp:
    """``app`` for requests with the token (in the address or the cookie) and a loopback Host;
    403 with ``refused`` (plain text) for the others."""

    def wsgi(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        in_address = parse_qs(environ.get("QUERY_STRING", "")).get("token", [""])[0]
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        given = in_address or (cookie[COOKIE].value if COOKIE in cookie else "")
        host = _host_name(environ.get("HTTP_HOST", ""))
        writes = environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD")
        own_origin = environ.get("HTTP_ORIGIN") == f"http://{environ.get('HTTP_HOST', '')}"
        if not given or not hmac.compare_digest(given, token) or not is_loopback(host) or (writes and not own_origin):
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return [refused.encode("utf-8")]
        if not in_address:
            return app(environ, start_response)

        def remember(status: str, headers: list, *rest: Any) -> Any:
            cookie_header = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
            return start_response(status, [*headers, ("Set-Cookie", cookie_header)], *rest)

        return app(environ, remember)

    return wsgi
