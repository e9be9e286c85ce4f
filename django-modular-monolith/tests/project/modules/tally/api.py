"""The tally module's public API."""

from .models import Count

__all__ = ["notes_written"]


def notes_written() -> int:
    """How many notes the tally has heard of."""
    count = Count.objects.filter(name="notes").first()
    return count.value if count else 0
