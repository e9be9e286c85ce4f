"""The catalogue endpoints, through Django's test client: /api/products and /api/products/{id}."""

from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.test import Client

from modules.products.models import Product

MakeProduct = Callable[..., Product]


def json_error(response: HttpResponse, status: int) -> str:
    """Assert the response is an error in the API's JSON format; return its message."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    message = response.json()["message"]
    assert isinstance(message, str) and message
    return message


def test_the_catalogue_lists_every_product_without_authentication(
    client: Client, make_product: MakeProduct
) -> None:
    mug = make_product(price="12.5", stock=40, name="Enamel mug")
    cap = make_product(price="18", stock=0, name="Canvas cap")

    response = client.get("/api/products")

    assert response.status_code == 200
    assert response.json() == [
        {"id": mug.pk, "sku": mug.sku, "name": "Enamel mug", "price": "12.50", "stock": 40},
        {"id": cap.pk, "sku": cap.sku, "name": "Canvas cap", "price": "18.00", "stock": 0},
    ]


def test_the_catalogue_is_an_empty_list_without_products(client: Client, db: None) -> None:
    response = client.get("/api/products")

    assert response.status_code == 200
    assert response.json() == []


def test_a_product_answers_200_with_its_fields(client: Client, make_product: MakeProduct) -> None:
    mug = make_product(price="0.05", stock=3, name="Enamel mug")

    response = client.get(f"/api/products/{mug.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": mug.pk,
        "sku": mug.sku,
        "name": "Enamel mug",
        "price": "0.05",
        "stock": 3,
    }


@pytest.mark.parametrize("product_id", ["424242", "0", "-1", "99999999999999999999"])
def test_an_unknown_product_answers_404(client: Client, db: None, product_id: str) -> None:
    response = client.get(f"/api/products/{product_id}")

    assert json_error(response, 404) == f"Product {product_id} does not exist."


@pytest.mark.parametrize("product_id", ["abc", "1.5", "1e3"])
def test_a_product_id_that_is_not_an_integer_answers_422(
    client: Client, db: None, product_id: str
) -> None:
    response = client.get(f"/api/products/{product_id}")

    assert json_error(response, 422) == "The request is not valid."
    assert response.json()["details"]["errors"][0]["location"] == "path.product_id"


def test_the_catalogue_cannot_be_changed_through_the_api(
    client: Client, make_product: MakeProduct
) -> None:
    mug = make_product(stock=5)

    response = client.post(
        "/api/products",
        {"sku": "NEW", "name": "New", "price": "1.00", "stock": 1},
        content_type="application/json",
    )

    assert response.status_code == 405
    assert Product.objects.count() == 1
    assert client.delete(f"/api/products/{mug.pk}").status_code == 405
