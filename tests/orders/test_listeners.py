"""orders.listeners: a payment's outcome, learnt from its event, settles the order once."""

import logging
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from modular_monolith.events import publish
from modular_monolith.testing import DeliverEvents

from modules.orders.events import OrderPaid
from modules.orders.models import Order
from modules.orders.paying import CLAIM_TIMEOUT
from modules.payments.events import PaymentFailed, PaymentSucceeded
from modules.payments.models import Payment
from modules.products.models import Product

from .conftest import PlaceOrder, leave_claimed

pytestmark = pytest.mark.django_db


def test_payment_succeeded_delivered_twice_marks_the_order_paid_once(
    make_product: Callable[..., Product],
    place: PlaceOrder,
    published: list[object],
    deliver_events: DeliverEvents,
) -> None:
    order = place((make_product(price="5.00"), 2))
    event = PaymentSucceeded(payment_id=7, reference=f"order-{order.id}", amount=order.total)

    with deliver_events():
        publish(event)
        publish(event)

    stored = Order.objects.get(pk=order.id)
    assert (stored.status, stored.payment_id) == (Order.Status.PAID, 7)
    assert published == [
        event,
        event,
        OrderPaid(
            order_id=order.id, customer_id=order.customer_id, total=Decimal("10.00"), payment_id=7
        ),
    ]


@pytest.mark.parametrize(
    "reference",
    [
        "invoice-{id}",
        "order{id}",
        "order-{id}x",
        "order-abc",
        "order-",
        "order-999999",
        "order-1" + "0" * 30,
    ],
)
def test_payment_succeeded_for_another_reference_is_ignored(
    make_product: Callable[..., Product],
    place: PlaceOrder,
    published: list[object],
    deliver_events: DeliverEvents,
    caplog: pytest.LogCaptureFixture,
    reference: str,
) -> None:
    order = place((make_product(), 1))
    event = PaymentSucceeded(
        payment_id=7, reference=reference.format(id=order.id), amount=order.total
    )

    with caplog.at_level(logging.WARNING), deliver_events():
        publish(event)

    assert Order.objects.get(pk=order.id).status == Order.Status.PENDING_PAYMENT
    assert published == [event]
    assert caplog.records == []  # not even a listener failure


def test_payment_succeeded_for_a_cancelled_order_leaves_it_cancelled_with_a_warning(
    make_product: Callable[..., Product],
    place: PlaceOrder,
    published: list[object],
    deliver_events: DeliverEvents,
    caplog: pytest.LogCaptureFixture,
) -> None:
    order = place((make_product(), 1))
    Order.objects.filter(pk=order.id).update(status=Order.Status.CANCELLED)
    event = PaymentSucceeded(payment_id=7, reference=f"order-{order.id}", amount=order.total)

    with caplog.at_level(logging.WARNING), deliver_events():
        publish(event)

    stored = Order.objects.get(pk=order.id)
    assert (stored.status, stored.payment_id) == (Order.Status.CANCELLED, None)
    assert published == [event]
    assert [record.getMessage() for record in caplog.records] == [
        f"Order {order.id} was cancelled before payment 7 succeeded."
    ]


def payment_failed(order_id: int) -> PaymentFailed:
    return PaymentFailed(
        payment_id=7, reference=f"order-{order_id}", amount=Decimal("5.00"), reason="Declined."
    )


def test_payment_failed_makes_payable_an_order_whose_pay_request_died(
    make_product: Callable[..., Product], place: PlaceOrder, deliver_events: DeliverEvents
) -> None:
    order = place((make_product(), 1))
    leave_claimed(order.id, ago=CLAIM_TIMEOUT + timedelta(seconds=1))

    with deliver_events():
        publish(payment_failed(order.id))

    assert Order.objects.get(pk=order.id).status == Order.Status.PENDING_PAYMENT


def test_payment_failed_leaves_an_order_whose_pay_request_may_be_running_in_progress(
    make_product: Callable[..., Product], place: PlaceOrder, deliver_events: DeliverEvents
) -> None:
    # Claimed a moment ago: its request may be about to store its payment and charge.
    order = place((make_product(), 1))
    leave_claimed(order.id, ago=timedelta(seconds=1))

    with deliver_events():
        publish(payment_failed(order.id))

    assert Order.objects.get(pk=order.id).status == Order.Status.PAYMENT_IN_PROGRESS


def test_payment_failed_leaves_in_progress_an_order_with_another_payment_pending(
    make_product: Callable[..., Product], place: PlaceOrder, deliver_events: DeliverEvents
) -> None:
    order = place((make_product(), 1))
    leave_claimed(order.id, ago=CLAIM_TIMEOUT + timedelta(seconds=1))
    Payment.objects.create(
        reference=f"order-{order.id}",
        amount=order.total,
        payment_method="test_ok",
        idempotency_key=f"order-{order.id}:another-tab",
    )

    with deliver_events():
        publish(payment_failed(order.id))

    assert Order.objects.get(pk=order.id).status == Order.Status.PAYMENT_IN_PROGRESS
