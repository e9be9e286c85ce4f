"""orders.api: placing, paying and cancelling orders, and what each announces."""

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import models
from modular_monolith.testing import DeliverEvents

from modules.orders import api
from modules.orders.events import OrderCancelled, OrderPaid, OrderPlaced
from modules.orders.models import Order
from modules.orders.paying import CLAIM_TIMEOUT
from modules.payments import api as payments
from modules.payments.events import PaymentFailed, PaymentSucceeded
from modules.payments.models import Payment
from modules.products.models import Product
from modules.users.api import UserDTO
from tests.payments.fakes import RecordingGateway, UseGateway

from .conftest import PlaceOrder, leave_claimed

pytestmark = pytest.mark.django_db

MakeProduct = Callable[..., Product]


def stock_of(product: Product) -> int:
    return Product.objects.get(pk=product.pk).stock


def pay(
    order: api.OrderDTO, *, key: str = "key-1", method: str = "test_ok"
) -> api.PaymentAttemptDTO:
    return api.pay_order(
        order.id, customer_id=order.customer_id, payment_method=method, idempotency_key=key
    )


# place_order


def test_place_order_snapshots_names_and_prices_and_computes_the_total(
    make_product: MakeProduct, place: PlaceOrder, customer: UserDTO
) -> None:
    mug = make_product(name="Mug", price="12.50")
    tea = make_product(name="Tea", price="3.00")

    order = place((tea, 3), (mug, 2))
    Product.objects.filter(pk=mug.pk).update(name="Big mug", price=Decimal("99.00"))

    assert order.customer_id == customer.id
    assert order.status == "pending_payment"
    assert order.total == Decimal("34.00")
    expected_lines = (
        api.OrderLineDTO(product_id=mug.pk, name="Mug", unit_price=Decimal("12.50"), quantity=2),
        api.OrderLineDTO(product_id=tea.pk, name="Tea", unit_price=Decimal("3.00"), quantity=3),
    )
    assert order.lines == expected_lines
    stored = api.get_order(order.id, customer_id=customer.id)
    assert (stored.total, stored.lines) == (Decimal("34.00"), expected_lines)


def test_place_order_merges_lines_of_the_same_product(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    mug = make_product(price="2.00", stock=10)

    order = place((mug, 1), (mug, 2))

    assert [(line.product_id, line.quantity) for line in order.lines] == [(mug.pk, 3)]
    assert order.total == Decimal("6.00")
    assert stock_of(mug) == 7


def test_place_order_reserves_the_stock_of_every_line(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    mug = make_product(stock=5)
    tea = make_product(stock=3)

    place((mug, 5), (tea, 1))

    assert (stock_of(mug), stock_of(tea)) == (0, 2)


def test_place_order_publishes_order_placed_once_committed(
    make_product: MakeProduct,
    place: PlaceOrder,
    published: list[object],
    deliver_events: DeliverEvents,
) -> None:
    mug = make_product(price="4.25")

    with deliver_events():
        order = place((mug, 2))
        assert published == []  # not before the commit

    assert published == [
        OrderPlaced(order_id=order.id, customer_id=order.customer_id, total=Decimal("8.50"))
    ]


def test_place_order_returns_a_frozen_dataclass_never_a_model(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    order = place((make_product(), 1))

    assert type(order) is api.OrderDTO
    assert type(order.lines[0]) is api.OrderLineDTO
    assert not isinstance(order, models.Model)
    with pytest.raises(dataclasses.FrozenInstanceError):
        order.status = "paid"  # type: ignore[misc]


@pytest.mark.parametrize(
    "quantities",
    [[], [0], [-1], [2, 0]],
    ids=["no lines", "quantity 0", "negative quantity", "one bad line among good ones"],
)
def test_place_order_refuses_bad_lines_and_reserves_nothing(
    make_product: MakeProduct, place: PlaceOrder, quantities: list[int]
) -> None:
    mugs = [make_product(stock=5) for _ in quantities]

    with pytest.raises(api.InvalidOrder):
        place(*zip(mugs, quantities, strict=True))

    assert [stock_of(mug) for mug in mugs] == [5] * len(mugs)
    assert not Order.objects.exists()


def test_place_order_with_an_unknown_product_is_invalid_and_reserves_nothing(
    make_product: MakeProduct, customer: UserDTO
) -> None:
    mug = make_product(stock=5)
    lines = [
        api.RequestedLine(product_id=mug.pk, quantity=1),
        api.RequestedLine(product_id=mug.pk + 1000, quantity=1),
    ]

    with pytest.raises(api.InvalidOrder) as refused:
        api.place_order(customer_id=customer.id, lines=lines)

    assert refused.value.details == {"product_ids": [mug.pk + 1000]}
    assert stock_of(mug) == 5
    assert not Order.objects.exists()


def test_place_order_without_enough_stock_reserves_nothing_for_any_line(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    plenty = make_product(stock=5)
    scarce = make_product(stock=1)

    with pytest.raises(api.InsufficientStock) as refused:
        place((plenty, 2), (scarce, 2))

    assert refused.value.details == {"product_ids": [scarce.pk]}
    assert (stock_of(plenty), stock_of(scarce)) == (5, 1)
    assert not Order.objects.exists()


def test_place_order_checks_stock_against_the_merged_quantity(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    mug = make_product(stock=5)

    with pytest.raises(api.InsufficientStock):
        place((mug, 3), (mug, 3))

    assert stock_of(mug) == 5


# pay_order


def test_a_successful_payment_marks_the_order_paid_at_once(
    make_product: MakeProduct,
    place: PlaceOrder,
    gateway: RecordingGateway,
    published: list[object],
    deliver_events: DeliverEvents,
) -> None:
    order = place((make_product(price="12.50"), 2))

    with deliver_events():
        attempt = pay(order)
        # Paid before any event is delivered: no cancel can slip in before the listener.
        assert api.get_order(order.id, customer_id=order.customer_id).status == "paid"

    assert (attempt.status, attempt.failure_reason) == ("succeeded", "")
    assert api.get_order(order.id, customer_id=order.customer_id).status == "paid"
    assert Order.objects.get(pk=order.id).payment_id == attempt.id
    reference = f"order-{order.id}"
    assert published == [
        PaymentSucceeded(payment_id=attempt.id, reference=reference, amount=Decimal("25.00")),
        OrderPaid(
            order_id=order.id,
            customer_id=order.customer_id,
            total=Decimal("25.00"),
            payment_id=attempt.id,
        ),
    ]
    assert [call.amount for call in gateway.calls] == [Decimal("25.00")]


def test_declined_payment_leaves_the_order_payable_with_a_new_key(
    make_product: MakeProduct,
    place: PlaceOrder,
    gateway: RecordingGateway,
    published: list[object],
    deliver_events: DeliverEvents,
) -> None:
    order = place((make_product(), 1))

    with deliver_events():
        declined = pay(order, key="first", method="test_declined")

    assert (declined.status, declined.failure_reason) == ("failed", "The card was declined.")
    assert api.get_order(order.id, customer_id=order.customer_id).status == "pending_payment"
    assert [type(event) for event in published] == [PaymentFailed]

    with deliver_events():
        retried = pay(order, key="second", method="test_ok")

    assert retried.status == "succeeded"
    assert retried.id != declined.id
    assert api.get_order(order.id, customer_id=order.customer_id).status == "paid"
    assert len(gateway.calls) == 2


def test_paying_twice_with_the_same_key_charges_once(
    make_product: MakeProduct, place: PlaceOrder, gateway: RecordingGateway
) -> None:
    order = place((make_product(), 1))

    first = pay(order, key="double-click")
    again = pay(order, key="double-click")

    assert again == first
    assert len(gateway.calls) == 1


def test_paying_a_paid_order_with_a_new_key_is_refused(
    make_product: MakeProduct,
    place: PlaceOrder,
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
) -> None:
    order = place((make_product(), 1))
    with deliver_events():
        pay(order, key="first")

    with pytest.raises(api.OrderNotPayable, match="is paid already"):
        pay(order, key="second")

    assert len(gateway.calls) == 1


def test_the_same_key_pays_different_orders_separately(
    make_product: MakeProduct, place: PlaceOrder, gateway: RecordingGateway
) -> None:
    # Keys are scoped to the order: two orders never collide on a client's key.
    first_order = place((make_product(price="1.00"), 1))
    second_order = place((make_product(price="2.00"), 1))

    first = pay(first_order, key="same")
    second = pay(second_order, key="same")

    assert first.id != second.id
    assert [call.amount for call in gateway.calls] == [Decimal("1.00"), Decimal("2.00")]


@pytest.mark.parametrize("key", ["", "k" * 101], ids=["empty", "too long"])
def test_paying_with_an_empty_or_too_long_key_is_invalid(
    make_product: MakeProduct, place: PlaceOrder, gateway: RecordingGateway, key: str
) -> None:
    order = place((make_product(), 1))

    with pytest.raises(api.InvalidOrder, match="Idempotency-Key"):
        pay(order, key=key)

    assert gateway.calls == []


def test_paying_a_cancelled_order_is_refused(
    make_product: MakeProduct, place: PlaceOrder, gateway: RecordingGateway
) -> None:
    order = place((make_product(), 1))
    api.cancel_order(order.id, customer_id=order.customer_id)

    with pytest.raises(api.OrderNotPayable):
        pay(order)

    assert gateway.calls == []


# cancel_order


def test_cancelling_releases_the_stock_and_publishes_order_cancelled(
    make_product: MakeProduct,
    place: PlaceOrder,
    published: list[object],
    deliver_events: DeliverEvents,
) -> None:
    mug = make_product(stock=5)
    tea = make_product(stock=5)
    order = place((mug, 2), (tea, 5))

    with deliver_events():
        cancelled = api.cancel_order(order.id, customer_id=order.customer_id)

    assert cancelled.status == "cancelled"
    assert api.get_order(order.id, customer_id=order.customer_id).status == "cancelled"
    assert (stock_of(mug), stock_of(tea)) == (5, 5)
    assert published == [OrderCancelled(order_id=order.id, customer_id=order.customer_id)]


def test_cancelling_a_paid_order_is_refused(
    make_product: MakeProduct,
    place: PlaceOrder,
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
) -> None:
    mug = make_product(stock=5)
    order = place((mug, 2))
    with deliver_events():
        pay(order)

    with pytest.raises(api.OrderNotCancellable, match="is paid"):
        api.cancel_order(order.id, customer_id=order.customer_id)

    assert stock_of(mug) == 3


def test_a_cancel_right_after_a_successful_payment_is_refused(
    make_product: MakeProduct, place: PlaceOrder, gateway: RecordingGateway
) -> None:
    """Before PaymentSucceeded is delivered, the order is paid already: no stock is released."""
    mug = make_product(stock=5)
    order = place((mug, 2))
    pay(order)  # events not delivered: the listener has not run

    with pytest.raises(api.OrderNotCancellable, match="is paid"):
        api.cancel_order(order.id, customer_id=order.customer_id)

    assert stock_of(mug) == 3


def test_place_order_refuses_too_many_units_of_a_product(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    mug = make_product(stock=5000)

    with pytest.raises(api.InvalidOrder, match="at most 1000 units"):
        place((mug, 600), (mug, 401))

    assert stock_of(mug) == 5000


def test_place_order_refuses_a_total_the_order_cannot_hold(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    jewel = make_product(price="99999999.99", stock=1000)

    with pytest.raises(api.InvalidOrder, match="can total at most"):
        place((jewel, 1000))

    assert stock_of(jewel) == 1000


@pytest.mark.parametrize("product_id", [0, -1, 2**63, 10**30])
def test_place_order_with_an_impossible_product_id_is_invalid(
    customer: UserDTO, db: None, product_id: int
) -> None:
    with pytest.raises(api.InvalidOrder, match="Unknown product"):
        api.place_order(
            customer_id=customer.id, lines=[api.RequestedLine(product_id=product_id, quantity=1)]
        )


def test_cancelling_a_cancelled_order_is_refused_and_releases_nothing_twice(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    mug = make_product(stock=5)
    order = place((mug, 2))
    api.cancel_order(order.id, customer_id=order.customer_id)

    with pytest.raises(api.OrderNotCancellable, match="is cancelled"):
        api.cancel_order(order.id, customer_id=order.customer_id)

    assert stock_of(mug) == 5


# get_order, list_orders, and whose order it is


def test_get_order_of_an_unknown_id_is_not_found(customer: UserDTO) -> None:
    with pytest.raises(api.OrderNotFound):
        api.get_order(404, customer_id=customer.id)


@pytest.mark.parametrize(
    "act",
    [
        lambda order_id, customer_id: api.get_order(order_id, customer_id=customer_id),
        lambda order_id, customer_id: api.pay_order(
            order_id, customer_id=customer_id, payment_method="test_ok", idempotency_key="k"
        ),
        lambda order_id, customer_id: api.cancel_order(order_id, customer_id=customer_id),
    ],
    ids=["get", "pay", "cancel"],
)
def test_another_customers_order_is_not_found(
    make_product: MakeProduct,
    place: PlaceOrder,
    other_customer: UserDTO,
    gateway: RecordingGateway,
    act: Callable[[int, int], object],
) -> None:
    mug = make_product(stock=5)
    order = place((mug, 2))

    with pytest.raises(api.OrderNotFound):
        act(order.id, other_customer.id)

    assert Order.objects.get(pk=order.id).status == Order.Status.PENDING_PAYMENT
    assert stock_of(mug) == 3
    assert gateway.calls == []


def test_list_orders_returns_only_the_customers_own_orders_newest_first(
    make_product: MakeProduct, place: PlaceOrder, customer: UserDTO, other_customer: UserDTO
) -> None:
    mug = make_product(stock=10)
    older = place((mug, 1))
    place((mug, 1), customer_id=other_customer.id)
    newer = place((mug, 2))

    assert api.list_orders(customer_id=customer.id) == [newer, older]


# pay_order: the order while its payment is under way


def test_an_order_whose_pay_request_died_before_charging_can_be_cancelled_later(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    mug = make_product(stock=5)
    order = place((mug, 2))
    leave_claimed(order.id, ago=CLAIM_TIMEOUT + timedelta(seconds=1))

    cancelled = api.cancel_order(order.id, customer_id=order.customer_id)

    assert cancelled.status == "cancelled"
    assert stock_of(mug) == 5


def test_an_order_with_a_payment_under_way_cannot_be_cancelled(
    make_product: MakeProduct, place: PlaceOrder
) -> None:
    mug = make_product(stock=5)
    order = place((mug, 2))
    leave_claimed(order.id, ago=timedelta(seconds=1))  # its request may still be charging

    with pytest.raises(api.OrderNotCancellable, match="payment under way"):
        api.cancel_order(order.id, customer_id=order.customer_id)

    assert stock_of(mug) == 3


# Errors: a caller of orders meets only orders' own


@pytest.mark.parametrize(
    ("refusal", "error"),
    [
        ("not enough stock", api.InsufficientStock),
        ("unknown payment method", api.InvalidPayment),
        ("paid with another key", api.OrderNotPayable),
        ("another payment under way", api.PaymentInProgress),
        ("gateway timeout", api.PaymentsUnavailable),
    ],
)
def test_refusals_from_products_and_payments_come_as_orders_errors(
    make_product: MakeProduct,
    place: PlaceOrder,
    use_gateway: UseGateway,
    refusal: str,
    error: type[api.OrdersError],
) -> None:
    mug = make_product(stock=1)
    use_gateway(times_out=refusal == "gateway timeout")

    with pytest.raises(api.OrdersError) as raised:
        if refusal == "not enough stock":
            place((mug, 2))
        order = place((mug, 1))
        if refusal == "paid with another key":
            pay(order, key="first")
        if refusal == "another payment under way":
            Payment.objects.create(
                reference=f"order-{order.id}",
                amount=order.total,
                payment_method="test_ok",
                idempotency_key=f"order-{order.id}:another-tab",
            )
        pay(
            order, key="second", method="cash" if refusal == "unknown payment method" else "test_ok"
        )

    assert type(raised.value) is error
    assert raised.value.__module__ == "modules.orders.errors"


def test_an_unknown_payment_method_leaves_the_order_payable_and_cancellable(
    make_product: MakeProduct, place: PlaceOrder, gateway: RecordingGateway
) -> None:
    order = place((make_product(), 1))

    with pytest.raises(api.InvalidPayment, match="Unknown payment method 'cash'"):
        pay(order, method="cash")

    assert Order.objects.get(pk=order.id).status == Order.Status.PENDING_PAYMENT
    assert api.cancel_order(order.id, customer_id=order.customer_id).status == "cancelled"
    assert gateway.calls == []


def test_paying_with_a_new_key_an_order_paid_meanwhile_marks_it_paid_before_any_event(
    make_product: MakeProduct, place: PlaceOrder, gateway: RecordingGateway
) -> None:
    # As if the first pay request died after payments recorded the charge, and its
    # PaymentSucceeded was not delivered yet (a worker that is behind, say).
    order = place((make_product(), 1))
    first = payments.charge(
        reference=f"order-{order.id}",
        amount=order.total,
        idempotency_key=f"order-{order.id}:first",
        payment_method="test_ok",
    )

    with pytest.raises(api.OrderNotPayable, match="is paid already"):
        pay(order, key="second")

    stored = Order.objects.get(pk=order.id)
    assert (stored.status, stored.payment_id) == (Order.Status.PAID, first.id)
    assert len(gateway.charges()) == 1
