"""Moving a module's tables to a database of its own: copied whole or not at all, then dropped.

The test project's ``notes`` module moves from ``default`` to ``target`` (both in
``tests/settings.py``); ``tally`` stays.
"""

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.models import QuerySet

from modular_monolith.module_data import ModuleDataError, copy_module_data, module_models
from modules.notes.models import Note
from modules.tally.models import Count

pytestmark = pytest.mark.django_db(databases=["default", "target"], transaction=True)


@pytest.fixture
def notes() -> list[Note]:
    written = [Note.objects.create(text=text) for text in ("one", "two", "three")]
    written[1].delete()  # a gap in the ids, which the copy keeps
    return [written[0], written[2]]


@pytest.fixture
def restore_tables() -> Iterator[None]:
    """Create again, after the test, the tables it dropped (their migrations were forgotten)."""
    yield
    for alias in ("default", "target"):
        call_command("migrate", "notes", database=alias, verbosity=0)


def move(*options: str) -> str:
    out = StringIO()
    call_command("copy_module_data", "notes", "--to", "target", *options, stdout=out)
    return out.getvalue()


def tables(alias: str) -> set[str]:
    return set(connections[alias].introspection.table_names())


def test_the_rows_are_copied_with_their_ids_and_new_ids_follow_them(notes: list[Note]) -> None:
    assert move() == "notes_note: 2 row(s) copied to target\n"

    copied = Note.objects.using("target").order_by("pk")
    assert [(n.pk, n.text) for n in copied] == [(n.pk, n.text) for n in notes]
    assert Note.objects.using("target").create(text="four").pk > notes[-1].pk
    assert Note.objects.count() == 2  # the source keeps its rows until told to drop them


def test_only_the_modules_own_tables_move(notes: list[Note]) -> None:
    Count.objects.create(name="notes", value=2)

    copy_module_data("notes", source="default", target="target")

    assert [m._meta.db_table for m in module_models("notes")] == ["notes_note"]
    assert not Count.objects.using("target").exists()


def test_a_target_with_rows_is_refused_and_left_as_it_was(notes: list[Note]) -> None:
    Note.objects.using("target").create(text="already there")

    with pytest.raises(CommandError, match="target already holds rows in notes_note"):
        move()

    assert list(Note.objects.using("target").values_list("text", flat=True)) == ["already there"]


def test_rows_written_to_the_source_during_the_copy_undo_it(
    notes: list[Note], monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_create = QuerySet.bulk_create

    def and_a_write_meanwhile(queryset: QuerySet[Any], objs: Any, **kwargs: Any) -> Any:
        created = bulk_create(queryset, objs, **kwargs)
        if queryset.db == "target" and objs:
            Note.objects.using("default").create(text="written during the copy")
        return created

    monkeypatch.setattr(QuerySet, "bulk_create", and_a_write_meanwhile)

    with pytest.raises(ModuleDataError, match="written to notes_note during the copy"):
        copy_module_data("notes", source="default", target="target")

    assert not Note.objects.using("target").exists()


def test_drop_source_removes_the_tables_and_their_migrations_once_copied(
    notes: list[Note], restore_tables: None
) -> None:
    output = move("--drop-source")

    assert output.endswith("notes_note: dropped from default\n")
    assert "notes_note" not in tables("default")
    assert "tally_count" in tables("default")
    applied = connections["default"].cursor()
    applied.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'notes'")
    assert applied.fetchone() == (0,)
    assert Note.objects.using("target").count() == 2


def test_a_target_without_the_tables_is_refused_with_what_to_run(restore_tables: None) -> None:
    with connections["target"].schema_editor() as editor:
        editor.delete_model(Note)

    with pytest.raises(CommandError, match="target has no notes_note: run `migrate` on it first"):
        move()


@pytest.mark.parametrize(
    ("module", "source", "target", "problem"),
    [
        ("nope", "default", "target", "'nope' is not an installed module"),
        ("notes", "default", "elsewhere", "No database 'elsewhere' in DATABASES"),
        ("notes", "target", "target", "the same database"),
    ],
)
def test_what_cannot_be_moved_is_refused(
    module: str, source: str, target: str, problem: str
) -> None:
    with pytest.raises(ModuleDataError, match=problem):
        copy_module_data(module, source=source, target=target)
