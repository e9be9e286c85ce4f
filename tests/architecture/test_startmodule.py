"""`manage.py startmodule` creates a module that passes every check and its own tests at once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .sandbox import SCRATCH, free_module_name, run_manage


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip


def ruff(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), *args, "modules", "tests"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip


def files_under(project: Path) -> set[Path]:
    return {
        path.relative_to(project) for path in project.rglob("*") if "__pycache__" not in path.parts
    }


def test_a_new_module_passes_the_checks_and_its_tests(project_copy: Path) -> None:
    name = free_module_name(project_copy, "inventory")
    created = run_manage(project_copy, "startmodule", name)
    assert created.returncode == 0, created.stderr
    assert (project_copy / f"modules/{name}/api.py").exists()
    assert (project_copy / f"tests/{name}/test_api.py").exists()

    checks = run_manage(project_copy, "check", "--fail-level", "WARNING")
    migrations = run_manage(project_copy, "makemigrations", "--check", "--dry-run")
    docs = run_manage(project_copy, "moduledocs", "--check")
    contracts = lint_imports(project_copy)
    lint, formatting = ruff(project_copy, "check"), ruff(project_copy, "format", "--check")
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"tests/{name}"],
        cwd=project_copy,
        # SQLite: a PostgreSQL run must not share (and drop) this run's test database.
        env={**os.environ, "DEBUG": "true", "INSTALL_MODULES": name, "DATABASE_URL": "sqlite://"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert checks.returncode == 0, checks.stdout + checks.stderr
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr
    assert docs.returncode == 0, docs.stdout + docs.stderr
    assert f"## {name}" in (project_copy / "docs/modules.md").read_text()
    assert contracts.returncode == 0, contracts.stdout
    assert lint.returncode == 0, lint.stdout
    assert formatting.returncode == 0, formatting.stdout
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "4 passed" in tests.stdout


def test_the_checks_and_contracts_cover_a_new_module_at_once(project_copy: Path) -> None:
    """The scratch module was made by ``startmodule`` (see conftest): no configuration names it."""
    services = project_copy / f"modules/{SCRATCH}/services.py"
    services.write_text(services.read_text() + "\nfrom modules.users.models import User\n")

    checks = run_manage(project_copy, "check")
    contracts = lint_imports(project_copy)

    assert checks.returncode != 0
    assert f"{SCRATCH} imports modules.users.models, which is private to users" in checks.stderr
    assert contracts.returncode != 0
    assert f"modules.{SCRATCH}.services -> modules.users.models" in contracts.stdout


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("9lives", "is not a Python identifier"),
        ("in-ventory", "is not a Python identifier"),
        ("class", "is a Python keyword"),
        ("match", "is a Python keyword"),
        ("Inventory", "must be lowercase"),
        ("users", "modules/users exists already"),
        ("auth", "is the label of an installed Django app"),
        ("modular_monolith", "is the label of an installed Django app"),
    ],
)
def test_a_bad_name_is_refused_and_nothing_is_written(
    project_copy: Path, name: str, reason: str
) -> None:
    before = files_under(project_copy)

    result = run_manage(project_copy, "startmodule", name)

    assert result.returncode != 0
    assert reason in result.stderr
    assert files_under(project_copy) == before
