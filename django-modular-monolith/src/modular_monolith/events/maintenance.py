"""Looking after the outbox: resubmitting failed deliveries, pruning completed events."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from ..models import Delivery, StoredEvent


def resubmit_failed(ids: list[int] | None = None) -> int:
    """Make failed deliveries (all, or those with these ids) due again, with fresh attempts."""
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    return failed.update(
        status=Delivery.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        completed_at=None,
    )


def prune_completed(*, older_than: timedelta) -> int:
    """Delete events older than ``older_than`` whose deliveries all succeeded and that are relayed.

    Failed and pending deliveries are kept, whatever their age: they still need attention.
    """
    unfinished = Q(deliveries__status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED])
    old = StoredEvent.objects.filter(
        occurred_at__lt=timezone.now() - older_than, relay_pending=False
    )
    prunable = old.exclude(pk__in=StoredEvent.objects.filter(unfinished).values("pk"))
    _deleted, by_model = prunable.delete()
    return by_model.get(StoredEvent._meta.label, 0)
