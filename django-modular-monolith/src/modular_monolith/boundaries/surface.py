"""What a module's public files (``api``, ``events``) export, read from their source.

A public file exports the names in its ``__all__``. Without ``__all__`` it exports
the names it defines at the top level (classes, functions, assignments) that do not
start with ``_``; a name it only imports is not exported unless imported as itself
(``from .errors import OrdersError as OrdersError``), the convention type checkers
follow for re-exports. So a model that ``api.py`` imports for its own use is not
part of the module's surface (and ``source`` refuses a model even if exported).
"""

import ast
from functools import cache
from pathlib import Path


def exported_names(path: Path) -> frozenset[str] | None:
    """The names the public file at ``path`` exports; None if it cannot be told statically."""
    if not path.is_file():
        return None
    return _exported_names(path, path.stat().st_mtime_ns)


@cache
def _exported_names(path: Path, _modified: int) -> frozenset[str] | None:
    # Keyed on the modification time too, so an edited file is read again.
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (SyntaxError, ValueError):
        return None  # Python cannot import it either
    if any(_assignment(statement)[0] == "__all__" for statement in tree.body):
        return _declared_all(tree)
    return frozenset(name for name in _defined_names(tree) if not name.startswith("_"))


def _declared_all(tree: ast.Module) -> frozenset[str] | None:
    """The names ``__all__`` lists; None if it is computed rather than written out."""
    names: frozenset[str] = frozenset()
    for statement in tree.body:
        target, value = _assignment(statement)
        if target != "__all__":
            continue
        listed = _literal_names(value, names)
        if listed is None:
            return None
        names = names | listed if isinstance(statement, ast.AugAssign) else listed
    return names


def _assignment(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
    elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
        target = statement.target
    else:
        return None, None
    return (target.id if isinstance(target, ast.Name) else None), statement.value


def _literal_names(value: ast.expr | None, previous: frozenset[str]) -> frozenset[str] | None:
    """The strings of a list or tuple literal; ``*__all__`` stands for the earlier names."""
    if not isinstance(value, ast.List | ast.Tuple):
        return None
    names: set[str] = set()
    for element in value.elts:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            names.add(element.value)
        elif isinstance(element, ast.Starred) and ast.unparse(element.value) == "__all__":
            names |= previous
        else:
            return None
    return frozenset(names)


def _defined_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            # Only `import x as x` re-exports (PEP 484's rule for stubs and typed packages).
            names.update(a.asname for a in statement.names if a.asname == a.name.split(".")[-1])
        elif isinstance(statement, ast.Assign):
            names.update(
                n.id
                for target in statement.targets
                for n in ast.walk(target)
                if isinstance(n, ast.Name)
            )
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names.add(statement.target.id)
    return names
