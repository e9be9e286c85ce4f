"""What payments has the event worker do on a schedule."""

from datetime import timedelta

from modular_monolith.jobs import every

from .settlement import payments_reconcile

# Often enough that a payment left pending settles soon after it goes stale
# (settlement.PENDING_TIMEOUT); each run costs one query when nothing is stale.
RECONCILE_EVERY = timedelta(minutes=1)


@every(RECONCILE_EVERY)
def reconcile_stale_payments() -> None:
    """Settle the payments a crash or a gateway timeout left pending."""
    payments_reconcile()
