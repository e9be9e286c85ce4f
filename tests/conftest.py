"""Fixtures shared by every test: users with tokens, and products.

The library's pytest plugin adds the rest (modular_monolith.pytest_plugin): the
fixtures ``published`` and ``deliver_events``, the boundary guards on for every
test, and the ``postgres`` marker that skips a test on SQLite.
"""

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from django.test import Client

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
def auth(db: None) -> Callable[[users.UserDTO], dict[str, str]]:
    """Return the headers that authenticate an API request as ``user``."""

    def headers(user: users.UserDTO) -> dict[str, str]:
        token = users.issue_token(email=user.email, password=PASSWORD)
        return {"Authorization": f"Bearer {token}"}

    return headers
