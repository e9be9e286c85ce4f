"""Who owns what: which module a dotted path, a file, a model, a table or running code belongs to."""

import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import Model

from ..conf import project_root
from ..modules import module_labels, module_package

__all__ = [
    "PUBLIC_SUBMODULES",
    "calling_module",
    "holds_a_module",
    "is_private",
    "module_labels",
    "module_of_file",
    "module_of_model",
    "module_of_path",
    "module_package",
    "private_part",
    "relative",
    "table_owners",
    "tables_in",
]

PUBLIC_SUBMODULES = frozenset({"api", "events"})


def module_of_path(dotted: str) -> str | None:
    """Return the module a dotted path belongs to: ``modules.orders.services`` -> ``orders``."""
    return next(
        (label for package, label in _packages_deepest_first() if _within(dotted, package)),
        None,
    )


def private_part(dotted: str) -> str | None:
    """The private part of a module that a dotted path reaches, if any.

    ``modules.users.models.User`` -> ``modules.users.models``; None for a module's
    package itself, its ``api`` and ``events``, and anything outside the modules.
    """
    owner = module_of_path(dotted)
    if owner is None or dotted == module_package(owner):
        return None
    package = module_package(owner)
    submodule = dotted.removeprefix(f"{package}.").split(".")[0]
    return None if submodule in PUBLIC_SUBMODULES else f"{package}.{submodule}"


def is_private(dotted: str) -> bool:
    """Whether a dotted path names private code of a module (anything but its api and events)."""
    return private_part(dotted) is not None


def holds_a_module(dotted: str) -> bool:
    """Whether a dotted path is a module's package or a package above one (``modules``)."""
    return any(_within(package, dotted) for package, _ in _packages_deepest_first())


def module_of_model(model: type[Model]) -> str | None:
    label = model._meta.app_label
    return label if label in module_labels() else None


def module_of_file(path: Path) -> str | None:
    """Return the module a source file belongs to, from the directory of its app."""
    resolved = path.resolve()
    return next(
        (label for folder, label in _folders_deepest_first() if resolved.is_relative_to(folder)),
        None,
    )


@cache
def table_owners() -> dict[str, str]:
    """Map every table a module owns to that module (many-to-many tables included)."""
    return {
        model._meta.db_table: label
        for label in module_labels()
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def tables_in(sql: str) -> list[str]:
    """The tables of modules that a SQL statement names, in order of appearance."""
    return _table_pattern().findall(sql)


def calling_module() -> tuple[str, str] | None:
    """The innermost module on the call stack, and where in its code the call is (file:line)."""
    frame: Any = sys._getframe(1)
    while frame is not None:
        module = module_of_path(frame.f_globals.get("__name__", ""))
        if module is not None:
            return module, f"{relative(frame.f_code.co_filename)}:{frame.f_lineno}"
        frame = frame.f_back
    return None


def relative(path: Path | str) -> str:
    """A path relative to the project root, for messages."""
    try:
        return str(Path(path).resolve().relative_to(project_root().resolve()))
    except ValueError:
        return str(path)


@cache
def _table_pattern() -> re.Pattern[str]:
    names = sorted(table_owners(), key=len, reverse=True)  # longest first: users_user_groups
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")


def _within(dotted: str, package: str) -> bool:
    return dotted == package or dotted.startswith(f"{package}.")


# A module's package may sit inside another's (``store`` and ``store.billing``): the deepest
# match owns the path.
@cache
def _packages_deepest_first() -> list[tuple[str, str]]:
    packages = [(module_package(label), label) for label in module_labels()]
    return sorted(packages, key=lambda item: item[0].count("."), reverse=True)


@cache
def _folders_deepest_first() -> list[tuple[Path, str]]:
    folders = [
        (Path(apps.get_app_config(label).path).resolve(), label) for label in module_labels()
    ]
    return sorted(folders, key=lambda item: len(item[0].parts), reverse=True)
