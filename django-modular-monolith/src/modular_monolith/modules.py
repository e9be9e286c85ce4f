"""The domain modules on disk and how they depend on each other, read from their source.

Plain Python (``ast``, no Django), so that settings can use it before Django is set
up: ``INSTALL_MODULES`` names the modules to install, and ``with_dependencies``
adds what they import. The graph comes from the real import statements, the same
edges import-linter checks, so it never drifts from the code.
"""

import ast
from collections.abc import Iterable, Iterator
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

PACKAGE = "modules"


def modules_root(base_dir: Path) -> Path:
    return base_dir / PACKAGE


def available_modules(base_dir: Path) -> list[str]:
    """Every module under ``modules/``: a package with an ``apps.py``."""
    return sorted(p.parent.name for p in modules_root(base_dir).glob("*/apps.py"))


@cache
def dependency_graph(base_dir: Path) -> dict[str, frozenset[str]]:
    """Map each module to the modules it imports (its api or events, or anything else)."""
    names = set(available_modules(base_dir))
    return {name: frozenset(_imported_modules(base_dir, name, names)) for name in sorted(names)}


def with_dependencies(base_dir: Path, requested: Iterable[str]) -> list[str]:
    """The requested modules and everything they depend on, dependencies first.

    Raises ``ValueError`` for a name that is not a module under ``modules/``.
    """
    graph = dependency_graph(base_dir)
    unknown = sorted(set(requested) - graph.keys())
    if unknown:
        raise ValueError(f"No such module: {', '.join(unknown)} (modules/: {', '.join(graph)}).")
    wanted: set[str] = set()
    pending = list(requested)
    while pending:
        name = pending.pop()
        if name not in wanted:
            wanted.add(name)
            pending.extend(graph[name])
    order = TopologicalSorter({name: graph[name] for name in sorted(wanted)}).static_order()
    return list(order)


def imports_of(package_dir: Path) -> Iterator[str]:
    """The dotted names a module's code imports (absolute imports; migrations aside)."""
    for path in sorted(package_dir.rglob("*.py")):
        if "migrations" in path.relative_to(package_dir).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield from (alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _imported_modules(base_dir: Path, name: str, names: set[str]) -> set[str]:
    found = set()
    for dotted in imports_of(modules_root(base_dir) / name):
        parts = dotted.split(".")
        if len(parts) >= 2 and parts[0] == PACKAGE and parts[1] in names:
            found.add(parts[1])
    found.discard(name)
    return found
