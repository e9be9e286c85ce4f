"""What orders does when other modules announce something."""

from modular_monolith.events import listens_to

from modules.payments.events import PaymentSucceeded

from .models import Order
from .services import order_mark_paid


@listens_to(PaymentSucceeded)
def on_payment_succeeded(event: PaymentSucceeded) -> None:
    order_id = Order.id_from_payment_reference(event.reference)
    if order_id is not None:  # None: a payment for another caller of payments
        order_mark_paid(order_id=order_id, payment_id=event.payment_id)


# A PaymentFailed needs no listener: the order simply stays payable.
