import logging
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from modular_monolith.events import publish

from modules.payments import api as payments
from modules.products import api as products

from .errors import InvalidOrder, OrderNotCancellable, OrderNotPayable
from .events import OrderCancelled, OrderPaid, OrderPlaced
from .models import Order, OrderLine
from .selectors import order_get

logger = logging.getLogger(__name__)

MAX_IDEMPOTENCY_KEY_LENGTH = 100
MAX_QUANTITY = 1000  # units of one product in one order
MAX_TOTAL = Decimal("9999999999.99")  # what Order.total can hold


@transaction.atomic
def order_place(*, customer_id: int, quantities: Iterable[tuple[int, int]]) -> Order:
    """Reserve stock for (product id, quantity) pairs and store a pending order.

    Lines for the same product are merged. If anything is refused, nothing is
    reserved and no order exists: the reservation is part of this transaction.
    """
    wanted = _merge_quantities(quantities)
    try:
        reserved = products.reserve_stock(
            products.StockLine(product_id=product_id, quantity=quantity)
            for product_id, quantity in wanted.items()
        )
    except products.ProductNotFound as error:
        raise InvalidOrder(error.message, details=error.details) from error

    lines = [
        OrderLine(
            product_id=product.id,
            name=product.name,
            unit_price=product.price,
            quantity=wanted[product.id],
        )
        for product in reserved
    ]
    total = sum(line.unit_price * line.quantity for line in lines)
    if total > MAX_TOTAL:
        raise InvalidOrder(f"An order can total at most {MAX_TOTAL}.")
    order = Order.objects.create(customer_id=customer_id, total=total)
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    publish(OrderPlaced(order_id=order.pk, customer_id=customer_id, total=order.total))
    return order


@transaction.atomic
def order_pay(
    *, order_id: int, customer_id: int, payment_method: str, idempotency_key: str
) -> payments.PaymentDTO:
    """Charge the order's total through payments.

    A successful charge marks the order paid at once; the ``PaymentSucceeded``
    listener does the same for payments that succeed later, and is idempotent.
    Paying a paid order again with the same idempotency key returns the first
    payment; with a new key, payments refuses it (``AlreadyPaid``).
    """
    if not (
        1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY_LENGTH
        and idempotency_key.isascii()
        and idempotency_key.isprintable()
    ):
        raise InvalidOrder(
            "The Idempotency-Key header must be 1 to "
            f"{MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters."
        )
    order = order_get(order_id=order_id, customer_id=customer_id, lock=True)
    if order.status == Order.Status.CANCELLED:
        raise OrderNotPayable(f"Order {order.pk} is cancelled.")
    payment = payments.charge(
        reference=order.payment_reference,
        amount=order.total,
        # Scoped to the order, so that clients cannot collide on keys across orders.
        idempotency_key=f"{order.payment_reference}:{idempotency_key}",
        payment_method=payment_method,
    )
    if payment.status == "succeeded":
        # Mark it paid while the order is still locked: a cancel racing in between this
        # commit and the PaymentSucceeded listener would release the stock of a paid order.
        # The listener then finds the order paid and does nothing.
        order_mark_paid(order_id=order.pk, payment_id=payment.id)
    return payment


def order_mark_paid(*, order_id: int, payment_id: int) -> bool:
    """Move a pending order to paid and publish ``OrderPaid``; return False if it was not pending.

    A conditional update, so a payment event delivered twice marks the order once.
    """
    updated = Order.objects.filter(pk=order_id, status=Order.Status.PENDING_PAYMENT).update(
        status=Order.Status.PAID, payment_id=payment_id
    )
    if not updated:
        if Order.objects.filter(pk=order_id, status=Order.Status.CANCELLED).exists():
            logger.warning(
                "Order %s was cancelled before payment %s succeeded.", order_id, payment_id
            )
        return False
    order = Order.objects.get(pk=order_id)
    publish(
        OrderPaid(
            order_id=order.pk,
            customer_id=order.customer_id,
            total=order.total,
            payment_id=payment_id,
        )
    )
    return True


@transaction.atomic
def order_cancel(*, order_id: int, customer_id: int) -> Order:
    """Cancel an order that awaits payment and give its stock back."""
    order = order_get(order_id=order_id, customer_id=customer_id, lock=True)
    if order.status != Order.Status.PENDING_PAYMENT:
        raise OrderNotCancellable(f"Order {order.pk} is {order.status} and cannot be cancelled.")
    products.release_stock(
        products.StockLine(product_id=line.product_id, quantity=line.quantity)
        for line in order.lines.all()
    )
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    publish(OrderCancelled(order_id=order.pk, customer_id=customer_id))
    return order


def _merge_quantities(quantities: Iterable[tuple[int, int]]) -> Counter[int]:
    merged: Counter[int] = Counter()
    for product_id, quantity in quantities:
        if quantity < 1:
            raise InvalidOrder("Each line needs a quantity of at least 1.")
        merged[product_id] += quantity
        if merged[product_id] > MAX_QUANTITY:
            raise InvalidOrder(f"An order can hold at most {MAX_QUANTITY} units of a product.")
    if not merged:
        raise InvalidOrder("An order needs at least one line.")
    return merged
