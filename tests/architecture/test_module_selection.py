"""INSTALL_MODULES installs a subset of modules, plus the modules they import (select_modules)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from modular_monolith.modules import (
    available_modules,
    dependency_graph,
    select_modules,
    with_dependencies,
)

from .sandbox import ROOT, SCRATCH, free_module_name, plant, run_manage

SHOW = (
    "import json; from modular_monolith.modules import installed_modules; "
    "from shop.api import api; "
    "print(json.dumps({'modules': [module.name for module in installed_modules()], "
    "'routes': sorted({path for path, _ in api._routers if path})}))"
)


def installed_with(selection: str, project: Path = ROOT) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", SHOW],
        cwd=project,
        env={**os.environ, "DEBUG": "true", "INSTALL_MODULES": selection},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_graph_is_read_from_the_real_imports(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/services.py", "from modules.users import api as users")
    graph = dependency_graph(project_copy)
    assert graph[SCRATCH] == {"users"}
    assert graph["users"] == frozenset()


def test_dependencies_come_first(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/services.py", "from modules.users import api as users")
    assert with_dependencies(project_copy, [SCRATCH]) == ["users", SCRATCH]  # not alphabetical


def test_relative_imports_are_edges_of_the_graph(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/services.py", "from ..users import api as users")
    assert dependency_graph(project_copy)[SCRATCH] == {"users"}


def test_an_unknown_module_is_refused_with_the_ones_that_exist() -> None:
    with pytest.raises(ValueError, match=r"No such module: no_such_module \(modules: .*users"):
        with_dependencies(Path(ROOT), ["no_such_module"])


def test_select_modules_names_apps_with_dependencies_first(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/services.py", "from modules.users import api as users")
    assert select_modules(project_copy, only=[SCRATCH]) == ["modules.users", f"modules.{SCRATCH}"]
    everything = {f"modules.{name}" for name in available_modules(project_copy)}
    assert set(select_modules(project_copy)) == everything
    with pytest.raises(ValueError, match="No such module: nowhere"):
        select_modules(project_copy, only=["nowhere"])


def test_one_module_is_installed_with_its_dependencies_and_only_their_routers(
    project_copy: Path,
) -> None:
    """A second new module imports the scratch module's api; users is always installed."""
    second = free_module_name(project_copy, "beta")
    assert run_manage(project_copy, "startmodule", second).returncode == 0
    plant(project_copy, f"modules/{second}/services.py", f"from modules.{SCRATCH} import api")

    with_second = installed_with(second, project_copy)
    with_scratch = installed_with(SCRATCH, project_copy)

    assert set(with_second["modules"]) == {f"modules.{n}" for n in (SCRATCH, second, "users")}
    assert {f"/{SCRATCH}", f"/{second}", "/users"} <= set(with_second["routes"])
    assert set(with_scratch["modules"]) == {f"modules.{SCRATCH}", "modules.users"}
    assert f"/{second}" not in with_scratch["routes"]
    assert {f"/{SCRATCH}", "/users"} <= set(with_scratch["routes"])


# demo:start


def test_the_demo_graph_is_read_from_the_real_imports() -> None:
    graph = dependency_graph(ROOT)
    assert graph["orders"] == {"products", "payments"}
    assert graph["notifications"] == {"orders", "users"}
    assert graph["users"] == graph["products"] == graph["payments"] == frozenset()


def test_the_demo_dependencies_come_first() -> None:
    assert with_dependencies(ROOT, ["orders"]) in (
        ["payments", "products", "orders"],
        ["products", "payments", "orders"],
    )


def test_orders_is_installed_with_its_dependencies_and_only_their_routers() -> None:
    installed = installed_with("orders")
    assert sorted(installed["modules"]) == [
        "modules.orders", "modules.payments", "modules.products", "modules.users",
    ]  # fmt: skip
    assert "/notifications" not in installed["routes"]
    assert {"/orders", "/products", "/users"} <= set(installed["routes"])


# demo:end


def test_all_modules_are_installed_by_default() -> None:
    assert len(installed_with("")["modules"]) == len(dependency_graph(ROOT))
