"""payments.api.charge under concurrent requests: nobody is charged twice (PostgreSQL only).

SQLite serialises writers on one database lock, so only PostgreSQL shows whether
the unique indexes on ``Payment`` really stop a second charge. The gateway takes
0.2 s to answer, with the pending payment committed and no transaction open: the
other requests arrive meanwhile. What is counted is the charges the gateway made
(its own ledger), not the requests that reached it.
"""

from decimal import Decimal

import pytest

from modules.payments import api
from modules.payments.events import PaymentSucceeded
from modules.payments.models import Payment
from tests.concurrency import run_concurrently

from .fakes import RecordingGateway

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CALLERS = 8


def charge(*, reference: str, idempotency_key: str) -> api.PaymentDTO:
    return api.charge(
        reference=reference,
        amount=Decimal("12.50"),
        idempotency_key=idempotency_key,
        payment_method="test_ok",
    )


def test_concurrent_charges_with_the_same_key_charge_once_and_share_the_payment(
    slow_gateway: RecordingGateway, published: list[object]
) -> None:
    outcomes = run_concurrently(
        [lambda: charge(reference="invoice-1", idempotency_key="retry-me")] * CALLERS
    )

    assert [outcome.error for outcome in outcomes] == [None] * CALLERS
    payment = Payment.objects.get()  # exactly one row
    assert {outcome.result for outcome in outcomes} == {
        api.PaymentDTO(
            id=payment.pk,
            reference="invoice-1",
            amount=Decimal("12.50"),
            status="succeeded",
            failure_reason="",
        )
    }
    assert len(slow_gateway.charges()) == 1  # however many of the 8 asked it
    assert slow_gateway.called_in_transaction == [False] * len(slow_gateway.calls)
    assert published == [
        PaymentSucceeded(payment_id=payment.pk, reference="invoice-1", amount=Decimal("12.50"))
    ]


def test_two_tabs_paying_the_same_reference_with_different_keys_charge_once(
    slow_gateway: RecordingGateway,
) -> None:
    outcomes = run_concurrently(
        [
            lambda: charge(reference="invoice-1", idempotency_key="tab-1"),
            lambda: charge(reference="invoice-1", idempotency_key="tab-2"),
        ]
    )

    paid = [outcome for outcome in outcomes if outcome.error is None]
    refused = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(paid) == 1
    assert len(refused) == 1
    # The other tab found the first payment pending, the gateway not having answered yet.
    assert isinstance(refused[0], api.PaymentInProgress)
    assert paid[0].result is not None
    assert paid[0].result.status == "succeeded"
    assert list(Payment.objects.values_list("pk", "status")) == [
        (paid[0].result.id, Payment.Status.SUCCEEDED)
    ]
    assert len(slow_gateway.charges()) == 1
    assert len(slow_gateway.calls) == 1
