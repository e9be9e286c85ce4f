"""The payment gateway seam: a protocol, and the fake used in development and tests.

A gateway is a remote service: payments calls it with no database transaction
open, and it deduplicates by idempotency key, as real gateways (Stripe, Adyen...)
do. That is what makes a retry safe: after a crash, or an answer lost to a
timeout, asking again with the same key returns the first outcome and never
charges twice, and ``find_charge`` tells what became of a key.
"""

import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol


class GatewayTimeout(Exception):
    """The gateway did not answer in time: the charge may or may not have happened."""


@dataclass(frozen=True, kw_only=True)
class GatewayResult:
    succeeded: bool
    transaction_id: str = ""
    decline_reason: str = ""


class PaymentGateway(Protocol):
    def supports(self, payment_method: str) -> bool: ...

    def charge(
        self, *, amount: Decimal, payment_method: str, idempotency_key: str
    ) -> GatewayResult:
        """Charge once per key: a key seen before returns its first result.

        Raises ``GatewayTimeout`` when the answer does not come.
        """
        ...

    def find_charge(self, *, idempotency_key: str) -> GatewayResult | None:
        """Return the result of the charge made with this key, or None if none arrived.

        Raises ``GatewayTimeout`` when the answer does not come.
        """
        ...


# The fake's own records, standing for the gateway's side of the network: a SQLite file
# of its own, written in its own connection, so that nothing the shop rolls back, and no
# process that dies, makes it forget a charge.
DEFAULT_LEDGER = Path(tempfile.gettempdir()) / "fake-payment-gateway.sqlite3"


@dataclass(frozen=True, kw_only=True)
class FakeCharge:
    """A charge the fake gateway made: money taken if ``succeeded``."""

    idempotency_key: str
    amount: Decimal
    payment_method: str
    succeeded: bool


class FakeGateway:
    """Accepts ``test_ok``, declines ``test_declined``; no money moves.

    ``delay`` seconds pass before it handles a charge (to let racing requests meet);
    with ``times_out`` it makes the charge and the answer is lost (``GatewayTimeout``).
    """

    METHODS = ("test_ok", "test_declined")

    def __init__(
        self, *, ledger: Path = DEFAULT_LEDGER, delay: float = 0.0, times_out: bool = False
    ) -> None:
        self.ledger = ledger
        self.delay = delay
        self.times_out = times_out

    def supports(self, payment_method: str) -> bool:
        return payment_method in self.METHODS

    def charge(
        self, *, amount: Decimal, payment_method: str, idempotency_key: str
    ) -> GatewayResult:
        time.sleep(self.delay)
        with self._ledger() as ledger:
            # One statement, so one charge per key even for callers racing with the same key.
            ledger.execute(
                "INSERT OR IGNORE INTO charges VALUES (?, ?, ?, ?)",
                (idempotency_key, str(amount), payment_method, payment_method == "test_ok"),
            )
        if self.times_out:
            raise GatewayTimeout("The fake gateway lost its answer, as told.")
        result = self.find_charge(idempotency_key=idempotency_key)
        assert result is not None  # recorded above
        return result

    def find_charge(self, *, idempotency_key: str) -> GatewayResult | None:
        with self._ledger() as ledger:
            row = ledger.execute(
                "SELECT succeeded FROM charges WHERE idempotency_key = ?", (idempotency_key,)
            ).fetchone()
        if row is None:
            return None
        if row[0]:
            return GatewayResult(succeeded=True, transaction_id=f"fake_{idempotency_key[:40]}")
        return GatewayResult(succeeded=False, decline_reason="The card was declined.")

    def charges(self) -> list[FakeCharge]:
        """Every charge this fake made, oldest first: what a test counts."""
        with self._ledger() as ledger:
            rows = ledger.execute("SELECT * FROM charges ORDER BY rowid").fetchall()
        return [
            FakeCharge(
                idempotency_key=key,
                amount=Decimal(amount),
                payment_method=method,
                succeeded=bool(succeeded),
            )
            for key, amount, method, succeeded in rows
        ]

    @contextmanager
    def _ledger(self) -> Iterator[sqlite3.Connection]:
        # A connection per call, in autocommit: the fake may be called from several threads.
        connection = sqlite3.connect(self.ledger, timeout=30, isolation_level=None)
        try:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS charges (idempotency_key TEXT PRIMARY KEY,"
                " amount TEXT, payment_method TEXT, succeeded INTEGER)"
            )
            yield connection
        finally:
            connection.close()


def active_gateway() -> PaymentGateway:
    """Return the gateway to charge through. Tests replace this function to observe calls."""
    return FakeGateway()
