"""Tally: counts the notes written, from the ``NoteWritten`` events it listens to."""
