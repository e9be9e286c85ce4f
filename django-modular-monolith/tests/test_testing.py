"""The test helpers, as a module's tests use them: through the library's pytest plugin."""

import logging
from typing import Any

import pytest
from django.db import connection
from pytest_django.fixtures import Settings

from modular_monolith.boundaries.violations import BoundaryViolation
from modular_monolith.testing import DeliverEvents, capture_events, run_pending_deliveries
from modules.notes import api as notes
from modules.notes.events import NoteWritten
from modules.tally import api as tally

pytestmark = pytest.mark.django_db


def test_deliver_events_delivers_what_the_block_published_when_it_ends(
    published: list[object], deliver_events: DeliverEvents
) -> None:
    with deliver_events():
        note = notes.write_note(text="hello")
        assert published == [], "delivered before the transaction committed"
        assert tally.notes_written() == 0

    assert published == [NoteWritten(note_id=note.id)]
    assert tally.notes_written() == 1  # the other module's listener ran


def test_without_deliver_events_nothing_is_delivered(published: list[object]) -> None:
    notes.write_note(text="never committed")

    assert published == []
    assert tally.notes_written() == 0


def test_captures_may_overlap(deliver_events: DeliverEvents) -> None:
    with capture_events() as outer:
        with capture_events() as inner, deliver_events():
            notes.write_note(text="seen by both")
        with deliver_events():
            notes.write_note(text="seen by the outer one")

    assert len(inner) == 1
    assert len(outer) == 2


def test_run_pending_deliveries_does_the_workers_job(
    deliver_events: DeliverEvents, settings: Settings
) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = "worker"
    with deliver_events():
        notes.write_note(text="for the worker")
    assert tally.notes_written() == 0

    assert run_pending_deliveries() == 1

    assert tally.notes_written() == 1
    assert run_pending_deliveries() == 0  # nothing is delivered twice


# Code of the tally module that reads the notes module's table behind its back.
TALLY_READS_NOTES = """
def count_notes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM notes_note")
"""


def test_the_boundary_guards_are_on_although_the_settings_leave_them_off(
    settings: Settings,
) -> None:
    assert not settings.DEBUG and getattr(settings, "MONOLITH_GUARDS", None) is None
    planted: dict[str, Any] = {"__name__": "modules.tally.planted", "connection": connection}
    exec(compile(TALLY_READS_NOTES, "<modules.tally.planted>", "exec"), planted)

    with pytest.raises(BoundaryViolation, match="notes_note, a table of notes"):
        planted["count_notes"]()


def test_with_guards_set_to_warn_a_violation_is_logged_and_the_code_runs_on(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.MONOLITH_GUARDS = "warn"
    planted: dict[str, Any] = {"__name__": "modules.tally.planted", "connection": connection}
    exec(compile(TALLY_READS_NOTES, "<modules.tally.planted>", "exec"), planted)

    with caplog.at_level(logging.WARNING, logger="modular_monolith.boundaries"):
        planted["count_notes"]()

    assert "tally code at" in caplog.text
    assert "notes_note, a table of notes" in caplog.text


@pytest.mark.postgres
def test_a_test_marked_postgres_runs_only_on_postgresql() -> None:
    assert connection.vendor == "postgresql"
