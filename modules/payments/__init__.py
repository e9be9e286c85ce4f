"""Payments: charges through a payment gateway, exactly once per idempotency key.

Knows nothing of orders: a payment settles a ``reference`` chosen by the caller.
Public: ``api.charge``, ``api.get_payment`` and ``api.find_open_payment``; events
``PaymentSucceeded`` and ``PaymentFailed``. A payment is stored as pending before
the gateway is called, outside any transaction, and settled after it answers;
the event worker settles those a crash or a timeout left pending, every minute
(``jobs.py``), and ``manage.py reconcile_payments`` on demand.
The gateway sits behind a small protocol (``gateways.py``) and takes the
idempotency key; the fake one accepts ``test_ok`` and declines ``test_declined``.
"""
