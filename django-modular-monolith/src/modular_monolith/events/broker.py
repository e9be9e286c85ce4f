"""Events that leave the process: the outbox relayed to RabbitMQ, and consumed from it.

Relaying is at least once: an event is marked relayed only after the broker
confirmed it (publisher confirms), so a crash in between sends it again.
Consuming de-duplicates by event id: a received event is stored in the same
outbox tables, with a delivery per local listener, so a message the broker
delivers twice is applied once. The message is acknowledged after that commit.

Exchange: ``EVENTS_EXCHANGE`` (topic, durable); routing key: the event type name.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from kombu import Connection, Exchange, Queue, binding
from kombu.message import Message

from ..conf import setting
from ..models import StoredEvent
from .delivery import deliver_event
from .envelope import envelope, read_envelope
from .outbox import create_deliveries
from .registry import event_type_named, listeners_of

logger = logging.getLogger(__name__)


def exchange() -> Exchange:
    return Exchange(setting("EVENTS_EXCHANGE"), type="topic", durable=True)


def connect() -> Connection:
    return Connection(setting("EVENTS_BROKER_URL"), transport_options={"confirm_publish": True})


def relay_pending(connection: Connection, *, limit: int = 100) -> int:
    """Send up to ``limit`` external events that await relaying; return how many were sent."""
    with transaction.atomic():
        events = list(
            StoredEvent.objects.filter(relay_pending=True)
            .order_by("occurred_at")
            .select_for_update(skip_locked=True)[:limit]
        )
        if not events:
            return 0
        producer = connection.Producer(exchange=exchange())
        for stored in events:
            document = envelope(
                event_id=stored.id,
                event_type=event_type_named(stored.type),
                occurred_at=stored.occurred_at,
                data=stored.payload,
                trace_context=stored.trace_context,  # tracing: the publication's context
            )
            producer.publish(
                document,
                serializer="json",
                routing_key=stored.type,
                delivery_mode=2,  # persistent
                message_id=str(stored.id),
                declare=[exchange()],
                retry=False,  # the outbox is the retry: a failure leaves the events pending
            )
        StoredEvent.objects.filter(pk__in=[stored.pk for stored in events]).update(
            relay_pending=False, relayed_at=timezone.now()
        )
    return len(events)


def subscription(queue_name: str, event_names: Iterable[str]) -> Queue:
    """A durable queue that receives the named event types."""
    for name in event_names:
        event_type_named(name)  # fails early on a name nobody registered
    return Queue(
        queue_name,
        exchange=exchange(),
        bindings=[binding(exchange(), routing_key=name) for name in event_names],
        durable=True,
    )


def receive(document: dict[str, Any]) -> bool:
    """Store a received event and a delivery per local listener; False if nothing was new.

    The event's listeners then run after the commit, in this process, like local ones.
    """
    received = read_envelope(document)
    with transaction.atomic():
        stored, created = StoredEvent.objects.get_or_create(
            id=received.id,
            defaults={
                "type": received.event_type.name,
                "version": received.event_type.version,
                "occurred_at": received.occurred_at,
                "payload": received.data,
                "trace_context": received.trace_context,  # tracing: continued by the delivery
            },
        )
        known = set(stored.deliveries.values_list("listener", flat=True))
        new = [name for name in listeners_of(stored.type) if name not in known]
        create_deliveries(stored, new)
    if new:
        deliver_event(stored.id)
    return created or bool(new)


def handle_message(body: Any, message: Message) -> None:
    """Kombu callback: receive, then acknowledge; reject what can never be understood.

    Any other error (the database is down) propagates and stops the consumer
    without acknowledging: the broker delivers the message again later.
    """
    try:
        receive(body)
    except ValueError as error:  # unusable envelope or unknown version: retrying cannot help
        logger.error("Rejected message %s: %s", message.delivery_tag, error)
        message.reject(requeue=False)
        return
    message.ack()
