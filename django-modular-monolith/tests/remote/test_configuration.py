"""MONOLITH_REMOTE_MODULES: the binding at startup, the tables it keeps out, its system checks."""

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.admin import AdminSite
from django.core.management import call_command

from modular_monolith.checks import check_settings
from modular_monolith.events import listens_to, stop_listening
from modular_monolith.events.registry import listener_name, listeners_of
from modular_monolith.remote import RemoteModulesRouter, is_remote, unregister_remote_models
from modular_monolith.remote.client import bind_remote_modules, unbind
from modules.notes import api as notes
from modules.notes.events import NoteWritten
from modules.notes.models import Note
from modules.tally.models import Count

ROUTER = "modular_monolith.remote.RemoteModulesRouter"


@pytest.fixture
def notes_remote(settings: Any) -> Iterator[None]:
    settings.MONOLITH_REMOTE_MODULES = {"notes": "http://127.0.0.1:8001"}
    settings.MONOLITH_REMOTE_SECRET = "shared"
    local = {name: getattr(notes, name) for name in ("get_note", "write_note")}
    yield
    unbind("notes", local)


def test_startup_binds_each_remote_module_to_its_base_url(notes_remote: None) -> None:
    bind_remote_modules()

    assert notes.write_note.remote_module.base_url == "http://127.0.0.1:8001"  # type: ignore[attr-defined]
    assert notes.get_note.remote_module is notes.write_note.remote_module  # type: ignore[attr-defined]
    assert (is_remote("notes"), is_remote("tally")) == (True, False)


def test_the_router_keeps_a_remote_modules_tables_out_of_this_database(notes_remote: None) -> None:
    router = RemoteModulesRouter()

    assert router.allow_migrate("default", "notes") is False
    assert router.allow_migrate("default", "tally") is None  # no opinion: migrated as usual


@pytest.mark.django_db(transaction=True)  # SQLite edits a schema outside transactions only
@pytest.mark.parametrize(("routers", "creates_table"), [([], True), ([ROUTER], False)])
def test_migrate_creates_no_table_of_a_remote_module(
    notes_remote: None, settings: Any, routers: list[str], creates_table: bool
) -> None:
    settings.DATABASE_ROUTERS = routers
    sql = StringIO()

    call_command("sqlmigrate", "notes", "0001", stdout=sql)

    assert ('CREATE TABLE "notes_note"' in sql.getvalue()) is creates_table


def test_no_check_fires_without_remote_modules() -> None:
    assert check_settings() == []


def test_a_remote_module_that_is_not_installed_is_an_error(settings: Any) -> None:
    settings.MONOLITH_REMOTE_MODULES = {"billing": "http://127.0.0.1:8001"}
    settings.MONOLITH_REMOTE_SECRET = "shared"

    assert [message.id for message in check_settings()] == ["modular_monolith.E003"]


def test_remote_modules_without_a_secret_are_an_error(settings: Any) -> None:
    settings.MONOLITH_REMOTE_MODULES = {"notes": "http://127.0.0.1:8001"}

    assert [message.id for message in check_settings()] == ["modular_monolith.E004"]


def test_a_remote_modules_listeners_are_not_registered_here(settings: Any) -> None:
    def on_note_written(event: NoteWritten) -> None:
        pass

    settings.MONOLITH_REMOTE_MODULES = {"tally": "http://127.0.0.1:8001"}
    for module, listens_here in [("modules.tally.listeners", False), ("modules.notes.x", True)]:
        on_note_written.__module__ = module
        listens_to(NoteWritten)(on_note_written)
        try:
            assert (listener_name(on_note_written) in listeners_of("notes.NoteWritten")) is (
                listens_here
            )
        finally:
            stop_listening(NoteWritten, on_note_written)


def test_a_remote_modules_models_leave_the_admin_site(notes_remote: None) -> None:
    site = AdminSite(name="test")
    site.register([Note, Count])

    unregister_remote_models(site)

    assert list(site._registry) == [Count]
