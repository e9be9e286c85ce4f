"""Publishing: the event is stored with the change that caused it, then delivered."""

import uuid
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from ..conf import setting
from ..models import Delivery, StoredEvent
from .delivery import deliver_event
from .envelope import encode_payload
from .registry import event_type_of, listeners_of

# Sent after the publishing transaction commits, before any listener runs;
# sender: the event class, keyword argument ``event``. For observers such as tests.
event_published = Signal()


def publish(event: Any) -> None:
    """Store ``event`` and a delivery for each of its listeners, in the current transaction.

    If the transaction rolls back, the event never existed. Once it commits, the
    listeners run right away in this process (``EVENTS_DELIVERY = "immediate"``)
    or in ``manage.py process_events`` (``"worker"``); what fails is retried there.
    """
    event_type = event_type_of(type(event))
    with transaction.atomic(savepoint=False):  # joins the caller's transaction
        stored = StoredEvent.objects.create(
            id=uuid.uuid4(),
            type=event_type.name,
            version=event_type.version,
            occurred_at=timezone.now(),
            payload=encode_payload(event),
            relay_pending=event_type.external and bool(setting("EVENTS_BROKER_URL")),
        )
        create_deliveries(stored, listeners_of(event_type.name))
    transaction.on_commit(partial(_after_commit, event, stored.id))


def create_deliveries(stored: StoredEvent, listener_names: Iterable[str]) -> None:
    """A pending delivery of ``stored`` for each listener; existing ones are left as they are."""
    Delivery.objects.bulk_create(
        [
            Delivery(event=stored, listener=name, next_attempt_at=stored.occurred_at)
            for name in listener_names
        ],
        ignore_conflicts=True,
    )


def _after_commit(event: Any, event_id: uuid.UUID) -> None:
    event_published.send(sender=type(event), event=event)
    if setting("EVENTS_DELIVERY") == "immediate":
        deliver_event(event_id)
