"""The layers of docs/architecture.md, checked on the code: every import of every module
under specgen/ (at the top, inside a function, under TYPE_CHECKING) goes down the table
below; only specgen/site imports MkDocs; no import cycle among specgen's modules."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "specgen"
DOC = ROOT / "docs" / "architecture.md"

# package -> the packages it may import (its own modules always): the table of
# docs/architecture.md, "May import" (test_the_doc_has_the_same_table keeps them equal).
# "__init__" is specgen/__init__.py; a package is a top-level module or a folder.
BASE = ("model", "diagnostics", "project", "identifiers")
# Everything below the site adapter: it may use all of it (and the CLI, that and more).
BELOW_SITE = (
    *BASE,
    "forge",
    "origin",
    "__init__",
    "printable",
    "site_defaults",
    "mathml",
    "mdit",
    "sources",
    "releases",
    "writers",
    "lint",
    "render",
    "diff",
    "evals",
    "api",
)
MAY_IMPORT: dict[str, frozenset[str]] = {
    name: frozenset(allowed)
    for name, allowed in {
        "__init__": (),
        "model": (),
        "identifiers": (),
        "printable": (),
        "site_defaults": (),
        "mathml": (),
        "scaffold": (),
        "forge": (),
        "origin": ("model", "forge"),
        "diagnostics": ("model",),
        "project": ("model", "diagnostics", "forge"),
        "mdit": ("model",),
        "sources": (*BASE, "forge", "origin", "mdit"),
        "releases": (*BASE, "sources"),
        "writers": (*BASE, "site_defaults", "mdit", "sources"),
        "lint": (*BASE, "__init__", "printable", "mathml", "mdit", "sources"),
        "evals": (*BASE, "mdit"),
        "render": ("model", "identifiers", "forge", "origin", "mathml", "mdit", "evals"),
        "diff": ("model", "identifiers", "forge", "origin", "mdit", "render"),
        "api": ("model", "diagnostics", "project", "sources", "releases", "lint", "diff"),
        "site": BELOW_SITE,
        "eval_run": BELOW_SITE,
        "cli": (*BELOW_SITE, "scaffold", "site", "eval_run"),
        "__main__": ("cli",),
    }.items()
}

MKDOCS = ("mkdocs", "material")
# inspect-ai, the optional extra behind `specgen eval`: only its adapter imports it.
INSPECT = ("inspect_ai",)
# What the model, at the bottom, must not know of: files, Markdown libraries, MkDocs.
NOT_IN_MODEL = ("os", "io", "pathlib", "shutil", "markdown_it", "mdit_py_plugins", *MKDOCS)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. specgen.site.plugin
    target: str  # what it imports: a module (specgen.model) or another top-level name
    line: int


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(module: str) -> Iterator[Import]:
    """Every import of ``module``, wherever it stands. ``from P import name`` imports the
    submodule P.name when there is one, else P itself."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                yield Import(module, submodule if submodule in MODULES else source, node.lineno)


def _package(module: str) -> str:
    """The row of the table ``module`` belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _where(imp: Import) -> str:
    return f"{MODULES[imp.module].relative_to(ROOT)}:{imp.line}: imports {imp.target}"


def test_every_package_has_a_row() -> None:
    assert {_package(m) for m in MODULES} == set(MAY_IMPORT)


def test_imports_go_down_the_table() -> None:
    wrong = [
        _where(imp)
        for module in MODULES
        for imp in _imports(module)
        if imp.target.split(".")[0] == "specgen"
        and _package(imp.target) != _package(module)
        and _package(imp.target) not in MAY_IMPORT[_package(module)]
    ]
    assert wrong == []


def test_only_the_site_imports_mkdocs() -> None:
    wrong = [
        _where(imp)
        for module in MODULES
        for imp in _imports(module)
        if imp.target.split(".")[0] in MKDOCS and _package(module) != "site"
    ]
    assert wrong == []


def test_only_the_eval_adapter_imports_inspect_ai() -> None:
    wrong = [
        _where(imp)
        for module in MODULES
        for imp in _imports(module)
        if imp.target.split(".")[0] in INSPECT and _package(module) != "eval_run"
    ]
    assert wrong == []


def test_the_model_knows_no_files_markdown_or_mkdocs() -> None:
    wrong = [
        _where(imp)
        for module in MODULES
        for imp in _imports(module)
        if _package(module) == "model" and imp.target.split(".")[0] in NOT_IN_MODEL
    ]
    assert wrong == []


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module in MODULES:
        for imp in _imports(module):
            if imp.target in MODULES and imp.target != module:
                graph[module].add(imp.target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_the_import_walk_sees_function_and_type_checking_imports() -> None:
    targets = {imp.target for imp in _imports("specgen.cli")}
    assert "specgen.site.build" in targets  # imported inside a command
    assert "specgen.diff.model" in targets  # imported under TYPE_CHECKING


def _doc_table() -> dict[str, frozenset[str]]:
    section = DOC.read_text("utf-8").split("## May import", 1)[1]
    table: dict[str, frozenset[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            table[cells[0].strip("`")] = frozenset(re.findall(r"`([^`]+)`", cells[1]))
    return table


def test_the_doc_has_the_same_table() -> None:
    table = _doc_table()
    assert list(table) == list(MAY_IMPORT)  # the same packages, in the same order
    assert table == MAY_IMPORT
