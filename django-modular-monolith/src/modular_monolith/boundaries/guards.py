"""Runtime guards: on in DEBUG (``MONOLITH_GUARDS``) and always in the test suite.

A violation raises ``BoundaryViolation``; with ``MONOLITH_GUARDS = "warn"`` it is
logged as a warning (logger ``modular_monolith.boundaries``) and the code runs on.

* The query guard is a ``connection.execute_wrapper``. It attributes each query
  to the module whose code issued it, the innermost frame of a module's package
  on the stack, so a query run inside ``products.api`` on behalf of orders is
  products' own. It refuses SQL on a table that another module owns.
* The transaction guard (``transactions``) refuses a transaction that writes the
  tables of two modules, unless the baseline records that pair.
* The API guard wraps every function in each module's ``api.__all__`` and
  refuses a return value that holds a model instance or a QuerySet: the caller
  could walk its relations into private data.
"""

import dataclasses
import functools
import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import Manager, Model, QuerySet

from . import transactions
from .ownership import calling_module, module_labels, module_package, table_owners, tables_in
from .violations import report


def install() -> None:
    """Turn the guards on; calling it again changes nothing."""
    connection_created.connect(_on_connection_created, dispatch_uid="boundaries.query_guard")
    for connection in connections.all(initialized_only=True):
        _add_query_guards(connection)
    _wrap_public_apis()


# The query guard ------------------------------------------------------------------------------


def query_guard(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    caller = calling_module()
    if caller is not None:
        module, location = caller
        for table in set(tables_in(sql)):
            owner = table_owners()[table]
            if owner != module:
                report(
                    f"{module} code at {location} ran SQL on {table}, a table of {owner}: "
                    f"{sql[:300]!r}. Call {module_package(owner)}.api instead."
                )
    return execute(sql, params, many, context)


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    _add_query_guards(connection)


def _add_query_guards(connection: Any) -> None:
    for wrapper in (query_guard, transactions.transaction_guard):
        if wrapper not in connection.execute_wrappers:
            connection.execute_wrappers.append(wrapper)


# The API guard --------------------------------------------------------------------------------


def _wrap_public_apis() -> None:
    for config in apps.get_app_configs():
        if config.label not in module_labels():
            continue
        try:
            api = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        for name in getattr(api, "__all__", ()):
            function = getattr(api, name)
            if callable(function) and not isinstance(function, type) and not _is_guarded(function):
                setattr(api, name, _guarded(function, f"{config.label}.api.{name}"))


def _is_guarded(function: Callable[..., Any]) -> bool:
    return getattr(function, "_boundary_guarded", False)


def _guarded(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        leak = _orm_object_in(result)
        if leak is not None:
            report(
                f"{name}() returned {leak}: a caller could walk its relations into private "
                f"data. Return a frozen dataclass (DTO) or primitives instead."
            )
        return result

    guarded._boundary_guarded = True  # type: ignore[attr-defined]
    return guarded


def _orm_object_in(value: Any, depth: int = 0) -> str | None:
    """Describe the first model instance, QuerySet or manager inside ``value``, if any."""
    if isinstance(value, Model):
        return f"a {type(value).__name__} model instance"
    if isinstance(value, QuerySet | Manager):
        return f"a {type(value).__name__} of {value.model.__name__}"
    if depth > 3:
        return None
    if isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple | set | frozenset):
        children = list(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [getattr(value, field.name) for field in dataclasses.fields(value)]
    else:
        return None
    return next((leak for child in children if (leak := _orm_object_in(child, depth + 1))), None)
