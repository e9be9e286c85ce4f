"""Notifications: tells customers what happened, in the app and by email.

Only listens: to ``UserRegistered``, ``OrderPlaced``, ``OrderPaid`` and
``OrderCancelled``, each in batches (one lookup and one insert for many events).
No other module calls it. Public: ``api.list_notifications``.

It keeps its own copy of the recipients' addresses (``Recipient``), filled from
``UserRegistered``, which carries the address: notifying then asks the users
module nothing, and keeps working whatever users is busy with or wherever it runs.
The copy is notifications' own table, written only by its own listener, so no
table, relation or transaction is shared with users: the boundary stays where it
was, and the only coupling is the event's published fields. An account the copy
lacks (registered before the copy existed) is asked of ``users.api`` once and kept.
Users publishes no event when an address changes (only the admin can change one,
and it announces nothing), so such a change does not reach the copy; the day users
publishes one, a listener calling ``services.recipients_remember`` keeps it current.
"""
