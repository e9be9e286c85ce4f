"""The runtime guards attribute each query to the module whose code ran it, precisely."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from modular_monolith.boundaries import guards

from modules.users import api as users

from .sandbox import SCRATCH, plant, run_manage


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
    assert getattr(users.get_user, "_boundary_guarded", False)


# Crossing a boundary takes two modules, and users may be the only one installed here: the
# next test runs in a copy of the project, from its scratch module, as test_boundaries
# does for SQL on another module's table and for an API that hands out a model.
SCRATCH_CALLS_USERS = """
def planted():
    from modules.users import api as users

    try:
        users.get_user(0)
    except users.UserNotFound:
        return "users ran the query"
"""
MIGRATE_AND_CALL = (
    "from django.core.management import call_command; call_command('migrate', verbosity=0); "
    f"from modules.{SCRATCH} import services; print(services.planted())"
)


def test_code_is_attributed_to_the_innermost_module(project_copy: Path) -> None:
    """The scratch module calling users.api: the query runs inside users' code, so it is users'."""
    plant(project_copy, f"modules/{SCRATCH}/services.py", SCRATCH_CALLS_USERS)

    result = run_manage(
        project_copy,
        "shell", "--verbosity", "0", "-c", MIGRATE_AND_CALL,
        BOUNDARY_GUARDS="true", DATABASE_URL="sqlite://:memory:",
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "users ran the query" in result.stdout


# demo:start


def test_sql_on_another_modules_table_is_refused(db: None) -> None:
    from modular_monolith.boundaries.violations import BoundaryViolation

    with pytest.raises(BoundaryViolation, match="products_product, a table of products"):
        run_as(
            "modules.orders.services",
            "result = count()",
            count=lambda: raw_count("products_product")(),
        )


def test_a_call_into_another_modules_api_runs_as_that_module(db: None) -> None:
    """orders calling products.api: the query runs inside products' code, so it is products'."""
    from modules.products import api as products

    assert (
        run_as("modules.orders.services", "result = products.list_products()", products=products)
        == []
    )


def test_an_api_function_returning_a_list_of_dtos_passes(make_product: Callable[..., Any]) -> None:
    from modules.products import api as products

    product = make_product()
    assert products.get_products([product.pk])[0].id == product.pk


def test_placing_an_order_still_shares_its_transaction_with_products(
    make_user: Callable[..., Any], make_product: Callable[..., Any], settings: Any, tmp_path: Path
) -> None:
    """No check can tell when a recorded pair stops sharing: this test says the entry is needed."""
    import json

    from modular_monolith.boundaries.violations import BoundaryViolation

    from modules.orders import api as orders

    customer, mug = make_user(), make_product(stock=5)
    without_shared_transactions = tmp_path / "boundaries-baseline.json"
    without_shared_transactions.write_text(json.dumps({"violations": []}))
    settings.MONOLITH_BASELINE = str(without_shared_transactions)

    with pytest.raises(BoundaryViolation, match=r'record "orders\+products"'):
        orders.place_order(
            customer_id=customer.id, lines=[orders.RequestedLine(product_id=mug.pk, quantity=1)]
        )


# demo:end


def test_a_module_may_query_its_own_tables(db: None) -> None:
    assert run_as("modules.users.services", "result = count()", count=raw_count("users_user")) == 0


@pytest.mark.parametrize("table", ["django_session", "auth_group", "django_admin_log"])
def test_djangos_own_tables_are_not_owned_by_any_module(db: None, table: str) -> None:
    assert run_as("modules.users.services", "result = count()", count=raw_count(table)) == 0


def test_the_project_package_may_query_any_module(db: None) -> None:
    project_api = "shop.api"
    assert run_as(project_api, "result = count()", count=raw_count("users_user")) == 0


def test_an_api_function_returning_dtos_passes(make_user: Callable[..., users.UserDTO]) -> None:
    user = make_user()
    assert users.get_user(user.id) == user
