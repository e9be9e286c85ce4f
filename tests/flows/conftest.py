"""Fixtures for the cross-module flows: customers, an HTTP driver, and a gateway spy.

The flows talk to the store only over HTTP, like a client application would;
the fixtures below keep the tests about the story rather than the plumbing.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from modular_monolith.events import listens_to, stop_listening

from modules.payments import gateways
from modules.products.models import Product
from modules.users import api as users


@dataclass(frozen=True)
class Customer:
    id: int
    email: str
    headers: dict[str, str]


@pytest.fixture
def make_customer(
    make_user: Callable[..., users.UserDTO], auth: Callable[[users.UserDTO], dict[str, str]]
) -> Callable[..., Customer]:
    """Create an account (its welcome is never delivered) and return it with its bearer headers."""

    def make(email: str | None = None) -> Customer:
        user = make_user(email)
        return Customer(id=user.id, email=user.email, headers=auth(user))

    return make


@pytest.fixture
def customer(make_customer: Callable[..., Customer]) -> Customer:
    return make_customer()


class Store:
    """The store's HTTP API, as a client application sees it."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def post(self, path: str, data: object, *, headers: dict[str, str]) -> HttpResponse:
        return self.client.post(path, data, content_type="application/json", headers=headers)

    def place_order(self, customer: Customer, *lines: tuple[Product, int]) -> HttpResponse:
        payload = {"lines": [{"product_id": p.pk, "quantity": qty} for p, qty in lines]}
        return self.post("/api/orders", payload, headers=customer.headers)

    def pay(self, customer: Customer, order_id: int, *, method: str, key: str) -> HttpResponse:
        return self.post(
            f"/api/orders/{order_id}/pay",
            {"payment_method": method},
            headers={**customer.headers, "Idempotency-Key": key},
        )

    def cancel(self, customer: Customer, order_id: int) -> HttpResponse:
        return self.post(f"/api/orders/{order_id}/cancel", {}, headers=customer.headers)

    def order(self, customer: Customer, order_id: int) -> dict[str, Any]:
        return self._read(f"/api/orders/{order_id}", customer)

    def orders(self, customer: Customer) -> list[dict[str, Any]]:
        return self._read("/api/orders", customer)

    def notifications(self, customer: Customer) -> list[dict[str, Any]]:
        return self._read("/api/notifications", customer)

    def stock(self, product: Product) -> int:
        return int(self._read(f"/api/products/{product.pk}")["stock"])

    def _read(self, path: str, customer: Customer | None = None) -> Any:
        response = self.client.get(path, headers=customer.headers if customer else {})
        assert response.status_code == 200, response.content
        return response.json()


@pytest.fixture
def store(client: Client) -> Store:
    return Store(client)


@dataclass
class RecordingGateway:
    """The fake gateway, remembering every charge that reached it."""

    inner: gateways.FakeGateway
    charges: list[dict[str, Any]] = field(default_factory=list)

    def supports(self, payment_method: str) -> bool:
        return self.inner.supports(payment_method)

    def charge(
        self, *, amount: Decimal, payment_method: str, idempotency_key: str
    ) -> gateways.GatewayResult:
        self.charges.append({"amount": amount, "payment_method": payment_method})
        return self.inner.charge(
            amount=amount, payment_method=payment_method, idempotency_key=idempotency_key
        )

    def find_charge(self, *, idempotency_key: str) -> gateways.GatewayResult | None:
        return self.inner.find_charge(idempotency_key=idempotency_key)


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> RecordingGateway:
    """Replace the payment gateway with one that records the charges it receives."""
    recording = RecordingGateway(gateways.FakeGateway(ledger=tmp_path / "gateway.sqlite3"))
    monkeypatch.setattr(gateways, "active_gateway", lambda: recording)
    return recording


@pytest.fixture
def extra_listener() -> Iterator[Callable[[type, Callable[[Any], None]], None]]:
    """Connect a listener with ``listens_to`` for one test; it is disconnected afterwards."""
    connected: list[tuple[type, Callable[[Any], None]]] = []

    def connect(event_type: type, listener: Callable[[Any], None]) -> None:
        listens_to(event_type)(listener)
        connected.append((event_type, listener))

    yield connect
    for event_type, listener in connected:
        stop_listening(event_type, listener)
