from django.db.models import F

from modular_monolith.events import listens_to
from modules.notes.events import NoteWritten

from .models import Count


@listens_to(NoteWritten)
def on_note_written(event: NoteWritten) -> None:
    count, _ = Count.objects.get_or_create(name="notes")
    Count.objects.filter(pk=count.pk).update(value=F("value") + 1)
