"""Moving a module's tables to a database of its own: the data step of extracting it.

A module owns its tables and nothing outside it refers to them (no relation, no
migration dependency, no SQL: the boundary checks prove it), so its data can move
without touching any other module's. ``copy_module_data`` copies every row into
the module's tables in the target database (created there by ``migrate``, as the
module's own process runs it), in one transaction on the target that commits only
if the source still has exactly the rows copied. ``drop_module_tables`` then removes them from the source, with the
record of their migrations, so that a later ``migrate`` would create them again
if the module ever came back.

Copy while nothing writes to the module (its writers stopped, or the module
already answering from elsewhere): a row written to the source after the copy
would stay behind, and the count check catches only what changes during it.
"""

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

from .modules import module_labels


class ModuleDataError(Exception):
    """The data cannot be moved as asked; nothing was changed."""


def module_models(label: str) -> list[type[Model]]:
    """The models whose tables the module owns, many-to-many tables included, in creation order."""
    if label not in module_labels():
        raise ModuleDataError(
            f"{label!r} is not an installed module; the modules are "
            f"{', '.join(sorted(module_labels()))}."
        )
    return [
        model
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def copy_module_data(
    label: str, *, source: str, target: str, batch_size: int = 1000
) -> dict[str, int]:
    """Copy the module's rows from the ``source`` database into its tables in ``target``.

    ``source`` and ``target`` are aliases in ``DATABASES``. Returns the rows copied, by
    table. Refuses a target without the module's tables, or with rows in them. Primary
    keys are kept, and the target's sequences moved past them.
    """
    for alias in (source, target):
        if alias not in settings.DATABASES:
            raise ModuleDataError(f"No database {alias!r} in DATABASES.")
    if source == target:
        raise ModuleDataError("The source and the target are the same database.")
    models = module_models(label)
    missing = _missing_tables(models, target)
    if missing:
        raise ModuleDataError(
            f"The target has no {', '.join(missing)}: run `migrate` on it first, as the "
            f"module's own process would (with only {label} installed)."
        )
    filled = [m._meta.db_table for m in models if m._base_manager.using(target).exists()]
    if filled:
        raise ModuleDataError(
            f"The target already holds rows in {', '.join(filled)}: copy into empty tables."
        )
    copied = {}
    with transaction.atomic(using=target):
        for model in models:
            rows = model._base_manager.using(source).order_by("pk").iterator(chunk_size=batch_size)
            batch: list[Model] = []
            for row in rows:
                batch.append(row)
                if len(batch) == batch_size:
                    model._base_manager.using(target).bulk_create(batch)
                    batch = []
            model._base_manager.using(target).bulk_create(batch)
            copied[model._meta.db_table] = model._base_manager.using(target).count()
        changed = [
            model._meta.db_table
            for model in models
            if model._base_manager.using(source).count() != copied[model._meta.db_table]
        ]
        if changed:
            raise ModuleDataError(
                f"Rows were written to {', '.join(changed)} during the copy; nothing was "
                "copied. Stop what writes to the module and run it again."
            )
        _reset_sequences(models, target)
    return copied


def drop_module_tables(label: str, *, database: str) -> list[str]:
    """Drop the module's tables from ``database`` and forget their migrations there.

    Returns the tables dropped. Run it only once ``copy_module_data`` succeeded.
    """
    models = module_models(label)
    connection = connections[database]
    missing = _missing_tables(models, database)
    dropped = [m._meta.db_table for m in models if m._meta.db_table not in missing]
    with connection.schema_editor() as editor:  # one transaction where DDL can be rolled back
        for model in reversed(models):
            if model._meta.db_table not in missing and not model._meta.auto_created:
                editor.delete_model(model)  # its many-to-many tables go with it
        MigrationRecorder(connection).migration_qs.filter(app=label).delete()
    return dropped


def _missing_tables(models: list[type[Model]], database: str) -> list[str]:
    existing = set(connections[database].introspection.table_names())
    return [m._meta.db_table for m in models if m._meta.db_table not in existing]


def _reset_sequences(models: list[type[Model]], database: str) -> None:
    connection = connections[database]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
