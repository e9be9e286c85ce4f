"""products.api: reading the catalogue, and reserving and releasing stock."""

import dataclasses
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from modules.products import api as products
from modules.products.api import StockLine
from modules.products.models import Product

MakeProduct = Callable[..., Product]


def count_queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries.captured_queries)


def stock_of(*products_: Product) -> list[int]:
    return [Product.objects.get(pk=product.pk).stock for product in products_]


def line(product: Product, quantity: int) -> StockLine:
    return StockLine(product_id=product.pk, quantity=quantity)


def unknown_id() -> int:
    return (Product.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1000


# Reading


def test_get_product_returns_the_product(make_product: MakeProduct) -> None:
    product = make_product(price="12.50", stock=7, name="Enamel mug")

    assert products.get_product(product.pk) == products.ProductDTO(
        id=product.pk, sku=product.sku, name="Enamel mug", price=Decimal("12.50"), stock=7
    )


def test_get_product_raises_product_not_found_for_an_unknown_id(db: None) -> None:
    with pytest.raises(products.ProductNotFound, match="Product 42 does not exist"):
        products.get_product(42)


def test_get_products_returns_many_products_in_one_query(
    make_product: MakeProduct, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    made = [make_product(stock=number) for number in range(5)]

    with django_assert_num_queries(1):
        found = products.get_products([p.pk for p in reversed(made)])

    assert [(dto.id, dto.stock) for dto in found] == [(p.pk, p.stock) for p in made]


def test_get_products_returns_each_product_once_for_repeated_ids(make_product: MakeProduct) -> None:
    product = make_product()

    assert [dto.id for dto in products.get_products([product.pk, product.pk])] == [product.pk]


def test_get_products_returns_nothing_for_no_ids(db: None) -> None:
    assert products.get_products([]) == []


def test_get_products_raises_product_not_found_naming_every_missing_id(
    make_product: MakeProduct,
) -> None:
    known = make_product()
    missing = [unknown_id(), unknown_id() + 1]

    with pytest.raises(products.ProductNotFound) as refused:
        products.get_products([missing[1], known.pk, missing[0]])

    assert refused.value.message == f"Unknown product id(s): {missing[0]}, {missing[1]}."
    assert refused.value.details == {"product_ids": missing}


def test_list_products_returns_the_catalogue_in_id_order(make_product: MakeProduct) -> None:
    made = [make_product() for _ in range(3)]

    assert [dto.id for dto in products.list_products()] == [p.pk for p in made]


def test_list_products_runs_one_query_whatever_the_number_of_products(
    make_product: MakeProduct,
) -> None:
    make_product()
    with_one = count_queries(products.list_products)
    for _ in range(19):
        make_product()
    with_twenty = count_queries(products.list_products)

    assert len(products.list_products()) == 20
    assert with_one == with_twenty == 1


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda p: products.get_product(p.pk), id="get_product"),
        pytest.param(lambda p: products.get_products([p.pk])[0], id="get_products"),
        pytest.param(lambda p: products.list_products()[0], id="list_products"),
        pytest.param(lambda p: products.reserve_stock([line(p, 1)])[0], id="reserve_stock"),
    ],
)
def test_the_api_returns_frozen_data_classes_never_models(
    make_product: MakeProduct, call: Callable[[Product], object]
) -> None:
    dto = call(make_product())

    assert dataclasses.is_dataclass(dto)
    assert type(dto).__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert not isinstance(dto, Model)
    with pytest.raises(dataclasses.FrozenInstanceError):
        dto.stock = 0  # type: ignore[attr-defined]


# Reserving stock


def test_reserve_stock_takes_the_units_out_of_stock(make_product: MakeProduct) -> None:
    mug, cap = make_product(stock=5), make_product(stock=3)

    reserved = products.reserve_stock([line(mug, 2), line(cap, 3)])

    assert stock_of(mug, cap) == [3, 0]
    assert [(dto.id, dto.stock) for dto in reserved] == [(mug.pk, 3), (cap.pk, 0)]


def test_reserve_stock_is_all_or_nothing(make_product: MakeProduct) -> None:
    mug, cap, bag = make_product(stock=5), make_product(stock=2, name="Canvas cap"), make_product()

    with pytest.raises(products.InsufficientStock) as refused:
        products.reserve_stock([line(mug, 2), line(cap, 3), line(bag, 1)])

    assert stock_of(mug, cap, bag) == [5, 2, 10]
    assert refused.value.message == "Not enough stock for: Canvas cap."
    assert refused.value.details == {"product_ids": [cap.pk]}


def test_reserve_stock_reserves_nothing_if_a_product_is_unknown(make_product: MakeProduct) -> None:
    mug = make_product(stock=5)
    missing = unknown_id()

    with pytest.raises(products.ProductNotFound) as refused:
        products.reserve_stock([line(mug, 2), StockLine(product_id=missing, quantity=1)])

    assert refused.value.details == {"product_ids": [missing]}
    assert stock_of(mug) == [5]


def test_reserve_stock_adds_up_lines_for_the_same_product(make_product: MakeProduct) -> None:
    mug = make_product(stock=5)

    reserved = products.reserve_stock([line(mug, 2), line(mug, 3)])

    assert stock_of(mug) == [0]
    assert [(dto.id, dto.stock) for dto in reserved] == [(mug.pk, 0)]


def test_reserve_stock_refuses_lines_for_the_same_product_that_add_up_to_too_many(
    make_product: MakeProduct,
) -> None:
    mug = make_product(stock=5)

    with pytest.raises(products.InsufficientStock):
        products.reserve_stock([line(mug, 3), line(mug, 3)])

    assert stock_of(mug) == [5]


@pytest.mark.parametrize("quantity", [0, -1])
def test_reserve_stock_refuses_a_quantity_below_one(
    make_product: MakeProduct, quantity: int
) -> None:
    mug, cap = make_product(stock=5), make_product(stock=5)

    with pytest.raises(products.InvalidStockLines, match="at least 1"):
        products.reserve_stock([line(mug, 2), line(cap, quantity)])

    assert stock_of(mug, cap) == [5, 5]


def test_reserve_stock_refuses_no_lines(db: None) -> None:
    with pytest.raises(products.InvalidStockLines, match="at least one product"):
        products.reserve_stock([])


def test_a_rollback_of_the_callers_transaction_gives_the_units_back(
    make_product: MakeProduct,
) -> None:
    mug = make_product(stock=5)

    with pytest.raises(RuntimeError), transaction.atomic():
        products.reserve_stock([line(mug, 2)])
        raise RuntimeError("the order could not be stored")

    assert stock_of(mug) == [5]


def test_reserve_stock_runs_as_many_queries_for_ten_lines_as_for_one(
    make_product: MakeProduct,
) -> None:
    one = make_product()
    ten = [make_product() for _ in range(10)]

    for_one = count_queries(lambda: products.reserve_stock([line(one, 1)]))
    for_ten = count_queries(lambda: products.reserve_stock([line(p, 1) for p in ten]))

    assert stock_of(one, *ten) == [9] * 11
    assert for_one == for_ten


def test_reserve_stock_locks_the_rows_it_reads(make_product: MakeProduct) -> None:
    mug = make_product()

    with CaptureQueriesContext(connection) as queries:
        products.reserve_stock([line(mug, 1)])

    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in reads[0]


# Releasing stock


def test_release_stock_puts_the_units_back(make_product: MakeProduct) -> None:
    mug, cap = make_product(stock=5), make_product(stock=0)

    products.release_stock([line(mug, 2), line(mug, 1), line(cap, 4)])

    assert stock_of(mug, cap) == [8, 4]


def test_release_stock_undoes_reserve_stock(make_product: MakeProduct) -> None:
    mug, cap = make_product(stock=5), make_product(stock=3)
    lines = [line(mug, 2), line(cap, 3)]

    products.reserve_stock(lines)
    products.release_stock(lines)

    assert stock_of(mug, cap) == [5, 3]


def test_release_stock_refuses_invalid_lines(make_product: MakeProduct) -> None:
    mug = make_product(stock=5)

    with pytest.raises(products.InvalidStockLines):
        products.release_stock([line(mug, 2), line(mug, 0)])
    with pytest.raises(products.InvalidStockLines):
        products.release_stock([])
    with pytest.raises(products.ProductNotFound):
        products.release_stock([line(mug, 2), StockLine(product_id=unknown_id(), quantity=1)])

    assert stock_of(mug) == [5]
