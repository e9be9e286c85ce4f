"""Notifications: tells customers what happened, in the app and by email.

Only listens: to ``UserRegistered``, ``OrderPlaced``, ``OrderPaid`` and
``OrderCancelled``, and asks ``users.api`` for the recipient's address. No
other module calls it. Public: ``api.list_notifications``.
"""
