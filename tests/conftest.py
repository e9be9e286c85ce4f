"""Fixtures shared by every test: users with tokens, products, and event delivery."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from itertools import count
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from modular_monolith.boundaries import guards
from modular_monolith.events import event_published

from modules.users import api as users

PASSWORD = "a long test passphrase"
_sequence = count(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Hash with MD5 in tests: the default PBKDF2 takes most of a second per password, by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client() -> Client:
    """Django's test client: requests go through the whole stack, middleware included."""
    return Client()


@pytest.fixture
def make_user(db: None) -> Callable[..., users.UserDTO]:
    def make(email: str | None = None) -> users.UserDTO:
        return users.register_user(
            email=email or f"user{next(_sequence)}@example.com", password=PASSWORD
        )

    return make


@pytest.fixture
def auth(db: None) -> Callable[[users.UserDTO], dict[str, str]]:
    """Return the headers that authenticate an API request as ``user``."""

    def headers(user: users.UserDTO) -> dict[str, str]:
        token = users.issue_token(email=user.email, password=PASSWORD)
        return {"Authorization": f"Bearer {token}"}

    return headers


# demo:start
@pytest.fixture
def make_product(db: None) -> Callable[..., Any]:
    """Create products directly (products may not be installed when one module runs alone)."""
    from decimal import Decimal

    from modules.products.models import Product

    def make(*, price: str = "10.00", stock: int = 10, name: str | None = None) -> Product:
        number = next(_sequence)
        return Product.objects.create(
            sku=f"SKU-{number}", name=name or f"Product {number}", price=Decimal(price), stock=stock
        )

    return make


# demo:end


@pytest.fixture
def deliver_events(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """Run the on-commit callbacks (event delivery) of the block when it ends.

    Tests run inside a transaction that never commits, so events would never be
    delivered; ``with deliver_events(): ...`` delivers them as a commit would.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def published() -> Iterator[list[object]]:
    """Collect every event delivered during the test, in order."""
    events: list[object] = []

    def record(sender: type, event: object, **kwargs: Any) -> None:
        events.append(event)

    event_published.connect(record, weak=False, dispatch_uid="tests.published")
    yield events
    event_published.disconnect(dispatch_uid="tests.published")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip tests marked ``postgres`` unless the suite runs against PostgreSQL."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")


@pytest.fixture(autouse=True, scope="session")
def boundary_guards() -> None:
    """The runtime boundary guards are on for every test, whatever BOUNDARY_GUARDS says."""
    guards.install()
