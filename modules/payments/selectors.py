from .errors import PaymentNotFound
from .models import Payment


def payment_get(*, payment_id: int) -> Payment:
    try:
        return Payment.objects.get(pk=payment_id)
    except Payment.DoesNotExist:
        raise PaymentNotFound(f"Payment {payment_id} does not exist.") from None
