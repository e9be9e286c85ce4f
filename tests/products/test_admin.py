"""The admin for products."""

from collections.abc import Callable

from django.test import Client

from modules.products.models import Product


def test_the_product_changelist_opens_for_a_superuser(
    admin_client: Client, make_product: Callable[..., Product]
) -> None:
    make_product(name="Enamel mug")

    response = admin_client.get("/admin/products/product/")

    assert response.status_code == 200
    assert b"Enamel mug" in response.content


def test_the_product_changelist_searches_by_sku_and_name(
    admin_client: Client, make_product: Callable[..., Product]
) -> None:
    mug = make_product(name="Enamel mug")
    make_product(name="Canvas cap")

    by_name = admin_client.get("/admin/products/product/", {"q": "enamel"})
    by_sku = admin_client.get("/admin/products/product/", {"q": mug.sku})

    for response in (by_name, by_sku):
        assert response.status_code == 200
        assert b"Enamel mug" in response.content
        assert b"Canvas cap" not in response.content


def test_the_add_and_change_pages_of_a_product_open(
    admin_client: Client, make_product: Callable[..., Product]
) -> None:
    mug = make_product()

    assert admin_client.get("/admin/products/product/add/").status_code == 200
    assert admin_client.get(f"/admin/products/product/{mug.pk}/change/").status_code == 200


def test_the_product_admin_is_closed_to_anonymous_visitors(client: Client, db: None) -> None:
    response = client.get("/admin/products/product/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
