"""Who owns what: which module a dotted path, a model or a database table belongs to."""

from functools import cache
from pathlib import Path

from django.apps import apps
from django.db.models import Model

from ..conf import project_root

PACKAGE = "modules"
PUBLIC_SUBMODULES = frozenset({"api", "events"})


@cache
def module_labels() -> frozenset[str]:
    """The installed modules, by name (``orders`` for ``modules.orders``)."""
    return frozenset(
        config.name.split(".")[1]
        for config in apps.get_app_configs()
        if config.name.startswith(f"{PACKAGE}.") and config.name.count(".") == 1
    )


def module_of_path(dotted: str) -> str | None:
    """Return the module a dotted path belongs to: ``modules.orders.services`` -> ``orders``."""
    parts = dotted.split(".")
    if len(parts) >= 2 and parts[0] == PACKAGE and parts[1] in module_labels():
        return parts[1]
    return None


def is_private(dotted: str) -> bool:
    """Whether a dotted path names private code of a module (anything but its api and events)."""
    parts = dotted.split(".")
    return (
        module_of_path(dotted) is not None and len(parts) > 2 and parts[2] not in PUBLIC_SUBMODULES
    )


def module_of_model(model: type[Model]) -> str | None:
    label = model._meta.app_label
    return label if label in module_labels() else None


def module_of_file(path: Path) -> str | None:
    """Return the module a source file belongs to, from its place under ``modules/``."""
    try:
        parts = path.resolve().relative_to(project_root().resolve()).parts
    except ValueError:
        return None
    if len(parts) >= 3 and parts[0] == PACKAGE and parts[1] in module_labels():
        return parts[1]
    return None


@cache
def table_owners() -> dict[str, str]:
    """Map every table a module owns to that module (many-to-many tables included)."""
    return {
        model._meta.db_table: label
        for label in module_labels()
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def relative(path: Path | str) -> str:
    """A path relative to the project root, for messages."""
    try:
        return str(Path(path).resolve().relative_to(project_root().resolve()))
    except ValueError:
        return str(path)
