"""Orders: a customer's order, from placing it through payment or cancellation.

Depends on ``products.api`` (prices, stock) and ``payments.api`` (charging),
and listens to ``PaymentSucceeded`` to mark orders paid. Public:
``api.place_order``, ``api.pay_order``, ``api.cancel_order``, ``api.get_order``,
``api.list_orders``; events ``OrderPlaced``, ``OrderPaid``, ``OrderCancelled``.
"""
