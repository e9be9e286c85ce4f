"""Notifications: tells customers what happened, in the app and by email.

Only listens: to ``UserRegistered``, ``UserEmailChanged``, ``OrderPlaced``,
``OrderPaid`` and ``OrderCancelled``, each in batches (one insert, which reads the
addresses too, for many events).
No other module calls it. Public: ``api.list_notifications``.

It keeps its own copy of the recipients' addresses (``Recipient``), filled from
``UserRegistered`` and ``UserEmailChanged``, which carry the address: notifying then asks the users
module nothing, and keeps working whatever users is busy with or wherever it runs.
The copy is notifications' own table, written only by its own listener, so no
table, relation or transaction is shared with users: the boundary stays where it
was, and the only coupling is the event's published fields. An account the copy
lacks (registered before the copy existed) is asked of ``users.api`` once and kept.
Events arrive at least once and, after a retry, possibly out of order: an address
changed twice within a retry's delay may keep the older one until it changes again.
"""
