"""The engine stays a pipeline of small packages: each imports only the layers below it (so no
import cycle), modules stay a few hundred lines and functions fit on a screen."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SOURCE = REPO / "src"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# From the bottom up: a package may import its own modules and those of lower layers only.
LAYERS = (
    {"patientinfo", "patientinfo.errors", "patientinfo.rules", "patientinfo.messages", "patientinfo.guard"},
    {"patientinfo.content"},
    {"patientinfo.model"},
    {"patientinfo.render"},
    {"patientinfo.printing", "patientinfo.translate"},
    {"patientinfo.check"},
    {"patientinfo.pipeline", "patientinfo.scaffold", "patientinfo.editor", "patientinfo.release"},
    {"patientinfo.mkdocs", "patientinfo.cli"},
    {"patientinfo.__main__"},
)
LAYER_OF = {package: height for height, packages in enumerate(LAYERS) for package in packages}


def modules() -> dict[str, Path]:
    found = {}
    for path in SOURCE.rglob("*.py"):
        name = ".".join(path.relative_to(SOURCE).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def imported(path: Path, module: str, known: dict[str, Path]) -> set[str]:
    """The project's modules that ``module`` imports, at the top or inside a function."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in known and name != module}


def test_every_package_has_a_layer():
    assert {package_of(m) for m in modules()} <= set(LAYER_OF)


def test_packages_import_only_lower_layers():
    known = modules()
    upward = []
    for module, path in known.items():
        for target in imported(path, module, known):
            mine, theirs = package_of(module), package_of(target)
            if mine != theirs and LAYER_OF[theirs] >= LAYER_OF[mine]:
                upward.append(f"{module} imports {target}")
    assert not upward


def test_the_layer_test_sees_an_upward_import(tmp_path: Path):
    """The check above is not vacuous: an import of the plugin from the content package is seen."""
    path = tmp_path / "bad.py"
    path.write_text("from patientinfo.mkdocs.plugin import PatientInfoPlugin\n", encoding="utf-8")
    known = {**modules(), "patientinfo.content.bad": path}
    assert imported(path, "patientinfo.content.bad", known) == {"patientinfo.mkdocs.plugin"}


def test_modules_and_functions_stay_small():
    too_long = []
    for module, path in modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{module}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{module}.{node.name}: {length} lines")
    assert not too_long
