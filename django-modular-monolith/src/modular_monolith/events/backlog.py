"""How far behind the outbox is: what a readiness probe and a dashboard watch."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from ..models import Delivery, StoredEvent


@dataclass(frozen=True, kw_only=True)
class Backlog:
    due: int  # pending deliveries whose time has come: the worker's queue
    oldest_due_at: datetime | None  # when the longest-waiting of them was due
    failed: int  # deliveries out of attempts, waiting for `manage.py events retry`
    to_relay: int  # external events the worker has yet to send to the broker


def outbox_backlog() -> Backlog:
    """Count the outbox's unfinished work, in two queries."""
    due = Q(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
    deliveries = Delivery.objects.aggregate(
        due=Count("pk", filter=due),
        oldest_due_at=Min("next_attempt_at", filter=due),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
    )
    to_relay = StoredEvent.objects.filter(relay_pending=True).count()
    return Backlog(**deliveries, to_relay=to_relay)


@dataclass(frozen=True, kw_only=True)
class ListenerBacklog:
    listener: str  # the listener's dotted path
    due: int
    oldest_due_at: datetime | None
    failed: int


def listener_backlog() -> list[ListenerBacklog]:
    """The outbox's unfinished deliveries per listener (those with any), in one query."""
    due = Q(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
    rows = (
        Delivery.objects.exclude(status=Delivery.Status.SUCCEEDED)
        .values("listener")
        .annotate(
            due=Count("pk", filter=due),
            oldest_due_at=Min("next_attempt_at", filter=due),
            failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        )
        .order_by("listener")
    )
    return [ListenerBacklog(**row) for row in rows]
