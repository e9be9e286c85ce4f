"""docs/modules.md is generated from the code, says what Django says, and cannot go stale.

The generator reads source with ``ast`` only; the tests compare what it reads
with what Django reports, and break a copy of the project to see the check fire.
"""

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from modular_monolith.moduledocs import GRAPH_END, GRAPH_START, read_tables, render, render_graph

from .sandbox import ROOT, SCRATCH, plant, run_manage

MODULES = [path.rsplit(".", 1)[1] for path in settings.MODULES]
OUT_OF_DATE = "docs/modules.md is out of date: run `python manage.py moduledocs`"
COUNT_ITEMS = "def count_items(names: list[str], *, limit: int | None) -> int"


def tables_listed(docs: str, module: str) -> set[str]:
    """The table names on the "Tables:" line of a module's section of the docs."""
    section = docs.split(f"\n## {module}\n")[1]
    line = next(line for line in section.splitlines() if line.startswith("- **Tables:**"))
    return set(re.findall(r"`(\w+)`", line))


def test_the_committed_docs_are_up_to_date() -> None:
    committed = (ROOT / "docs" / "modules.md").read_text(encoding="utf-8")
    assert committed == render(ROOT), "docs/modules.md is out of date: run `make docs`"


def test_the_readme_shows_the_generated_graph() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(GRAPH_START)[1].split(GRAPH_END)[0]
    assert block == "\n" + render_graph(ROOT), "README.md is out of date: run `make docs`"


LISTENS_TO_USERS = """
from modules.users.events import UserRegistered

from modular_monolith.events import listens_to


@listens_to(UserRegistered)
def on_user_registered(event: UserRegistered) -> None:
    pass
"""


def test_the_graph_draws_api_calls_solid_and_listening_dotted(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/listeners.py", LISTENS_TO_USERS)
    plant(project_copy, f"modules/{SCRATCH}/services.py", "from modules.users import api as users")
    graph = render_graph(project_copy)
    assert f"    {SCRATCH} -->|api| users\n" in graph
    assert f"    {SCRATCH} -.->|events| users\n" in graph
    assert "users -" not in graph  # users depends on no module


def test_the_docs_say_who_publishes_and_who_listens(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/listeners.py", LISTENS_TO_USERS)
    docs = render(project_copy)
    row = next(line for line in docs.splitlines() if line.startswith("| `users.UserRegistered` |"))
    assert row.startswith("| `users.UserRegistered` | users | ")
    assert f"{SCRATCH} (`on_user_registered`)" in row
    assert f"| `{SCRATCH}.ItemCreated` | {SCRATCH} | none | 1 | yes |" in docs
    assert "- **Listens to:** `users.UserRegistered` (`on_user_registered`)" in docs
    assert f"    {SCRATCH} -.->|events| users\n" in docs
    assert f"{SCRATCH} -->|api| users" not in docs  # it only listens


def test_the_docs_show_public_functions_as_written() -> None:
    docs = render(ROOT)
    assert (
        "def register_user(*, email: str, password: str) -> UserDTO:\n"
        '    """Create an account; raise ``EmailAlreadyRegistered`` or ``InvalidPassword`` if refused."""'
    ) in docs
    assert "def authenticate_token(token: str) -> int | None:" in docs
    assert "_to_dto" not in docs  # private helpers stay out


# demo:start


def test_the_demo_graph_draws_api_calls_solid_and_listening_dotted() -> None:
    graph = render_graph(ROOT)
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
    docs = render(ROOT)
    row = "| `orders.OrderPlaced` | orders | notifications (`on_order_placed`) | 1 | yes |"
    assert row in docs
    assert "| `payments.PaymentFailed` | payments | none |" in docs
    assert "- **Listens to:** `payments.PaymentSucceeded` (`on_payment_succeeded`)" in docs


def test_the_docs_show_the_demo_functions_as_written() -> None:
    docs = render(ROOT)
    assert (
        "def reserve_stock(lines: Iterable[StockLine]) -> list[ProductDTO]:\n"
        '    """Take the lines\' units out of stock, all or nothing, and return the products reserved."""'
    ) in docs
    assert (
        "def place_order(*, customer_id: int, lines: Iterable[RequestedLine]) -> OrderDTO:" in docs
    )


# demo:end


def test_the_docs_list_users_tables_with_the_permission_tables_django_adds() -> None:
    assert tables_listed(render(ROOT), "users") == {
        "users_user",
        "users_user_groups",
        "users_user_user_permissions",
    }


@pytest.mark.parametrize("module", MODULES)
def test_the_tables_listed_are_the_ones_django_creates(module: str) -> None:
    models = apps.get_app_config(module).get_models(include_auto_created=True)
    assert tables_listed(render(ROOT), module) == {model._meta.db_table for model in models}


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

DJANGO_TABLES = (
    "import json; from django.apps import apps; print(json.dumps(sorted(m._meta.db_table "
    f"for m in apps.get_app_config('{SCRATCH}').get_models(include_auto_created=True))))"
)


def test_abstract_proxy_inherited_and_many_to_many_models_get_django_table_names(
    project_copy: Path,
) -> None:
    plant(project_copy, f"modules/{SCRATCH}/models.py", TRICKY_MODELS)
    result = run_manage(project_copy, "shell", "--verbosity", "0", "-c", DJANGO_TABLES)
    assert result.returncode == 0, result.stderr
    django_tables = set(json.loads(result.stdout))  # a set: a proxy repeats its model's table
    assert {"suppliers", "suppliers_tags", "bundle_items"} <= django_tables  # what is planted
    assert {table.name for table in read_tables(project_copy, SCRATCH)} == django_tables


def test_an_untouched_copy_passes_the_check(project_copy: Path) -> None:
    """Its scratch module was made by ``startmodule``, which brought the docs up to date."""
    result = run_manage(project_copy, "moduledocs", "--check")
    assert result.returncode == 0, result.stderr


def test_a_new_public_function_fails_the_check_until_the_docs_are_written(
    project_copy: Path,
) -> None:
    api = project_copy / "modules" / SCRATCH / "api.py"
    api.write_text(api.read_text().replace("__all__ = [", '__all__ = [\n    "count_items",'))
    plant(project_copy, f"modules/{SCRATCH}/api.py", f"{COUNT_ITEMS}:\n    return 0")
    docs = (project_copy / "docs" / "modules.md").read_text()

    check = run_manage(project_copy, "moduledocs", "--check")
    assert check.returncode != 0
    assert OUT_OF_DATE in check.stderr
    assert (project_copy / "docs" / "modules.md").read_text() == docs  # --check writes nothing

    assert run_manage(project_copy, "moduledocs").returncode == 0
    assert f"{COUNT_ITEMS}: ..." in (project_copy / "docs" / "modules.md").read_text()  # as written
    assert run_manage(project_copy, "moduledocs", "--check").returncode == 0


def test_a_new_dependency_makes_the_readme_graph_out_of_date(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/services.py", "from modules.users import api as users")
    check = run_manage(project_copy, "moduledocs", "--check")
    assert check.returncode != 0
    assert "README.md is out of date: run `python manage.py moduledocs`" in check.stderr


def test_signatures_are_spaced_as_pep_8_asks() -> None:
    import ast

    from modular_monolith.moduledocs import _signature

    source = "def f(a: int, /, b, c: str = 'x', *args: int, d: int | None = None, e=3, **kw: str) -> None: ..."
    assert _signature("f", ast.parse(source).body[0]) == source.removesuffix(": ...")  # type: ignore[arg-type]
