"""The tally module's public API."""

from django.db import transaction
from django.db.models import F

from .models import Count

__all__ = ["count", "notes_written"]


@transaction.atomic
def count(*, name: str) -> None:
    """Count one more ``name``."""
    counted, _ = Count.objects.get_or_create(name=name)
    Count.objects.filter(pk=counted.pk).update(value=F("value") + 1)


def notes_written() -> int:
    """How many notes the tally has heard of."""
    count = Count.objects.filter(name="notes").first()
    return count.value if count else 0
