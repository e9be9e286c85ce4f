"""Notes: write one, and every other module hears of it through ``NoteWritten``."""
