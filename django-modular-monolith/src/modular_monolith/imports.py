"""The one reader of imports: everything that needs a file's imports reads them here.

A file is parsed once with ``ast``; nothing is imported or run, so this works before
Django is set up. Relative imports are resolved against the file's package, and the
names that imports bind are kept, so that ``users.models`` after ``from modules import
users`` can be followed to ``modules.users.models``.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, kw_only=True)
class Import:
    """One name an import statement brings in, with its line."""

    module: str  # absolute: ``modules.users`` for ``from ..users import models`` in modules/alpha
    name: str | None  # the name taken from the module (``models``); None for ``import module``
    line: int

    @property
    def target(self) -> str:
        """The dotted path imported: ``modules.users.models``."""
        return f"{self.module}.{self.name}" if self.name else self.module


@dataclass(frozen=True, kw_only=True)
class SourceFile:
    """A parsed Python file, its imports, and the local names they bind."""

    path: Path
    package: str  # the dotted package the file is in: ``modules.orders`` for its services.py
    tree: ast.Module
    imports: tuple[Import, ...]
    bindings: dict[str, str]  # local name -> the dotted path it is bound to

    def follow(self, node: ast.expr) -> tuple[str, str] | None:
        """Split ``users.models.User`` into what ``users`` is bound to and the rest.

        Return ``("modules.users", "models.User")``, or None when the expression does
        not start at a name bound by an import.
        """
        chain = _dotted_name(node)
        head, _, rest = (chain or "").partition(".")
        bound = self.bindings.get(head)
        return (bound, rest) if bound else None


def read_source(path: Path, package: str) -> SourceFile:
    """Parse ``path``, a file of the dotted ``package``, and collect its imports."""
    # Bytes, so that ast honours a file's coding declaration as Python does (PEP 263).
    tree = ast.parse(path.read_bytes(), filename=str(path))
    imports: list[Import] = []
    bindings: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imports.append(Import(module=alias.name, name=None, line=node.lineno))
                # `import a.b.c` binds `a` (to the package a); `import a.b.c as x` binds x to a.b.c.
                top = alias.name.split(".")[0]
                bindings[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            for alias in node.names:
                if alias.name == "*":  # binds nothing we can name; it imports the module
                    imports.append(Import(module=module, name=None, line=node.lineno))
                    continue
                imports.append(Import(module=module, name=alias.name, line=node.lineno))
                bindings[alias.asname or alias.name] = f"{module}.{alias.name}"
    return SourceFile(
        path=path, package=package, tree=tree, imports=tuple(imports), bindings=bindings
    )


def read_package(package_dir: Path, package: str) -> Iterator[SourceFile]:
    """Every Python file under ``package_dir``, the directory of the dotted ``package``.

    A file that Python cannot parse is left out: it cannot be imported either, so it
    imports nothing (a Python 2 script, a code template that happens to end in .py).
    """
    for path in sorted(package_dir.rglob("*.py")):
        folders = path.relative_to(package_dir).parent.parts
        try:
            yield read_source(path, ".".join([package, *folders]))
        except (SyntaxError, ValueError):  # ValueError: null bytes, before Python 3.12
            continue


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module a ``from`` import names, with a relative one resolved against ``package``."""
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    # Level 1 is the package itself; beyond the top package Python refuses the import.
    base = parts[: max(len(parts) - node.level + 1, 0)]
    return ".".join([*base, node.module] if node.module else base)


def _dotted_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted_name(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None
