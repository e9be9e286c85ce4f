"""Fixtures of the orders tests: customers, placing orders, a recording payment gateway."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from modules.orders import api
from modules.orders.models import Order
from modules.products.models import Product
from modules.users.api import UserDTO
from tests.payments.fakes import gateway, slow_gateway, use_gateway

__all__ = ["gateway", "slow_gateway", "use_gateway"]  # the payment gateway's fixtures

PlaceOrder = Callable[..., api.OrderDTO]


@pytest.fixture
def customer(make_user: Callable[..., UserDTO]) -> UserDTO:
    return make_user()


@pytest.fixture
def other_customer(make_user: Callable[..., UserDTO]) -> UserDTO:
    return make_user()


@pytest.fixture
def place(customer: UserDTO) -> PlaceOrder:
    """Place an order of (product, quantity) pairs, for ``customer`` unless told otherwise."""

    def place_order(*lines: tuple[Product, int], customer_id: int | None = None) -> api.OrderDTO:
        return api.place_order(
            customer_id=customer.id if customer_id is None else customer_id,
            lines=[api.RequestedLine(product_id=p.pk, quantity=n) for p, n in lines],
        )

    return place_order


def leave_claimed(order_id: int, *, ago: timedelta) -> None:
    """Leave the order as a pay request that claimed it ``ago``, and died, would."""
    Order.objects.filter(pk=order_id).update(
        status=Order.Status.PAYMENT_IN_PROGRESS,
        payment_key="checkout",
        payment_started_at=timezone.now() - ago,
    )
