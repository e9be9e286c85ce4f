"""Paying an order: no transaction shared with payments, no lock held over the charge.

    1. claim    pending_payment -> payment_in_progress    one UPDATE; cancel refuses such an order
    2. charge   payments.api.charge                        no transaction open: payments commits
                                                           its pending payment, calls the gateway,
                                                           records the outcome, on its own
    3. record   succeeded: -> paid, publish OrderPaid      a short transaction
                failed:    -> pending_payment              one UPDATE, if the claim is still ours

Payments may be served by another process (``REMOTE_MODULES``): a charge that got no
answer raises ``ModuleUnavailable`` (503). If it never reached payments (connection
refused), nothing was charged and the claim is released at once; otherwise the order
stays claimed, as after a crash, and converges the same way.

A crash between the steps leaves the order ``payment_in_progress`` and its payment,
maybe, pending. Both converge on their own: payments settles the payment when the
client retries (with the same key or a new one) or when reconciliation runs, and
publishes ``PaymentSucceeded`` or ``PaymentFailed``; the listeners apply them with
the same conditional updates, so an outcome learnt twice is applied once.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from modular_monolith.events import publish
from modular_monolith.remote import ModuleUnavailable

from modules.payments import api as payments

from .errors import (
    InvalidOrder,
    InvalidPayment,
    OrderNotPayable,
    OrdersError,
    PaymentInProgress,
    PaymentsUnavailable,
)
from .events import OrderPaid
from .models import Order
from .selectors import order_get

logger = logging.getLogger(__name__)

MAX_IDEMPOTENCY_KEY_LENGTH = 100
# Far longer than a pay request takes from its claim to payments storing its payment: a
# claim this old, with no payment pending or succeeded, belongs to a request that died.
CLAIM_TIMEOUT = timedelta(minutes=5)

_UNSETTLED = [Order.Status.PENDING_PAYMENT, Order.Status.PAYMENT_IN_PROGRESS]


def order_pay(
    *, order_id: int, customer_id: int, payment_method: str, idempotency_key: str
) -> payments.PaymentDTO:
    """Charge the order's total through payments, and record the outcome on the order.

    Paying a paid order again with the same idempotency key returns the first
    payment; with a new key it is ``OrderNotPayable``, as for a cancelled order.
    """
    _validate_key(idempotency_key)
    order = order_get(order_id=order_id, customer_id=customer_id)
    if order.status != Order.Status.PAID:
        _order_claim_payment(order=order, idempotency_key=idempotency_key)
    try:
        payment = payments.charge(
            reference=order.payment_reference,
            amount=order.total,
            # Scoped to the order, so that clients cannot collide on keys across orders.
            idempotency_key=f"{order.payment_reference}:{idempotency_key}",
            payment_method=payment_method,
        )
    except payments.PaymentsError as error:
        raise _refusal(error, order=order, idempotency_key=idempotency_key) from error
    except ModuleUnavailable as error:
        if not error.reached:  # nothing charged: cancelling need not wait for CLAIM_TIMEOUT
            order_release_payment_claim(order_id=order.pk, idempotency_key=idempotency_key)
        raise
    if payment.status == "succeeded":
        order_mark_paid(order_id=order.pk, payment_id=payment.id)
    else:
        order_release_payment_claim(order_id=order.pk, idempotency_key=idempotency_key)
    return payment


def order_mark_paid(*, order_id: int, payment_id: int) -> bool:
    """Move an unpaid order to paid and publish ``OrderPaid``; return False if it was not unpaid.

    A conditional update, so a payment learnt twice (from the charge and from its
    event) marks the order once.
    """
    with transaction.atomic():
        updated = Order.objects.filter(pk=order_id, status__in=_UNSETTLED).update(
            status=Order.Status.PAID, payment_id=payment_id, updated_at=timezone.now()
        )
        if updated:
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
    if Order.objects.filter(pk=order_id, status=Order.Status.CANCELLED).exists():
        logger.warning("Order %s was cancelled before payment %s succeeded.", order_id, payment_id)
    return False


def order_release_payment_claim(*, order_id: int, idempotency_key: str) -> bool:
    """Make the order payable again after its payment failed; return False if not ours.

    Only while the claim is this key's: a pay that claimed the order since then
    may have a payment on its way, and cancelling must wait for it.
    """
    released = Order.objects.filter(
        pk=order_id, status=Order.Status.PAYMENT_IN_PROGRESS, payment_key=idempotency_key
    ).update(status=Order.Status.PENDING_PAYMENT, updated_at=timezone.now())
    return bool(released)


@transaction.atomic
def order_release_abandoned_claim(*, order_id: int) -> bool:
    """Make the order payable again if its pay request died; return whether it did.

    The claim must be older than ``CLAIM_TIMEOUT`` and payments must hold no
    pending or succeeded payment for the order. The order stays locked meanwhile,
    so no pay can claim it in between.
    """
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None or not payment_claim_abandoned(order):
        return False
    order.status = Order.Status.PENDING_PAYMENT
    order.save(update_fields=["status", "updated_at"])
    return True


def payment_claim_abandoned(order: Order) -> bool:
    """Whether the order's payment claim belongs to a request that died before charging.

    Call it with the order locked.
    """
    return (
        order.status == Order.Status.PAYMENT_IN_PROGRESS
        and order.payment_started_at is not None
        and order.payment_started_at < timezone.now() - CLAIM_TIMEOUT
        and payments.find_open_payment(reference=order.payment_reference) is None
    )


def _order_claim_payment(*, order: Order, idempotency_key: str) -> None:
    """Move the order to payment_in_progress under this key, or raise if it is cancelled."""
    claimed = Order.objects.filter(pk=order.pk, status__in=_UNSETTLED).update(
        status=Order.Status.PAYMENT_IN_PROGRESS,
        payment_key=idempotency_key,
        payment_started_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not claimed:
        order.refresh_from_db(fields=["status"])
    if order.status == Order.Status.CANCELLED:
        raise OrderNotPayable(f"Order {order.pk} is cancelled.")
    # Paid meanwhile: payments returns the payment for this key, or refuses a new key.


def _refusal(error: payments.PaymentsError, *, order: Order, idempotency_key: str) -> OrdersError:
    """Settle the order after payments refused to charge it; return the error of orders for it."""
    if isinstance(error, payments.PaymentInProgress):
        # Another key's payment is under way: the order stays claimed until its outcome.
        return PaymentInProgress(f"Another payment of order {order.pk} is under way.")
    if isinstance(error, payments.PaymentsUnavailable):
        # This key's payment is pending, perhaps charged: the claim stays until it is settled.
        return PaymentsUnavailable(error.message)
    if isinstance(error, payments.AlreadyPaid):
        # Paid with another key, perhaps by a request that died: learn it now, not only
        # when PaymentSucceeded is delivered.
        paid = payments.find_open_payment(reference=order.payment_reference)
        if paid is not None:
            order_mark_paid(order_id=order.pk, payment_id=paid.id)
        return OrderNotPayable(f"Order {order.pk} is paid already.")
    # InvalidPayment, the payment method (IdempotencyKeyReused cannot happen: the key is
    # scoped to the order, whose total never changes). Nothing was charged.
    order_release_payment_claim(order_id=order.pk, idempotency_key=idempotency_key)
    return InvalidPayment(error.message, details=error.details)


def _validate_key(idempotency_key: str) -> None:
    if not (
        1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY_LENGTH
        and idempotency_key.isascii()
        and idempotency_key.isprintable()
    ):
        raise InvalidOrder(
            "The Idempotency-Key header must be 1 to "
            f"{MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters."
        )
