"""The code stays as ruff wants it and its types agree (configuration in pyproject.toml): a moved
function or a changed model breaks the tests, not a clinic's site."""

import subprocess
import sys

import pytest

from conftest import REPO


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "src", "tests", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_types_agree():
    result = run("mypy", "--no-error-summary")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_help_is_plain_words():
    """``patientinfo --help`` is read by clinic staff: no raw reStructuredText markup."""
    result = run("patientinfo", "--help")
    assert result.returncode == 0 and "``" not in result.stdout and "publish" in result.stdout
