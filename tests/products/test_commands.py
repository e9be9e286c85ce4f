"""The load_demo_products management command."""

from io import StringIO

from django.core.management import call_command

from modules.products.demo import DEMO_PRODUCTS
from modules.products.models import Product


def load_demo_products() -> str:
    out = StringIO()
    call_command("load_demo_products", stdout=out)
    return out.getvalue()


def test_load_demo_products_loads_twelve_products_with_stock_in_the_tens(db: None) -> None:
    output = load_demo_products()

    assert Product.objects.count() == 12
    assert all(stock >= 10 for stock in Product.objects.values_list("stock", flat=True))
    assert "12 created, 0 existed" in output


def test_load_demo_products_stores_the_demo_catalogue(db: None) -> None:
    load_demo_products()

    stored = {p.sku: (p.name, str(p.price), p.stock) for p in Product.objects.all()}
    assert stored == {sku: (name, price, stock) for sku, name, price, stock in DEMO_PRODUCTS}


def test_running_load_demo_products_twice_adds_nothing(db: None) -> None:
    load_demo_products()
    before = list(Product.objects.values_list("id", "sku", "stock"))

    output = load_demo_products()

    assert list(Product.objects.values_list("id", "sku", "stock")) == before
    assert "0 created, 12 existed" in output


def test_load_demo_products_leaves_existing_products_as_they_are(db: None) -> None:
    load_demo_products()
    Product.objects.filter(sku="MUG-001").update(stock=0)
    Product.objects.filter(sku="PEN-007").delete()

    output = load_demo_products()

    assert Product.objects.get(sku="MUG-001").stock == 0
    assert Product.objects.filter(sku="PEN-007").exists()
    assert Product.objects.count() == 12
    assert "1 created, 11 existed" in output
