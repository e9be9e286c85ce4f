"""Orders: a customer's order, from placing it through payment or cancellation.

Depends on ``products.api`` (prices, stock) and ``payments.api`` (charging,
never in a transaction of its own: ``paying.py``), and listens to
``PaymentSucceeded`` and ``PaymentFailed`` to settle orders whose pay request died. Public:
``api.place_order``, ``api.pay_order``, ``api.cancel_order``, ``api.get_order``,
``api.list_orders``; events ``OrderPlaced``, ``OrderPaid``, ``OrderCancelled``.
"""
