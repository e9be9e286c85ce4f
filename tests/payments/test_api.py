"""payments.api: charging exactly once per idempotency key, and what it announces."""

import dataclasses
from decimal import Decimal

import pytest
from django.db import models
from modular_monolith.testing import DeliverEvents

from modules.payments import api
from modules.payments.events import PaymentFailed, PaymentSucceeded
from modules.payments.models import Payment

from .fakes import GatewayCall, RecordingGateway

pytestmark = pytest.mark.django_db


def charge(
    *,
    reference: str = "invoice-1",
    amount: str = "12.50",
    idempotency_key: str = "key-1",
    payment_method: str = "test_ok",
) -> api.PaymentDTO:
    return api.charge(
        reference=reference,
        amount=Decimal(amount),
        idempotency_key=idempotency_key,
        payment_method=payment_method,
    )


def test_test_ok_succeeds_and_publishes_payment_succeeded(
    gateway: RecordingGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    with deliver_events():
        payment = charge(reference="invoice-1", amount="12.50", idempotency_key="key-1")

    assert payment == api.PaymentDTO(
        id=payment.id,
        reference="invoice-1",
        amount=Decimal("12.50"),
        status="succeeded",
        failure_reason="",
    )
    assert published == [
        PaymentSucceeded(payment_id=payment.id, reference="invoice-1", amount=Decimal("12.50"))
    ]
    assert gateway.calls == [
        GatewayCall(amount=Decimal("12.50"), payment_method="test_ok", idempotency_key="key-1")
    ]
    stored = Payment.objects.get()
    assert (stored.pk, stored.status, stored.gateway_transaction_id) == (
        payment.id,
        Payment.Status.SUCCEEDED,
        "fake_key-1",
    )


def test_test_declined_fails_and_publishes_payment_failed(
    gateway: RecordingGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    with deliver_events():
        payment = charge(payment_method="test_declined")

    assert (payment.status, payment.failure_reason) == ("failed", "The card was declined.")
    assert published == [
        PaymentFailed(
            payment_id=payment.id,
            reference="invoice-1",
            amount=Decimal("12.50"),
            reason="The card was declined.",
        )
    ]
    assert Payment.objects.get().status == Payment.Status.FAILED
    assert len(gateway.calls) == 1


@pytest.mark.in_process_only
def test_events_wait_for_the_transaction_to_commit(
    gateway: RecordingGateway, published: list[object]
) -> None:
    charge()  # the test's transaction never commits

    assert published == []


def test_unknown_payment_method_is_invalid_and_nothing_is_stored(
    gateway: RecordingGateway,
) -> None:
    with pytest.raises(api.InvalidPayment, match="Unknown payment method 'bitcoin'"):
        charge(payment_method="bitcoin")

    assert not Payment.objects.exists()
    assert gateway.calls == []


@pytest.mark.parametrize("amount", ["0", "0.00", "-5.00"])
def test_non_positive_amount_is_invalid_and_nothing_is_stored(
    gateway: RecordingGateway, amount: str
) -> None:
    with pytest.raises(api.InvalidPayment, match="must be positive"):
        charge(amount=amount)

    assert not Payment.objects.exists()
    assert gateway.calls == []


@pytest.mark.parametrize("amount", ["0.001", "12.505", "10000000000.00"])
def test_amount_the_ledger_cannot_hold_exactly_is_invalid(
    gateway: RecordingGateway, amount: str
) -> None:
    # Stored rounded, a retry with the same key would no longer match the payment.
    with pytest.raises(api.InvalidPayment, match="at most two decimals"):
        charge(amount=amount)

    assert not Payment.objects.exists()
    assert gateway.calls == []


@pytest.mark.parametrize("reference", ["", "r" * 101])
def test_empty_or_too_long_reference_is_invalid(gateway: RecordingGateway, reference: str) -> None:
    with pytest.raises(api.InvalidPayment, match="reference"):
        charge(reference=reference)

    assert not Payment.objects.exists()
    assert gateway.calls == []


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_empty_or_too_long_idempotency_key_is_invalid(gateway: RecordingGateway, key: str) -> None:
    with pytest.raises(api.InvalidPayment, match="idempotency key"):
        charge(idempotency_key=key)

    assert not Payment.objects.exists()
    assert gateway.calls == []


def test_longest_reference_and_idempotency_key_are_accepted(gateway: RecordingGateway) -> None:
    payment = charge(reference="r" * 100, idempotency_key="k" * 255)

    assert payment.status == "succeeded"
    assert Payment.objects.get().idempotency_key == "k" * 255


def test_same_idempotency_key_returns_the_same_payment_and_charges_once(
    gateway: RecordingGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    with deliver_events():
        first = charge(idempotency_key="key-1")
    with deliver_events():
        again = charge(idempotency_key="key-1", amount="12.5")  # the same amount, written shorter

    assert again == first
    assert len(gateway.calls) == 1
    assert Payment.objects.count() == 1
    assert [type(event) for event in published] == [PaymentSucceeded]


def test_same_idempotency_key_after_a_decline_returns_the_declined_payment(
    gateway: RecordingGateway,
) -> None:
    first = charge(idempotency_key="key-1", payment_method="test_declined")
    again = charge(idempotency_key="key-1", payment_method="test_declined")

    assert again.id == first.id
    assert again.status == "failed"
    assert len(gateway.calls) == 1


@pytest.mark.parametrize(
    "changed", [{"reference": "invoice-2"}, {"amount": "99.00"}], ids=["reference", "amount"]
)
def test_idempotency_key_reused_for_a_different_payment_is_refused(
    gateway: RecordingGateway, changed: dict[str, str]
) -> None:
    first = charge(reference="invoice-1", amount="12.50", idempotency_key="key-1")

    with pytest.raises(api.IdempotencyKeyReused):
        charge(
            **{"reference": "invoice-1", "amount": "12.50", "idempotency_key": "key-1", **changed}
        )

    assert list(Payment.objects.values_list("pk", flat=True)) == [first.id]
    assert len(gateway.calls) == 1


def test_reference_with_a_succeeded_payment_cannot_be_charged_with_a_new_key(
    gateway: RecordingGateway,
) -> None:
    first = charge(reference="invoice-1", idempotency_key="key-1")

    with pytest.raises(api.AlreadyPaid, match="invoice-1 is paid already"):
        charge(reference="invoice-1", idempotency_key="key-2")

    assert list(Payment.objects.values_list("pk", flat=True)) == [first.id]
    assert len(gateway.calls) == 1


@pytest.mark.in_process_only  # the first charge's event waits for a commit that never comes
def test_reference_whose_payment_failed_can_be_charged_again_with_a_new_key(
    gateway: RecordingGateway, published: list[object], deliver_events: DeliverEvents
) -> None:
    declined = charge(idempotency_key="key-1", payment_method="test_declined")
    with deliver_events():
        retried = charge(idempotency_key="key-2", payment_method="test_ok")

    assert retried.id != declined.id
    assert retried.status == "succeeded"
    assert [call.idempotency_key for call in gateway.calls] == ["key-1", "key-2"]
    assert dict(Payment.objects.values_list("idempotency_key", "status")) == {
        "key-1": Payment.Status.FAILED,
        "key-2": Payment.Status.SUCCEEDED,
    }
    assert published == [
        PaymentSucceeded(payment_id=retried.id, reference="invoice-1", amount=Decimal("12.50"))
    ]


def test_charge_returns_a_frozen_dataclass_never_a_model(gateway: RecordingGateway) -> None:
    payment = charge()

    assert type(payment) is api.PaymentDTO
    assert dataclasses.is_dataclass(payment)
    assert not isinstance(payment, models.Model)
    with pytest.raises(dataclasses.FrozenInstanceError):
        payment.status = "failed"  # type: ignore[misc]


def test_get_payment_returns_the_stored_payment(gateway: RecordingGateway) -> None:
    payment = charge(amount="7.5")

    assert api.get_payment(payment.id) == payment


def test_get_payment_of_an_unknown_id_is_not_found() -> None:
    with pytest.raises(api.PaymentNotFound):
        api.get_payment(404)
