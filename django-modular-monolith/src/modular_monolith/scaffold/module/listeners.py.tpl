"""What ${module} does when other modules announce something.

Listen to another module's events with ``@listens_to(ThatHappened)`` (import the
event from ``modules.<other>.events``). A listener runs in its own transaction,
at least once: make it idempotent.
"""
