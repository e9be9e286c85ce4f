"""The transaction guard: one transaction writes the tables of one module, or the baseline says why.

``notes.write_note`` writes notes' table (and the outbox); ``tally.count`` writes tally's.
"""

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from pytest_django.fixtures import Settings

from modular_monolith.boundaries.violations import BoundaryViolation
from modules.notes import api as notes
from modules.notes.models import Note
from modules.tally import api as tally
from modules.tally.models import Count

pytestmark = pytest.mark.django_db

NOTES_FIRST_WRITE = "notes (notes_note, first at modules/notes/api.py:30)"
TALLY_FIRST_WRITE = "tally (tally_count, first at modules/tally/api.py:14)"

TWO_MODULES = r"tables of notes \(.*\) and tally"

# Code of the tally module that writes its own table in raw SQL.
TALLY_RAW_INSERT = """
def insert_count():
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO tally_count (name, value) VALUES ('raw', 1)")
"""


class Rollback(Exception):
    """Raised to roll a transaction back."""


def test_a_transaction_writing_two_modules_tables_is_refused_naming_both() -> None:
    with pytest.raises(BoundaryViolation) as refused, transaction.atomic():
        notes.write_note(text="hello")
        tally.count(name="hellos")

    assert f"One transaction writes the tables of {NOTES_FIRST_WRITE} and {TALLY_FIRST_WRITE}" in (
        str(refused.value)
    )
    assert '"notes+tally" under "shared_transactions"' in str(refused.value)


def test_the_write_is_refused_before_it_runs() -> None:
    with pytest.raises(BoundaryViolation), transaction.atomic():
        tally.count(name="hellos")
        notes.write_note(text="hello")

    assert Count.objects.count() == 0  # rolled back with the transaction
    assert Note.objects.count() == 0


def test_one_modules_writes_and_the_outbox_pass(published: list[object]) -> None:
    with transaction.atomic():
        notes.write_note(text="one")
        notes.write_note(text="two")

    assert Note.objects.count() == 2


def test_two_transactions_of_two_modules_pass() -> None:
    notes.write_note(text="hello")
    tally.count(name="hellos")

    assert tally.notes_written() == 0 and Count.objects.get(name="hellos").value == 1


def test_a_savepoint_is_part_of_the_transaction_around_it() -> None:
    with pytest.raises(BoundaryViolation, match=TWO_MODULES), transaction.atomic():
        notes.write_note(text="hello")
        with transaction.atomic():  # tally.count opens a third block: two savepoints deep
            tally.count(name="hellos")


def test_a_write_rolled_back_to_a_savepoint_still_counts() -> None:
    with pytest.raises(BoundaryViolation), transaction.atomic():
        try:
            with transaction.atomic():
                notes.write_note(text="soon undone")
                raise Rollback
        except Rollback:
            pass
        tally.count(name="hellos")


def test_raw_sql_counts() -> None:
    planted: dict[str, Any] = {"__name__": "modules.tally.planted", "connection": connection}
    exec(compile(TALLY_RAW_INSERT, "<modules.tally.planted>", "exec"), planted)

    with pytest.raises(BoundaryViolation) as refused, transaction.atomic():
        notes.write_note(text="hello")
        planted["insert_count"]()

    assert f"{NOTES_FIRST_WRITE} and tally (tally_count, first at <modules.tally.planted>:4)" in (
        str(refused.value)
    )


def test_what_no_modules_code_writes_is_not_counted() -> None:
    """Django's own work on the database (flush, loaddata) writes every module's tables."""
    with transaction.atomic():
        notes.write_note(text="hello")
        Count.objects.create(name="written by a test, as by Django's loaddata")

    assert Count.objects.count() == 1


def test_what_the_test_itself_writes_is_in_no_transaction_of_the_code() -> None:
    """The test's own transaction, as Django's TestCase opens it, is the fixtures' and never
    counts: only the blocks the code opens inside it do."""
    Note.objects.create(text="a fixture")
    Count.objects.create(name="a fixture")

    tally.count(name="hellos")

    assert Count.objects.get(name="hellos").value == 1


def test_one_atomic_block_entered_twice_is_two_transactions() -> None:
    """A decorated function's atomic block is one object, entered anew at each call."""
    block = transaction.atomic()
    with block:
        notes.write_note(text="hello")
    with block:
        tally.count(name="hellos")

    assert Count.objects.get(name="hellos").value == 1


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_ends_the_tracking() -> None:
    """Outside a test case's transaction the block is the transaction, with no savepoint."""
    block = transaction.atomic()
    with block:
        tally.count(name="hellos")
    with block:
        notes.write_note(text="hello")

    assert Note.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_ends_the_tracking() -> None:
    block = transaction.atomic()
    with pytest.raises(Rollback), block:
        notes.write_note(text="never kept")
        raise Rollback
    with block:
        tally.count(name="hellos")

    assert Note.objects.count() == 0
    assert Count.objects.get(name="hellos").value == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_transaction_writing_two_modules_is_refused() -> None:
    with pytest.raises(BoundaryViolation, match=TWO_MODULES), transaction.atomic():
        notes.write_note(text="hello")
        tally.count(name="hellos")

    assert Note.objects.count() == 0


def test_with_guards_set_to_warn_the_shared_transaction_is_logged_and_runs_on(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.MONOLITH_GUARDS = "warn"

    logged = caplog.at_level(logging.WARNING, logger="modular_monolith.boundaries")
    with logged, transaction.atomic():
        notes.write_note(text="hello")
        tally.count(name="hellos")
        tally.count(name="hellos")  # a pair is reported once per transaction

    assert caplog.text.count("One transaction writes the tables of notes") == 1
    assert Count.objects.get(name="hellos").value == 2


def test_a_pair_recorded_in_the_baseline_may_share_a_transaction(
    settings: Settings, tmp_path: Path
) -> None:
    baseline = tmp_path / "boundaries-baseline.json"
    baseline.write_text(
        json.dumps({"violations": [], "shared_transactions": {"notes+tally": "counted as written"}})
    )
    settings.MONOLITH_BASELINE = str(baseline)

    with transaction.atomic():
        notes.write_note(text="hello")
        tally.count(name="hellos")

    assert Count.objects.get(name="hellos").value == 1
