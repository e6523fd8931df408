"""What every measurement shares: the project's root, the interpreter the builds run on, and
printing a line of the report as soon as it is known."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def say(text: str = "") -> None:
    print(text, flush=True)
