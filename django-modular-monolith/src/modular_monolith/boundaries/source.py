"""Static checks on the source of each module: E001 (imports), E002 (imports by string),
E003 (app registry lookups).

Each module's files are read by ``modular_monolith.imports``; nothing is imported or
run. Relative imports are resolved, and names bound by imports are followed, so
``from modules import products`` and then ``products.models.Product`` is seen as the
reach-in it is.

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

from ..imports import Import, SourceFile, read_package
from .ownership import (
    PUBLIC_SUBMODULES,
    holds_a_module,
    module_labels,
    module_of_path,
    module_package,
    private_part,
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
        for source in read_package(root, module_package(label)):
            # `from x.models import A, B, C` reaches x.models once, however many names it takes.
            found = dict.fromkeys(_Scanner(source, module=label).scan())
            violations.extend(sorted(found, key=lambda violation: violation.line))
    return violations


class _Scanner:
    def __init__(self, source: SourceFile, *, module: str) -> None:
        self.source = source
        self.path = relative(source.path)
        self.module = module

    def scan(self) -> Iterator[Violation]:
        for imported in self.source.imports:
            yield from self._imported(_reached(imported), imported.line)
            yield from self._unexported(imported.target, imported.line)
        for node in ast.walk(self.source.tree):
            if isinstance(node, ast.Attribute):
                yield from self._attribute(node)
            elif isinstance(node, ast.Call):
                yield from self._call(node)

    # E001 -------------------------------------------------------------------------------------

    def _imported(self, dotted: str, line: int) -> Iterator[Violation]:
        owner = module_of_path(dotted)
        if owner and owner != self.module and private_part(dotted):
            yield self._private_code(dotted, owner, line)

    def _attribute(self, node: ast.Attribute) -> Iterator[Violation]:
        """``products.models`` where ``products`` was imported as ``modules.products``, and
        ``orders_api.Order`` where ``orders_api`` was imported as ``modules.orders.api``."""
        followed = self.source.follow(node)
        if followed is None:
            return
        imported, rest = followed
        dotted = f"{imported}.{rest}"
        owner = module_of_path(dotted)
        # Only names bound to a module's package, or a package above it, lead to private
        # code anew (deeper imports were reported where they were imported). Report the
        # private step itself: for a.b.c.d, ast also visits a.b.c.
        if (
            holds_a_module(imported)
            and owner
            and owner != self.module
            and private_part(dotted) == dotted
        ):
            yield self._private_code(dotted, owner, node.lineno)
        yield from self._unexported(dotted, node.lineno)

    def _unexported(self, dotted: str, line: int) -> Iterator[Violation]:
        """``modules.orders.api.Order``: a name another module's api or events does not export,
        or one of its models (which never crosses a boundary, even listed in ``__all__``)."""
        owner = module_of_path(dotted)
        if owner is None or owner == self.module:
            return
        submodule, _, name = dotted.removeprefix(f"{module_package(owner)}.").partition(".")
        if submodule not in PUBLIC_SUBMODULES or not name or "." in name:
            return  # for a.b.c.d, ast also visits a.b.c: report the step that names the name
        public = f"{module_package(owner)}.{submodule}"
        if name in _model_names(owner):
            reason = f"a model of {owner}"
        elif not _exports(owner, submodule, name):
            reason = "which it does not export"
        else:
            return
        yield Violation(
            id="boundaries.E001",
            path=self.path,
            line=line,
            owner=owner,
            target=dotted,
            message=f"{self.module} imports {name} from {public}, {reason}.",
            hint=f"Import only what {public} exports (its __all__) and never a model; ask "
            f"{owner} for a function or a DTO if one is missing.",
        )

    def _private_code(self, dotted: str, owner: str, line: int) -> Violation:
        package = module_package(owner)
        return Violation(
            id="boundaries.E001",
            path=self.path,
            line=line,
            owner=owner,
            target=private_part(dotted) or dotted,
            message=f"{self.module} imports {dotted}, which is private to {owner}.",
            hint=f"Call {package}.api or listen to {package}.events instead.",
        )

    # E002, E003 ------------------------------------------------------------------------------

    def _call(self, node: ast.Call) -> Iterator[Violation]:
        name = called_name(node)
        literal = _first_string(node)
        if name in STRING_IMPORTERS and literal:
            owner = module_of_path(literal)
            target = private_part(literal)
            if owner and owner != self.module and target:
                yield Violation(
                    id="boundaries.E002",
                    path=self.path,
                    line=node.lineno,
                    owner=owner,
                    target=target,
                    message=f"{self.module} imports {literal!r} by string; it is private to {owner}.",
                    hint=f"Call {module_package(owner)}.api instead.",
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
            hint=f"Call {module_package(label)}.api for the data instead of using the model.",
        )


def _reached(imported: Import) -> str:
    """What an import reaches into: ``from modules.products import models`` imports the
    submodule ``modules.products.models``; a name defined in a module (``from
    modules.products.models import Product``) is reached through the module it is in, so it
    is not reported twice."""
    if imported.name is None or not _is_submodule(imported.target):
        return imported.module
    return imported.target


def _is_submodule(dotted: str) -> bool:
    """Whether ``<a module's package>.name`` is a submodule rather than a name defined there."""
    owner = module_of_path(dotted)
    if owner is None:
        return False
    rest = dotted.removeprefix(f"{module_package(owner)}.")
    if rest == dotted or "." in rest:
        return False
    root = Path(apps.get_app_config(owner).path)
    return (root / f"{rest}.py").exists() or (root / rest).is_dir()


def _model_names(module: str) -> set[str]:
    return {model.__name__ for model in apps.get_app_config(module).get_models()}


def _exports(module: str, submodule: str, name: str) -> bool:
    """Whether a module's ``api`` or ``events`` exports ``name``; True when it cannot be told."""
    root = Path(apps.get_app_config(module).path)
    package = root / submodule / "__init__.py"
    exported = exported_names(package if package.exists() else root / f"{submodule}.py")
    return exported is None or name in exported


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
