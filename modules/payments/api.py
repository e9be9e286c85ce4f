"""The public interface of the payments module."""

from dataclasses import dataclass
from decimal import Decimal

from . import selectors, services
from .errors import (
    AlreadyPaid,
    IdempotencyKeyReused,
    InvalidPayment,
    PaymentNotFound,
    PaymentsError,
)
from .models import Payment

__all__ = [
    "AlreadyPaid",
    "IdempotencyKeyReused",
    "InvalidPayment",
    "PaymentDTO",
    "PaymentNotFound",
    "PaymentsError",
    "charge",
    "get_payment",
]


@dataclass(frozen=True, kw_only=True)
class PaymentDTO:
    id: int
    reference: str
    amount: Decimal
    status: str  # "succeeded" or "failed"
    failure_reason: str


def charge(
    *, reference: str, amount: Decimal, idempotency_key: str, payment_method: str
) -> PaymentDTO:
    """Charge ``amount`` for ``reference``; publish ``PaymentSucceeded`` or ``PaymentFailed``.

    Calling again with the same ``idempotency_key`` returns the first payment
    and charges nothing. Raises ``AlreadyPaid`` if ``reference`` has been paid
    with another key, ``IdempotencyKeyReused`` if the key was used for another
    reference or amount, and ``InvalidPayment`` for bad input.
    """
    return _to_dto(
        services.payment_charge(
            reference=reference,
            amount=amount,
            idempotency_key=idempotency_key,
            payment_method=payment_method,
        )
    )


def get_payment(payment_id: int) -> PaymentDTO:
    """Return one payment, or raise ``PaymentNotFound``."""
    return _to_dto(selectors.payment_get(payment_id=payment_id))


def _to_dto(payment: Payment) -> PaymentDTO:
    return PaymentDTO(
        id=payment.pk,
        reference=payment.reference,
        amount=payment.amount,
        status=payment.status,
        failure_reason=payment.failure_reason,
    )
