"""The notes module's public API."""

from dataclasses import dataclass

from django.db import transaction

from modular_monolith.errors import NotFound
from modular_monolith.events import publish
from modular_monolith.remote import idempotent

from .events import NoteWritten
from .models import Note

__all__ = ["NoteDTO", "NoteNotFound", "get_note", "write_note"]


class NoteNotFound(NotFound):
    """No note has this id."""


@dataclass(frozen=True, kw_only=True)
class NoteDTO:
    id: int
    text: str


@transaction.atomic
def write_note(*, text: str) -> NoteDTO:
    """Store a note and announce it."""
    note = Note.objects.create(text=text)
    publish(NoteWritten(note_id=note.pk))
    return NoteDTO(id=note.pk, text=note.text)


@idempotent
def get_note(note_id: int) -> NoteDTO:
    try:
        note = Note.objects.get(pk=note_id)
    except Note.DoesNotExist:
        raise NoteNotFound(f"No note {note_id}.") from None
    return NoteDTO(id=note.pk, text=note.text)
