"""Static checks on the source of each module: E001 (imports), E002 (imports by string),
E003 (app registry lookups).

Each module's files are parsed with ``ast``; nothing is imported or run. Names
bound by imports are followed, so ``from modules import products`` and then
``products.models.Product`` is seen as the reach-in it is.

A name taken from another module's ``api`` or ``events`` must be one it exports
(see ``surface``), and never one of its models, even listed in ``__all__``:
``from modules.orders.api import Order`` works whenever ``api.py`` imports its own
model, and is E001 all the same, as is ``orders_api.Order`` after
``from modules.orders import api as orders_api``.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps

from .ownership import (
    PACKAGE,
    PUBLIC_SUBMODULES,
    is_private,
    module_labels,
    module_of_path,
    relative,
)
from .surface import exported_names
from .violations import Violation

STRING_IMPORTERS = frozenset({"import_module", "__import__", "import_string"})


def source_violations() -> list[Violation]:
    """Scan every Python file of every installed module."""
    violations: list[Violation] = []
    for label in sorted(module_labels()):
        root = Path(apps.get_app_config(label).path)
        for path in sorted(root.rglob("*.py")):
            violations.extend(file_violations(path, module=label))
    return violations


def file_violations(path: Path, *, module: str) -> list[Violation]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return list(_Scanner(path=path, module=module, package=_package_of(path, module)).scan(tree))


def _package_of(path: Path, module: str) -> str:
    """The dotted package a file is in, for resolving relative imports."""
    folders = path.relative_to(Path(apps.get_app_config(module).path)).parent.parts
    return ".".join([PACKAGE, module, *folders])


class _Scanner:
    def __init__(self, *, path: Path, module: str, package: str) -> None:
        self.path = relative(path)
        self.module = module
        self.package = package
        self.aliases: dict[str, str] = {}  # local name -> the dotted path it was imported as

    def scan(self, tree: ast.Module) -> Iterator[Violation]:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield from self._imported(alias.name, node)
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        self.aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(node)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    # `from modules.products import models` imports a submodule; the
                    # package is checked on its own, so a name inside it is not reported twice.
                    yield from self._imported(full if self._is_module_path(full) else base, node)
                    yield from self._unexported(full, node)
                    self.aliases[alias.asname or alias.name] = full
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                yield from self._attribute(node)
            elif isinstance(node, ast.Call):
                yield from self._call(node)

    # E001 -------------------------------------------------------------------------------------

    def _imported(self, dotted: str, node: ast.AST) -> Iterator[Violation]:
        owner = module_of_path(dotted)
        if owner and owner != self.module and is_private(dotted):
            yield self._private_code(dotted, owner, node)

    def _attribute(self, node: ast.Attribute) -> Iterator[Violation]:
        """``products.models`` where ``products`` was imported as ``modules.products``, and
        ``orders_api.Order`` where ``orders_api`` was imported as ``modules.orders.api``."""
        chain = _dotted_name(node)
        if chain is None:
            return
        head, _, rest = chain.partition(".")
        imported = self.aliases.get(head, "")
        if imported.split(".")[0] != PACKAGE:
            return
        dotted = f"{imported}.{rest}"
        owner = module_of_path(dotted)
        parts = dotted.split(".")
        # Report the step that crosses, once: for a.b.c.d, ast also visits a.b.c. Steps
        # beyond it (modules.products.models.Product) were reported at the import or here.
        if owner and owner != self.module and len(parts) == 3 and parts[2] not in PUBLIC_SUBMODULES:
            yield self._private_code(dotted, owner, node)
        elif len(parts) == 4:
            yield from self._unexported(dotted, node)

    def _unexported(self, dotted: str, node: ast.AST) -> Iterator[Violation]:
        """``modules.orders.api.Order``: a name another module's api or events does not export,
        or one of its models (which never crosses a boundary, even listed in ``__all__``)."""
        owner = module_of_path(dotted)
        parts = dotted.split(".")
        if (
            not owner
            or owner == self.module
            or len(parts) != 4
            or parts[2] not in PUBLIC_SUBMODULES
        ):
            return
        public, name = ".".join(parts[:3]), parts[3]
        exported = exported_names(_source_file(owner, parts[2]))
        if name in _model_names(owner):
            reason = f"a model of {owner}"
        elif name != "*" and exported is not None and name not in exported:
            reason = "which it does not export"
        else:
            return
        yield Violation(
            id="boundaries.E001",
            path=self.path,
            line=getattr(node, "lineno", 0),
            owner=owner,
            target=dotted,
            message=f"{self.module} imports {name} from {public}, {reason}.",
            hint=f"Import only what {public} exports (its __all__) and never a model; ask "
            f"{owner} for a function or a DTO if one is missing.",
        )

    def _private_code(self, dotted: str, owner: str, node: ast.AST) -> Violation:
        return Violation(
            id="boundaries.E001",
            path=self.path,
            line=getattr(node, "lineno", 0),
            owner=owner,
            target=".".join(dotted.split(".")[:3]),
            message=f"{self.module} imports {dotted}, which is private to {owner}.",
            hint=f"Call modules.{owner}.api or listen to modules.{owner}.events instead.",
        )

    # E002, E003 ------------------------------------------------------------------------------

    def _call(self, node: ast.Call) -> Iterator[Violation]:
        name = called_name(node)
        literal = _first_string(node)
        if name in STRING_IMPORTERS and literal:
            owner = module_of_path(literal)
            if owner and owner != self.module and is_private(literal):
                yield Violation(
                    id="boundaries.E002",
                    path=self.path,
                    line=node.lineno,
                    owner=owner,
                    target=".".join(literal.split(".")[:3]),
                    message=f"{self.module} imports {literal!r} by string; it is private to {owner}.",
                    hint=f"Call modules.{owner}.api instead.",
                )
        elif name == "get_model":
            label, model_name = registry_target(node)
            if label and label != self.module and label in module_labels():
                yield self._registry_lookup(node, label, model_name)

    def _registry_lookup(self, node: ast.Call, label: str, model_name: str) -> Violation:
        return Violation(
            id="boundaries.E003",
            path=self.path,
            line=node.lineno,
            owner=label,
            target=f"{label}.{model_name}",
            message=f"{self.module} fetches {label}.{model_name} from the app registry; "
            f"its tables belong to {label}.",
            hint=f"Call modules.{label}.api for the data instead of using the model.",
        )

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = self.package.split(".")
        base = base[: len(base) - node.level + 1]
        return ".".join([*base, node.module] if node.module else base)

    @staticmethod
    def _is_module_path(dotted: str) -> bool:
        """Whether ``package.name`` is a submodule rather than a name defined in the package."""
        parts = dotted.split(".")
        if len(parts) != 3 or parts[0] != PACKAGE or parts[1] not in module_labels():
            return False
        root = Path(apps.get_app_config(parts[1]).path)
        return (root / f"{parts[2]}.py").exists() or (root / parts[2]).is_dir()


def _model_names(module: str) -> set[str]:
    return {model.__name__ for model in apps.get_app_config(module).get_models()}


def _source_file(module: str, submodule: str) -> Path:
    """The file of a module's submodule: ``api.py``, or ``api/__init__.py`` for a package."""
    root = Path(apps.get_app_config(module).path)
    package = root / submodule / "__init__.py"
    return package if package.exists() else root / f"{submodule}.py"


def _dotted_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted_name(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def called_name(node: ast.Call) -> str | None:
    """The name a call is made through: ``f`` for ``f()`` and for ``a.b.f()``."""
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _first_string(node: ast.Call) -> str | None:
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def registry_target(node: ast.Call) -> tuple[str | None, str]:
    """The app label and model name of ``get_model("app", "Model")``, ``get_model("app.Model")``
    or ``get_app_config("app").get_model("Model")``."""
    strings = [
        a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
    ]
    receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
    if isinstance(receiver, ast.Call) and called_name(receiver) == "get_app_config":
        return _first_string(receiver), strings[0] if strings else "?"
    if len(strings) >= 2:
        return strings[0], strings[1]
    if strings and "." in strings[0]:
        label, _, model_name = strings[0].partition(".")
        return label, model_name
    return None, ""
