"""docs/modules.md is generated from what Django loads, lists all of it, and cannot go stale.

The first tests read the docs of this project, rendered in this process; the others
change a copy of the project (with a scratch module made by ``startmodule``)
and run ``manage.py moduledocs`` in it, as a developer would.
"""

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from modular_monolith.boundaries.ownership import module_labels
from modular_monolith.events import event, listens_to, stop_listening
from modular_monolith.events.registry import event_types, listeners_of
from modular_monolith.moduledocs import (
    GRAPH_END,
    GRAPH_START,
    _hint,
    _signature,
    out_of_date,
    render,
    render_graph,
)

from modules.users.events import UserRegistered

from .sandbox import ROOT, SCRATCH, plant, run_manage

OUT_OF_DATE = "{} is out of date: run `python manage.py moduledocs`"
COUNT_ITEMS = "def count_items(names: list[str], *, limit: int | None) -> int"


def section(docs: str, module: str) -> str:
    """The part of the docs about one module."""
    return docs.split(f"\n## {module}\n")[1].split("\n## ")[0]


def listed(docs: str, module: str, item: str) -> str:
    """What the line ``- **<item>:**`` of a module's section says."""
    prefix = f"- **{item}:** "
    return next(line for line in section(docs, module).splitlines() if line.startswith(prefix))[
        len(prefix) :
    ]


def event_rows(docs: str) -> dict[str, list[str]]:
    """The cells of each row of the events table, by event name."""
    rows = [line.split(" | ") for line in docs.splitlines() if line.startswith("| `")]
    return {row[0].removeprefix("| `").removesuffix("`"): row for row in rows}


def test_the_committed_docs_and_the_readme_graph_are_up_to_date() -> None:
    stale = [path.name for path in out_of_date(ROOT)]
    assert stale == [], f"{', '.join(stale)} out of date: run `make docs`"


def test_the_docs_have_a_section_and_a_graph_node_for_every_installed_module() -> None:
    headings = re.findall(r"^## (\w+)$", render(), flags=re.MULTILINE)
    assert headings == ["Dependencies", "Events", *sorted(module_labels())]
    graph = render_graph()
    assert all(f"\n    {label}\n" in graph for label in module_labels())


def test_the_docs_list_every_public_name_of_every_module() -> None:
    docs = render()
    for label in module_labels():
        api = import_module(f"{apps.get_app_config(label).name}.api")
        text = section(docs, label)
        for name in api.__all__:
            assert f"def {name}(" in text or f"`{name}`" in text, f"{label}.api.{name}"
        assert "def _" not in text  # private helpers stay out


@event("tests.OfNoModule")
@dataclass(frozen=True)
class OfNoModule:
    """An event type the registry knows that no module declares."""


def on_user_registered_in_a_test(event: UserRegistered) -> None:
    """A listener the registry knows that no module declares."""


@pytest.fixture
def listener_of_no_module() -> Iterator[None]:
    listens_to(UserRegistered)(on_user_registered_in_a_test)
    yield
    stop_listening(UserRegistered, on_user_registered_in_a_test)


@pytest.mark.usefixtures("listener_of_no_module")
def test_the_docs_list_every_event_with_its_publisher_and_listeners() -> None:
    docs = render()
    rows = event_rows(docs)
    assert "tests.OfNoModule" not in rows
    assert "on_user_registered_in_a_test" not in docs
    packages = {apps.get_app_config(label).name: label for label in module_labels()}
    for event_type in event_types():
        package = event_type.cls.__module__.rpartition(".")[0]
        if package not in packages:
            assert event_type.name not in rows  # the test suite's own events are no module's
            continue
        publisher = packages[package]
        assert rows[event_type.name][1] == publisher
        assert f"`{event_type.name}`" in listed(docs, publisher, "Publishes")
        for listener in listeners_of(event_type.name).values():
            listener_module = packages.get(listener.__module__.rpartition(".")[0])
            if listener_module is not None:
                assert f"{listener_module} (`{listener.__qualname__}`)" in rows[event_type.name][2]
                heard = f"`{event_type.name}` (`{listener.__qualname__}`)"
                assert heard in listed(docs, listener_module, "Listens to")


def test_the_docs_list_every_table_of_every_module() -> None:
    docs = render()
    for label in module_labels():
        models = apps.get_app_config(label).get_models(include_auto_created=True)
        tables = set(re.findall(r"`(\w+)`", listed(docs, label, "Tables")))
        assert tables == {model._meta.db_table for model in models}


def test_the_docs_name_many_to_many_tables_for_their_field() -> None:
    assert listed(render(), "users", "Tables") == (
        "`users_user` (User), `users_user_groups` (User.groups), "
        "`users_user_user_permissions` (User.user_permissions)"
    )


def test_the_docs_show_public_functions_as_written() -> None:
    docs = render()
    assert (
        "def register_user(*, email: str, password: str) -> UserDTO:\n"
        '    """Create an account; raise ``EmailAlreadyRegistered`` or ``InvalidPassword`` if refused."""'
    ) in docs
    assert "def authenticate_token(token: str) -> int | None:" in docs


SIGNATURE_SOURCE = """
from collections.abc import Callable, Iterable


class Line:
    pass


async def f(a: int, /, b, c: str = "x", *args: int, d: int | None = None, e=3,
            sentinel: object = object(), **kw: Callable[[Line], Iterable[Line]]) -> dict[str, list[Line]]:
    pass
"""
SIGNATURE = (
    "async def f(a: int, /, b, c: str = 'x', *args: int, d: int | None = None, e=3, "
    "sentinel: object = ..., **kw: Callable[[Line], Iterable[Line]]) -> dict[str, list[Line]]"
)


@pytest.mark.parametrize("future", ["", "from __future__ import annotations\n"])
def test_signatures_read_as_written_with_or_without_postponed_annotations(future: str) -> None:
    namespace: dict[str, Any] = {}
    exec(future + SIGNATURE_SOURCE, namespace)
    assert _signature("f", namespace["f"]) == SIGNATURE


def test_type_hints_from_typing_are_written_the_modern_way() -> None:
    hint = typing.Optional[typing.List[typing.Literal["a", 1]]]  # noqa: UP006, UP045
    assert _hint(hint) == "list[Literal['a', 1]] | None"
    assert _hint(typing.Callable[..., typing.Any]) == "Callable[..., Any]"


# demo:start


def test_the_demo_graph_draws_api_calls_solid_and_listening_dotted() -> None:
    graph = render_graph()
    for edge in (
        "orders -->|api| products",
        "orders -->|api| payments",
        "notifications -->|api| users",
        "orders -.->|events| payments",
        "notifications -.->|events| orders",
        "notifications -.->|events| users",
    ):
        assert f"    {edge}\n" in graph
    assert "payments -" not in graph  # payments depends on no module
    assert "notifications -->|api| orders" not in graph  # it only listens to orders


def test_the_demo_docs_say_who_publishes_and_who_listens() -> None:
    docs = render()
    row = "| `orders.OrderPlaced` | orders | notifications (`on_order_placed`) | 1 | yes |"
    assert row in docs
    assert "| `payments.PaymentFailed` | payments | orders (`on_payment_failed`) |" in docs
    assert listed(docs, "orders", "Listens to") == (
        "`payments.PaymentFailed` (`on_payment_failed`), "
        "`payments.PaymentSucceeded` (`on_payment_succeeded`)"
    )


def test_the_demo_docs_say_what_runs_periodically_and_how_often() -> None:
    docs = render()
    assert listed(docs, "payments", "Runs periodically") == (
        "`reconcile_stale_payments` (every 1 min)"
    )
    assert "Runs periodically" not in section(docs, "orders")


def test_the_demo_docs_say_what_stands_between_each_module_and_leaving() -> None:
    readiness = render().split("\n## Extraction readiness\n")[1]
    payments = readiness.split("\n### payments\n")[1].split("\n### ")[0]
    assert (
        "- orders: `payments.charge`, in `order_pay` (modules/orders/paying.py)\n"
        "  - reached from HTTP POST /{order_id}/pay (`pay_order` in modules/orders/router.py)\n"
    ) in payments
    assert "- nothing: no shared transaction" in payments
    orders = readiness.split("\n### orders\n")[1].split("\n### ")[0]
    assert "- shares a transaction (orders+products): placing an order reserves" in orders


def test_the_docs_show_the_demo_functions_as_written() -> None:
    docs = render()
    assert (
        "def reserve_stock(lines: Iterable[StockLine]) -> list[ProductDTO]:\n"
        '    """Take the lines\' units out of stock, all or nothing, and return the products reserved."""'
    ) in docs
    assert (
        "def place_order(*, customer_id: int, lines: Iterable[RequestedLine]) -> OrderDTO:" in docs
    )


# demo:end


def test_an_untouched_copy_passes_the_check(project_copy: Path) -> None:
    """Its scratch module was made by ``startmodule``, which brought the docs up to date."""
    result = run_manage(project_copy, "moduledocs", "--check")
    assert result.returncode == 0, result.stderr


def test_a_new_module_fails_the_check_and_appears_once_the_docs_are_written(
    project_copy: Path,
) -> None:
    for name in (
        "README.md",
        "docs/modules.md",
    ):  # as they were before startmodule made the scratch module
        (project_copy / name).write_text((ROOT / name).read_text())

    check = run_manage(project_copy, "moduledocs", "--check")
    assert check.returncode != 0
    assert OUT_OF_DATE.format("docs/modules.md") in check.stderr
    assert OUT_OF_DATE.format("README.md") in check.stderr

    assert run_manage(project_copy, "moduledocs").returncode == 0
    docs = (project_copy / "docs/modules.md").read_text()
    assert "def create_item(*, name: str) -> ItemDTO:" in section(docs, SCRATCH)
    assert (
        f"| `{SCRATCH}.ItemCreated` | {SCRATCH} | none | 1 | yes | An item was created. |" in docs
    )
    assert listed(docs, SCRATCH, "Tables") == f"`{SCRATCH}_item` (Item)"
    assert f"\n    {SCRATCH}\n" in (project_copy / "README.md").read_text()


def test_a_new_public_function_fails_the_check_until_the_docs_are_written(
    project_copy: Path,
) -> None:
    api = project_copy / "modules" / SCRATCH / "api.py"
    api.write_text(api.read_text().replace("__all__ = [", '__all__ = [\n    "count_items",'))
    plant(project_copy, f"modules/{SCRATCH}/api.py", f"{COUNT_ITEMS}:\n    return 0")
    docs = (project_copy / "docs" / "modules.md").read_text()

    check = run_manage(project_copy, "moduledocs", "--check")
    assert check.returncode != 0
    assert OUT_OF_DATE.format("docs/modules.md") in check.stderr
    assert (project_copy / "docs" / "modules.md").read_text() == docs  # --check writes nothing

    assert run_manage(project_copy, "moduledocs").returncode == 0
    assert f"{COUNT_ITEMS}: ..." in (project_copy / "docs" / "modules.md").read_text()
    assert run_manage(project_copy, "moduledocs", "--check").returncode == 0


LISTENS_TO_USERS = """
from modules.users.events import UserRegistered

from modular_monolith.events import listens_to


@listens_to(UserRegistered)
def on_user_registered(event: UserRegistered) -> None:
    pass
"""


def test_a_new_dependency_is_drawn_solid_for_the_api_and_dotted_for_events(
    project_copy: Path,
) -> None:
    plant(project_copy, f"modules/{SCRATCH}/listeners.py", LISTENS_TO_USERS)
    plant(project_copy, f"modules/{SCRATCH}/services.py", "from modules.users import api as users")

    check = run_manage(project_copy, "moduledocs", "--check")
    assert check.returncode != 0
    assert OUT_OF_DATE.format("README.md") in check.stderr

    assert run_manage(project_copy, "moduledocs").returncode == 0
    docs = (project_copy / "docs/modules.md").read_text()
    assert f"    {SCRATCH} -->|api| users\n    {SCRATCH} -.->|events| users\n" in docs
    assert f"{SCRATCH} (`on_user_registered`)" in event_rows(docs)["users.UserRegistered"][2]
    assert listed(docs, SCRATCH, "Depends on") == "users (api, events)"
    assert listed(docs, SCRATCH, "Listens to") == "`users.UserRegistered` (`on_user_registered`)"
    assert listed(docs, "users", "Used by").startswith(f"{SCRATCH} (api, events)")


TRICKY_MODELS = """
class Tagged(models.Model):
    tags = models.ManyToManyField("self", blank=True)

    class Meta:
        abstract = True


class Supplier(Tagged):
    name = models.CharField(max_length=10)

    class Meta:
        db_table = "suppliers"


class SeasonalItem(Item):
    season = models.CharField(max_length=10)


class DiscontinuedItem(Item):
    class Meta:
        proxy = True


class Bundle(models.Model):
    items = models.ManyToManyField(Item, db_table="bundle_items", related_name="+")
    parts = models.ManyToManyField(Item, through="BundlePart", related_name="+")


class BundlePart(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
"""


def test_the_tables_of_abstract_proxy_inherited_and_many_to_many_models(
    project_copy: Path,
) -> None:
    plant(project_copy, f"modules/{SCRATCH}/models.py", TRICKY_MODELS)
    assert run_manage(project_copy, "moduledocs").returncode == 0
    docs = (project_copy / "docs/modules.md").read_text()
    assert listed(docs, SCRATCH, "Tables") == (
        f"`{SCRATCH}_bundle` (Bundle), `{SCRATCH}_bundlepart` (BundlePart), `{SCRATCH}_item` (Item), "
        f"`{SCRATCH}_seasonalitem` (SeasonalItem), `bundle_items` (Bundle.items), "
        "`suppliers` (Supplier), `suppliers_tags` (Supplier.tags)"
    )


def test_a_readme_without_the_graph_markers_fails_with_a_clear_error(project_copy: Path) -> None:
    (project_copy / "README.md").write_text("# A project\n")
    result = run_manage(project_copy, "moduledocs", "--check")
    assert result.returncode != 0
    assert f"README.md has no {GRAPH_START} ... {GRAPH_END} block" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_installed_app_outside_modules_is_documented_like_any_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What makes an app a module is a setting: the docs take any installed app as one."""
    labels = module_labels() | {"auth"}
    monkeypatch.setattr("modular_monolith.moduledocs.module_labels", lambda: labels)
    docs = render()
    assert listed(docs, "auth", "Tables") == (
        "`auth_group` (Group), `auth_group_permissions` (Group.permissions), "
        "`auth_permission` (Permission)"
    )
    assert "No public functions in `django.contrib.auth.api`." in section(docs, "auth")
    assert "    users -->|models| auth\n" in docs  # its User extends auth's PermissionsMixin
    assert "    users -->|package| auth\n" in docs  # `from django.contrib.auth import authenticate`
