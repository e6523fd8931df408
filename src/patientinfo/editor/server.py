"""The browser editor's local server: its pages, a JSON API over ``workspace``, and the pinned
JSON Editor script (``assets``) that makes each file's form from its JSON Schema.

It listens on 127.0.0.1 only, behind the token of its address and the ``Origin`` check of
``patientinfo.guard``, and loads nothing from another host (Content-Security-Policy). A save
sends the file's data as the form holds it (or one item of it, such as one fact); the server
turns the difference into single-value edits, so that every other character of the file is
kept. A new fact comes from its own form (``adding``); another change of shape (an item added
or removed elsewhere) is refused, in plain words. After a save, the pages and PDFs it changed
are listed (``changed``), linked to the preview.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import socketserver
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import yaml

from patientinfo.content.layout import Layout
from patientinfo.editor import adding, changed, new_fact, pages
from patientinfo.editor.workspace import Change, Edit, Proposal, WorkspaceError, propose, read, write
from patientinfo.errors import Problem
from patientinfo.guard import guarded
from patientinfo.messages import _

MAX_BODY = 2 * 1024 * 1024


def as_json(data: object) -> Any:
    """YAML data as the form sees it (dates as 2026-05-23)."""
    return json.loads(json.dumps(data, default=str))


def edits_between(file: str, old: object, new: object, path: tuple[str | int, ...] = ()) -> Iterator[Edit]:
    """The single values that differ between two versions of a file's data."""
    if isinstance(old, dict) and isinstance(new, dict):
        if old.keys() != new.keys():
            raise WorkspaceError(_("adding or removing a field is not possible in the browser yet: edit the file"))
        for key in old:
            yield from edits_between(file, old[key], new[key], (*path, key))
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            raise WorkspaceError(_("adding or removing an item is not possible in the browser yet: edit the file"))
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from edits_between(file, before, after, (*path, index))
    elif old != new:
        if not isinstance(new, str | int | float | bool) or isinstance(old, dict | list):
            raise WorkspaceError(_("this change of shape is not possible in the browser yet: edit the file"))
        yield Edit(file, path, new)


def parts_of(part: str) -> tuple[str | int, ...]:
    """``facts.12`` -> ("facts", 12): one item of a file, edited on its own (a long file's form
    takes seconds to draw; one fact's, a blink)."""
    return tuple(int(key) if key.isdigit() else key for key in part.split(".") if key)


def part_of(data: object, part: tuple[str | int, ...]) -> object:
    for key in part:
        try:
            data = data[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            raise WorkspaceError(_("'{part}' is not in this file").format(part=".".join(map(str, part)))) from None
    return data


def with_part(data: object, part: tuple[str | int, ...], value: object) -> object:
    """A copy of ``data`` with the item at ``part`` replaced by ``value``."""
    if not part:
        return value
    copy = json.loads(json.dumps(data))
    holder = part_of(copy, part[:-1])
    part_of(copy, part)  # the item must exist: a part names an item, never adds one
    holder[part[-1]] = value  # type: ignore[index]
    return copy


class _Api:
    def __init__(self, layout: Layout, day: dt.date, preview: str | None):
        self.layout = layout
        self.day = day
        self.preview = preview  # the preview's address with its token, to link the changed pages
        self.changing = threading.Lock()  # one change at a time: a save checks what it writes over

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        method, route = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        query = parse_qs(environ.get("QUERY_STRING", ""))
        file, part = query.get("file", [""])[0], parts_of(query.get("part", [""])[0])
        try:
            if method == "GET" and route in pages.ROUTES:
                kind, body = pages.ROUTES[route](self.layout)
                return self._send(start_response, 200, kind, body)
            if method == "GET" and route == "/api/file":
                return self._reply(
                    start_response, 200, {"file": file, "data": part_of(as_json(self._data(file)), part)}
                )
            if method == "GET" and route == "/api/schema":
                schema = pages.schema_of(self.layout, file, part)
                if len(part) == 2 and part[0] == "facts":  # one fact: the labels of the new-fact form
                    schema = new_fact.labelled_fact(schema)
                return self._reply(start_response, 200, {"schema": schema})
            if method == "GET" and route == "/api/new-fact":
                schema, start = new_fact.new_fact_schema(self.layout, file), new_fact.new_fact_start(self.layout, file)
                return self._reply(start_response, 200, {"schema": schema, "data": start})
            if method == "POST" and route in ("/api/propose", "/api/save"):
                with self.changing:
                    return self._change(environ, start_response, save=route == "/api/save")
        except WorkspaceError as exc:
            return self._reply(start_response, 400, {"error": str(exc)})
        return self._reply(start_response, 404, {"error": _("not found")})

    def _data(self, file: str) -> object:
        return yaml.safe_load(read(self.layout, file))

    def _changes(self, file: str, body: dict) -> list[Change]:
        """A file's new data (its single values changed), or a new fact with its texts."""
        if "new_fact" in body:
            added = body["new_fact"]
            if not isinstance(added, dict):
                raise WorkspaceError(_("the request is not a change of a file"))
            return adding.new_fact(
                self.layout, file, added.get("fact"), added.get("texts") or {}, str(added.get("asked_by") or "")
            )
        old = as_json(self._data(file))
        new = with_part(old, parts_of(str(body.get("part") or "")), body["data"])
        return list(edits_between(file, old, new))

    def _change(self, environ: dict, start_response: Callable[..., Any], *, save: bool) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            raise WorkspaceError(_("the change is too large"))
        try:
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            file = body["file"]
            changes = self._changes(file, body) if isinstance(file, str) else None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise WorkspaceError(_("the request is not a change of a file")) from None
        if changes is None:
            raise WorkspaceError(_("the request is not a change of a file"))
        proposal = propose(self.layout, changes, self.day)
        part = () if "new_fact" in body else parts_of(str(body.get("part") or ""))
        problems = [self._located(p, proposal, new="new_fact" in body, part=part) for p in proposal.problems]
        stale = [dataclasses.asdict(item) for item in proposal.stale]
        if not save or not proposal.accepted:
            status = 200 if proposal.accepted else 422
            return self._reply(start_response, status, {"diff": proposal.diff, "problems": problems, "stale": stale})
        before = changed.outputs(self.layout, self.day) if proposal.texts else {}
        written = write(self.layout, proposal)
        now = changed.outputs(self.layout, self.day) if proposal.texts else {}
        links = [{"address": address, "url": self._preview_url(address)} for address in changed.changed(before, now)]
        return self._reply(
            start_response, 200, {"diff": proposal.diff, "written": written, "stale": stale, "changed": links}
        )

    def _preview_url(self, address: str) -> str | None:
        if self.preview is None:
            return None
        base, _sep, query = self.preview.partition("?")
        return f"{base}{address}" + (f"?{query}" if query else "")

    def _located(self, problem: Problem, proposal: Proposal, *, new: bool, part: tuple[str | int, ...]) -> dict:
        """A problem as the page shows it, with the form's field it is about (None: above the form);
        on the form of one item (``part``), the field inside it."""
        text = proposal.texts.get(problem.path) or _text_or_none(self.layout, problem.path)
        field = pages.field_at(text, problem.line)
        if part and field is not None:
            field = field[len(part) :] if tuple(field[: len(part)]) == part else None
        if new:
            field = new_fact.new_fact_field(self.layout, problem, proposal, field)
        return {"file": problem.path, "line": problem.line, "message": problem.message, "field": field}

    @classmethod
    def _reply(cls, start_response: Callable[..., Any], status: int, body: dict) -> Iterable[bytes]:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return cls._send(start_response, status, "application/json; charset=utf-8", data)

    @staticmethod
    def _send(start_response: Callable[..., Any], status: int, kind: str, data: bytes) -> Iterable[bytes]:
        reasons = {200: "OK", 400: "Bad Request", 404: "Not Found", 422: "Unprocessable Content"}
        headers = [
            ("Content-Type", kind),
            ("Cache-Control", "no-store"),
            ("Content-Security-Policy", pages.POLICY),
            ("X-Content-Type-Options", "nosniff"),
        ]
        start_response(f"{status} {reasons[status]}", headers)
        return [data]


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per connection: Chromium opens spare connections it may never use, and a
    one-at-a-time server waits on such a connection while the real request hangs."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


def _text_or_none(layout: Layout, shown: str) -> str | None:
    try:
        return read(layout, shown)
    except WorkspaceError:
        return None


def start(
    layout: Layout, token: str, day: dt.date, port: int = 0, preview: str | None = None
) -> tuple[WSGIServer, str]:
    """The editor's server on 127.0.0.1 (a free port unless given), answering in a thread; its
    address with the token. ``preview``: the preview's address with its token, for the links to
    the pages a save changes; ``day``: the build context's day, which the pages show."""
    refused = _("This editor opens only with its address and token, printed where it was started")
    server = make_server(
        "127.0.0.1",
        port,
        guarded(_Api(layout, day, preview), token, refused),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    threading.Thread(target=server.serve_forever, name="patientinfo-editor", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/?token={token}"
