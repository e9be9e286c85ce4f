"""The public interface of the payments module.

Errors, all ``PaymentsError``: ``InvalidPayment`` (400), ``PaymentNotFound`` (404),
``IdempotencyKeyReused``, ``AlreadyPaid``, ``PaymentInProgress`` and
``PaymentsUnavailable`` (409).
"""

from dataclasses import dataclass
from decimal import Decimal

from modular_monolith.remote import idempotent

from . import selectors, services
from .errors import (
    AlreadyPaid,
    IdempotencyKeyReused,
    InvalidPayment,
    PaymentInProgress,
    PaymentNotFound,
    PaymentsError,
    PaymentsUnavailable,
)
from .models import Payment

__all__ = [
    "AlreadyPaid",
    "IdempotencyKeyReused",
    "InvalidPayment",
    "PaymentDTO",
    "PaymentInProgress",
    "PaymentNotFound",
    "PaymentsError",
    "PaymentsUnavailable",
    "charge",
    "find_open_payment",
    "get_payment",
]


@dataclass(frozen=True, kw_only=True)
class PaymentDTO:
    id: int
    reference: str
    amount: Decimal
    status: str  # "pending" (the gateway's answer is not recorded yet), "succeeded" or "failed"
    failure_reason: str


@idempotent  # by its idempotency key: a remote call is retried with the same key
def charge(
    *, reference: str, amount: Decimal, idempotency_key: str, payment_method: str
) -> PaymentDTO:
    """Charge ``amount`` for ``reference``; publish ``PaymentSucceeded`` or ``PaymentFailed``.

    Call it outside any transaction: the payment is stored as pending and
    committed, the gateway called with no transaction open, and its answer
    recorded in a second transaction; the result is "succeeded" or "failed".
    Calling again with the same ``idempotency_key`` returns the first payment
    and charges nothing more, even after a crash. Raises ``InvalidPayment`` for
    bad input; ``IdempotencyKeyReused`` if the key was used for another
    reference or amount; ``AlreadyPaid`` if ``reference`` has been paid with
    another key; ``PaymentInProgress`` while another key's payment for it is
    under way; ``PaymentsUnavailable`` if the gateway did not answer (the
    payment stays pending: retry with the same key, or let reconciliation
    settle it).
    """
    return _to_dto(
        services.payment_charge(
            reference=reference,
            amount=amount,
            idempotency_key=idempotency_key,
            payment_method=payment_method,
        )
    )


@idempotent
def get_payment(payment_id: int) -> PaymentDTO:
    """Return one payment, or raise ``PaymentNotFound``."""
    return _to_dto(selectors.payment_get(payment_id=payment_id))


@idempotent
def find_open_payment(*, reference: str) -> PaymentDTO | None:
    """Return the reference's pending or succeeded payment (at most one exists), or None."""
    payment = selectors.payment_open_for(reference=reference)
    return None if payment is None else _to_dto(payment)


def _to_dto(payment: Payment) -> PaymentDTO:
    return PaymentDTO(
        id=payment.pk,
        reference=payment.reference,
        amount=payment.amount,
        status=payment.status,
        failure_reason=payment.failure_reason,
    )
