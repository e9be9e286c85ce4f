"""The /api/orders endpoints, through the whole Django stack with the test client."""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from modular_monolith.testing import DeliverEvents

from modules.orders.models import Order
from modules.products.models import Product
from modules.users.api import UserDTO
from tests.payments.fakes import RecordingGateway

from .conftest import PlaceOrder

pytestmark = pytest.mark.django_db

Auth = Callable[[UserDTO], dict[str, str]]
MakeProduct = Callable[..., Product]


def post(
    client: Client, path: str, body: object, headers: dict[str, str] | None = None
) -> HttpResponse:
    """POST ``body`` as JSON; a ``str`` body is sent as it is, to send broken JSON."""
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", headers=headers or {})


def error_of(response: HttpResponse, status: int) -> dict[str, Any]:
    """Assert that ``response`` is a JSON error with this status and a message; return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert isinstance(body.get("message"), str)
    assert body["message"]
    return body


def stock_of(product: Product) -> int:
    return Product.objects.get(pk=product.pk).stock


# POST /api/orders


def test_post_orders_places_an_order_with_money_as_decimal_strings(
    client: Client, auth: Auth, customer: UserDTO, make_product: MakeProduct
) -> None:
    mug = make_product(name="Mug", price="12.50", stock=3)

    response = post(
        client, "/api/orders", {"lines": [{"product_id": mug.pk, "quantity": 2}]}, auth(customer)
    )

    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get()
    assert body == {
        "id": order.pk,
        "status": "pending_payment",
        "total": "25.00",
        "created_at": body["created_at"],
        "lines": [{"product_id": mug.pk, "name": "Mug", "unit_price": "12.50", "quantity": 2}],
    }
    created_at = order.created_at  # sent in ISO 8601, to the millisecond
    assert datetime.fromisoformat(body["created_at"]) == created_at.replace(
        microsecond=created_at.microsecond // 1000 * 1000
    )
    assert order.customer_id == customer.id
    assert stock_of(mug) == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"lines": []}, 400),
        ({"lines": [{"product_id": "{product}", "quantity": 0}]}, 400),
        ({"lines": [{"product_id": "{product}", "quantity": -2}]}, 400),
        ({}, 422),
        ({"lines": [{"product_id": "{product}"}]}, 422),
        ({"lines": [{"product_id": "mug", "quantity": 1}]}, 422),
        ('{"lines": [', 400),
        (
            {
                "lines": [
                    {"product_id": "{product}", "quantity": 1},
                    {"product_id": 0, "quantity": 1},
                ]
            },
            400,
        ),
    ],
    ids=[
        "no lines",
        "quantity 0",
        "negative quantity",
        "missing lines",
        "missing quantity",
        "product id not a number",
        "malformed JSON",
        "unknown product",
    ],
)
def test_post_orders_refuses_a_bad_request_with_a_json_error(
    client: Client,
    auth: Auth,
    customer: UserDTO,
    make_product: MakeProduct,
    body: object,
    status: int,
) -> None:
    mug = make_product(stock=5)
    if not isinstance(body, str):  # put the product's id where the case says "{product}"
        body = json.loads(json.dumps(body).replace('"{product}"', str(mug.pk)))

    response = post(client, "/api/orders", body, auth(customer))

    error_of(response, status)
    assert not Order.objects.exists()
    assert stock_of(mug) == 5


def test_post_orders_without_enough_stock_is_a_conflict(
    client: Client, auth: Auth, customer: UserDTO, make_product: MakeProduct
) -> None:
    mug = make_product(name="Mug", stock=1)

    response = post(
        client, "/api/orders", {"lines": [{"product_id": mug.pk, "quantity": 2}]}, auth(customer)
    )

    body = error_of(response, 409)
    assert "Mug" in body["message"]
    assert body["details"] == {"product_ids": [mug.pk]}
    assert stock_of(mug) == 1


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["no token", "garbage token", "not a bearer token"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_orders_need_a_valid_token(
    client: Client, make_product: MakeProduct, headers: dict[str, str], method: str
) -> None:
    mug = make_product(stock=5)

    if method == "get":
        response = client.get("/api/orders", headers=headers)
    else:
        response = post(
            client, "/api/orders", {"lines": [{"product_id": mug.pk, "quantity": 1}]}, headers
        )

    error_of(response, 401)
    assert stock_of(mug) == 5


# GET /api/orders and /api/orders/{id}


def test_get_orders_lists_only_the_callers_orders_newest_first(
    client: Client,
    auth: Auth,
    customer: UserDTO,
    other_customer: UserDTO,
    make_product: MakeProduct,
    place: PlaceOrder,
) -> None:
    mug = make_product(stock=10)
    older = place((mug, 1))
    place((mug, 1), customer_id=other_customer.id)
    newer = place((mug, 2))

    response = client.get("/api/orders", headers=auth(customer))

    assert response.status_code == 200
    assert [order["id"] for order in response.json()] == [newer.id, older.id]
    assert [order["total"] for order in response.json()] == ["20.00", "10.00"]


def test_get_order_returns_the_callers_order(
    client: Client, auth: Auth, customer: UserDTO, make_product: MakeProduct, place: PlaceOrder
) -> None:
    order = place((make_product(price="1.10"), 3))

    response = client.get(f"/api/orders/{order.id}", headers=auth(customer))

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["total"]) == (order.id, "3.30")


@pytest.mark.parametrize("whose", ["someone else's", "nobody's"])
def test_get_order_of_someone_else_or_nobody_is_not_found(
    client: Client,
    auth: Auth,
    other_customer: UserDTO,
    make_product: MakeProduct,
    place: PlaceOrder,
    whose: str,
) -> None:
    order = place((make_product(), 1))
    order_id = order.id if whose == "someone else's" else order.id + 1000

    response = client.get(f"/api/orders/{order_id}", headers=auth(other_customer))

    error_of(response, 404)


# POST /api/orders/{id}/pay


def test_pay_without_an_idempotency_key_is_refused(
    client: Client,
    auth: Auth,
    customer: UserDTO,
    make_product: MakeProduct,
    place: PlaceOrder,
    gateway: RecordingGateway,
) -> None:
    order = place((make_product(), 1))

    response = post(
        client, f"/api/orders/{order.id}/pay", {"payment_method": "test_ok"}, auth(customer)
    )

    body = error_of(response, 422)
    assert body["details"]["errors"][0]["location"] == "header.Idempotency-Key"
    assert gateway.calls == []


def test_paying_twice_with_the_same_key_returns_the_same_payment(
    client: Client,
    auth: Auth,
    customer: UserDTO,
    make_product: MakeProduct,
    place: PlaceOrder,
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
) -> None:
    order = place((make_product(), 1))
    headers = {**auth(customer), "Idempotency-Key": "checkout-1"}

    with deliver_events():
        first = post(client, f"/api/orders/{order.id}/pay", {"payment_method": "test_ok"}, headers)
    with deliver_events():
        again = post(client, f"/api/orders/{order.id}/pay", {"payment_method": "test_ok"}, headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json() == {"id": first.json()["id"], "status": "succeeded", "failure_reason": ""}
    assert again.json() == first.json()
    assert len(gateway.calls) == 1
    assert client.get(f"/api/orders/{order.id}", headers=headers).json()["status"] == "paid"


def test_pay_with_a_declined_card_reports_the_failure(
    client: Client,
    auth: Auth,
    customer: UserDTO,
    make_product: MakeProduct,
    place: PlaceOrder,
    gateway: RecordingGateway,
) -> None:
    order = place((make_product(), 1))
    headers = {**auth(customer), "Idempotency-Key": "checkout-1"}

    response = post(
        client, f"/api/orders/{order.id}/pay", {"payment_method": "test_declined"}, headers
    )

    assert response.status_code == 200
    assert response.json()["status"] == "failed"
    assert response.json()["failure_reason"] == "The card was declined."


@pytest.mark.parametrize(
    ("situation", "status"),
    [
        ("unknown payment method", 400),
        ("cancelled order", 409),
        ("paid with another key", 409),
        ("someone else's order", 404),
    ],
)
def test_pay_refusals_are_json_errors(
    client: Client,
    auth: Auth,
    customer: UserDTO,
    other_customer: UserDTO,
    make_product: MakeProduct,
    place: PlaceOrder,
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
    situation: str,
    status: int,
) -> None:
    order = place((make_product(), 1))
    caller, method = customer, "test_ok"
    if situation == "unknown payment method":
        method = "cash"
    elif situation == "cancelled order":
        post(client, f"/api/orders/{order.id}/cancel", {}, auth(customer))
    elif situation == "paid with another key":
        with deliver_events():
            post(
                client,
                f"/api/orders/{order.id}/pay",
                {"payment_method": "test_ok"},
                {**auth(customer), "Idempotency-Key": "first"},
            )
    else:
        caller = other_customer
    calls_before = len(gateway.calls)

    response = post(
        client,
        f"/api/orders/{order.id}/pay",
        {"payment_method": method},
        {**auth(caller), "Idempotency-Key": "second"},
    )

    error_of(response, status)
    assert len(gateway.calls) == calls_before


# POST /api/orders/{id}/cancel


def test_cancel_cancels_the_order_and_puts_the_stock_back(
    client: Client, auth: Auth, customer: UserDTO, make_product: MakeProduct, place: PlaceOrder
) -> None:
    mug = make_product(stock=5)
    order = place((mug, 2))

    response = post(client, f"/api/orders/{order.id}/cancel", {}, auth(customer))

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["status"]) == (order.id, "cancelled")
    assert stock_of(mug) == 5


def test_cancelling_twice_is_a_conflict(
    client: Client, auth: Auth, customer: UserDTO, make_product: MakeProduct, place: PlaceOrder
) -> None:
    mug = make_product(stock=5)
    order = place((mug, 2))
    post(client, f"/api/orders/{order.id}/cancel", {}, auth(customer))

    response = post(client, f"/api/orders/{order.id}/cancel", {}, auth(customer))

    error_of(response, 409)
    assert stock_of(mug) == 5


def test_cancelling_someone_elses_order_is_not_found(
    client: Client,
    auth: Auth,
    other_customer: UserDTO,
    make_product: MakeProduct,
    place: PlaceOrder,
) -> None:
    mug = make_product(stock=5)
    order = place((mug, 2))

    response = post(client, f"/api/orders/{order.id}/cancel", {}, auth(other_customer))

    error_of(response, 404)
    assert Order.objects.get(pk=order.id).status == Order.Status.PENDING_PAYMENT
    assert stock_of(mug) == 3
