"""What orders does when other modules announce something.

Payments announces every settled payment, including those settled after the
pay request that set them off died: these listeners finish what it could not.
"""

from modular_monolith.events import listens_to

from modules.payments.events import PaymentFailed, PaymentSucceeded

from .models import Order
from .paying import order_mark_paid, order_release_abandoned_claim


@listens_to(PaymentSucceeded)
def on_payment_succeeded(event: PaymentSucceeded) -> None:
    order_id = Order.id_from_payment_reference(event.reference)
    if order_id is not None:  # None: a payment for another caller of payments
        order_mark_paid(order_id=order_id, payment_id=event.payment_id)


@listens_to(PaymentFailed)
def on_payment_failed(event: PaymentFailed) -> None:
    # A live pay request makes its order payable again itself; this is for one that died.
    order_id = Order.id_from_payment_reference(event.reference)
    if order_id is not None:
        order_release_abandoned_claim(order_id=order_id)
