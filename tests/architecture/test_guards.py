"""The runtime guards attribute each query to the module whose code ran it, precisely."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from modules.products import api as products

from shop.infrastructure.boundaries import guards
from shop.infrastructure.boundaries.violations import BoundaryViolation


def run_as(module_path: str, source: str, **names: Any) -> Any:
    """Run ``source`` as if it were code of ``module_path``, and return its ``result``."""
    namespace: dict[str, Any] = {"__name__": module_path, **names}
    exec(compile(source, f"<{module_path}>", "exec"), namespace)
    return namespace.get("result")


def raw_count(table: str) -> Callable[[], int]:
    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            return cursor.fetchone()[0]

    return count


def test_the_guards_are_on_in_the_test_suite(db: None) -> None:
    connection.ensure_connection()
    assert guards.query_guard in connection.execute_wrappers
    assert getattr(products.get_products, "_boundary_guarded", False)


def test_sql_on_another_modules_table_is_refused(db: None) -> None:
    with pytest.raises(BoundaryViolation, match="products_product, a table of products"):
        run_as(
            "modules.orders.services",
            "result = count()",
            count=lambda: raw_count("products_product")(),
        )


def test_code_is_attributed_to_the_innermost_module(db: None) -> None:
    """orders calling products.api: the query runs inside products' code, so it is products'."""
    assert (
        run_as("modules.orders.services", "result = products.list_products()", products=products)
        == []
    )


def test_a_module_may_query_its_own_tables(db: None) -> None:
    assert (
        run_as("modules.products.services", "result = count()", count=raw_count("products_product"))
        == 0
    )


@pytest.mark.parametrize("table", ["django_session", "auth_group", "django_admin_log"])
def test_djangos_own_tables_are_not_owned_by_any_module(db: None, table: str) -> None:
    assert run_as("modules.orders.services", "result = count()", count=raw_count(table)) == 0


def test_the_project_package_may_query_any_module(db: None) -> None:
    assert run_as("shop.api", "result = count()", count=raw_count("orders_order")) == 0


def test_an_api_function_returning_dtos_passes(make_product: Callable[..., Any]) -> None:
    product = make_product()
    assert products.get_products([product.pk])[0].id == product.pk
