"""Events published by the payments module."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, kw_only=True)
class PaymentSucceeded:
    """The gateway took the money for ``reference``."""

    payment_id: int
    reference: str
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class PaymentFailed:
    """The gateway declined the payment for ``reference``; it may be tried again."""

    payment_id: int
    reference: str
    amount: Decimal
    reason: str
