"""Payments: charges through a payment gateway, exactly once per idempotency key.

Knows nothing of orders: a payment settles a ``reference`` chosen by the caller.
Public: ``api.charge`` and ``api.get_payment``; events ``PaymentSucceeded`` and
``PaymentFailed``. The gateway sits behind a small protocol (``gateways.py``);
the fake one accepts ``test_ok`` and declines ``test_declined``.
"""
