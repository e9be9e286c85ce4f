"""Charging: a pending payment committed first, the gateway called with no transaction open.

    1. store the payment as pending, and commit    (a short transaction)
    2. ask the gateway to charge, with the key     (no transaction, no lock)
    3. store its answer and publish the event      (a second short transaction)

A crash between 2 and 3 leaves the payment pending, never lost: a retry with the
same key asks the gateway again, and the gateway answers with the first outcome
without charging twice; if nobody retries, reconciliation (``settlement.py``,
``manage.py reconcile_payments``) asks the gateway what became of it.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import gateways, selectors
from .errors import (
    AlreadyPaid,
    IdempotencyKeyReused,
    InvalidPayment,
    PaymentInProgress,
    PaymentsUnavailable,
)
from .models import Payment
from .settlement import payment_record_outcome, payment_settle

MAX_AMOUNT = Decimal("9999999999.99")  # Payment.amount: 12 digits, 2 of them decimals


def payment_charge(
    *, reference: str, amount: Decimal, idempotency_key: str, payment_method: str
) -> Payment:
    """Charge ``amount`` for ``reference`` exactly once per idempotency key.

    Call it outside any transaction: the gateway is called in none. A key seen
    before returns its payment, settled, without a second charge. A reference
    is charged again only after its payments failed: one that succeeded is
    ``AlreadyPaid``, one still pending is ``PaymentInProgress``.
    """
    gateway = gateways.active_gateway()
    _validate(
        reference=reference,
        amount=amount,
        idempotency_key=idempotency_key,
        payment_method=payment_method,
    )
    if not gateway.supports(payment_method):
        raise InvalidPayment(f"Unknown payment method {payment_method!r}.")

    payment = _payment_open(
        reference=reference,
        amount=amount,
        idempotency_key=idempotency_key,
        payment_method=payment_method,
    )
    if payment.status != Payment.Status.PENDING:
        return payment
    try:
        result = gateway.charge(
            amount=amount, payment_method=payment.payment_method, idempotency_key=idempotency_key
        )
    except gateways.GatewayTimeout:
        raise PaymentsUnavailable(
            "The payment gateway did not answer. Retry with the same Idempotency-Key."
        ) from None
    return payment_record_outcome(payment=payment, result=result)


def _validate(
    *, reference: str, amount: Decimal, idempotency_key: str, payment_method: str
) -> None:
    # The limits of the Payment columns: what does not fit would fail to store on
    # PostgreSQL, or be rounded (and then no longer match a retry with the same key).
    if not 1 <= len(reference) <= 100:
        raise InvalidPayment("The reference must be 1 to 100 characters long.")
    if amount <= 0:
        raise InvalidPayment("The amount must be positive.")
    if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise InvalidPayment(
            f"The amount must have at most two decimals and be at most {MAX_AMOUNT}."
        )
    if not 1 <= len(idempotency_key) <= 255:
        raise InvalidPayment("The idempotency key must be 1 to 255 characters long.")


def _payment_open(
    *, reference: str, amount: Decimal, idempotency_key: str, payment_method: str
) -> Payment:
    """Return the key's payment, storing and committing a pending one for a new key.

    The unique index on the key, and the partial one allowing a reference one
    pending-or-succeeded payment, decide between racing requests: the loser of
    an insert finds the winner's payment.
    """
    for _ in range(2):  # a second try after another payment of the reference turned out failed
        earlier = Payment.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.reference != reference or earlier.amount != amount:
                raise IdempotencyKeyReused("This idempotency key was used for a different payment.")
            return _payment_retry(earlier)
        try:
            with transaction.atomic():
                return Payment.objects.create(
                    reference=reference,
                    amount=amount,
                    idempotency_key=idempotency_key,
                    payment_method=payment_method,
                )
        except IntegrityError:
            other = selectors.payment_open_for(reference=reference)
            if other is None or other.idempotency_key == idempotency_key:
                continue  # a racing request with the same key inserted it: read it above
            _refuse_while_open(other)
    raise PaymentInProgress(f"Another payment for {reference} is under way.")


def _payment_retry(payment: Payment) -> Payment:
    """Prepare to ask the gateway again for a payment still pending; return it.

    Marking the attempt keeps reconciliation from giving the payment up as never
    charged while this request is on its way to the gateway.
    """
    if payment.status == Payment.Status.PENDING:
        touched = Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
            attempted_at=timezone.now()
        )
        if not touched:
            payment.refresh_from_db()  # settled meanwhile
    return payment


def _refuse_while_open(other: Payment) -> None:
    """Raise unless ``other``, the reference's open payment, turns out to have failed."""
    if other.status == Payment.Status.PENDING:
        try:
            other = payment_settle(other)
        except gateways.GatewayTimeout:
            raise PaymentsUnavailable(
                "The payment gateway did not answer. Retry with the same Idempotency-Key."
            ) from None
    if other.status == Payment.Status.SUCCEEDED:
        raise AlreadyPaid(f"{other.reference} is paid already.")
    if other.status == Payment.Status.PENDING:
        raise PaymentInProgress(f"Another payment for {other.reference} is under way.")
