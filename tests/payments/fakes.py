"""A payment gateway for tests: the fake one, recording its charges."""

import threading
import time
from dataclasses import dataclass
from decimal import Decimal

from modules.payments import gateways


@dataclass(frozen=True, kw_only=True)
class GatewayCall:
    amount: Decimal
    payment_method: str
    idempotency_key: str


class RecordingGateway(gateways.FakeGateway):
    """The fake gateway, recording every charge; ``delay`` seconds long, to widen races."""

    def __init__(self, *, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[GatewayCall] = []
        self._lock = threading.Lock()  # charges may come from several threads

    def charge(
        self, *, amount: Decimal, payment_method: str, idempotency_key: str
    ) -> gateways.GatewayResult:
        with self._lock:
            self.calls.append(
                GatewayCall(
                    amount=amount, payment_method=payment_method, idempotency_key=idempotency_key
                )
            )
        time.sleep(self.delay)
        return super().charge(
            amount=amount, payment_method=payment_method, idempotency_key=idempotency_key
        )
