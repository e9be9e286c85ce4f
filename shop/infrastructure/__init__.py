"""Shared infrastructure: the only part of ``shop`` that modules may import.

It knows nothing of any domain module; it gives every module the same way to
publish events (``events``) and to report business errors (``errors``).
"""
