"""Property-based: whatever an editor (or an attacker) does to a real content file, loading it
either succeeds or raises the project's ContentError naming the file and a line; never another
exception, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, copy_project
from patientinfo.content.load import load_treatment, read_one
from patientinfo.errors import ContentError
from payloads import content_files

FILES = content_files(REPO)
ORIGINALS = {relative: (REPO / relative).read_bytes() for relative in FILES}
VALUES = ["[]", "{}", "12", "-3.5", "true", "~", '"x"', "2027-13-45", "&a x", "*a", "!!binary aGk=", "'", "|"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    relative = draw(st.sampled_from(sorted(FILES)))
    data = bytearray(ORIGINALS[relative])
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "delete_line", "duplicate_line", "swap_type", "insert", "truncate"]))
        lines = bytes(data).split(b"\n")
        if kind == "flip" and data:
            index = draw(st.integers(0, len(data) - 1))
            data[index] ^= draw(st.integers(1, 255))
        elif kind == "delete_line":
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = bytearray(b"\n".join(lines))
        elif kind == "duplicate_line":
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
        elif kind == "swap_type":
            candidates = [i for i, line in enumerate(lines) if b": " in line]
            if candidates:
                index = draw(st.sampled_from(candidates))
                key = lines[index].split(b": ", 1)[0]
                lines[index] = key + b": " + draw(st.sampled_from(VALUES)).encode()
                data = bytearray(b"\n".join(lines))
        elif kind == "insert":
            index = draw(st.integers(0, len(data)))
            data[index:index] = draw(st.text(max_size=20)).encode("utf-8", "surrogatepass")
        elif kind == "truncate" and data:
            del data[draw(st.integers(0, len(data) - 1)) :]
    return relative, bytes(data)


def assert_named(problems, relative: str) -> None:
    assert problems, "a refused file must say why"
    for problem in problems:
        assert problem.path and problem.line >= 1, problem
        assert "Traceback" not in problem.message


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("fuzz") / "project")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=mutated())
def test_a_mutated_file_loads_or_says_where_it_is_wrong(scratch: Path, change: tuple[str, bytes]):
    relative, data = change
    (scratch / relative).write_bytes(data)
    try:
        _, problems = read_one(scratch, relative, FILES[relative])
        if problems:
            assert_named(problems, relative)
    except ContentError as exc:  # noqa: PERF203
        assert_named(exc.problems, relative)
    finally:
        (scratch / relative).write_bytes(ORIGINALS[relative])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=mutated())
def test_the_whole_content_loads_or_says_where_it_is_wrong(scratch: Path, change: tuple[str, bytes]):
    relative, data = change
    (scratch / relative).write_bytes(data)
    try:
        load_treatment(scratch)
    except ContentError as exc:
        assert_named(exc.problems, relative)
    finally:
        (scratch / relative).write_bytes(ORIGINALS[relative])
