"""The payment gateway seam: a protocol, and the fake used in development and tests.

A real gateway (Stripe, Adyen...) implements ``PaymentGateway`` and should pass
the idempotency key on, so that a retry after a crash never charges twice.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True, kw_only=True)
class GatewayResult:
    succeeded: bool
    transaction_id: str = ""
    decline_reason: str = ""


class PaymentGateway(Protocol):
    def supports(self, payment_method: str) -> bool: ...

    def charge(
        self, *, amount: Decimal, payment_method: str, idempotency_key: str
    ) -> GatewayResult: ...


class FakeGateway:
    """Accepts ``test_ok``, declines ``test_declined``; no money moves."""

    METHODS = ("test_ok", "test_declined")

    def supports(self, payment_method: str) -> bool:
        return payment_method in self.METHODS

    def charge(
        self, *, amount: Decimal, payment_method: str, idempotency_key: str
    ) -> GatewayResult:
        if payment_method == "test_declined":
            return GatewayResult(succeeded=False, decline_reason="The card was declined.")
        return GatewayResult(succeeded=True, transaction_id=f"fake_{idempotency_key[:40]}")


def active_gateway() -> PaymentGateway:
    """Return the gateway to charge through. Tests replace this function to observe calls."""
    return FakeGateway()
