"""The layers of docs/DEVELOPPEMENT.md, checked on the source: who may import whom.

Why: « rules → one computation of the year → adapters » is only true while no rule
imports an adapter and no module-level import circle exists (issue 11). The test
reads every module's imports with ``ast`` (no import is run), module-level ones for
the circles and all of them (lazy imports in functions included) for the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "xlae"


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path, module_level: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    nodes = tree.body if module_level else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in MODULES else module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return result


def test_no_import_circle_at_module_level() -> None:
    graph = {name: _imports(name, path, True) for name, path in MODULES.items()}
    assert _cycles(graph) == []


# Layer -> the packages and modules it may import (besides itself), lazy imports included.
ALLOWED = {
    "xlae.rules": {"xlae.errors", "xlae.format", "xlae.rates"},
    "xlae.year": {"xlae.errors", "xlae.rates", "xlae.rules"},
}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_pure_layers_import_no_adapter(layer: str) -> None:
    wrong = {}
    for name, path in MODULES.items():
        if name == layer or name.startswith(layer + "."):
            bad = {m for m in _imports(name, path, False)
                   if not m.startswith(layer) and not any(m == a or m.startswith(a + ".") for a in ALLOWED[layer])}
            if bad:
                wrong[name] = sorted(bad)
    assert wrong == {}


def test_one_computation_of_the_declarations() -> None:
    """The Synthèse, xlae declaration and xlae simuler all take their declarations from xlae.year."""
    users = {name for name, path in MODULES.items()
             if any(m.startswith("xlae.year") for m in _imports(name, path, False))}
    for adapter in ("xlae.ledger.declaration", "xlae.template.synthese", "xlae.commands.simuler"):
        assert any(u == adapter or u.startswith(adapter + ".") for u in users), adapter
