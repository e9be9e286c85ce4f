"""Deliveries run in batches: a fixed number of statements, each listener isolated."""

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from modular_monolith.events import delivery, listener_name, listens_to, publish, stop_listening
from modular_monolith.events.delivery import Batches, deliver_due, deliver_event
from modular_monolith.models import Delivery, StoredEvent
from modules.notes import api as notes
from modules.notes.models import Note
from modules.tally import api as tally
from modules.tally.models import Count

from . import sample
from .sample import SampleHappened

pytestmark = pytest.mark.django_db

Listen = Callable[..., Callable[..., None]]


@pytest.fixture
def listen() -> Iterator[Listen]:
    """Register listeners of SampleHappened for one test: ``listen(function, batch=False)``."""
    added: list[Callable[..., None]] = []

    def add(function: Callable[..., None], *, batch: bool = False) -> Callable[..., None]:
        added.append(function)
        return listens_to(SampleHappened, batch=batch)(function)

    yield add
    for function in added:
        stop_listening(SampleHappened, function)


@pytest.fixture(autouse=True)
def no_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches end in time here however busy the machine: their sizes depend on no clock."""
    monkeypatch.setattr(delivery, "BATCH_SECONDS", 60.0)


@pytest.fixture
def worker_mode(settings: Settings) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = "worker"


def publish_numbers(*numbers: int) -> None:
    for number in numbers:
        publish(SampleHappened(number=number))


def summary(sql: str) -> str:
    """'SELECT "modular_monolith_delivery"."id", ... FOR UPDATE' -> 'SELECT ... FOR UPDATE'."""
    if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
        return sql.rsplit(" ", 1)[0]
    table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
    locked = " FOR UPDATE" if "FOR UPDATE" in sql else ""
    return f"{sql.split(' ', 1)[0]} {table.group(1) if table else '?'}{locked}"


def statements(run: Callable[[], Any]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [summary(query["sql"]) for query in captured.captured_queries]


# Inside the test's transaction a batch's transaction is a savepoint; in production it is
# BEGIN ... COMMIT. The claim locks FOR UPDATE SKIP LOCKED on PostgreSQL (not on SQLite).
CLAIM = (
    f"SELECT modular_monolith_delivery{' FOR UPDATE' if connection.vendor == 'postgresql' else ''}"
)
BATCH = ["SAVEPOINT", CLAIM, "UPDATE modular_monolith_delivery", "RELEASE SAVEPOINT"]


def test_a_batch_is_one_claim_and_one_mark_whatever_its_size(worker_mode: None) -> None:
    """The worker's batches grow from one delivery, doubling: 1, 2, 4, then nothing is left."""
    publish_numbers(1, 2, 3, 4)
    assert Delivery.objects.count() == 8  # two listeners each, running no SQL

    ran = statements(lambda: deliver_due(limit=7))

    assert ran == BATCH * 3
    assert sorted(sample.calls) == sorted(
        [("first", n) for n in (1, 2, 3, 4)] + [("second", n) for n in (1, 2, 3)]
    )
    assert Delivery.objects.filter(status="pending").count() == 1
    assert statements(deliver_due) == [*BATCH, "SAVEPOINT", CLAIM, "RELEASE SAVEPOINT"]


def test_an_event_is_delivered_to_all_its_listeners_with_one_claim_and_one_mark() -> None:
    with transaction.atomic():
        publish_numbers(1)
    event_id = StoredEvent.objects.get().id

    assert statements(lambda: deliver_event(event_id)) == BATCH
    assert sorted(sample.calls) == [("first", 1), ("second", 1)]
    assert set(Delivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}


def test_a_listener_that_runs_sql_gets_a_savepoint_only_among_others(
    worker_mode: None, listen: Listen
) -> None:
    def write(event: SampleHappened) -> None:
        Group.objects.create(name=f"group {event.number}")

    listen(write)
    publish_numbers(1, 2)
    Delivery.objects.filter(listener__endswith="second_listener").delete()
    Delivery.objects.filter(listener__endswith="first_listener", event__payload__number=1).delete()

    ran = statements(deliver_due)  # write(1) alone, then first(2) and write(2)

    assert ran == [
        "SAVEPOINT", CLAIM, "INSERT auth_group", "UPDATE modular_monolith_delivery",
        "RELEASE SAVEPOINT",
        "SAVEPOINT", CLAIM, "SAVEPOINT", "INSERT auth_group",  # released with the batch
        "UPDATE modular_monolith_delivery", "RELEASE SAVEPOINT",
        "SAVEPOINT", CLAIM, "RELEASE SAVEPOINT",
    ]  # fmt: skip
    assert sorted(Group.objects.values_list("name", flat=True)) == ["group 1", "group 2"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_listener_that_fails_in_a_batch_is_rolled_back_alone(
    worker_mode: None, listen: Listen
) -> None:
    def write(event: SampleHappened) -> None:
        Group.objects.create(name=f"group {event.number}")
        if event.number == 2:
            raise RuntimeError("fails after writing")

    listen(write)
    publish_numbers(1, 2, 3)

    assert deliver_due() == 9

    assert sorted(Group.objects.values_list("name", flat=True)) == ["group 1", "group 3"]
    assert len(sample.calls) == 6  # the others all ran, once
    failed = Delivery.objects.get(status="pending")
    assert (failed.listener, failed.attempts) == (listener_name(write), 1)
    assert "RuntimeError: fails after writing" in failed.last_error
    assert Delivery.objects.filter(status="succeeded", attempts=1).count() == 8


def test_a_batch_of_one_that_fails_is_rolled_back_and_recorded_in_another_transaction(
    worker_mode: None, listen: Listen
) -> None:
    def write_then_fail(event: SampleHappened) -> None:
        Group.objects.create(name="written before the failure")
        raise RuntimeError("fails after writing")

    listen(write_then_fail)
    publish_numbers(1)
    Delivery.objects.exclude(listener=listener_name(write_then_fail)).delete()

    assert deliver_due() == 1

    assert not Group.objects.exists()
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert "RuntimeError: fails after writing" in failed.last_error


def test_the_on_commit_callbacks_of_a_failed_listener_are_dropped(
    worker_mode: None, listen: Listen
) -> None:
    called: list[str] = []

    def without_sql(event: SampleHappened) -> None:
        transaction.on_commit(lambda: called.append("without sql"))
        raise RuntimeError("fails before any query")

    def with_sql(event: SampleHappened) -> None:
        Group.objects.create(name="rolled back")
        transaction.on_commit(lambda: called.append("with sql"))
        raise RuntimeError("fails after a query")

    listen(without_sql)
    listen(with_sql)
    publish_numbers(1)

    with TestCase.captureOnCommitCallbacks() as callbacks:
        deliver_due()  # first alone; second and without_sql; with_sql alone

    assert callbacks == []
    assert called == []
    assert Delivery.objects.filter(status="succeeded").count() == 2  # first, second


def test_a_batch_listener_takes_all_its_events_in_one_call(
    worker_mode: None, listen: Listen
) -> None:
    calls: list[list[int]] = []

    def take_all(events: list[SampleHappened]) -> None:
        calls.append([event.number for event in events])
        Group.objects.bulk_create(Group(name=f"group {event.number}") for event in events)

    listen(take_all, batch=True)
    publish_numbers(1, 2, 3, 4)
    Delivery.objects.exclude(listener=listener_name(take_all)).delete()

    ran = statements(lambda: deliver_due(limit=4))

    assert calls == [[1], [2, 3], [4]]  # batches of 1, 2, then the one left
    assert ran == [
        "SAVEPOINT", CLAIM, "INSERT auth_group", "UPDATE modular_monolith_delivery",
        "RELEASE SAVEPOINT",
    ] * 3  # fmt: skip
    assert Group.objects.count() == 4


def test_a_batch_listener_that_fails_is_called_again_one_event_at_a_time(
    worker_mode: None, listen: Listen
) -> None:
    calls: list[list[int]] = []

    def take_all(events: list[SampleHappened]) -> None:
        calls.append([event.number for event in events])
        Group.objects.bulk_create(Group(name=f"group {event.number}") for event in events)
        if any(event.number == 3 for event in events):
            raise RuntimeError("cannot take 3")

    listen(take_all, batch=True)
    publish_numbers(1, 2, 3, 4)
    Delivery.objects.exclude(listener=listener_name(take_all)).delete()

    deliver_due(limit=3)

    assert calls == [[1], [2, 3], [2], [3]]
    assert sorted(Group.objects.values_list("name", flat=True)) == ["group 1", "group 2"]
    assert Delivery.objects.get(status="pending", attempts=1).event.payload["number"] == 3


def test_each_listener_call_of_a_batch_is_its_own_transaction_for_the_guard(
    worker_mode: None, listen: Listen
) -> None:
    """Two modules' listeners share the batch's transaction: neither is refused. A listener
    that writes both modules' tables is, in a batch as anywhere."""

    def write_a_note(event: SampleHappened) -> None:
        notes.write_note(text=f"note {event.number}")

    def count_it(event: SampleHappened) -> None:
        tally.count(name="samples")

    def write_both(event: SampleHappened) -> None:
        write_a_note(event)
        count_it(event)

    for listener in (write_a_note, count_it, write_both):
        listen(listener)
    publish_numbers(1, 2)
    Delivery.objects.filter(listener__endswith=("_listener")).delete()  # first, second

    deliver_due()  # batches of 1, 2 and 3

    assert Note.objects.count() == 2
    assert Count.objects.get(name="samples").value == 2
    failed = Delivery.objects.filter(status="pending")
    assert {delivery.listener for delivery in failed} == {listener_name(write_both)}
    assert all("BoundaryViolation" in delivery.last_error for delivery in failed)


def test_a_worker_keeps_its_batch_size_from_one_run_to_the_next(worker_mode: None) -> None:
    batches = Batches()
    publish_numbers(1, 2)  # four deliveries: batches of 1, 2, then the 1 left
    assert batches.deliver_due() == 4
    assert batches.size == 4

    publish_numbers(3, 4, 5)
    ran = statements(batches.deliver_due)

    assert ran == BATCH * 2  # 4, then the 2 left; a fresh start would take 1, 2 and 3
    assert batches.size == 8
    assert set(Delivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_batch_that_ends_late_halves_the_size(
    worker_mode: None, listen: Listen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "BATCH_SECONDS", 0.05)

    def slow(events: list[SampleHappened]) -> None:
        time.sleep(0.06)

    listen(slow, batch=True)
    publish_numbers(1, 2, 3, 4)
    Delivery.objects.exclude(listener=listener_name(slow)).delete()
    batches = Batches()
    batches.size = 8

    assert batches.deliver_due() == 4  # one call of the batch listener, late

    assert batches.size == 2  # half of what ran
    assert batches.drained
