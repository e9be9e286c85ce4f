from dataclasses import dataclass

from modular_monolith.events import event


@event("notes.NoteWritten", version=1)
@dataclass(frozen=True, kw_only=True)
class NoteWritten:
    note_id: int
