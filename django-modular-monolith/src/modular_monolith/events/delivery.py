"""Running listeners: each delivery in its own transaction, retried with backoff.

A delivery is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and the
listener runs inside the same transaction. Its effects and the delivery's
``succeeded`` mark commit together, so a process that dies mid-delivery leaves
it pending (and its effects rolled back), and two workers never run the same
delivery at once. A listener that raises has its work rolled back; the attempt
is recorded and retried later, up to ``EVENTS_MAX_ATTEMPTS``, then marked failed.
"""

import json
import logging
import traceback
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..conf import setting
from ..logs import module_of
from ..models import Delivery
from .envelope import decode_payload
from .registry import event_type_named, listener_named, listener_names

logger = logging.getLogger(__name__)


def deliver_event(event_id: uuid.UUID) -> None:
    """Deliver an event to its listeners in this process, one transaction each."""
    for delivery_id in _pending().filter(event_id=event_id).values_list("pk", flat=True):
        _deliver_next(_pending().filter(pk=delivery_id))


def deliver_due(*, limit: int | None = None) -> int:
    """Deliver what is due (first attempts, retries, leftovers of crashed processes).

    Return how many deliveries were attempted. Safe to run in several processes at once.
    """
    attempted = 0
    while limit is None or attempted < limit:
        due = _pending().filter(next_attempt_at__lte=timezone.now())
        if not _deliver_next(due):
            break
        attempted += 1
    return attempted


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: the base delay, doubled after each failed attempt, capped."""
    seconds = setting("EVENTS_RETRY_DELAY") * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, setting("EVENTS_RETRY_MAX_DELAY")))


def _pending() -> QuerySet[Delivery]:
    """Pending deliveries to the listeners that this process has."""
    return Delivery.objects.filter(status=Delivery.Status.PENDING, listener__in=listener_names())


def _deliver_next(candidates: QuerySet[Delivery]) -> bool:
    """Claim the first unlocked delivery among ``candidates`` and run it; False if none."""
    with transaction.atomic():
        delivery = (
            candidates.select_for_update(skip_locked=True, of=("self",))
            .select_related("event")
            .order_by("next_attempt_at", "id")
            .first()
        )
        if delivery is None:
            return False
        _run(delivery)
        delivery.save(
            update_fields=["status", "attempts", "next_attempt_at", "last_error", "completed_at"]
        )
    return True


def _run(delivery: Delivery) -> None:
    stored = delivery.event
    delivery.attempts += 1
    now = timezone.now()
    try:
        event = decode_payload(event_type_named(stored.type).cls, stored.payload)
        with transaction.atomic():
            listener_named(delivery.listener)(event)  # type: ignore[misc]
    except Exception:
        delivery.last_error = traceback.format_exc()
        if delivery.attempts >= setting("EVENTS_MAX_ATTEMPTS"):
            delivery.status = Delivery.Status.FAILED
            delivery.completed_at = now
            outcome = "no attempts left: marked failed"
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
            outcome = f"retrying at {delivery.next_attempt_at.isoformat()}"
        logger.exception(
            "Delivery of %s %s %s to %s failed (attempt %d of %d); %s",
            stored.type,
            stored.id,
            json.dumps(stored.payload),
            delivery.listener,
            delivery.attempts,
            setting("EVENTS_MAX_ATTEMPTS"),
            outcome,
            extra={
                "event_id": str(stored.id),
                "event_type": stored.type,
                "listener": delivery.listener,
                "module_label": module_of(delivery.listener),  # the listener's module
                "attempt": delivery.attempts,
            },
        )
    else:
        delivery.status = Delivery.Status.SUCCEEDED
        delivery.completed_at = now
        delivery.last_error = ""
