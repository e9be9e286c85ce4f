"""Payments left pending by a crash or a timeout, and how they are settled.

A payment is committed as pending before the gateway is called; these tests
leave it pending on purpose, then settle it with a retry or with
``manage.py reconcile_payments``, which asks the gateway by idempotency key.
"""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from modular_monolith.testing import DeliverEvents

from modules.payments import api
from modules.payments.events import PaymentFailed, PaymentSucceeded
from modules.payments.models import Payment
from modules.payments.settlement import NEVER_CHARGED, PENDING_TIMEOUT, payment_settle

from .fakes import ProcessDied, RecordingGateway, UseGateway

pytestmark = pytest.mark.django_db


def charge(*, idempotency_key: str = "key-1") -> api.PaymentDTO:
    return api.charge(
        reference="invoice-1",
        amount=Decimal("12.50"),
        idempotency_key=idempotency_key,
        payment_method="test_ok",
    )


def reconcile(*options: str) -> str:
    output = StringIO()
    call_command("reconcile_payments", *options, stdout=output)
    return output.getvalue()


def died_before_the_gateway(
    *, idempotency_key: str = "key-1", reference: str = "invoice-1", ago: timedelta
) -> Payment:
    """A payment its request committed as pending, ``ago``, then died before calling the gateway."""
    return Payment.objects.create(
        reference=reference,
        amount=Decimal("12.50"),
        payment_method="test_ok",
        idempotency_key=idempotency_key,
        attempted_at=timezone.now() - ago,
    )


def charged_but_the_answer_timed_out(use_gateway: UseGateway) -> RecordingGateway:
    """A charge the gateway made while its answer was lost; returns the gateway, answering again."""
    use_gateway(times_out=True)
    with pytest.raises(api.PaymentsUnavailable):
        charge()
    return use_gateway()


def never_charged(payment: Payment) -> PaymentFailed:
    """The event of a payment given up because the gateway never received it."""
    return PaymentFailed(
        payment_id=payment.pk,
        reference=payment.reference,
        amount=payment.amount,
        reason=NEVER_CHARGED,
    )


STALE = PENDING_TIMEOUT + timedelta(seconds=1)


def test_a_gateway_timeout_leaves_the_payment_pending_and_is_payments_unavailable(
    use_gateway: UseGateway, published: list[object]
) -> None:
    gateway = use_gateway(times_out=True)

    with pytest.raises(api.PaymentsUnavailable, match="same Idempotency-Key"):
        charge()

    assert Payment.objects.get().status == Payment.Status.PENDING
    assert len(gateway.charges()) == 1  # the answer was lost, not the charge
    assert published == []


def test_a_retry_with_the_same_key_asks_the_gateway_again_and_records_the_first_outcome(
    use_gateway: UseGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    use_gateway(dies_after_charging=True)
    with pytest.raises(ProcessDied):
        charge()
    gateway = use_gateway()

    with deliver_events():
        payment = charge()

    assert payment.status == "succeeded"
    assert len(gateway.calls) == 1  # asked again: it answered with the first charge
    assert len(gateway.charges()) == 1
    assert published == [
        PaymentSucceeded(payment_id=payment.id, reference="invoice-1", amount=Decimal("12.50"))
    ]


def test_a_new_key_while_another_keys_payment_is_on_its_way_is_in_progress(
    gateway: RecordingGateway,
) -> None:
    died_before_the_gateway(idempotency_key="tab-1", ago=timedelta(seconds=1))

    with pytest.raises(api.PaymentInProgress):
        charge(idempotency_key="tab-2")

    assert gateway.calls == []
    assert list(Payment.objects.values_list("idempotency_key", "status")) == [
        ("tab-1", Payment.Status.PENDING)
    ]


def test_a_new_key_after_a_payment_that_never_reached_the_gateway_gives_it_up_and_charges(
    gateway: RecordingGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    abandoned = died_before_the_gateway(idempotency_key="tab-1", ago=STALE)

    with deliver_events():
        payment = charge(idempotency_key="tab-2")

    assert payment.status == "succeeded"
    assert [charge.idempotency_key for charge in gateway.charges()] == ["tab-2"]
    assert published == [
        never_charged(abandoned),
        PaymentSucceeded(payment_id=payment.id, reference="invoice-1", amount=Decimal("12.50")),
    ]


def test_reconciliation_records_what_the_gateway_charged_and_publishes_the_event(
    use_gateway: UseGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    gateway = charged_but_the_answer_timed_out(use_gateway)

    with deliver_events():
        output = reconcile("--older-than", "0")

    payment = Payment.objects.get()
    assert payment.status == Payment.Status.SUCCEEDED
    assert output == f"{payment.pk}\tinvoice-1\tsucceeded\nReconciled 1 pending payment(s).\n"
    assert gateway.calls == []  # asked by key, not charged again
    assert len(gateway.charges()) == 1
    assert published == [
        PaymentSucceeded(payment_id=payment.pk, reference="invoice-1", amount=Decimal("12.50"))
    ]


def test_the_event_worker_reconciles_stale_payments_on_its_schedule(
    use_gateway: UseGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    gateway = charged_but_the_answer_timed_out(use_gateway)
    Payment.objects.update(attempted_at=timezone.now() - STALE)

    with deliver_events():
        call_command("process_events", "--once", stdout=StringIO())

    payment = Payment.objects.get()
    assert payment.status == Payment.Status.SUCCEEDED
    assert len(gateway.charges()) == 1
    assert published == [
        PaymentSucceeded(payment_id=payment.pk, reference="invoice-1", amount=Decimal("12.50"))
    ]


def test_reconciliation_leaves_a_recent_payment_unknown_to_the_gateway_pending(
    gateway: RecordingGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    died_before_the_gateway(ago=timedelta(seconds=1))

    with deliver_events():
        reconcile("--older-than", "0")

    assert Payment.objects.get().status == Payment.Status.PENDING  # it may be on its way
    assert published == []


def test_reconciliation_fails_a_payment_that_never_reached_the_gateway_once_stale(
    gateway: RecordingGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    payment = died_before_the_gateway(ago=STALE)

    with deliver_events():
        reconcile()

    stored = Payment.objects.get()
    assert (stored.status, stored.failure_reason) == (Payment.Status.FAILED, NEVER_CHARGED)
    assert gateway.charges() == []
    assert published == [never_charged(payment)]


def test_reconciliation_does_not_give_up_a_payment_a_retry_is_taking_to_the_gateway(
    gateway: RecordingGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    read_before_the_retry = died_before_the_gateway(ago=STALE)
    Payment.objects.update(attempted_at=timezone.now())  # a retry with the key sets out

    with deliver_events():
        settled = payment_settle(read_before_the_retry)

    assert settled.status == Payment.Status.PENDING
    assert published == []


def test_reconcile_list_shows_the_stale_pending_payments_and_changes_nothing(
    gateway: RecordingGateway,
) -> None:
    stale = died_before_the_gateway(idempotency_key="old", reference="invoice-0", ago=STALE)
    died_before_the_gateway(idempotency_key="new", ago=timedelta(seconds=1))

    output = reconcile("--list")

    assert output == (
        f"{stale.pk}\tinvoice-0\t12.50\tpending since {stale.attempted_at.isoformat()}\n"
    )
    assert set(Payment.objects.values_list("status", flat=True)) == {Payment.Status.PENDING}


@pytest.mark.django_db(transaction=True)
def test_the_gateway_is_called_with_no_transaction_open(gateway: RecordingGateway) -> None:
    charge()

    assert gateway.called_in_transaction == [False]
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
