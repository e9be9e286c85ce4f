"""Settling payments: recording the gateway's answer, and reconciling those left pending.

A payment stays pending when its request died after calling the gateway, or the
gateway's answer never came. Reconciliation asks the gateway what became of its
idempotency key and records that, publishing the event nobody published. The
event worker does it every minute (``jobs.py``); ``manage.py reconcile_payments``
does it on demand.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from modular_monolith.events import publish

from . import gateways, selectors
from .events import PaymentFailed, PaymentSucceeded
from .models import Payment

logger = logging.getLogger(__name__)

# A request on its way to the gateway gets there well within this (its own timeout is
# much shorter), so a payment pending longer, unknown to the gateway, was never charged.
PENDING_TIMEOUT = timedelta(minutes=5)
NEVER_CHARGED = "The payment never reached the gateway."


def payment_record_outcome(*, payment: Payment, result: gateways.GatewayResult) -> Payment:
    """Store the gateway's answer for a pending payment and publish its event, exactly once.

    A conditional update: of two requests recording the same payment, one writes
    and publishes; the other finds the payment settled and returns it as stored.
    """
    if result.succeeded:
        settled = {
            "status": Payment.Status.SUCCEEDED,
            "gateway_transaction_id": result.transaction_id,
        }
    else:
        settled = {"status": Payment.Status.FAILED, "failure_reason": result.decline_reason}
    with transaction.atomic():
        recorded = Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
            **settled
        )
        if recorded:
            for field, value in settled.items():
                setattr(payment, field, value)
            publish(outcome_event(payment))
            return payment
    payment.refresh_from_db()
    if (payment.status == Payment.Status.SUCCEEDED) != result.succeeded:
        # Only if a payment was given up as never charged, and the gateway charged it after all.
        logger.error(
            "Payment %s is %s, but the gateway says it %s: settle it by hand.",
            payment.pk,
            payment.status,
            "succeeded" if result.succeeded else "failed",
        )
    return payment


def payment_settle(payment: Payment) -> Payment:
    """Ask the gateway what became of a pending payment, record it, and return the payment.

    A payment the gateway never received is failed once it has been pending
    longer than ``PENDING_TIMEOUT``, when no request can still be on its way;
    before that it stays pending. Raises ``gateways.GatewayTimeout``.
    """
    attempted_at = payment.attempted_at
    result = gateways.active_gateway().find_charge(idempotency_key=payment.idempotency_key)
    if result is not None:
        return payment_record_outcome(payment=payment, result=result)
    if attempted_at > timezone.now() - PENDING_TIMEOUT:
        return payment
    with transaction.atomic():
        # Unless a retry set out for the gateway since we read it (it moved attempted_at).
        given_up = Payment.objects.filter(
            pk=payment.pk, status=Payment.Status.PENDING, attempted_at=attempted_at
        ).update(status=Payment.Status.FAILED, failure_reason=NEVER_CHARGED)
        if given_up:
            payment.status, payment.failure_reason = Payment.Status.FAILED, NEVER_CHARGED
            publish(outcome_event(payment))
            return payment
    payment.refresh_from_db()
    return payment


def payments_reconcile(*, older_than: timedelta = PENDING_TIMEOUT) -> list[Payment]:
    """Settle the payments pending for longer than ``older_than``; return them as they end.

    One the gateway cannot be asked about now (it times out) is left pending for
    the next run, and logged.
    """
    settled = []
    for payment in selectors.payments_pending(older_than=older_than):
        try:
            settled.append(payment_settle(payment))
        except gateways.GatewayTimeout:
            logger.warning("The gateway did not answer about payment %s.", payment.pk)
            settled.append(payment)
    return settled


def outcome_event(payment: Payment) -> PaymentSucceeded | PaymentFailed:
    """The event that announces a settled payment."""
    if payment.status == Payment.Status.SUCCEEDED:
        return PaymentSucceeded(
            payment_id=payment.pk, reference=payment.reference, amount=payment.amount
        )
    return PaymentFailed(
        payment_id=payment.pk,
        reference=payment.reference,
        amount=payment.amount,
        reason=payment.failure_reason,
    )
