"""Publishing: the event is stored with the change that caused it, then delivered."""

import uuid
from collections.abc import Iterable
from functools import cache, partial
from typing import Any

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.dispatch import Signal
from django.utils import timezone

from .. import tracing
from ..conf import setting
from ..models import Delivery, StoredEvent
from .delivery import deliver_event
from .envelope import encode_payload
from .registry import event_type_of, listeners_of
from .wakeup import CHANNEL

# Sent after the publishing transaction commits, before any listener runs;
# sender: the event class, keyword argument ``event``. For observers such as tests.
event_published = Signal()


def publish(event: Any) -> None:
    """Store ``event`` and a delivery for each of its listeners, in the current transaction.

    If the transaction rolls back, the event never existed. Once it commits, the
    listeners run right away in this process (``EVENTS_DELIVERY = "immediate"``)
    or in ``manage.py process_events`` (``"worker"``); what fails is retried there.
    On PostgreSQL this is one statement however many listeners there are, and it
    wakes the worker when the transaction commits.
    """
    event_type = event_type_of(type(event))
    with tracing.publishing(event_type.name) as trace_context:
        stored = StoredEvent(
            id=uuid.uuid4(),
            type=event_type.name,
            version=event_type.version,
            occurred_at=timezone.now(),
            payload=encode_payload(event),
            relay_pending=event_type.external and bool(setting("EVENTS_BROKER_URL")),
            trace_context=trace_context,
        )
        listeners = listeners_of(event_type.name)
        using = router.db_for_write(StoredEvent)
        connection = connections[using]
        with transaction.atomic(using=using, savepoint=False):  # joins the caller's transaction
            if connection.vendor == "postgresql":
                _store_in_one_statement(connection, stored, listeners)
            else:
                stored.save(force_insert=True, using=using)
                create_deliveries(stored, listeners)
    transaction.on_commit(partial(_after_commit, event, stored.id), using=using)


def create_deliveries(stored: StoredEvent, listener_names: Iterable[str]) -> None:
    """A pending delivery of ``stored`` for each listener; existing ones are left as they are."""
    Delivery.objects.bulk_create(
        [
            Delivery(event=stored, listener=name, next_attempt_at=stored.occurred_at)
            for name in listener_names
        ],
        ignore_conflicts=True,
    )


def _wakes_worker(stored: StoredEvent) -> bool:
    """Whether the worker has something to do with this event: its deliveries, or its relay."""
    return setting("EVENTS_DELIVERY") == "worker" or stored.relay_pending


def _store_in_one_statement(
    connection: BaseDatabaseWrapper, stored: StoredEvent, listeners: Iterable[str]
) -> None:
    """Insert the event and its deliveries, and notify the worker's channel, in one round trip.

    PostgreSQL sends a NOTIFY when the transaction commits, and not at all if it
    rolls back: the worker wakes exactly when there is something to deliver.
    Identical notifications of one transaction are folded into one.
    """
    sql, event_fields, delivery_fields = _one_statement_sql(connection.alias)
    pending = Delivery(event=stored, listener="", next_attempt_at=stored.occurred_at)
    params = [
        *(
            field.get_db_prep_save(getattr(stored, field.attname), connection)
            for field in event_fields
        ),
        *(
            field.get_db_prep_save(getattr(pending, field.attname), connection)
            for field in delivery_fields
        ),
        list(listeners),
        CHANNEL,
        _wakes_worker(stored),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@cache
def _one_statement_sql(using: str) -> tuple[str, list[Any], list[Any]]:
    """The statement of ``_store_in_one_statement``, built once from the models.

    Return it with the event's fields and the delivery's fields (listener and the
    auto-incremented id aside) whose values it takes, in the order it takes them.
    """
    event_fields = list(StoredEvent._meta.concrete_fields)
    delivery_fields = [
        field
        for field in Delivery._meta.concrete_fields
        if not field.primary_key and field.name != "listener"
    ]
    connection = connections[using]
    quote = connection.ops.quote_name
    listener_column = quote(Delivery._meta.get_field("listener").column)
    # Typed placeholders: a SELECT list gives PostgreSQL no column to infer a type from.
    delivery_values = ", ".join(f"%s::{field.db_type(connection)}" for field in delivery_fields)
    sql = (
        f"WITH stored AS ("
        f"INSERT INTO {quote(StoredEvent._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in event_fields)}) "
        f"VALUES ({', '.join(['%s'] * len(event_fields))})"
        f"), deliveries AS ("
        f"INSERT INTO {quote(Delivery._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in delivery_fields)}, {listener_column}) "
        f"SELECT {delivery_values}, listener FROM unnest(%s::text[]) AS listener"
        f") SELECT pg_notify(%s, '') WHERE %s"
    )
    return sql, event_fields, delivery_fields


def _after_commit(event: Any, event_id: uuid.UUID) -> None:
    event_published.send(sender=type(event), event=event)
    if setting("EVENTS_DELIVERY") == "immediate":
        deliver_event(event_id)
