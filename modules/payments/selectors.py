from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .errors import PaymentNotFound
from .models import Payment


def payment_get(*, payment_id: int) -> Payment:
    try:
        return Payment.objects.get(pk=payment_id)
    except Payment.DoesNotExist:
        raise PaymentNotFound(f"Payment {payment_id} does not exist.") from None


def payment_open_for(*, reference: str) -> Payment | None:
    """The reference's payment that is pending or succeeded (there is at most one), if any."""
    return Payment.objects.filter(
        reference=reference, status__in=[Payment.Status.PENDING, Payment.Status.SUCCEEDED]
    ).first()


def payments_pending(*, older_than: timedelta) -> QuerySet[Payment]:
    """Payments pending since their last attempt more than ``older_than`` ago, oldest first."""
    return Payment.objects.filter(
        status=Payment.Status.PENDING, attempted_at__lt=timezone.now() - older_than
    ).order_by("attempted_at", "id")
