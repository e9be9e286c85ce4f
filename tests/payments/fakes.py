"""A payment gateway for tests: the fake one, recording the requests that reach it.

``calls`` are requests (a retry with the same key is one more call); ``charges()``
are the charges the fake made, kept in its own ledger file, which no rollback of
the shop's database touches: what "charged exactly once" counts.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from modules.payments import gateways


@dataclass(frozen=True, kw_only=True)
class GatewayCall:
    amount: Decimal
    payment_method: str
    idempotency_key: str


class ProcessDied(BaseException):
    """Stands for the process dying: a BaseException, so no ``except Exception`` stops it."""


class RecordingGateway(gateways.FakeGateway):
    """The fake gateway, recording every charge request and whether a transaction was open.

    ``while_charging`` runs inside each charge, before the gateway answers (another
    request arriving meanwhile); with ``dies_after_charging`` the charge is made and
    then ``ProcessDied`` is raised, before the caller can record the answer.
    """

    def __init__(
        self,
        *,
        ledger: Path,
        delay: float = 0.0,
        times_out: bool = False,
        dies_after_charging: bool = False,
        while_charging: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(ledger=ledger, delay=delay, times_out=times_out)
        self.dies_after_charging = dies_after_charging
        self.while_charging = while_charging
        self.calls: list[GatewayCall] = []
        self.called_in_transaction: list[bool] = []
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
            self.called_in_transaction.append(connection.in_atomic_block)
        if self.while_charging is not None:
            self.while_charging()
        result = super().charge(
            amount=amount, payment_method=payment_method, idempotency_key=idempotency_key
        )
        if self.dies_after_charging:
            raise ProcessDied("The process died after the gateway charged.")
        return result


UseGateway = Callable[..., RecordingGateway]


@pytest.fixture
def use_gateway(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> UseGateway:
    """Return a function that makes a recording gateway the active one, with the test's ledger.

    It takes ``RecordingGateway``'s options. Called again, it swaps in another gateway
    over the same ledger: the same remote service, after a crash of ours, say.
    """

    def use(**behaviour: Any) -> RecordingGateway:
        recording = RecordingGateway(ledger=tmp_path / "gateway.sqlite3", **behaviour)
        monkeypatch.setattr(gateways, "active_gateway", lambda: recording)
        return recording

    return use


@pytest.fixture
def gateway(use_gateway: UseGateway) -> RecordingGateway:
    """The gateway every charge of the test goes through."""
    return use_gateway()


@pytest.fixture
def slow_gateway(use_gateway: UseGateway) -> RecordingGateway:
    """Like ``gateway``, but each charge takes 0.2 s: long enough for racing requests to meet."""
    return use_gateway(delay=0.2)
