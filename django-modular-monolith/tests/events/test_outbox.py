"""Publishing stores the event with the change; listeners run after the commit."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from modular_monolith.events import publish
from modular_monolith.events.delivery import deliver_due
from modular_monolith.events.wakeup import CHANNEL
from modular_monolith.models import Delivery, StoredEvent

from . import sample
from .sample import SampleHappened, SampleQueued

pytestmark = pytest.mark.django_db

Deliver = Callable[[], AbstractContextManager[Any]]


def test_an_event_of_a_rolled_back_transaction_never_existed(deliver_events: Deliver) -> None:
    with deliver_events(), pytest.raises(RuntimeError), transaction.atomic():
        publish(SampleHappened(number=1))
        raise RuntimeError("the change fails")

    assert not StoredEvent.objects.exists()
    assert not Delivery.objects.exists()
    assert sample.calls == []


def test_publishing_stores_the_event_and_a_delivery_per_listener_before_the_commit() -> None:
    with transaction.atomic():
        publish(SampleHappened(number=2))
        stored = StoredEvent.objects.get()
        assert stored.type == "tests.SampleHappened"
        assert stored.payload == {"number": 2, "amount": "1.50"}
        assert sorted(stored.deliveries.values_list("listener", "status")) == [
            ("tests.events.sample.first_listener", "pending"),
            ("tests.events.sample.second_listener", "pending"),
        ]
    assert sample.calls == []  # the test's transaction never commits


def test_listeners_run_once_after_the_commit(deliver_events: Deliver) -> None:
    with deliver_events():
        publish(SampleHappened(number=3))

    assert sorted(sample.calls) == [("first", 3), ("second", 3)]
    assert set(Delivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}


def test_in_worker_mode_only_the_worker_runs_listeners(
    deliver_events: Deliver, settings: Settings
) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = "worker"
    with deliver_events():
        publish(SampleHappened(number=4))
    assert sample.calls == []

    assert deliver_due() == 2

    assert sorted(sample.calls) == [("first", 4), ("second", 4)]
    assert deliver_due() == 0  # nothing is delivered twice


def test_publishing_an_unregistered_class_says_how_to_register_it() -> None:
    from dataclasses import dataclass

    from django.core.exceptions import ImproperlyConfigured

    @dataclass(frozen=True)
    class Unregistered:
        pass

    with pytest.raises(ImproperlyConfigured, match="decorate it with @event"):
        publish(Unregistered())


@pytest.mark.postgres
def test_on_postgresql_publishing_is_one_statement_whatever_the_number_of_listeners() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        publish(SampleHappened(number=5))  # two listeners

    (statement,) = (query["sql"] for query in captured.captured_queries)
    assert statement.startswith("WITH")
    assert StoredEvent.objects.get().deliveries.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("mode", "wakes"), [("worker", True), ("immediate", False)])
def test_in_worker_mode_the_commit_and_only_the_commit_wakes_the_worker(
    settings: Settings, mode: str, wakes: bool
) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = mode
    with _listening() as notifications:
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(SampleQueued(number=6))
            raise RuntimeError("rolled back: nothing to deliver")
        assert notifications() == []

        with transaction.atomic():
            publish(SampleQueued(number=7))
            publish(SampleQueued(number=8))
            assert notifications() == []  # not before the commit

        assert notifications() == ([CHANNEL] if wakes else [])  # one wake-up for both


@contextmanager
def _listening() -> Iterator[Callable[[], list[str]]]:
    """LISTEN on the worker's channel from a connection of its own; yield what has arrived."""
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        yield lambda: [n.channel for n in listener.notifies(timeout=0.3, stop_after=5)]
