"""``mkdocs serve`` rebuilds once when a fact changes, and never loops on its own output."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path):
        self.port = free_port()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def count(self, needle: str) -> int:
        return sum(needle in line for line in list(self.lines))

    def wait_for(self, needle: str, times: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.count(needle) < times:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"waited for {needle!r} x{times}:\n" + "".join(self.lines))
            time.sleep(0.2)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
            return response.read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def test_a_changed_fact_rebuilds_once(sample_project: Path):
    server = Server(sample_project)
    try:
        server.wait_for("Serving on")
        time.sleep(2)  # let the file watcher settle
        assert server.count("Detected file changes") == 0
        texts = sample_project / "content" / "it" / "facts.yaml"
        texts.write_text(texts.read_text(encoding="utf-8").replace("Un livido", "Un livido leggero"), encoding="utf-8")
        server.wait_for("Detected file changes")
        server.wait_for("Building documentation", times=2)
        time.sleep(6)  # a loop would show up as more rebuilds
        assert server.count("Detected file changes") == 1, "".join(server.lines)
        assert "Un livido leggero" in server.get("/it/risks/")
    finally:
        server.stop()
