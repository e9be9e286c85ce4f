from decimal import Decimal

from django.db import IntegrityError, transaction
from modular_monolith.events import publish

from . import gateways
from .errors import AlreadyPaid, IdempotencyKeyReused, InvalidPayment
from .events import PaymentFailed, PaymentSucceeded
from .models import Payment

MAX_AMOUNT = Decimal("9999999999.99")  # Payment.amount: 12 digits, 2 of them decimals


@transaction.atomic
def payment_charge(
    *, reference: str, amount: Decimal, idempotency_key: str, payment_method: str
) -> Payment:
    """Charge ``amount`` for ``reference`` exactly once per idempotency key.

    A key seen before returns its payment without reaching the gateway. A
    reference that has a successful payment is never charged again, whatever
    the key. The payment row is claimed first and the gateway called inside
    the same transaction: a racing request with the same key or reference
    blocks on the row's unique index until this one commits, then sees its
    outcome instead of charging a second time.
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

    payment, claimed = _payment_claim(
        reference=reference,
        amount=amount,
        idempotency_key=idempotency_key,
        payment_method=payment_method,
    )
    if not claimed:
        return payment

    result = gateway.charge(
        amount=amount, payment_method=payment_method, idempotency_key=idempotency_key
    )
    if result.succeeded:
        payment.status = Payment.Status.SUCCEEDED
        payment.gateway_transaction_id = result.transaction_id
        event: PaymentSucceeded | PaymentFailed = PaymentSucceeded(
            payment_id=payment.pk, reference=reference, amount=amount
        )
    else:
        payment.status = Payment.Status.FAILED
        payment.failure_reason = result.decline_reason
        event = PaymentFailed(
            payment_id=payment.pk, reference=reference, amount=amount, reason=result.decline_reason
        )
    payment.save(update_fields=["status", "gateway_transaction_id", "failure_reason"])
    publish(event)
    return payment


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


def _payment_claim(
    *, reference: str, amount: Decimal, idempotency_key: str, payment_method: str
) -> tuple[Payment, bool]:
    """Insert a pending payment; return it and True, or the earlier payment for the key and False."""
    earlier = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if earlier is None:
        if Payment.objects.filter(reference=reference, status=Payment.Status.SUCCEEDED).exists():
            raise AlreadyPaid(f"{reference} is paid already.")
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    reference=reference,
                    amount=amount,
                    idempotency_key=idempotency_key,
                    payment_method=payment_method,
                )
            return payment, True
        except IntegrityError:
            # A concurrent request claimed the key or the reference and has committed by now.
            earlier = Payment.objects.filter(idempotency_key=idempotency_key).first()
            if earlier is None:
                raise AlreadyPaid(f"{reference} is paid already.") from None
    if earlier.reference != reference or earlier.amount != amount:
        raise IdempotencyKeyReused("This idempotency key was used for a different payment.")
    return earlier, False
