"""Every module keeps the anatomy the README promises: typed public API, frozen DTOs and
events, its own tables, and migrations that depend on no other module."""

import dataclasses
import inspect
from types import ModuleType
from typing import Any, get_type_hints

import pytest
from django.apps import apps
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.db.models import Model, QuerySet

MODULES = [path.rsplit(".", 1)[1] for path in settings.MODULES]


def public_module(module: str, part: str) -> ModuleType:
    return __import__(f"modules.{module}.{part}", fromlist=["_"])


def mentions_orm(hint: Any) -> bool:
    """Whether a type hint is, or contains, a model or a QuerySet."""
    if inspect.isclass(hint) and issubclass(hint, Model | QuerySet):
        return True
    return any(mentions_orm(arg) for arg in getattr(hint, "__args__", ()))


@pytest.mark.parametrize("module", MODULES)
def test_api_exports_what_it_defines(module: str) -> None:
    api = public_module(module, "api")
    assert api.__all__, f"modules/{module}/api.py has an empty __all__"
    for name in api.__all__:
        assert hasattr(api, name), f"{module}.api.__all__ names {name}, which does not exist"


@pytest.mark.parametrize("module", MODULES)
def test_api_functions_are_typed_and_never_mention_models(module: str) -> None:
    api = public_module(module, "api")
    functions = [
        getattr(api, name) for name in api.__all__ if inspect.isfunction(getattr(api, name))
    ]
    assert functions
    for function in functions:
        hints = get_type_hints(function)
        parameters = inspect.signature(function).parameters
        assert "return" in hints, f"{function.__qualname__} has no return type"
        assert set(parameters) <= set(hints), f"{function.__qualname__} has untyped parameters"
        for name, hint in hints.items():
            assert not mentions_orm(hint), (
                f"{module}.api.{function.__name__}: {name} is an ORM type"
            )


@pytest.mark.parametrize("module", MODULES)
def test_api_data_classes_are_frozen(module: str) -> None:
    api = public_module(module, "api")
    classes = [
        getattr(api, name) for name in api.__all__ if dataclasses.is_dataclass(getattr(api, name))
    ]
    for cls in classes:
        assert cls.__dataclass_params__.frozen, f"{cls.__qualname__} is not frozen"


@pytest.mark.parametrize("module", MODULES)
def test_events_are_frozen_keyword_only_data_classes(module: str) -> None:
    events = public_module(module, "events")
    classes = [
        c for c in vars(events).values() if inspect.isclass(c) and c.__module__ == events.__name__
    ]
    for cls in classes:
        assert dataclasses.is_dataclass(cls), f"{cls.__qualname__} is not a dataclass"
        assert cls.__dataclass_params__.frozen, f"{cls.__qualname__} is not frozen"
        assert all(field.kw_only for field in dataclasses.fields(cls)), f"{cls.__qualname__}"


@pytest.mark.parametrize("module", MODULES)
def test_relations_stay_inside_the_module(module: str) -> None:
    for model in apps.get_app_config(module).get_models():
        for field in model._meta.get_fields(include_hidden=True):
            target = field.related_model
            if not field.is_relation or target is None or not field.concrete:
                continue
            owner = target._meta.app_label
            assert owner == module or owner not in MODULES, (
                f"{model.__name__}.{field.name} points at {owner}.{target.__name__}: store its id instead"
            )


@pytest.mark.parametrize("module", MODULES)
def test_migrations_depend_on_no_other_module(module: str) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)  # reads the files, not the database
    for (app_label, name), migration in loader.disk_migrations.items():
        if app_label != module:
            continue
        for dependency_app, _ in migration.dependencies:
            assert dependency_app == module or dependency_app not in MODULES, (
                f"{module} migration {name} depends on {dependency_app}"
            )
