"""Static checks on what Django has loaded: E004 (relation fields), E005 (migration
dependencies), E006 (model signal receivers), E007 (admin registrations)."""

import ast
import inspect
import re
import sys
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.migrations.loader import MigrationLoader
from django.db.models import Model, signals

from .ownership import module_labels, module_of_model, module_of_path, module_package, relative
from .source import called_name, registry_target
from .violations import Violation

MODEL_SIGNALS = {
    "pre_init": signals.pre_init,
    "post_init": signals.post_init,
    "pre_save": signals.pre_save,
    "post_save": signals.post_save,
    "pre_delete": signals.pre_delete,
    "post_delete": signals.post_delete,
    "m2m_changed": signals.m2m_changed,
}


def registry_violations() -> list[Violation]:
    return [
        *relation_violations(),
        *migration_violations(),
        *signal_violations(),
        *admin_violations(),
    ]


# E004 -----------------------------------------------------------------------------------------


def relation_violations() -> Iterator[Violation]:
    """Relation fields (and many-to-many ``through`` models) pointing into another module."""
    for label in sorted(module_labels()):
        for model in apps.get_app_config(label).get_models():
            # The fields this model declares (inherited ones are their own model's concern).
            for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
                # Once the registry is ready a relation's model is a class (not None, not a string).
                if not field.is_relation or not isinstance(field.related_model, type):
                    continue
                targets = [field.related_model]
                through = getattr(getattr(field, "remote_field", None), "through", None)
                if field.many_to_many and through is not None and not through._meta.auto_created:
                    targets.append(through)
                for target in targets:
                    owner = module_of_model(target)
                    if owner and owner != label:
                        yield _relation(model, field, target, owner, label)


def _relation(
    model: type[Model], field: Any, target: type[Model], owner: str, label: str
) -> Violation:
    path, line = _field_location(model, field.name)
    if field.many_to_many:
        fix = f"Keep the {owner} ids in a table of {label}"
    else:
        fix = f"Store {field.name}_id as a plain integer"
    return Violation(
        id="boundaries.E004",
        path=path,
        line=line,
        owner=owner,
        target=target._meta.label,
        message=f"{label}.models.{model.__name__}.{field.name} points at {target._meta.label}, "
        f"a table of {owner}.",
        hint=f"{fix} and call {module_package(owner)}.api for the data.",
    )


def _field_location(model: type[Model], field: str) -> tuple[str, int]:
    lines, start = inspect.getsourcelines(model)
    pattern = re.compile(rf"^\s*{re.escape(field)}\s*[:=]")
    offset = next((i for i, text in enumerate(lines) if pattern.match(text)), 0)
    return relative(inspect.getsourcefile(model) or "?"), start + offset


# E005 -----------------------------------------------------------------------------------------


def migration_violations() -> Iterator[Violation]:
    loader = MigrationLoader(None, ignore_no_migrations=True)  # the files, not the database
    for (label, name), migration in sorted(loader.disk_migrations.items()):
        if label not in module_labels():
            continue
        for dependency_label, dependency in migration.dependencies:
            if dependency_label != label and dependency_label in module_labels():
                module = inspect.getmodule(migration)
                path = inspect.getsourcefile(module) if module else f"{label}/migrations/{name}.py"
                yield Violation(
                    id="boundaries.E005",
                    path=relative(path or "?"),
                    line=_line_containing(path, repr(dependency_label)),
                    owner=dependency_label,
                    target=f"{dependency_label}.{dependency}",
                    message=f"Migration {label}.{name} depends on migration "
                    f"{dependency_label}.{dependency} of another module.",
                    hint="Migrations of one module depend only on its own and Django's: store the "
                    "other module's id without a relation, and remove the dependency.",
                )


def _line_containing(path: str | None, text: str) -> int:
    if not path:
        return 0
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if text in line or text.replace("'", '"') in line:
            return number
    return 0


# E006 -----------------------------------------------------------------------------------------


def signal_violations() -> Iterator[Violation]:
    """Receivers of model signals that listen to another module's model."""
    models_by_id = {id(model): model for model in apps.get_models(include_auto_created=True)}
    for signal_name, signal in MODEL_SIGNALS.items():
        for (_receiver_key, sender_key), receiver in _receivers(signal):
            sender = models_by_id.get(sender_key)
            module = _module_of_code(receiver)
            owner = module_of_model(sender) if sender else None
            if module and owner and owner != module:
                code = inspect.unwrap(receiver).__code__
                yield Violation(
                    id="boundaries.E006",
                    path=relative(code.co_filename),
                    line=code.co_firstlineno,
                    owner=owner,
                    target=sender._meta.label,  # type: ignore[union-attr]
                    message=f"{module} receives {signal_name} of {sender._meta.label}, "  # type: ignore[union-attr]
                    f"a model of {owner}.",
                    hint=f"Listen to an event from {module_package(owner)}.events instead; "
                    f"ask {owner} to publish one if it is missing.",
                )


def _receivers(signal: Any) -> Iterator[tuple[tuple[Any, Any], Callable[..., Any]]]:
    # Each entry starts with (lookup key, receiver or weak reference); Django adds fields after.
    for entry in signal.receivers:
        key, reference = entry[0], entry[1]
        receiver = reference() if isinstance(reference, weakref.ReferenceType) else reference
        if receiver is not None:
            yield key, receiver


def _module_of_code(function: Callable[..., Any]) -> str | None:
    return module_of_path(getattr(inspect.unwrap(function), "__module__", "") or "")


# E007 -----------------------------------------------------------------------------------------


def admin_violations() -> Iterator[Violation]:
    """Models registered in the admin by a module that does not own them."""
    for model, model_admin in admin.site._registry.items():
        owner = module_of_model(model)
        if owner is None:
            continue
        found = _admin_class_location(type(model_admin)) or _register_call_location(model, owner)
        if found and found[0] != owner:
            module, path, line = found
            yield Violation(
                id="boundaries.E007",
                path=path,
                line=line,
                owner=owner,
                target=model._meta.label,
                message=f"The {module} admin registers {model._meta.label}, a model of {owner}.",
                hint=f"Register it in {_admin_file(owner)}; each module administers its own models.",
            )


def _admin_file(module: str) -> str:
    return relative(Path(apps.get_app_config(module).path) / "admin.py")


def _admin_class_location(admin_class: type) -> tuple[str, str, int] | None:
    module = _module_of_code(admin_class)
    if module is None:
        return None
    _, line = inspect.getsourcelines(admin_class)
    return module, relative(inspect.getsourcefile(admin_class) or "?"), line


def _register_call_location(model: type[Model], owner: str) -> tuple[str, str, int] | None:
    """Find ``admin.site.register(Model)`` (Django's default ModelAdmin) in another module's admin.py.

    Each argument is resolved in the namespace of the loaded admin module, so ``Thing``
    is the model that admin.py imported: a module registering its own model that has
    the same name as ours is no match.
    """
    for module in sorted(module_labels() - {owner}):
        config = apps.get_app_config(module)
        path = Path(config.path) / "admin.py"
        loaded = sys.modules.get(f"{config.name}.admin")
        if loaded is None or not path.exists():
            continue  # admin.py was never imported, so it registered nothing
        for node in ast.walk(ast.parse(path.read_bytes())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "register"
                and any(_refers_to(arg, model, vars(loaded)) for arg in node.args)
            ):
                return module, relative(path), node.lineno
    return None


def _refers_to(node: ast.expr, model: type[Model], namespace: dict[str, Any]) -> bool:
    """Whether an expression names ``model``: Thing, models.Thing, get_model("app", "Thing")."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name | ast.Attribute) and _resolve(part, namespace) is model:
            return True
        if isinstance(part, ast.Call) and called_name(part) == "get_model":
            label, name = registry_target(part)
            if f"{label}.{name}".lower() == model._meta.label_lower:
                return True
    return False


def _resolve(node: ast.expr, namespace: dict[str, Any]) -> Any:
    """The object a name or a chain of attributes refers to in a module, or None."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        return getattr(_resolve(node.value, namespace), node.attr, None)
    return None
