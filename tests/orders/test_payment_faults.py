"""Paying an order through crashes, timeouts and races: one charge, and the order paid.

Each test commits for real (PostgreSQL, ``transaction=True``), so that what
payments commits before calling the gateway stays committed when the process
"dies" (``ProcessDied``, raised right after the gateway charged) or the gateway's
answer is lost (a timeout). The gateway's ledger is its own SQLite file, which
no rollback touches: ``gateway.charges()`` counts the money taken. Events are
delivered right after each commit (``EVENTS_DELIVERY=immediate``), as in the
web process.
"""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command

from modules.orders import api
from modules.orders.events import OrderPaid
from modules.orders.models import Order
from modules.payments.events import PaymentSucceeded
from modules.payments.models import Payment
from modules.products.models import Product
from modules.users.api import UserDTO
from tests.concurrency import run_concurrently
from tests.payments.fakes import ProcessDied, UseGateway

from .conftest import PlaceOrder

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mug(make_product: Callable[..., Product]) -> Product:
    return make_product(price="8.00", stock=5)


@pytest.fixture
def order(place: PlaceOrder, mug: Product) -> api.OrderDTO:
    return place((mug, 1))


def pay(order: api.OrderDTO, *, key: str) -> api.PaymentAttemptDTO:
    return api.pay_order(
        order.id, customer_id=order.customer_id, payment_method="test_ok", idempotency_key=key
    )


def cancel(order: api.OrderDTO) -> api.OrderDTO:
    return api.cancel_order(order.id, customer_id=order.customer_id)


def order_status(order: api.OrderDTO) -> str:
    return Order.objects.get(pk=order.id).status


def payments_of(order: api.OrderDTO) -> list[tuple[str, str]]:
    """(idempotency key, status) of the order's payments, oldest first."""
    return list(
        Payment.objects.filter(reference=f"order-{order.id}")
        .order_by("id")
        .values_list("idempotency_key", "status")
    )


def paid_events(order: api.OrderDTO, customer: UserDTO) -> list[object]:
    """The events of the order's one successful payment: payments', then orders'."""
    payment = Payment.objects.get(reference=f"order-{order.id}", status="succeeded")
    return [
        PaymentSucceeded(payment_id=payment.pk, reference=f"order-{order.id}", amount=order.total),
        OrderPaid(
            order_id=order.id, customer_id=customer.id, total=order.total, payment_id=payment.pk
        ),
    ]


def test_a_crash_after_the_charge_then_a_retry_with_the_same_key_charges_once(
    use_gateway: UseGateway, order: api.OrderDTO, customer: UserDTO, published: list[object]
) -> None:
    use_gateway(dies_after_charging=True)
    with pytest.raises(ProcessDied):
        pay(order, key="checkout")

    # The charge happened; nothing recorded it, but nothing was lost either.
    assert order_status(order) == "payment_in_progress"
    assert payments_of(order) == [(f"order-{order.id}:checkout", "pending")]
    assert published == []

    gateway = use_gateway()  # the process restarts; the gateway remembers
    attempt = pay(order, key="checkout")

    assert attempt.status == "succeeded"
    assert len(gateway.charges()) == 1
    assert gateway.called_in_transaction == [False]
    assert payments_of(order) == [(f"order-{order.id}:checkout", "succeeded")]
    assert order_status(order) == "paid"
    assert published == paid_events(order, customer)


def test_a_crash_after_the_charge_then_a_retry_with_a_new_key_charges_once(
    use_gateway: UseGateway, order: api.OrderDTO, customer: UserDTO, published: list[object]
) -> None:
    use_gateway(dies_after_charging=True)
    with pytest.raises(ProcessDied):
        pay(order, key="first-tab")

    gateway = use_gateway()
    # Payments finds the order's pending payment, learns from the gateway that it was
    # charged and records it; the new key is refused, since the order is paid.
    with pytest.raises(api.OrderNotPayable, match="is paid already"):
        pay(order, key="second-tab")

    assert len(gateway.charges()) == 1
    assert gateway.calls == []
    assert payments_of(order) == [(f"order-{order.id}:first-tab", "succeeded")]
    assert order_status(order) == "paid"
    assert published == paid_events(order, customer)


def test_a_gateway_timeout_is_settled_by_reconciliation(
    use_gateway: UseGateway, order: api.OrderDTO, customer: UserDTO, published: list[object]
) -> None:
    use_gateway(times_out=True)
    with pytest.raises(api.PaymentsUnavailable):
        pay(order, key="checkout")

    assert order_status(order) == "payment_in_progress"
    assert payments_of(order) == [(f"order-{order.id}:checkout", "pending")]
    with pytest.raises(api.OrderNotCancellable, match="payment under way"):
        cancel(order)

    gateway = use_gateway()
    output = StringIO()
    call_command("reconcile_payments", "--older-than", "0", stdout=output)

    assert "Reconciled 1 pending payment(s)." in output.getvalue()
    assert len(gateway.charges()) == 1  # the charge the lost answer was about
    assert gateway.calls == []
    assert payments_of(order) == [(f"order-{order.id}:checkout", "succeeded")]
    assert order_status(order) == "paid"
    assert published == paid_events(order, customer)


def test_two_tabs_paying_one_order_with_different_keys_charge_once(
    use_gateway: UseGateway, order: api.OrderDTO, customer: UserDTO, published: list[object]
) -> None:
    gateway = use_gateway(delay=0.2)

    outcomes = run_concurrently([lambda: pay(order, key="tab-1"), lambda: pay(order, key="tab-2")])

    paid = [outcome.result for outcome in outcomes if outcome.result is not None]
    refused = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert [attempt.status for attempt in paid] == ["succeeded"]
    # The other tab found the first payment pending, the gateway not having answered.
    assert len(refused) == 1
    assert isinstance(refused[0], api.PaymentInProgress)
    assert len(gateway.charges()) == 1
    assert gateway.called_in_transaction == [False]
    assert order_status(order) == "paid"
    assert Order.objects.get(pk=order.id).payment_id == paid[0].id
    assert published == paid_events(order, customer)


def test_a_cancel_while_the_gateway_charges_is_refused_and_the_order_ends_paid(
    use_gateway: UseGateway,
    order: api.OrderDTO,
    customer: UserDTO,
    mug: Product,
    published: list[object],
) -> None:
    # The cancel comes from another connection, as another request would, while the
    # pay request waits for the gateway: it is answered at once, since no lock is held.
    cancels = []
    gateway = use_gateway(
        while_charging=lambda: cancels.extend(run_concurrently([lambda: cancel(order)]))
    )

    attempt = pay(order, key="checkout")

    (cancelled,) = cancels
    assert isinstance(cancelled.error, api.OrderNotCancellable)
    assert attempt.status == "succeeded"
    assert len(gateway.charges()) == 1
    assert order_status(order) == "paid"
    assert Product.objects.get(pk=mug.pk).stock == 4
    assert published == paid_events(order, customer)


def test_pay_racing_cancel_either_pays_or_cancels_never_both(
    use_gateway: UseGateway, order: api.OrderDTO, customer: UserDTO, mug: Product
) -> None:
    gateway = use_gateway(delay=0.2)

    paying, cancelling = run_concurrently(
        [lambda: pay(order, key="checkout"), lambda: cancel(order)]
    )

    if cancelling.error is None:  # the cancel came first
        assert isinstance(paying.error, api.OrderNotPayable)
        assert gateway.charges() == []
        assert (order_status(order), Product.objects.get(pk=mug.pk).stock) == ("cancelled", 5)
    else:  # the payment claimed the order first
        assert isinstance(cancelling.error, api.OrderNotCancellable)
        assert paying.result is not None
        assert paying.result.status == "succeeded"
        assert len(gateway.charges()) == 1
        assert (order_status(order), Product.objects.get(pk=mug.pk).stock) == ("paid", 4)


def test_the_order_is_payment_in_progress_while_the_gateway_charges(
    use_gateway: UseGateway, order: api.OrderDTO
) -> None:
    seen = []
    use_gateway(while_charging=lambda: seen.extend(run_concurrently([lambda: order_status(order)])))

    pay(order, key="checkout")

    assert [outcome.result for outcome in seen] == ["payment_in_progress"]
    assert order_status(order) == "paid"


def test_a_decline_does_not_reopen_an_order_another_tab_claimed_meanwhile(
    use_gateway: UseGateway, order: api.OrderDTO
) -> None:
    # The other tab may have a payment on its way: cancelling must keep waiting for it.
    def other_tab_claims() -> None:
        run_concurrently([lambda: Order.objects.filter(pk=order.id).update(payment_key="tab-2")])

    use_gateway(while_charging=other_tab_claims)

    declined = api.pay_order(
        order.id,
        customer_id=order.customer_id,
        payment_method="test_declined",
        idempotency_key="tab-1",
    )

    assert declined.status == "failed"
    assert order_status(order) == "payment_in_progress"
